import { strict as assert } from 'node:assert';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

const root = join(__dirname, '..', '..', '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

test('extension identity and activation', () => {
  assert.equal(pkg.name, 'golens');
  assert.equal(pkg.displayName, 'Go Concurrency Lens');
  assert.equal(pkg.publisher, 'golens');
  assert.equal(pkg.version, '0.1.0');
  assert.equal(pkg.engines.vscode, '^1.91.0');
  assert.deepEqual(pkg.activationEvents, ['onLanguage:go']);
  assert.deepEqual(pkg.categories, ['Programming Languages', 'Linters', 'Snippets', 'Education']);
  assert.ok(pkg.repository?.url, 'repository');
  assert.equal(pkg.license, 'MIT');
  assert.ok(existsSync(join(root, 'LICENSE')), 'LICENSE file for vsce');
});

test('main is the esbuild bundle (built by npm test before this runs)', () => {
  assert.equal(pkg.main, './vscode-client/out/extension.js');
  const bundle = readFileSync(join(root, pkg.main), 'utf8');
  // vscode stays external; languageclient is bundled in.
  assert.match(bundle, /require\("vscode"\)/);
  assert.doesNotMatch(bundle, /require\("vscode-languageclient/);
});

test('commands: restart, output, explain, map; none collides with a server command', () => {
  const ids = pkg.contributes.commands.map((c: { command: string }) => c.command).sort();
  assert.deepEqual(ids, ['golens.explainAtCursor', 'golens.findLeaksInPackage', 'golens.restartServer', 'golens.showConcurrencyMap', 'golens.showOutput']);
  const titles = Object.fromEntries(
    pkg.contributes.commands.map((c: { command: string; category: string; title: string }) => [c.command, `${c.category}: ${c.title}`]),
  );
  assert.equal(titles['golens.restartServer'], 'golens: Restart Server');
  assert.equal(titles['golens.showOutput'], 'golens: Show Output');
  assert.equal(titles['golens.explainAtCursor'], 'golens: Explain the Construct at the Cursor');
  assert.equal(titles['golens.findLeaksInPackage'], "golens: Find leaked goroutines in this package's tests");
  // Tests are the workspace's code: the command is off in an untrusted workspace.
  const leaks = pkg.contributes.commands.find((c: { command: string }) => c.command === 'golens.findLeaksInPackage');
  assert.match(leaks.enablement, /isWorkspaceTrusted/);
  assert.ok(!ids.includes('golens.findLeaks'));
  assert.equal(titles['golens.showConcurrencyMap'], 'golens: Show Concurrency Map');
  // languageclient registers a VS Code command for each server command (golens.explainAt).
  assert.ok(!ids.includes('golens.explainAt'));
  assert.ok(!ids.includes('golens.map'));
});

test('untrusted workspaces: limited, and the binary path is a restricted setting', () => {
  const u = pkg.capabilities.untrustedWorkspaces;
  assert.equal(u.supported, 'limited');
  assert.ok(u.description.length > 20);
  assert.deepEqual(u.restrictedConfigurations, ['golens.server.path']);
});

test('.vscodeignore keeps only the bundle, the binary, docs and the license', () => {
  const lines = readFileSync(join(root, '.vscodeignore'), 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  assert.equal(lines[0], '**');
  for (const keep of ['!vscode-client/out/extension.js', '!vscode-client/bin/golens', '!LICENSE', '!package.json']) {
    assert.ok(lines.includes(keep), keep);
  }
  assert.ok(!lines.some((l) => /node_modules|src/.test(l) && l.startsWith('!')), 'no sources or node_modules');
});
