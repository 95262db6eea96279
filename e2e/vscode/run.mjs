#!/usr/bin/env node
// End-to-end test of the golens extension in a REAL VS Code: code-server
// (Code 1.100.3) in headless Debian chromium, driven by playwright-core.
//
//   npm run e2e:vscode            (after: bash scripts/install-vscode-e2e.sh)
//
// It packages the extension as a VSIX with the golens server built from this
// checkout (npm run package), installs it into a scratch code-server, opens a Go
// file of e2e/vscode/workspace/ and checks what a person would see.
//
// Which assertions run:
//   - always: the VSIX installs; the bundled golens starts without errors; golens's
//     hover on `go` mentions a goroutine and links the spec's Go statements, on
//     `select` explains select and links Select statements (the server must
//     advertise hoverProvider); Restricted Mode: an untrusted folder starts golens
//     on the syntax tier and ignores the workspace's golens.server.path, and
//     trusting it restarts golens trusted (GOLENS_E2E_SKIP_TRUST=1 skips this);
//     with no golens to be found (bundled binary made non-executable) a notification
//     offers Install…, which (no golens clone open, GOPROXY=off: not published)
//     explains how to install from a clone and runs no command;
//   - when the server advertises inlayHintProvider: a blocking hint and a
//     defer-order hint render in main.go, and golens.hints.blocking=false hides the
//     blocking ones (a settings change reaches the server);
//   - when the server advertises codeActionProvider: the diagnostic described by
//     e2e/vscode/workspace/mistake.json shows (F8) and its quick fix changes the code;
//   - when the server advertises completionProvider: typing `seltimeout` in main
//     offers golens's pattern, and accepting it inserts the select with time.After;
//   - when the server advertises executeCommandProvider with golens.explainAt:
//     "golens: Explain the Construct at the Cursor" opens a markdown preview with
//     the explanation.
// GOLENS_E2E_REQUIRE=hints,completion,quickfix,explain (or "all") runs those steps
// whatever the server advertises. GOLENS_VSIX=path uses a prebuilt VSIX.
// Every failed step is reported and the run goes on (except before the hovers);
// the exit code is 1 when any step failed.
//
// Missing code-server/chromium/playwright-core: prints the reason and exits 0
// (skip), except with CI set, where that is a failure.
// Screenshots and logs: .e2e/vscode-out/.
import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync, createWriteStream } from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const outDir = join(root, '.e2e', 'vscode-out');
const scratch = join(root, '.e2e', 'vscode-run');
const codeServerEntry = join(root, '.e2e', 'code-server', 'node_modules', 'code-server', 'out', 'node', 'entry.js');
const chromiumPath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const isCI = !!process.env.CI;
const started = Date.now();
const require = createRequire(import.meta.url);

const require_ = (process.env.GOLENS_E2E_REQUIRE || '')
  .split(',')
  .map((s) => s.trim())
  .filter(Boolean);
const required = (name) => require_.includes('all') || require_.includes(name);

const results = []; // {name, status: 'pass'|'fail'|'skip', detail}
const log = (...a) => console.log(`[e2e:vscode +${((Date.now() - started) / 1000).toFixed(1)}s]`, ...a);

function summaryAndExit(code) {
  console.log('');
  for (const r of results) console.log(`${r.status.toUpperCase().padEnd(4)} ${r.name}${r.detail ? ` — ${r.detail}` : ''}`);
  const n = (s) => results.filter((r) => r.status === s).length;
  console.log(`screenshots and logs: ${relative(process.cwd(), outDir) || '.'}/ (${((Date.now() - started) / 1000).toFixed(0)}s)`);
  console.log(`vscode-e2e: ${n('pass')} passed, ${n('fail')} failed, ${n('skip')} skipped`);
  process.exit(code ?? (n('fail') > 0 ? 1 : 0));
}

function skipAll(reason) {
  if (isCI) {
    console.error(`e2e:vscode cannot run: ${reason} (CI is set, so this is a failure; run scripts/install-vscode-e2e.sh)`);
    results.push({ name: 'prerequisites', status: 'fail', detail: reason });
    summaryAndExit(1);
  }
  console.log(`SKIP e2e:vscode: ${reason}. Install with: bash scripts/install-vscode-e2e.sh`);
  results.push({ name: 'real VS Code end-to-end', status: 'skip', detail: reason });
  summaryAndExit(0);
}

// ---------------------------------------------------------------- prerequisites
if (!existsSync(codeServerEntry)) skipAll(`code-server is not installed (${relative(root, codeServerEntry)} missing)`);
if (!existsSync(chromiumPath)) skipAll(`chromium is not installed (${chromiumPath} missing)`);
let chromium;
try {
  ({ chromium } = require('playwright-core'));
} catch {
  skipAll('playwright-core is not installed (npm ci)');
}
if (!process.env.GOLENS_VSIX) {
  try {
    execFileSync('go', ['version'], { stdio: 'ignore' });
  } catch {
    skipAll('the go command is missing (needed to build the golens server)');
  }
}

// A hard ceiling so a wedged browser never hangs CI: only a hang guard, since a
// whole run takes 5 minutes or more on a busy machine.
const ceiling = setTimeout(() => {
  console.error('e2e:vscode: overall timeout (15 min)');
  results.push({ name: 'overall time limit', status: 'fail', detail: '15 min exceeded' });
  cleanup().finally(() => summaryAndExit(1));
}, 15 * 60_000);
ceiling.unref();

