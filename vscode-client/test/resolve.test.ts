import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { describe as describeResolution, pathApi, resolveServer, settingPath, type Host } from '../src/resolve';

interface FakeOptions {
  files?: string[];
  env?: Record<string, string | undefined>;
  goEnv?: Record<string, string>;
  platform?: string;
  arch?: string;
}

function fakeHost(o: FakeOptions = {}): Host & { goEnvCalls: string[] } {
  const files = new Set(o.files ?? []);
  const goEnvCalls: string[] = [];
  return {
    platform: o.platform ?? 'linux',
    arch: o.arch ?? 'x64',
    env: o.env ?? { PATH: '/usr/local/bin:/usr/bin' },
    homedir: '/home/u',
    extensionPath: '/ext/golens.golens-0.1.0',
    isExecutable: (p) => files.has(p),
    goEnv: (name) => {
      goEnvCalls.push(name);
      return o.goEnv?.[name];
    },
    goEnvCalls,
  };
}

const BUNDLED = '/ext/golens.golens-0.1.0/vscode-client/bin/golens';
const ALL = [
  '/opt/golens/golens',
  BUNDLED,
  '/gobin/golens',
  '/gopath-go-env/bin/golens',
  '/gopath-env/bin/golens',
  '/home/u/go/bin/golens',
  '/usr/bin/golens',
];
const ENV = { PATH: '/usr/local/bin:/usr/bin', GOBIN: '/gobin', GOPATH: '/gopath-env' };
const GOENV = { GOPATH: '/gopath-go-env' };

test('the order is: setting, bundled, GOBIN, go env GOPATH, $GOPATH, ~/go/bin, PATH', () => {
  const expected: Array<[string, string]> = [
    ['setting', '/opt/golens/golens'],
    ['bundled', BUNDLED],
    ['GOBIN', '/gobin/golens'],
    ['GOPATH', '/gopath-go-env/bin/golens'],
    ['GOPATH', '/gopath-env/bin/golens'],
    ['GOPATH', '/home/u/go/bin/golens'],
    ['PATH', '/usr/bin/golens'],
  ];
  // Remove candidates from the front one by one: each time the next one wins.
  for (let i = 0; i < expected.length; i++) {
    const r = resolveServer('/opt/golens/golens', fakeHost({ files: ALL.slice(i), env: ENV, goEnv: GOENV }));
    assert.ok(r.found, `step ${i}`);
    assert.deepEqual([r.source, r.path], expected[i], `step ${i}`);
  }
});

test('nothing found: not found, every candidate listed in order', () => {
  const r = resolveServer(undefined, fakeHost({ env: ENV, goEnv: GOENV }));
  assert.equal(r.found, false);
  assert.deepEqual(
    r.tried.map((c) => c.path),
    [BUNDLED, '/gobin/golens', '/gopath-go-env/bin/golens', '/gopath-env/bin/golens', '/home/u/go/bin/golens', '/usr/local/bin/golens', '/usr/bin/golens'],
  );
  assert.match(describeResolution(r), /not found/);
});

test('a setting pointing nowhere falls back, with a warning', () => {
  const r = resolveServer('/nope/golens', fakeHost({ files: ['/usr/bin/golens'] }));
  assert.ok(r.found);
  assert.equal(r.source, 'PATH');
  assert.equal(r.warnings.length, 1);
  assert.match(r.warnings[0], /\/nope\/golens/);
});

test('empty or blank setting is ignored silently', () => {
  for (const s of [undefined, '', '   ']) {
    const r = resolveServer(s, fakeHost({ files: [BUNDLED] }));
    assert.ok(r.found);
    assert.equal(r.source, 'bundled');
    assert.deepEqual(r.warnings, []);
  }
});

