// The concurrency map phase of the VS Code end-to-end test (called from run.mjs
// with main.go of e2e/vscode/workspace open): "golens: Show Concurrency Map"
// opens a webview beside the editor with the map of the function at the cursor;
// it shows main's goroutine and channels; clicking an edge moves the cursor to
// its line; the map follows the cursor into another function and refreshes on
// an edit; the "map" code lens opens it too. Screenshots in the dark, light and
// high-contrast themes go to .e2e/vscode-out/readme-map-*.png (the README's
// pictures are copied from there).
import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The frame of the map webview (VS Code nests it in two iframes), or undefined. */
async function mapFrame(page) {
  for (const f of page.frames()) {
    if ((await f.locator('svg.concmap, #map .empty').count().catch(() => 0)) > 0) return f;
  }
  return undefined;
}

/** The nodes of one kind on the map, as "name — detail". */
async function nodes(frame, kind) {
  return frame
    .locator(`g.node.${kind}`)
    .evaluateAll((gs) => gs.map((g) => `${g.querySelector('.name')?.textContent ?? ''} — ${g.querySelector('.detail')?.textContent ?? ''}`));
}

/** The map's heading text, or ''. */
async function mapTitle(page) {
  const f = await mapFrame(page);
  return f ? ((await f.locator('#title').textContent().catch(() => '')) ?? '') : '';
}

/** The cursor's line as the status bar says it ("Ln 31, Col 3"). */
async function cursorLine(page) {
  const text = await page.locator('.statusbar-item', { hasText: /Ln \d+, Col \d+/ }).first().innerText().catch(() => '');
  const m = /Ln (\d+), Col (\d+)/.exec(text);
  return m ? { line: Number(m[1]), col: Number(m[2]) } : undefined;
}

/** Picks a colour theme the way a person does: Ctrl+K Ctrl+T, type its name, Enter. */
async function pickTheme(h, name) {
  const { page, sleep } = h;
  await page.keyboard.press('Escape');
  await page.keyboard.press('Control+K');
  await sleep(100);
  await page.keyboard.press('Control+T');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: 10000 });
  await input.fill(name);
  await page.locator('.quick-input-widget .monaco-list-row.focused', { hasText: name }).first().waitFor({ state: 'visible', timeout: 10000 });
  await page.keyboard.press('Enter');
}

