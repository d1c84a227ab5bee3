import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Browser code ships as plain files under framework/docs/ (resolved the same from framework/ and dist/). */
export function docsAsset(path: string): string {
  return readFileSync(fileURLToPath(new URL(`../../framework/docs/${path}`, import.meta.url)), 'utf8');
}

/** JSON that is safe inside <script>: no `</script>`, no `<!--`, no JS line separators. */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** Pages open from file:// and must never reach the network: the policy forbids every fetch. */
export const OFFLINE_POLICY = `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data: blob:">`;

/** The shell both pages share: offline policy, title, inline style; `body` is the page's own markup. */
export function htmlPage(title: string, style: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
${OFFLINE_POLICY}
<title>${escapeHtml(title)}</title>
<style>${style}</style>
</head>
<body>
${body}
</body>
</html>`;
}