test('~ in the setting is the home folder; a bare name is looked up on PATH', () => {
  let r = resolveServer('~/bin/golens-dev', fakeHost({ files: ['/home/u/bin/golens-dev', BUNDLED] }));
  assert.ok(r.found);
  assert.deepEqual([r.source, r.path], ['setting', '/home/u/bin/golens-dev']);

  r = resolveServer('golens-dev', fakeHost({ files: ['/usr/bin/golens-dev', BUNDLED] }));
  assert.ok(r.found);
  assert.deepEqual([r.source, r.path], ['setting', '/usr/bin/golens-dev']);
});

test('a relative path with a slash is not guessed at', () => {
  const r = resolveServer('bin/golens', fakeHost({ files: ['/usr/bin/bin/golens', BUNDLED] }));
  assert.ok(r.found);
  assert.equal(r.source, 'bundled');
  assert.equal(r.warnings.length, 1);
});

test('the bundled binary is looked for on every platform (VS Code installs the matching VSIX); the universal VSIX has none', () => {
  let r = resolveServer(undefined, fakeHost({ files: [BUNDLED, '/usr/bin/golens'], platform: 'darwin', arch: 'arm64' }));
  assert.ok(r.found);
  assert.equal(r.source, 'bundled');
  r = resolveServer(undefined, fakeHost({ files: ['/usr/bin/golens'], platform: 'linux', arch: 'arm64' }));
  assert.ok(r.found);
  assert.equal(r.source, 'PATH');
  assert.equal(r.tried[0].source, 'bundled');
});

test('GOBIN from go env when the variable is unset; go env is not run when an earlier candidate wins', () => {
  let h = fakeHost({ files: ['/cfg-gobin/golens'], goEnv: { GOBIN: '/cfg-gobin' } });
  let r = resolveServer(undefined, h);
  assert.ok(r.found);
  assert.deepEqual([r.source, r.path], ['GOBIN', '/cfg-gobin/golens']);

  h = fakeHost({ files: [BUNDLED] });
  r = resolveServer(undefined, h);
  assert.ok(r.found);
  assert.deepEqual(h.goEnvCalls, []);
});

test('a GOPATH list: each entry bin/ in turn, duplicates tried once', () => {
  const h = fakeHost({
    files: ['/b/bin/golens'],
    env: { PATH: '/usr/bin', GOPATH: '/a:/b' },
    goEnv: { GOPATH: '/a:/b' },
  });
  const r = resolveServer(undefined, h);
  assert.ok(r.found);
  assert.equal(r.path, '/b/bin/golens');
  assert.equal(r.tried.filter((c) => c.path === '/a/bin/golens').length, 1);
});

test('windows: golens.exe and ; separated lists', () => {
  const h = fakeHost({
    platform: 'win32',
    files: ['C:\\tools\\golens.exe'],
    env: { Path: 'C:\\Windows;C:\\tools' },
  });
  const r = resolveServer(undefined, h);
  assert.ok(r.found);
  assert.deepEqual([r.source, r.path], ['PATH', 'C:\\tools\\golens.exe']);
});

const WIN_EXT = 'C:\\Users\\me\\.vscode\\extensions\\golens.golens-0.1.0-win32-x64';

function winHost(files: string[], env: Record<string, string> = { Path: 'C:\\Windows' }) {
  return { ...fakeHost({ platform: 'win32', files, env }), homedir: 'C:\\Users\\me', extensionPath: WIN_EXT };
}

test('windows: the bundled golens.exe of a win32 VSIX', () => {
  const r = resolveServer(undefined, winHost([`${WIN_EXT}\\vscode-client\\bin\\golens.exe`]));
  assert.ok(r.found);
  assert.deepEqual([r.source, r.path], ['bundled', `${WIN_EXT}\\vscode-client\\bin\\golens.exe`]);
});