const codeServers = []; // child processes, each the leader of its own process group
let context; // playwright persistent context
async function stopCodeServer(cs) {
  if (!cs || cs.exitCode !== null || cs.signalCode !== null) return;
  try {
    process.kill(-cs.pid, 'SIGTERM'); // the whole group: code-server, its extension host, golens
  } catch {}
  await new Promise((r) => setTimeout(r, 1000));
  try {
    process.kill(-cs.pid, 'SIGKILL');
  } catch {}
}
async function cleanup() {
  try {
    await context?.close();
  } catch {}
  for (const cs of codeServers) await stopCodeServer(cs);
}
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    cleanup().finally(() => process.exit(130));
  });
}

// ---------------------------------------------------------------- helpers
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

async function waitFor(what, fn, timeoutMs, everyMs = 300) {
  const deadline = Date.now() + timeoutMs;
  let last;
  while (Date.now() < deadline) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (err) {
      last = err;
    }
    await sleep(everyMs);
  }
  throw new Error(`timed out after ${timeoutMs / 1000}s waiting for ${what}${last ? ` (${last.message})` : ''}`);
}

/** Speaks just enough LSP to ask the server what it advertises. */
async function probeCapabilities(binary, initializationOptions) {
  const child = spawn(binary, [], { stdio: ['pipe', 'pipe', 'ignore'] });
  let buf = Buffer.alloc(0);
  const pending = new Map();
  child.stdout.on('data', (d) => {
    buf = Buffer.concat([buf, d]);
    for (;;) {
      const end = buf.indexOf('\r\n\r\n');
      if (end < 0) return;
      const m = /content-length:\s*(\d+)/i.exec(buf.subarray(0, end).toString());
      if (!m) return;
      const len = Number(m[1]);
      if (buf.length < end + 4 + len) return;
      const msg = JSON.parse(buf.subarray(end + 4, end + 4 + len).toString());
      buf = buf.subarray(end + 4 + len);
      if (msg.id !== undefined && pending.has(msg.id) && !msg.method) {
        pending.get(msg.id)(msg);
        pending.delete(msg.id);
      } else if (msg.id !== undefined && msg.method) {
        write({ id: msg.id, result: null }); // server->client request (e.g. workspace/configuration)
      }
    }
  });
  const write = (m) => {
    const s = JSON.stringify({ jsonrpc: '2.0', ...m });
    child.stdin.write(`Content-Length: ${Buffer.byteLength(s)}\r\n\r\n${s}`);
  };
  let nextId = 1;
  const request = (method, params) =>
    new Promise((resolve, reject) => {
      const id = nextId++;
      pending.set(id, (msg) => (msg.error ? reject(new Error(msg.error.message)) : resolve(msg.result)));
      write({ id, method, params });
    });
  const exited = new Promise((r) => child.once('exit', r));
  try {
    const result = await Promise.race([
      request('initialize', {
        processId: process.pid,
        rootUri: null,
        capabilities: {},
        initializationOptions,
      }),
      exited.then(() => {
        throw new Error('server exited during initialize');
      }),
      sleep(15000).then(() => {
        throw new Error('no initialize answer in 15s');
      }),
    ]);
    write({ method: 'initialized', params: {} });
    await Promise.race([request('shutdown', null), sleep(3000)]);
    write({ method: 'exit' });
    return result?.capabilities ?? {};
  } finally {
    setTimeout(() => child.kill('SIGKILL'), 2000).unref();
  }
}

// ---------------------------------------------------------------- steps
let page;
let shotN = 0;
async function shot(name) {
  if (!page) return;
  const file = join(outDir, `${String(++shotN).padStart(2, '0')}-${name}.png`);
  try {
    await page.screenshot({ path: file });
    log(`screenshot ${relative(root, file)}`);
  } catch (err) {
    log(`screenshot ${name} failed: ${err.message}`);
  }
}

/** A screenshot of the editor area only (with any hover over it): the README's pictures. */
async function editorShot(name) {
  const box = await page.locator('.part.editor').first().boundingBox().catch(() => null);
  if (!box) return;
  const file = join(outDir, `${name}.png`);
  await page.screenshot({ path: file, clip: { x: box.x, y: box.y, width: Math.min(box.width, 1000), height: Math.min(box.height, 620) } });
  log(`screenshot ${relative(root, file)}`);
}

async function step(name, fn, { optional = false } = {}) {
  log(`step: ${name}`);
  try {
    const detail = await fn();
    results.push({ name, status: 'pass', detail: typeof detail === 'string' ? detail : '' });
    return true;
  } catch (err) {
    results.push({ name, status: 'fail', detail: err.message.split('\n')[0] });
    log(`FAILED ${name}: ${err.stack || err.message}`);
    await shot(`FAIL-${name.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}`);
    if (!optional) throw err;
    return false;
  }
}

function skipStep(name, reason) {
  results.push({ name, status: 'skip', detail: reason });
  log(`skip: ${name} (${reason})`);
}

/** Text of the visible editor lines, with Monaco's non-breaking spaces made plain. */
async function editorText() {
  return (await page.locator('.monaco-editor .view-lines').first().innerText()).replace(/\u00a0/g, ' ');
}

/** Opens a workspace file the way a person does: Ctrl+P, type, wait for the row, Enter. */
async function openFile(name) {
  // A file the test has just written may not be in Quick Open's index yet
  // ("No matching results" until the file watcher reports it): ask again.
  for (let attempt = 1; ; attempt++) {
    await page.keyboard.press('Escape');
    await page.keyboard.press('Control+P');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible', timeout: 15000 });
    await input.fill(name);
    // Wait until the filtered list's focused (first) row is the file, then take it.
    try {
      await page
        .locator('.quick-input-widget .monaco-list-row.focused', { hasText: name })
        .first()
        .waitFor({ state: 'visible', timeout: attempt < 4 ? 8000 : 20000 });
      break;
    } catch (err) {
      if (attempt >= 4) throw err;
      await sleep(2000);
    }
  }
  await page.keyboard.press('Enter');
  await page.locator('.monaco-editor .view-lines').first().waitFor({ state: 'visible', timeout: 15000 });
  await page.locator('.tab.active', { hasText: name }).waitFor({ timeout: 15000 });
}

