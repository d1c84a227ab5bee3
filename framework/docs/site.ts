import { docsAsset, htmlPage, scriptJson } from './assets.js';
import type { DocsData } from './site-data.js';

/** One self-contained page: data, script and style inline, so it opens from file:// with no network. */
export function renderSite(data: DocsData): string {
  return (
    htmlPage(
      `${data.project} · docs`,
      docsAsset('site/style.css'),
      `<script id="docs-data" type="application/json">${scriptJson(data)}</script>
<script>${docsAsset('site/graph.js')}</script>
<script>${docsAsset('site/app.js')}</script>`,
    ) + '\n'
  );
}
