import { docsAsset, escapeHtml, OFFLINE_POLICY, scriptJson } from './assets.js';
import type { DocsData } from './site-data.js';

/** One self-contained page: data, script and style inline, so it opens from file:// with no network. */
export function renderSite(data: DocsData): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
${OFFLINE_POLICY}
<title>${escapeHtml(data.project)} · docs</title>
<style>${docsAsset('site/style.css')}</style>
</head>
<body>
<script id="docs-data" type="application/json">${scriptJson(data)}</script>
<script>${docsAsset('site/graph.js')}</script>
<script>${docsAsset('site/app.js')}</script>
</body>
</html>
`;
}