/** Moves the cursor to 1-based line:col (Ctrl+G; the quick input's ":" prefix is kept). */
async function gotoLine(line, col) {
  await page.keyboard.press('Escape');
  await page.keyboard.press('Control+G');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: 10000 });
  await input.fill(`:${line}:${col}`);
  await sleep(150);
  await page.keyboard.press('Enter');
  await sleep(200);
}

/** The bounding box of the first token span that is exactly `word` on the line containing `lineText`. */
async function tokenBox(lineText, word) {
  const line = page.locator('.monaco-editor .view-lines .view-line', { hasText: lineText }).first();
  await line.waitFor({ state: 'visible', timeout: 10000 });
  const spans = line.locator('span > span');
  const n = await spans.count();
  for (let i = 0; i < n; i++) {
    const t = ((await spans.nth(i).textContent()) || '').replace(/\u00a0/g, ' ').trim();
    if (t === word) return spans.nth(i).boundingBox();
  }
  // The word may share a token span with its neighbours: measure it inside the line text.
  const box = await line.boundingBox();
  const text = ((await line.textContent()) || '').replace(/\u00a0/g, ' ');
  const at = text.indexOf(word);
  if (!box || at < 0) throw new Error(`no "${word}" on the line with "${lineText}"`);
  const charW = box.width / Math.max(text.length, 1);
  return { x: box.x + at * charW, y: box.y, width: word.length * charW, height: box.height };
}

/** Hovers the mouse over `word` until a hover containing `pattern` shows; returns its text. */
async function hoverText(lineText, word, pattern, timeoutMs) {
  const hover = page.locator('.monaco-hover:not(.hidden)');
  return waitFor(
    `a hover on "${word}" matching ${pattern}`,
    async () => {
      const box = await tokenBox(lineText, word);
      // Leave, then come back: a fresh hover request each try.
      await page.mouse.move(box.x + box.width / 2, box.y - 200 > 0 ? box.y - 200 : box.y + 300);
      await sleep(150);
      await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2, { steps: 3 });
      const deadline = Date.now() + 3000;
      while (Date.now() < deadline) {
        const texts = await hover.allInnerTexts().catch(() => []);
        const text = texts.join('\n');
        if (pattern.test(text)) {
          await sleep(500); // let the fade-in finish before anyone takes a screenshot
          return text;
        }
        await sleep(200);
      }
      return undefined;
    },
    timeoutMs,
    100,
  );
}

/** The href of a link in the visible hover whose target contains `fragment`. */
async function hoverLink(fragment) {
  const hrefs = await page
    .locator('.monaco-hover:not(.hidden) a')
    .evaluateAll((as) => as.map((a) => a.getAttribute('data-href') || a.getAttribute('href') || ''));
  const hit = hrefs.find((h) => h.includes(fragment));
  if (!hit) throw new Error(`no link to ${fragment} in the hover (links: ${JSON.stringify(hrefs)})`);
  return hit;
}

async function globFiles(dir, keep) {
  const { readdir } = await import('node:fs/promises');
  const out = [];
  for (const e of await readdir(dir, { withFileTypes: true, recursive: true }).catch(() => [])) {
    const p = join(e.parentPath ?? e.path, e.name);
    if (e.isFile() && keep(p)) out.push(p);
  }
  return out;
}

/** Sets a boolean setting the way a person does: the Settings editor, search, checkbox. */
async function toggleBoolSetting(id, want) {
  await runCommand('Preferences: Open User Settings');
  const search = page.locator('.settings-editor .settings-header .monaco-editor textarea, .settings-editor .suggest-input-container textarea').first();
  await search.waitFor({ state: 'visible', timeout: 15000 });
  await search.fill(id);
  const checkbox = page.locator('.settings-editor .setting-item-bool .setting-value-checkbox').first();
  await checkbox.waitFor({ state: 'visible', timeout: 15000 });
  await sleep(300);
  const checked = async () => (await checkbox.getAttribute('aria-checked')) === 'true';
  // The Settings editor re-renders while its search settles, and a click in
  // that moment is lost (seen on a loaded machine): click again until it holds.
  for (let attempt = 0; attempt < 5 && (await checked()) !== want; attempt++) {
    await checkbox.click();
    await waitFor(`${id} = ${want}`, async () => (await checked()) === want, 4000).catch(() => {});
  }
  await waitFor(`${id} = ${want}`, async () => (await checked()) === want, 5000);
  await shot(`setting-${id.replace(/\W+/g, '-')}-${want}`);
  await page.keyboard.press('Control+W'); // the settings editor; main.go stays open
}

async function runCommand(title) {
  await page.keyboard.press('Escape');
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: 10000 });
  await input.fill(`>${title}`);
  await page
    .locator('.quick-input-widget .monaco-list-row.focused', { hasText: title })
    .first()
    .waitFor({ state: 'visible', timeout: 10000 });
  await page.keyboard.press('Enter');
}

