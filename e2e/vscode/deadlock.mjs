// The deadlock phase of the real-VS-Code end-to-end test (called from run.mjs):
// deadlock.go of e2e/vscode/workspace/ locks l.mu in close and calls flush,
// which locks it again. Once the typed tier has run the checks, hovering the
// first `Lock` shows golens's section explaining this deadlock from that
// position (its part, the check's explanation, links to the other lines and to
// `golens explain deadlock`), and the editor draws "⚠ deadlock" inlay hints on
// the lines involved. Screenshot: .e2e/vscode-out/NN-hover-deadlock.png.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

export async function deadlockPhase({ page, step, skipStep, openFile, hoverText, waitFor, editorText, shot, outDir, caps }) {
  if (!caps.hoverProvider) {
    skipStep('hover on a Lock involved in a double lock explains the deadlock', 'server does not advertise hoverProvider');
    return;
  }
  await step(
    'hover on a Lock involved in a double lock explains the deadlock',
    async () => {
      await openFile('deadlock.go');
      // The first line with "l.mu.Lock()" is close's: the lock that is held.
      const text = await hoverText('l.mu.Lock()', 'Lock', /⚠ deadlock/, 120000);
      await shot('hover-deadlock');
      writeFileSync(join(outDir, 'hover-deadlock.txt'), text);
      for (const want of ['l.mu is locked here', 'l.flush() locks l.mu', 'not reentrant', 'line 19', 'golens explain deadlock']) {
        if (!text.includes(want)) throw new Error(`the deadlock section lacks ${JSON.stringify(want)}: ${JSON.stringify(text)}`);
      }
      const links = await page
        .locator('.monaco-hover:not(.hidden) a')
        .evaluateAll((as) => as.map((a) => a.getAttribute('data-href') || a.getAttribute('href') || ''));
      if (!links.some((h) => /deadlock\.go#L19$/.test(h))) throw new Error(`no link to line 19 in the hover: ${JSON.stringify(links)}`);
      return text.split('\n').find((l) => l.includes('⚠')) || '';
    },
    { optional: true },
  );
  if (!caps.inlayHintProvider) {
    skipStep('the editor draws ⚠ deadlock hints on the lines involved', 'server does not advertise inlayHintProvider');
    return;
  }
  await step(
    'the editor draws ⚠ deadlock hints on the lines involved',
    async () => {
      await page.keyboard.press('Escape');
      const text = await waitFor('⚠ deadlock hints in deadlock.go', async () => {
        const t = await editorText();
        return (t.match(/⚠ deadlock/g) || []).length >= 3 ? t : undefined;
      }, 30000);
      await shot('hints-deadlock');
      return text.split('\n').filter((l) => l.includes('⚠')).map((l) => l.trim()).join(' | ');
    },
    { optional: true },
  );
}