export async function mapPhase(h) {
  const { page, step, skipStep, shot, openFile, gotoLine, runCommand, waitFor, sleep, outDir, caps, required, root, editorText } = h;
  const advertised = (caps.executeCommandProvider?.commands ?? []).includes('golens.map');
  if (!advertised && !required('map')) {
    skipStep('golens: Show Concurrency Map', 'server does not advertise golens.map');
    return;
  }
  const optional = !required('map');
  const shotOf = async (name) => {
    const file = join(outDir, `${name}.png`);
    await page.screenshot({ path: file });
    return file;
  };

  let opened = await step(
    'golens: Show Concurrency Map opens the map of main beside the editor, with its goroutine and channels',
    async () => {
      await openFile('main.go'); // the command needs a Go editor (an earlier step left a preview active)
      // An earlier step that failed midway may have left main.go edited: start from the file.
      await runCommand('File: Revert File');
      await waitFor('main.go as in the repository', async () => !(await editorText()).includes('case v := <-ch') || undefined, 15000);
      await page.keyboard.press('Control+B'); // hide the side bar: room for the map
      await gotoLine(24, 2); // results := produce(3), in main
      await runCommand('golens: Show Concurrency Map');
      const frame = await waitFor('the map webview with an SVG', async () => {
        const f = await mapFrame(page);
        return f && (await f.locator('svg.concmap').count()) > 0 ? f : undefined;
      }, 30000);
      await waitFor('the map of func main', async () => /func main/.test(await mapTitle(page)), 15000);
      const goroutines = await nodes(frame, 'goroutine');
      const chans = await nodes(frame, 'chan');
      if (!goroutines.some((t) => /^go func\(\) L27 — /.test(t))) throw new Error(`no goroutine of line 27 on the map: ${JSON.stringify(goroutines)}`);
      if (!chans.some((t) => /^done — .*unbuffered/.test(t))) throw new Error(`no unbuffered channel done on the map: ${JSON.stringify(chans)}`);
      const edges = await frame.locator('g.edge').count();
      await sleep(300);
      await shot('map-main');
      const file = await shotOf('readme-map');
      if (process.env.GOLENS_E2E_README_IMAGES) copyFileSync(file, join(root, 'vscode-client', 'images', 'concurrency-map-light.png'));
      return `${goroutines.join('; ')} | ${chans.join('; ')} | ${edges} edges`;
    },
    { optional },
  );
  if (!opened) return;

  await step(
    'clicking an edge of the map moves the cursor to its line',
    async () => {
      await gotoLine(12, 2); // elsewhere: in produce
      // Back to main: the map follows the cursor.
      await gotoLine(23, 2);
      await waitFor('the map of func main again', async () => /func main/.test(await mapTitle(page)), 15000);
      const frame = await mapFrame(page);
      const edge = frame.locator('g.edge[data-line="32"]').first(); // close(done)
      const label = await edge.locator('.label text').textContent();
      await edge.locator('.label').click();
      const pos = await waitFor('the cursor on line 32', async () => {
        const p = await cursorLine(page);
        return p && p.line === 32 ? p : undefined;
      }, 10000);
      await shot('map-clicked-edge');
      return `clicked "${label}": cursor at Ln ${pos.line}, Col ${pos.col}`;
    },
    { optional },
  );

  await step(
    'the map follows the cursor into another function, and refreshes on an edit',
    async () => {
      await gotoLine(16, 4); // out <- i * i, in produce
      if ((await cursorLine(page))?.line !== 16) {
        // The click on the map's edge left the focus in the webview, where
        // Ctrl+G sometimes goes unheard: give the editor the focus and retry.
        await page.locator('.monaco-editor .view-lines').first().click();
        await gotoLine(16, 4);
      }
      await waitFor('the map of func produce', async () => /func produce/.test(await mapTitle(page)), 15000);
      // Edit: a new channel in produce shows on the map without any command.
      await gotoLine(12, 100);
      await page.keyboard.press('End');
      await page.keyboard.type('\nextra := make(chan bool, 4)\nclose(extra)', { delay: 10 });
      const frame = await mapFrame(page);
      await waitFor('the new channel on the map', async () => {
        const chans = await nodes(frame, 'chan');
        return chans.some((t) => /^extra — .*cap 4/.test(t)) || undefined;
      }, 15000);
      await shot('map-after-edit');
      await page.keyboard.press('Escape');
      for (let i = 0; i < 40 && /extra/.test(await editorText()); i++) {
        await page.keyboard.press('Control+Z');
        await sleep(100);
      }
      return 'func produce; extra (cap 4) appeared after typing';
    },
    { optional },
  );

  await step(
    'the "map" code lens above func main opens the map of main',
    async () => {
      await gotoLine(12, 2); // the map now shows produce
      await waitFor('the map of func produce', async () => /func produce/.test(await mapTitle(page)), 15000);
      const lens = page.locator('.codelens-decoration a', { hasText: /^map$/ });
      await waitFor('map code lenses', async () => ((await lens.count()) >= 2 ? true : undefined), 20000);
      // Lenses are in source order: produce's, then main's.
      await lens.nth(1).click();
      await waitFor('the map of func main', async () => /func main/.test(await mapTitle(page)), 15000);
      return `${await lens.count()} lenses`;
    },
    { optional },
  );

  await step(
    'the map follows the theme: dark and high contrast',
    async () => {
      const frame = await mapFrame(page);
      const bodyClass = async () => (await frame.locator('body').getAttribute('class')) ?? '';
      const fill = async () => frame.locator('svg.concmap text.heading').evaluate((el) => getComputedStyle(el).fill);
      const light = await fill();
      await pickTheme(h, 'Dark Modern');
      await waitFor('a dark theme in the webview', async () => /vscode-dark/.test(await bodyClass()) || undefined, 15000);
      await sleep(800);
      const darkFile = await shotOf('readme-map-dark');
      if (process.env.GOLENS_E2E_README_IMAGES) copyFileSync(darkFile, join(root, 'vscode-client', 'images', 'concurrency-map-dark.png'));
      const dark = await fill();
      await pickTheme(h, 'Dark High Contrast');
      await waitFor('a high-contrast theme in the webview', async () => /vscode-high-contrast/.test(await bodyClass()) || undefined, 15000);
      await sleep(800);
      await shotOf('readme-map-high-contrast');
      const hc = await fill();
      await pickTheme(h, 'Light Modern');
      writeFileSync(join(outDir, 'map-theme-colours.txt'), `light ${light}\ndark ${dark}\nhigh contrast ${hc}\n`);
      if (light === dark) throw new Error(`the map's text colour did not change with the theme (${light})`);
      return `heading text: light ${light}, dark ${dark}, high contrast ${hc}`;
    },
    { optional: true },
  );
  await page.keyboard.press('Control+B'); // the side bar back
}