// ---------------------------------------------------------------- main
async function main() {
  rmSync(outDir, { recursive: true, force: true });
  rmSync(scratch, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  const home = join(scratch, 'home');
  const tmp = join(scratch, 'tmp');
  const userData = join(scratch, 'user-data');
  const extDir = join(scratch, 'extensions');
  const workspace = join(scratch, 'workspace');
  const browserProfile = join(scratch, 'chromium-profile');
  for (const d of [home, tmp, join(userData, 'User'), extDir, browserProfile]) mkdirSync(d, { recursive: true });
  cpSync(join(here, 'workspace'), workspace, { recursive: true });

  // 1. The VSIX (client bundle + golens built from this checkout).
  let vsix = process.env.GOLENS_VSIX;
  await step('package the extension (npm run package)', async () => {
    if (vsix) return `using GOLENS_VSIX=${vsix}`;
    vsix = join(outDir, 'golens.vsix');
    // Only this machine's target: the VSIX code-server installs here.
    const target = `${process.platform === 'win32' ? 'win32' : process.platform}-${process.arch}`;
    execFileSync('bash', [join(root, 'vscode-client', 'package.sh'), target], {
      cwd: root,
      env: { ...process.env, VSIX_OUT: vsix },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    if (!existsSync(vsix)) throw new Error('no VSIX produced');
    return relative(root, vsix);
  });

  // 2. What does this server advertise? Decides which optional assertions run.
  let binary = join(root, 'vscode-client', 'bin', 'golens');
  let caps = {};
  await step('golens server answers initialize', async () => {
    if (process.env.GOLENS_VSIX) {
      // The binary the prebuilt VSIX carries (vscode-client/bin/ may hold
      // another target's, or none after the universal VSIX).
      binary = join(outDir, 'golens-from-vsix');
      writeFileSync(binary, execFileSync('unzip', ['-p', vsix, 'extension/vscode-client/bin/golens'], { maxBuffer: 256 << 20 }));
      chmodSync(binary, 0o755);
    }
    if (!existsSync(binary)) throw new Error(`${relative(root, binary)} missing`);
    caps = await probeCapabilities(binary, {
      typedTier: true,
      hints: { blocking: true, defers: true, goroutines: true },
      checks: { skipGoplsDuplicates: true },
    });
    writeFileSync(join(outDir, 'server-capabilities.json'), JSON.stringify(caps, null, 2));
    return Object.keys(caps).filter((k) => caps[k]).join(', ');
  });
  if (!caps.hoverProvider) throw new Error('the golens server does not advertise hoverProvider');

  // 3. Scratch code-server: user settings, the extension, start.
  const goCache = (() => {
    try {
      return execFileSync('go', ['env', 'GOCACHE'], { encoding: 'utf8' }).trim();
    } catch {
      return '';
    }
  })();
  const env = {
    PATH: process.env.PATH,
    HOME: home,
    TMPDIR: tmp,
    LANG: 'C.UTF-8',
    // The typed tier runs `go list`: reuse the machine's build cache (a cold one
    // costs a minute of compiling the standard library), never touch the network.
    ...(goCache ? { GOCACHE: goCache } : {}),
    GOTOOLCHAIN: 'local',
    GOPROXY: 'off',
    GOFLAGS: '-mod=mod',
  };
  // VS Code's server resolves a login shell's environment for the extension host;
  // with HOME in the scratch folder, /etc/profile would reset PATH (and lose go).
  const profile = Object.entries(env)
    .filter(([k]) => k !== 'HOME')
    .map(([k, v]) => `export ${k}='${String(v).replace(/'/g, `'\\''`)}'`)
    .join('\n');
  writeFileSync(join(home, '.profile'), `${profile}\n`);
  writeFileSync(join(home, '.bash_profile'), `. "$HOME/.profile"\n`);
  const userSettings = (extra = {}) =>
    JSON.stringify(
      {
        'workbench.startupEditor': 'none',
        'workbench.tips.enabled': false,
        'workbench.enableExperiments': false,
        'workbench.welcomePage.walkthroughs.openOnInstall': false,
        'telemetry.telemetryLevel': 'off',
        'update.mode': 'none',
        'extensions.autoCheckUpdates': false,
        'extensions.autoUpdate': false,
        'extensions.ignoreRecommendations': true,
        'security.workspace.trust.enabled': false,
        // VS Code in a browser saves after a second's delay by default (the
        // desktop app does not): an edit a step makes would reach the disk,
        // and "File: Revert File" could not undo it for the steps after.
        'files.autoSave': 'off',
        'editor.inlayHints.enabled': 'on',
        'editor.hover.delay': 150,
        'editor.minimap.enabled': false,
        'window.commandCenter': false,
        'chat.commandCenter.enabled': false,
        'git.openRepositoryInParentFolders': 'never',
        'golens.trace.server': 'messages',
        ...extra,
      },
      null,
      2,
    );
  writeFileSync(join(userData, 'User', 'settings.json'), userSettings());
  const csArgs = ['--user-data-dir', userData, '--extensions-dir', extDir];
  await step('install the VSIX into code-server', async () => {
    const out = execFileSync(process.execPath, [codeServerEntry, ...csArgs, '--install-extension', vsix], {
      env,
      encoding: 'utf8',
      timeout: 120000,
    });
    const list = execFileSync(process.execPath, [codeServerEntry, ...csArgs, '--list-extensions', '--show-versions'], {
      env,
      encoding: 'utf8',
      timeout: 60000,
    });
    if (!/golens\.golens@/.test(list)) throw new Error(`golens not listed after install: ${out} ${list}`);
    return list.trim().split('\n').find((l) => l.startsWith('golens.'));
  });

  /** Starts code-server in its own process group (setsid) and waits until it answers. */
  async function startCodeServer({ userDataDir, folder, logName, trust }) {
    const port = await freePort();
    const csLog = createWriteStream(join(outDir, logName));
    const cs = spawn(
      process.execPath,
      [
        codeServerEntry,
        '--user-data-dir',
        userDataDir,
        '--extensions-dir',
        extDir,
        '--auth',
        'none',
        '--disable-telemetry',
        '--disable-update-check',
        ...(trust ? [] : ['--disable-workspace-trust']),
        '--disable-getting-started-override',
        '--bind-addr',
        `127.0.0.1:${port}`,
        folder,
      ],
      { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    codeServers.push(cs);
    cs.stdout.pipe(csLog);
    cs.stderr.pipe(csLog);
    await waitFor(
      'code-server /healthz',
      async () => {
        if (cs.exitCode !== null) throw new Error(`code-server exited with ${cs.exitCode}`);
        const r = await fetch(`http://127.0.0.1:${port}/healthz`);
        return r.ok;
      },
      60000,
    );
    return { cs, port };
  }

  let port;
  await step('start code-server', async () => {
    ({ port } = await startCodeServer({ userDataDir: userData, folder: workspace, logName: 'code-server.log' }));
    return `127.0.0.1:${port}`;
  });

  // 4. The browser.
  context = await chromium.launchPersistentContext(browserProfile, {
    executablePath: chromiumPath,
    headless: true,
    viewport: { width: 1400, height: 900 },
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  page = context.pages()[0] || (await context.newPage());
  const consoleLog = createWriteStream(join(outDir, 'browser-console.log'));
  page.on('console', (m) => consoleLog.write(`${m.type()}: ${m.text()}\n`));

  await step('VS Code workbench loads the Go workspace', async () => {
    await page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(workspace)}`);
    await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: 60000 });
    await page.locator('.explorer-folders-view, .explorer-viewlet, .part.sidebar').first().waitFor({ timeout: 30000 });
    await sleep(1500);
    await shot('workbench');
  });

  await step('open main.go (Ctrl+P)', async () => {
    await openFile('main.go');
    await waitFor('main.go text in the editor', async () => (await editorText()).includes('func produce'), 15000);
  });

  // 5. Hover: the core of golens.
  await step('hover on `go` shows golens explaining a goroutine', async () => {
    const text = await hoverText('go func() {', 'go', /goroutine/i, 60000);
    await shot('hover-go');
    await editorShot('readme-hover');
    writeFileSync(join(outDir, 'hover-go.txt'), text);
    const link = await hoverLink('#Go_statements');
    return `${text.split('\n')[0].slice(0, 80)} | link ${link}`;
  });
  await step('hover on `select` shows golens explaining select', async () => {
    const text = await hoverText('select {', 'select', /select/i, 30000);
    // A hover whose only text is the word would prove nothing: demand an explanation.
    if (text.replace(/\s+/g, ' ').trim().length < 30) throw new Error(`hover too short: ${JSON.stringify(text)}`);
    await shot('hover-select');
    writeFileSync(join(outDir, 'hover-select.txt'), text);
    const link = await hoverLink('#Select_statements');
    return `${text.split('\n')[0].slice(0, 80)} | link ${link}`;
  });
  await page.mouse.move(5, 5);
  await page.keyboard.press('Escape');

  // 6. Inlay hints.
  if (caps.inlayHintProvider || required('hints')) {
    await step(
      'inlay hints render in the editor',
      async () => {
        // Both families must show: a blocking hint (wg.Wait, select, the sends and
        // receives) and a defer-order hint (the two defers at the end of main).
        const texts = await waitFor(
          'a blocking hint and a defer hint',
          async () => {
            const t = await renderedHints();
            return t.some((h) => BLOCKING_HINT.test(h)) && t.some((h) => DEFER_HINT.test(h)) ? t : undefined;
          },
          45000,
        ).catch(async (err) => {
          throw new Error(`${err.message}; hints seen: ${JSON.stringify(await renderedHints())}`);
        });
        // Keep the DOM of one hinted line: makes a rendering change in Monaco easy to spot.
        const line = page.locator('.monaco-editor .view-lines .view-line', { hasText: texts[0] }).first();
        writeFileSync(join(outDir, 'hinted-line.html'), await line.evaluate((e) => e.outerHTML).catch(() => ''));
        await shot('inlay-hints');
        // The README picture: hints and golens's hover on `go` together.
        await hoverText('go func() {', 'go', /goroutine/i, 20000).catch(() => {});
        await editorShot('readme-hover-and-hints');
        await page.mouse.move(5, 5);
        writeFileSync(join(outDir, 'inlay-hints.txt'), texts.join('\n'));
        return `${texts.length} hints, e.g. ${JSON.stringify(texts.slice(0, 4))}`;
      },
      { optional: true },
    );
    // A settings change reaches the server (workspace/didChangeConfiguration) and
    // the editor shows the result: blocking hints off, defer hints stay.
    await step(
      'golens.hints.blocking=false hides the blocking hints, defer hints stay',
      async () => {
        await toggleBoolSetting('golens.hints.blocking', false);
        await openFile('main.go');
        let seen = [];
        await waitFor(
          'blocking hints to disappear',
          async () => {
            seen = await renderedHints();
            return !seen.some((h) => BLOCKING_HINT.test(h)) && seen.some((h) => DEFER_HINT.test(h));
          },
          20000,
        ).catch((err) => {
          throw new Error(`${err.message}; hints seen: ${JSON.stringify(seen)}`);
        });
        await shot('hints-blocking-off');
        await toggleBoolSetting('golens.hints.blocking', true);
        await openFile('main.go');
        return `${seen.length} hints left: ${JSON.stringify(seen.slice(0, 3))}`;
      },
      { optional: true },
    );
  } else {
    skipStep('inlay hints render in the editor', 'server does not advertise inlayHintProvider');
  }

  // 6b. Pattern completion: the patterns come from the server, not from static snippets.
  if (caps.completionProvider || required('completion')) {
    await step(
      'completion offers golens\'s seltimeout pattern and inserts it',
      async () => {
        await openFile('main.go');
        const lines = readFileSync(join(here, 'workspace', 'main.go'), 'utf8').split('\n');
        const at = lines.findIndex((l) => l.includes('wg.Wait()')) + 1;
        await gotoLine(at, lines[at - 1].length + 1);
        await page.keyboard.press('End');
        await page.keyboard.press('Enter');
        await page.keyboard.type('seltimeout', { delay: 20 });
        const item = page.locator('.suggest-widget .monaco-list-row', { hasText: 'seltimeout' }).first();
        await item.waitFor({ state: 'visible', timeout: 10000 }).catch(async () => {
          await page.keyboard.press('Control+Space');
          await item.waitFor({ state: 'visible', timeout: 15000 });
        });
        await sleep(300);
        await shot('completion');
        const label = (await item.innerText()).replace(/\s+/g, ' ').trim();
        await page.keyboard.press('Enter');
        await waitFor('the pattern in the buffer', async () => (await editorText()).includes('case <-time.After('), 10000);
        await page.keyboard.press('Escape');
        await shot('completion-inserted');
        await runCommand('File: Revert File');
        await waitFor('main.go reverted', async () => !(await editorText()).includes('case <-time.After(time.Second)'), 10000);
        return label;
      },
      { optional: true },
    );
  } else {
    skipStep('completion offers golens\'s patterns', 'server does not advertise completionProvider');
  }

  // 7. A diagnostic and its quick fix.
  const mistake = loadMistake();
  if (!mistake) {
    skipStep('golens diagnostic and quick fix', 'no e2e/vscode/workspace/mistake.json describing one');
  } else if (caps.codeActionProvider || required('quickfix')) {
    await step(
      `golens diagnostic (${mistake.check}) and its quick fix`,
      async () => {
        await openFile(mistake.file);
        await waitFor('the file text', async () => (await editorText()).includes(mistake.before), 15000);
        // The squiggle, then F8 shows the message in the marker widget.
        await page
          .locator('.monaco-editor .squiggly-warning, .monaco-editor .squiggly-error, .monaco-editor .squiggly-info')
          .first()
          .waitFor({ state: 'attached', timeout: 60000 });
        await gotoLine(1, 1);
        await page.keyboard.press('F8');
        const marker = page.locator('.marker-widget');
        await marker.waitFor({ state: 'visible', timeout: 10000 });
        const message = (await marker.innerText()).replace(/\s+/g, ' ');
        if (!new RegExp(mistake.message, 'i').test(message)) {
          throw new Error(`marker says ${JSON.stringify(message.slice(0, 200))}, expected /${mistake.message}/`);
        }
        await shot('diagnostic');
        // F8 left the cursor on the diagnostic: ask for its code actions there.
        await page.keyboard.press('Escape');
        await page.keyboard.press('Control+.');
        const row = page.locator('.action-widget .monaco-list-row', { hasText: new RegExp(mistake.fixTitle, 'i') }).first();
        await row.waitFor({ state: 'visible', timeout: 15000 });
        await shot('quick-fix-menu');
        // The first action is focused; walk down to ours and take it with Enter.
        const actions = await page.locator('.action-widget .monaco-list-row.action').allInnerTexts();
        const idx = actions.findIndex((t) => new RegExp(mistake.fixTitle, 'i').test(t));
        if (idx < 0) throw new Error(`no quick fix matching /${mistake.fixTitle}/ in ${JSON.stringify(actions)}`);
        for (let i = 0; i < idx; i++) await page.keyboard.press('ArrowDown');
        await page.keyboard.press('Enter');
        await waitFor(`the fixed text (${mistake.after})`, async () => (await editorText()).includes(mistake.after), 15000);
        // golens re-checks the edited buffer: the warning goes away.
        await waitFor(
          'the diagnostic to clear after the fix',
          async () => (await page.locator('.monaco-editor .squiggly-warning, .monaco-editor .squiggly-error').count()) === 0,
          20000,
        );
        await shot('quick-fix-applied');
        // Leave the file as it is on disk for the steps after.
        await runCommand('File: Revert File');
        await waitFor(`${mistake.file} reverted`, async () => !(await editorText()).includes(mistake.after), 10000);
        return message.slice(0, 120);
      },
      { optional: true },
    );
  } else {
    skipStep('golens diagnostic and quick fix', 'server does not advertise codeActionProvider');
  }

  // 8. The explain command.
  const explainAdvertised = (caps.executeCommandProvider?.commands || []).includes('golens.explainAt');
  if (explainAdvertised || required('explain')) {
    await step(
      'golens: Explain the Construct at the Cursor opens a markdown preview',
      async () => {
        await openFile('main.go');
        const lineNo = readFileSync(join(here, 'workspace', 'main.go'), 'utf8').split('\n').findIndex((l) => l.includes('select {')) + 1;
        await gotoLine(lineNo, 2);
        await waitFor('the select line in view', async () => (await editorText()).includes('select {'), 10000);
        await runCommand('golens: Explain the Construct at the Cursor');
        const tab = page.locator('.tab', { hasText: /Preview/ }).first();
        await tab.waitFor({ state: 'visible', timeout: 20000 });
        // The preview is a webview: its text lives in a nested iframe.
        const body = await waitFor(
          'the explanation in the markdown preview',
          async () => {
            for (const f of page.frames()) {
              if (f === page.mainFrame()) continue;
              const t = await f.locator('body').innerText({ timeout: 500 }).catch(() => '');
              if (/select/i.test(t) && t.length > 80 && !/^\s*>/.test(t)) return t;
            }
            return undefined;
          },
          20000,
        );
        writeFileSync(join(outDir, 'explain-select.txt'), body);
        await sleep(500);
        await shot('explain-preview');
        return `${(await tab.innerText()).trim()}: ${body.trim().split('\n')[0].slice(0, 80)}`;
      },
      { optional: !required('explain') },
    );
  } else {
    skipStep('golens: Explain the Construct at the Cursor', 'server does not advertise golens.explainAt');
  }

  // 8a. Leaked goroutines found by running the tests (issue 12).
  await (await import('./leaks.mjs')).leaksPhase({ page, step, skipStep, openFile, runCommand, waitFor, shot, sleep, caps, required, workspace });

  // 8c. A deadlock explained at each position it involves (issue 13).
  await (await import('./deadlock.mjs')).deadlockPhase({ page, step, skipStep, openFile, hoverText, waitFor, editorText, shot, outDir, caps });

  // 8b. The concurrency map (issue 14).
  await (await import('./map.mjs')).mapPhase({ page, step, skipStep, shot, openFile, gotoLine, runCommand, waitFor, sleep, outDir, caps, required, root, workspace, editorText });

  // 8b. What the extension logged while all that ran.
  await step('the extension started the bundled golens, without errors', async () => {
    const text = await golensLog(userData);
    writeFileSync(join(outDir, 'golens-output.log'), text);
    const from = /golens server: .* \(from (\w+)\)/.exec(text);
    if (!from) throw new Error('the golens output does not say which binary it started');
    if (from[1] !== 'bundled' && !process.env.GOLENS_VSIX) throw new Error(`started golens from ${from[1]}, not the VSIX's bundled binary`);
    // Client-side errors (could not start, connection lost) fail this step; lines
    // the server itself wrote to stderr ("[error] golens: ...") are only counted,
    // except the one that says the typed tier has no go command.
    const lines = text.split('\n').filter((l) => /\[error\]/.test(l));
    const serverLines = lines.filter((l) => /\[error\] golens: /.test(l));
    const clientErrors = lines.filter((l) => !serverLines.includes(l));
    if (clientErrors.length) throw new Error(`client errors in the golens output: ${clientErrors[0]}`);
    const noGo = serverLines.find((l) => /go command required|no usable go toolchain/.test(l));
    if (noGo) throw new Error(`golens found no go command for the typed tier: ${noGo.slice(0, 200)}`);
    return `from ${from[1]}; ${serverLines.length} server stderr lines`;
  }, { optional: true });

  // 9. Restricted Mode: a second code-server with workspace trust on and a fresh
  // profile, so the folder opens untrusted. golens must run on the syntax tier
  // only, ignore the workspace's golens.server.path, and restart with the typed
  // tier once the folder is trusted.
  if (process.env.GOLENS_E2E_SKIP_TRUST) {
    skipStep('untrusted workspace: syntax tier, then trust restarts golens', 'GOLENS_E2E_SKIP_TRUST is set');
  } else await step('untrusted workspace: syntax tier, then trust restarts golens', async () => {
    const userData2 = join(scratch, 'user-data-untrusted');
    const workspace2 = join(scratch, 'workspace-untrusted');
    mkdirSync(join(userData2, 'User'), { recursive: true });
    cpSync(join(here, 'workspace'), workspace2, { recursive: true });
    mkdirSync(join(workspace2, '.vscode'), { recursive: true });
    // A cloned repository must not choose the binary golens runs.
    writeFileSync(join(workspace2, '.vscode', 'settings.json'), JSON.stringify({ 'golens.server.path': '/nonexistent/from-the-workspace/golens' }));
    writeFileSync(
      join(userData2, 'User', 'settings.json'),
      userSettings({
        'security.workspace.trust.enabled': true,
        'security.workspace.trust.startupPrompt': 'never',
        'security.workspace.trust.untrustedFiles': 'open',
      }),
    );
    const first = await startCodeServer({ userDataDir: userData2, folder: workspace2, logName: 'code-server-untrusted.log', trust: true });
    await page.goto(`http://127.0.0.1:${first.port}/?folder=${encodeURIComponent(workspace2)}`);
    await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: 60000 });
    await sleep(1000);
    await openFile('main.go');
    await waitFor('main.go text', async () => (await editorText()).includes('func produce'), 15000);
    await hoverText('go func() {', 'go', /goroutine/i, 45000);
    await shot('untrusted-hover');
    let text = await golensLog(userData2);
    if (!/golens started \(untrusted: syntax tier only\)/.test(text)) {
      throw new Error(`golens did not start in untrusted mode: ${JSON.stringify(text.slice(-400))}`);
    }
    if (/from-the-workspace/.test(text)) throw new Error('golens used golens.server.path from an untrusted workspace');
    // Trust the folder the way a person does: Manage Workspace Trust, then Trust.
    await page.mouse.move(5, 5);
    await runCommand('Workspaces: Manage Workspace Trust');
    const trustButton = page.locator('.workspace-trust-editor .monaco-button', { hasText: /^Trust$/ }).first();
    await trustButton.waitFor({ state: 'visible', timeout: 15000 });
    await shot('trust-editor');
    await trustButton.click();
    text = await waitFor(
      'golens restarted as trusted',
      async () => {
        const t = await golensLog(userData2);
        return /trust granted/.test(t) && /golens started \(trusted\)/.test(t) ? t : undefined;
      },
      30000,
    );
    writeFileSync(join(outDir, 'golens-output-untrusted.log'), text);
    await shot('trusted');
    await stopCodeServer(first.cs);
    return 'untrusted start on the syntax tier, workspace server.path ignored, restart as trusted';
  }, { optional: true });

  // 10. No golens anywhere: the bundled binary made non-executable, nothing in
  // GOBIN/GOPATH/PATH. The extension must say so and offer Install…, which
  // here explains and runs nothing (see vscode-client/src/install.ts).
  await step('golens missing: a notification offers Install…, which explains (not a clone, not published) and runs nothing', async () => {
    const bundled = (await globFiles(extDir, (p) => p.endsWith('/vscode-client/bin/golens')))[0];
    if (!bundled) throw new Error('no bundled golens under the extensions folder');
    chmodSync(bundled, 0o644);
    try {
      const userData3 = join(scratch, 'user-data-missing');
      mkdirSync(join(userData3, 'User'), { recursive: true });
      // The DOM renderer puts the terminal's text in the page, where the test can read it.
      writeFileSync(join(userData3, 'User', 'settings.json'), userSettings({ 'terminal.integrated.gpuAcceleration': 'off' }));
      const third = await startCodeServer({ userDataDir: userData3, folder: workspace, logName: 'code-server-missing.log' });
      await page.goto(`http://127.0.0.1:${third.port}/?folder=${encodeURIComponent(workspace)}`);
      await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: 60000 });
      await sleep(1000);
      await openFile('main.go');
      const toast = page.locator('.notification-toast', { hasText: 'not found' }).first();
      await toast.waitFor({ state: 'visible', timeout: 30000 });
      const message = (await toast.innerText()).replace(/\s+/g, ' ').trim();
      await shot('golens-missing');
      await toast.locator('.monaco-button', { hasText: /^Install/ }).click();
      // This workspace is no golens clone and GOPROXY=off hides the module, as
      // on a machine where golens is not published: the offer must explain
      // how to install (from a clone, or the published path later) and run
      // nothing, since go install …@latest cannot work.
      const dialog = page.locator('.monaco-dialog-box').first();
      await dialog.waitFor({ state: 'visible', timeout: 45000 });
      const explained = (await dialog.innerText()).replace(/\s+/g, ' ');
      for (const want of ['not published', 'go install ./cmd/golens', 'git clone', 'go install github.com/golens/golens/cmd/golens@latest']) {
        if (!explained.includes(want)) throw new Error(`the install explanation lacks "${want}": ${explained.slice(0, 300)}`);
      }
      await shot('golens-install-explained');
      await page.keyboard.press('Escape');
      await sleep(1000);
      if (await page.locator('.part.panel', { hasText: 'golens: install' }).count()) {
        throw new Error('a terminal ran an install command that cannot work');
      }
      const log = await golensLog(userData3);
      if (!/golens server not found/.test(log)) throw new Error('the golens output does not list where it looked');
      await stopCodeServer(third.cs);
      return message.slice(0, 120);
    } finally {
      chmodSync(bundled, 0o755);
    }
  }, { optional: true });
}

