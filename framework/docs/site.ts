import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { DocsData } from './site-data.js';

/** The browser code ships as plain files next to this module (resolved the same from framework/ and dist/). */
function asset(name: string): string {
  return readFileSync(fileURLToPath(new URL(`../../framework/docs/site/${name}`, import.meta.url)), 'utf8');
}

/** JSON that is safe inside <script>: no `</script>`, no `<!--`. */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

/** One self-contained page: data, script and style inline, so it opens from file:// with no network. */
export function renderSite(data: DocsData): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:">
<title>${escapeHtml(data.project)} · docs</title>
<style>${asset('style.css')}</style>
</head>
<body>
<script id="docs-data" type="application/json">${scriptJson(data)}</script>
<script>${asset('graph.js')}</script>
<script>${asset('app.js')}</script>
</body>
</html>
`;
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