test('windows: settings with backslashes, forward slashes, lower-case drives, quotes, no .exe, ~, %VARS%, file URIs, UNC', () => {
  const exe = 'C:\\tools\\golens.exe';
  const cases: Array<[string, string]> = [
    ['C:\\tools\\golens.exe', exe],
    ['C:/tools/golens.exe', exe],
    ['c:\\tools\\golens.exe', exe],
    ['"C:\\tools\\golens.exe"', exe],
    ['C:\\tools\\golens', exe],
    ['C:\\tools\\\\golens.exe', exe],
    ['file:///c%3A/tools/golens.exe', exe],
    ['file:///C:/tools/golens.exe', exe],
    ['~\\go\\bin\\golens.exe', 'C:\\Users\\me\\go\\bin\\golens.exe'],
    ['%UserProfile%\\go\\bin\\golens.exe', 'C:\\Users\\me\\go\\bin\\golens.exe'],
    ['\\\\build\\tools\\golens.exe', '\\\\build\\tools\\golens.exe'],
    ['//build/tools/golens.exe', '\\\\build\\tools\\golens.exe'],
    ['file://build/tools/golens.exe', '\\\\build\\tools\\golens.exe'],
  ];
  for (const [setting, want] of cases) {
    const r = resolveServer(setting, winHost([want], { Path: 'C:\\Windows', USERPROFILE: 'C:\\Users\\me' }));
    assert.ok(r.found, `${setting}: not found; tried ${r.tried.map((c) => c.path).join(', ')}`);
    assert.deepEqual([r.source, r.path], ['setting', want], setting);
    assert.deepEqual(r.warnings, [], setting);
  }
});

test('windows: quoted PATH entries, Path spelled any way, GOPATH lists with ;', () => {
  const r = resolveServer(undefined, winHost(['C:\\Program Files\\golens\\golens.exe'], { Path: 'C:\\Windows;"C:\\Program Files\\golens"' }));
  assert.ok(r.found);
  assert.deepEqual([r.source, r.path], ['PATH', 'C:\\Program Files\\golens\\golens.exe']);
  const h = winHost(['D:\\gp2\\bin\\golens.exe'], { Path: '', GOPATH: 'D:\\gp1;D:\\gp2' });
  const r2 = resolveServer(undefined, h);
  assert.ok(r2.found);
  assert.equal(r2.path, 'D:\\gp2\\bin\\golens.exe');
});

test('windows and macOS: one file spelled two ways is tried once (case-insensitive file systems)', () => {
  const h = winHost([], { Path: 'C:\\Go\\bin;c:\\go\\BIN\\;C:/Go/bin', GOBIN: 'C:\\Go\\bin' });
  const r = resolveServer(undefined, h);
  assert.equal(r.found, false);
  assert.equal(r.tried.filter((c) => c.path.toLowerCase() === 'c:\\go\\bin\\golens.exe').length, 1);

  const mac = fakeHost({ platform: 'darwin', env: { PATH: '/Users/me/go/bin:/users/ME/go/bin' } });
  const r2 = resolveServer(undefined, { ...mac, homedir: '/Users/me' });
  assert.equal(r2.tried.filter((c) => c.path.toLowerCase() === '/users/me/go/bin/golens').length, 1);
  // Linux file systems are case-sensitive: both spellings are tried.
  const lin = resolveServer(undefined, fakeHost({ env: { PATH: '/opt/Go/bin:/opt/go/bin' } }));
  assert.equal(lin.tried.filter((c) => c.source === 'PATH').length, 2);
});

test('pathApi and settingPath edge cases', () => {
  const W = pathApi('win32');
  assert.equal(W.join('C:\\', 'go', 'bin'), 'C:\\go\\bin');
  assert.equal(W.join('\\\\srv\\share\\', 'bin'), '\\\\srv\\share\\bin');
  assert.equal(W.isAbsolute('tools\\golens.exe'), false);
  assert.equal(W.isAbsolute('\\\\srv\\share'), true);
  assert.equal(pathApi('linux').join('/', 'bin'), '/bin');
  assert.equal(settingPath('file:///home/me/My%20Tools/golens', 'linux'), '/home/me/My Tools/golens');
  assert.equal(settingPath("  '/opt/golens'  ", 'linux'), '/opt/golens');
  assert.equal(settingPath('file:///bad%E0', 'linux'), 'file:///bad%E0');
});
