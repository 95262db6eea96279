import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { CHECK_NAMES, didChangeConfigurationSettings, HINT_KINDS, mapReader, serverOptions } from '../src/settings';

const root = join(__dirname, '..', '..', '..');

test('defaults: everything on, typed tier on when trusted', () => {
  const o = serverOptions(mapReader({}), { trusted: true });
  assert.equal(o.typedTier, true);
  assert.deepEqual(o.hints, { blocking: true, defers: true, goroutines: true });
  assert.equal(Object.keys(o.checks).length, CHECK_NAMES.length + 1);
  for (const name of CHECK_NAMES) assert.equal(o.checks[name], true, name);
  assert.equal(o.checks.skipGoplsDuplicates, true);
});

test('untrusted workspace forces typedTier false, whatever the setting', () => {
  assert.equal(serverOptions(mapReader({ typedTier: true }), { trusted: false }).typedTier, false);
  assert.equal(serverOptions(mapReader({}), { trusted: false }).typedTier, false);
  assert.equal(serverOptions(mapReader({ typedTier: false }), { trusted: true }).typedTier, false);
  // The rest is unaffected by trust.
  const o = serverOptions(mapReader({ 'hints.defers': false }), { trusted: false });
  assert.equal(o.hints.defers, false);
  assert.equal(o.hints.blocking, true);
});

test('settings map onto the nested shape the server expects', () => {
  const o = serverOptions(
    mapReader({
      typedTier: true,
      'hints.blocking': false,
      'hints.goroutines': false,
      'checks.lockleak': false,
      'checks.skipGoplsDuplicates': false,
      'server.path': '/x/golens', // not part of the server's options
      'trace.server': 'verbose',
    }),
    { trusted: true },
  );
  assert.deepEqual(o, {
    typedTier: true,
    hints: { blocking: false, defers: true, goroutines: false },
    checks: {
      // every check stays on except the one turned off
      ...Object.fromEntries(CHECK_NAMES.map((n) => [n, n !== 'lockleak'])),
      skipGoplsDuplicates: false,
    },
    leaks: { allowed: true, timeout: 120 },
  });
  // Serialises to plain JSON (what goes over the wire).
  assert.deepEqual(JSON.parse(JSON.stringify(o)), o);
});

test('values of the wrong type fall back to the default', () => {
  const o = serverOptions(mapReader({ typedTier: 'no', 'hints.blocking': 0, 'checks.nilchan': null }), { trusted: true });
  assert.equal(o.typedTier, true);
  assert.equal(o.hints.blocking, true);
  assert.equal(o.checks.nilchan, true);
});

test('didChangeConfiguration wraps the same object under "golens"', () => {
  const reader = mapReader({ 'checks.deferargs': false });
  const s = didChangeConfigurationSettings(reader, { trusted: false });
  assert.deepEqual(s, { golens: serverOptions(reader, { trusted: false }) });
  assert.equal(s.golens.typedTier, false);
});

test('package.json contributes exactly these settings, with boolean defaults true', () => {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const props: Record<string, { type: string; default?: unknown }> = pkg.contributes.configuration.properties;
  const want = [
    'golens.server.path',
    'golens.typedTier',
    ...HINT_KINDS.map((k) => `golens.hints.${k}`),
    ...CHECK_NAMES.map((n) => `golens.checks.${n}`),
    'golens.checks.skipGoplsDuplicates',
    'golens.trace.server',
    'golens.leaks.timeout',
  ];
  assert.deepEqual(Object.keys(props).sort(), [...want].sort());
  for (const key of want) {
    if (key === 'golens.server.path' || key === 'golens.trace.server' || key === 'golens.leaks.timeout') continue;
    assert.equal(props[key].type, 'boolean', key);
    assert.equal(props[key].default, true, key);
  }
  assert.equal(props['golens.server.path'].type, 'string');
  assert.equal(props['golens.trace.server'].default, 'off');
  assert.deepEqual(pkg.capabilities.untrustedWorkspaces.restrictedConfigurations, ['golens.server.path']);
  // golens ships no static snippets: its patterns come from the server's completion.
  assert.equal(pkg.contributes.snippets, undefined);
});

test('leaks: tests may run only in a trusted workspace; the timeout is a positive number of seconds', () => {
  assert.deepEqual(serverOptions(mapReader({ 'leaks.timeout': 30 }), { trusted: true }).leaks, { allowed: true, timeout: 30 });
  assert.deepEqual(serverOptions(mapReader({ 'leaks.timeout': 30 }), { trusted: false }).leaks, { allowed: false, timeout: 30 });
  for (const bad of [0, -5, 'x', null, Number.NaN]) {
    assert.equal(serverOptions(mapReader({ 'leaks.timeout': bad }), { trusted: true }).leaks.timeout, 120, String(bad));
  }
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  assert.equal(pkg.contributes.configuration.properties['golens.leaks.timeout'].default, 120);
});
