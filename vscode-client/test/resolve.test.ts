import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { describe as describeResolution, INSTALL_COMMAND, resolveServer, type Host } from '../src/resolve';

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
  assert.equal(INSTALL_COMMAND, 'go install github.com/golens/golens/cmd/golens@latest');
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

test('the bundled binary is linux-x64 only', () => {
  const r = resolveServer(undefined, fakeHost({ files: [BUNDLED, '/usr/bin/golens'], platform: 'linux', arch: 'arm64' }));
  assert.ok(r.found);
  assert.equal(r.source, 'PATH');
  assert.ok(!r.tried.some((c) => c.source === 'bundled'));
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

test('windows: golens.exe and ; separated lists, no bundled binary', () => {
  const h = fakeHost({
    platform: 'win32',
    files: ['C:\\tools\\golens.exe'],
    env: { Path: 'C:\\Windows;C:\\tools' },
  });
  const r = resolveServer(undefined, h);
  assert.ok(r.found);
  assert.deepEqual([r.source, r.path], ['PATH', 'C:\\tools\\golens.exe']);
});
