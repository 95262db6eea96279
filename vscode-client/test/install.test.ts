import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { CLONE_INSTALL, isGolensClone, planInstall, PUBLISHED_INSTALL } from '../src/install';
import { folderIsGolensClone } from '../src/installHost';

test('a golens clone open in the window: go install ./cmd/golens runs there', () => {
  const p = planInstall({ goAvailable: true, clones: ['/src/golens'] });
  assert.equal(p.kind, 'run');
  assert.ok(p.kind === 'run');
  assert.equal(p.command, CLONE_INSTALL);
  assert.equal(p.cwd, '/src/golens');
});

test('not published (or offline) and no clone: nothing runs; the offer explains both ways', () => {
  for (const published of [false, undefined]) {
    const p = planInstall({ goAvailable: true, clones: [], published });
    assert.equal(p.kind, 'explain');
    assert.ok(p.kind === 'explain');
    assert.match(p.message, /not published/);
    assert.ok(p.message.includes(PUBLISHED_INSTALL));
    assert.ok(p.detail.includes('git clone https://github.com/golens/golens'));
    assert.ok(p.detail.includes('go install ./cmd/golens'));
    assert.match(p.detail, /VSIX for your platform/);
    assert.equal(p.canChooseClone, true);
  }
});

test('published: go install …@latest runs', () => {
  const p = planInstall({ goAvailable: true, clones: [], published: true });
  assert.deepEqual(p.kind === 'run' && [p.command, p.cwd], [PUBLISHED_INSTALL, undefined]);
});

test('no go command: nothing runs, not even in a clone; the VSIX and Go are explained', () => {
  const p = planInstall({ goAvailable: false, clones: ['/src/golens'], published: true });
  assert.equal(p.kind, 'explain');
  assert.ok(p.kind === 'explain');
  assert.match(p.message, /go command is not on PATH/);
  assert.match(p.detail, /VSIX/);
  assert.equal(p.canChooseClone, false);
});

test('isGolensClone reads the module line, not look-alikes', () => {
  const cases: Array<[string | undefined, boolean]> = [
    ['module github.com/golens/golens\n\ngo 1.26.0\n', true],
    ['// golens\nmodule "github.com/golens/golens"\n', true],
    ['module github.com/golens/golens // the server\n', true],
    ['module github.com/golens/golens/v2\n', false],
    ['module example.com/app\nrequire github.com/golens/golens v0.1.0\n', false],
    ['// module github.com/golens/golens\nmodule example.com/x\n', false],
    ['', false],
    [undefined, false],
  ];
  for (const [text, want] of cases) assert.equal(isGolensClone(text), want, JSON.stringify(text));
});

test('folderIsGolensClone needs go.mod and cmd/golens', () => {
  const dir = mkdtempSync(join(tmpdir(), 'golens-clone-'));
  writeFileSync(join(dir, 'go.mod'), 'module github.com/golens/golens\n');
  assert.equal(folderIsGolensClone(dir), false);
  mkdirSync(join(dir, 'cmd', 'golens'), { recursive: true });
  assert.equal(folderIsGolensClone(dir), true);
  assert.equal(folderIsGolensClone(join(dir, 'missing')), false);
  // This checkout is one.
  assert.equal(folderIsGolensClone(join(__dirname, '..', '..', '..')), true);
});
