// Bundles the extension with esbuild (vscode stays external: VS Code provides it).
//   node vscode-client/build.mjs           -> vscode-client/out/extension.js (+ .map)
//   node vscode-client/build.mjs --tests   -> also vscode-client/out/test/*.test.js for `node --test`
import * as esbuild from 'esbuild';
import { readdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, 'out');
const tests = process.argv.includes('--tests');

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  minify: false,
  logLevel: 'warning',
};

await esbuild.build({
  ...common,
  entryPoints: [join(here, 'src', 'extension.ts')],
  outfile: join(out, 'extension.js'),
  external: ['vscode'],
  // The shipped bundle is minified and its map names files and lines without
  // embedding their sources: together they were 450 KB of every VSIX, enough to
  // push the platform VSIXes past their 6 MB aim as the server grew.
  minify: true,
  sourcesContent: false,
});

if (tests) {
  rmSync(join(out, 'test'), { recursive: true, force: true });
  const dir = join(here, 'test');
  const entryPoints = readdirSync(dir)
    .filter((f) => f.endsWith('.test.ts'))
    .map((f) => join(dir, f));
  await esbuild.build({
    ...common,
    entryPoints,
    outdir: join(out, 'test'),
    // Unit tests cover the pure modules; importing vscode there is a bug.
    external: ['vscode'],
  });
}
