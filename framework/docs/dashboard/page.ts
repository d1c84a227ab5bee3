import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { docsAsset, escapeHtml, htmlPage, scriptJson } from '../assets.js';
import type { DashboardData } from './data.js';

/** ECharts' own bundle, inlined so the page needs no network and no server. */
function echartsBundle(): string {
  return readFileSync(createRequire(import.meta.url).resolve('echarts/dist/echarts.min.js'), 'utf8');
}

export function renderDashboard(data: DashboardData): string {
  const header = `<header><h1>${escapeHtml(data.project)} <small>dashboard · target ${escapeHtml(data.target.name)} (${escapeHtml(data.target.type)}) · ${escapeHtml(data.generatedAt)}</small></h1></header>`;
  return (
    htmlPage(
      `${data.project} · dashboard`,
      docsAsset('dashboard/style.css'),
      `${header}
<main id="panels"></main>
<script id="dashboard-data" type="application/json">${scriptJson(data)}</script>
<script>${echartsBundle()}</script>
<script>${docsAsset('dashboard/client.js')}</script>`,
    ) + '\n'
  );
}
