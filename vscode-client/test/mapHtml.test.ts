import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { byteColumnToCharacter, contentSecurityPolicy, makeNonce, mapBody, mapPage, type MapResult } from '../src/mapHtml';

const nonce = makeNonce();

test('the page has a strict policy: no remote content, only nonced script and styles', () => {
  const csp = contentSecurityPolicy(nonce);
  assert.match(csp, /default-src 'none'/);
  assert.match(csp, new RegExp(`script-src 'nonce-${nonce}'`));
  assert.match(csp, new RegExp(`style-src 'nonce-${nonce}'`));
  assert.doesNotMatch(csp, /unsafe|https?:|\*/);
  const page = mapPage(nonce);
  assert.ok(page.includes(`content="${csp}"`));
  // Every script and style element carries the nonce; nothing is loaded from anywhere.
  for (const m of page.matchAll(/<(script|style)([^>]*)>/g)) assert.ok(m[2].includes(`nonce="${nonce}"`), m[0]);
  assert.doesNotMatch(page, /\bsrc=|href=/);
});

test('nonces differ and are long', () => {
  assert.equal(nonce.length, 32);
  assert.notEqual(makeNonce(), makeNonce());
});

const svg = '<svg class="concmap"><style>.x{}</style><g data-line="3"></g></svg>';
const res = (over: Partial<MapResult>): MapResult => ({
  title: 'func main', scope: 'function', function: 'main', format: 'svg', content: svg, empty: false, file: '/w/main.go', version: 1, ...over,
});

test("the map's own style gets the nonce, so the policy lets it apply", () => {
  assert.ok(mapBody(res({}), nonce).includes(`<style nonce="${nonce}">`));
});

test('an empty map says what has nothing to show, escaped', () => {
  assert.match(mapBody(res({ empty: true, function: '(*T).<x>' }), nonce), /No goroutines, channels, mutexes or WaitGroups in func \(\*T\)\.&lt;x&gt;/);
  assert.match(mapBody(res({ empty: true, scope: 'package' }), nonce), /in this package/);
});

test('byte columns become UTF-16 characters', () => {
  assert.equal(byteColumnToCharacter('\tch <- 1', 2), 1);
  assert.equal(byteColumnToCharacter('s := "é"; ch <- s', 13), 11); // é is 2 bytes, 1 UTF-16 unit
  assert.equal(byteColumnToCharacter('x := "😀"; <-ch', 14), 11); // 😀 is 4 bytes, 2 units
  assert.equal(byteColumnToCharacter('short', 99), 5);
  assert.equal(byteColumnToCharacter('short', 0), 0);
});
