// The concurrency map webview's page, as a pure function so it can be tested
// without VS Code. The map itself is an SVG the server draws (golens.map); this
// page shows it with VS Code's theme colours and turns clicks into jumps.

/** What the server's golens.map command answers. */
export interface MapResult {
  title: string;
  scope: 'function' | 'package';
  function?: string;
  format: string;
  content: string;
  empty: boolean;
  /** The path the document's own locations carry in data-file. */
  file: string;
  version: number;
}

/** A message from the page to the extension. */
export type PageMessage =
  | { type: 'jump'; file: string; line: number; col: number }
  | { type: 'scope'; scope: 'function' | 'package' }
  | { type: 'ready' };

/** A random nonce for the page's one script and its styles. */
export function makeNonce(random: () => number = Math.random): string {
  const chars = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  let s = '';
  for (let i = 0; i < 32; i++) s += chars[Math.floor(random() * chars.length)];
  return s;
}

/**
 * The strict content security policy: nothing remote, nothing inline without
 * the nonce. Only the page's own script and styles (and the map's <style>,
 * which gets the nonce too) run.
 */
export function contentSecurityPolicy(nonce: string): string {
  return [
    "default-src 'none'",
    `style-src 'nonce-${nonce}'`,
    `script-src 'nonce-${nonce}'`,
    "img-src 'none'",
    "font-src 'none'",
    "connect-src 'none'",
    "form-action 'none'",
    "frame-src 'none'",
  ].join('; ');
}

/** Gives the map's own <style> elements the nonce, so the policy lets them apply. */
export function withNonce(svg: string, nonce: string): string {
  return svg.replace(/<style>/g, `<style nonce="${nonce}">`);
}

const pageStyle = `
body { margin: 0; padding: 0 12px 12px; background: var(--vscode-editor-background); color: var(--vscode-editor-foreground);
  font-family: var(--vscode-font-family); font-size: var(--vscode-font-size); }
header { position: sticky; top: 0; display: flex; gap: 8px; align-items: center; padding: 8px 0;
  background: var(--vscode-editor-background); z-index: 1; }
header .title { flex: 1; font-weight: 600; }
button { background: var(--vscode-button-secondaryBackground); color: var(--vscode-button-secondaryForeground);
  border: 1px solid var(--vscode-button-border, transparent); padding: 3px 10px; cursor: pointer; }
button[aria-pressed="true"] { background: var(--vscode-button-background); color: var(--vscode-button-foreground); }
button:focus-visible { outline: 1px solid var(--vscode-focusBorder); }
#map svg { max-width: none; }
#map .empty { opacity: 0.8; }
`;

// The page's script: clicks (and Enter) on anything with data-line post a
// jump; the extension posts new maps.
const pageScript = `
const vscode = acquireVsCodeApi();
const map = document.getElementById('map');
const title = document.getElementById('title');
const buttons = document.querySelectorAll('button[data-scope]');
function jumpFrom(target) {
  const el = target && target.closest ? target.closest('[data-line]') : null;
  if (!el) return;
  vscode.postMessage({ type: 'jump', file: el.getAttribute('data-file') || '', line: Number(el.getAttribute('data-line')), col: Number(el.getAttribute('data-col') || '1') });
}
map.addEventListener('click', (e) => jumpFrom(e.target));
map.addEventListener('keydown', (e) => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); jumpFrom(e.target); } });
for (const b of buttons) b.addEventListener('click', () => vscode.postMessage({ type: 'scope', scope: b.getAttribute('data-scope') }));
window.addEventListener('message', (e) => {
  const m = e.data;
  if (!m || m.type !== 'show') return;
  map.innerHTML = m.html;
  title.textContent = m.title;
  for (const b of buttons) b.setAttribute('aria-pressed', String(b.getAttribute('data-scope') === m.scope));
});
vscode.postMessage({ type: 'ready' });
`;

/** The page: a toolbar and the map, with the nonce'd style and script. */
export function mapPage(nonce: string): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy(nonce)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>golens concurrency map</title>
<style nonce="${nonce}">${pageStyle}</style>
</head>
<body>
<header>
<span id="title" class="title">golens concurrency map</span>
<button type="button" data-scope="function" aria-pressed="true" title="The map of the function at the cursor">Function</button>
<button type="button" data-scope="package" aria-pressed="false" title="The map of the whole package">Package</button>
</header>
<main id="map" aria-live="polite"><p class="empty">Loading the map…</p></main>
<script nonce="${nonce}">${pageScript}</script>
</body>
</html>`;
}

/** The HTML that goes into the page for one server answer. */
export function mapBody(res: MapResult, nonce: string): string {
  if (res.empty) {
    const what = res.scope === 'function' && res.function ? `func ${escapeHtml(res.function)}` : 'this package';
    return `<p class="empty">No goroutines, channels, mutexes or WaitGroups in ${what}.</p>`;
  }
  return withNonce(res.content, nonce);
}

export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/**
 * Converts the server's 1-based byte column on a line to VS Code's 0-based
 * UTF-16 character offset.
 */
export function byteColumnToCharacter(lineText: string, col: number): number {
  const bytes = Buffer.from(lineText, 'utf8');
  const n = Math.max(0, Math.min(bytes.length, col - 1));
  return bytes.subarray(0, n).toString('utf8').length;
}