/** The golens output channel as code-server logged it. */
async function golensLog(userDataDir) {
  const logs = await globFiles(join(userDataDir, 'logs'), (p) => p.endsWith('/golens.golens/golens.log'));
  if (!logs.length) throw new Error(`no golens output channel log under ${relative(root, userDataDir)}/logs`);
  return logs.map((f) => readFileSync(f, 'utf8')).join('\n');
}

// What a blocking hint and a defer-order hint say (hints/texts/labels.tmpl).
const BLOCKING_HINT = /\bwait|\bblock|receives until|sleeps/i;
const DEFER_HINT = /at return/i;

/** The inlay hints now rendered in the visible part of main.go. */
async function renderedHints() {
  const source = readFileSync(join(here, 'workspace', 'main.go'), 'utf8').split('\n');
  const rendered = await page.locator('.monaco-editor .view-lines .view-line').allTextContents();
  return injectedTexts(rendered, source);
}

/**
 * Inlay hints are text Monaco injects into the rendered lines (spans with
 * generated class names only), so find them as the rendered text that is not
 * in the source: for each rendered line, the best source line it contains as a
 * subsequence, and the characters left over.
 */
function injectedTexts(rendered, source) {
  const src = source.map((l) => l.replace(/\t/g, '    ').trimEnd());
  const srcSet = new Set(src);
  const out = [];
  for (const raw of rendered) {
    const r = raw.replace(/\u00a0/g, ' ').trimEnd();
    if (r.trim() === '' || srcSet.has(r)) continue;
    let best;
    for (const s of src) {
      if (s.trim() === '' || s.length >= r.length || (best && s.length <= best.length)) continue;
      // Greedy subsequence match of s in r; the unmatched runs of r are the injected text.
      let j = 0;
      const extra = [];
      let run = '';
      for (let i = 0; i < r.length; i++) {
        if (j < s.length && r[i] === s[j]) {
          j++;
          if (run.trim()) extra.push(run.trim());
          run = '';
        } else run += r[i];
      }
      if (run.trim()) extra.push(run.trim());
      if (j === s.length) best = { length: s.length, extra };
    }
    if (best) out.push(...best.extra);
  }
  return out;
}

function loadMistake() {
  const f = join(here, 'workspace', 'mistake.json');
  if (!existsSync(f)) return undefined;
  return JSON.parse(readFileSync(f, 'utf8'));
}

try {
  await main();
} catch (err) {
  if (!results.some((r) => r.status === 'fail')) results.push({ name: 'e2e run', status: 'fail', detail: err.message });
  log(err.stack || err.message);
}
await shot('final');
await cleanup();
summaryAndExit();
