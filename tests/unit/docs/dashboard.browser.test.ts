import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, tempProject } from '../support/project.js';
import { ARTIFACTS, launchChromium, type Chromium } from './chromium.js';
import { ANALYTICS_MODELS, PANELS, analyticsProject } from './fixtures.js';

interface PanelStatus {
  status: string;
  message?: string;
  series: number;
  points: number;
}

/** A built analytics project's dashboard, opened from file://; returns window.__dashboard. */
async function openDashboard(page: Page, models: Record<string, string>): Promise<Record<string, PanelStatus>> {
  const root = tempProject(analyticsProject(models));
  expect((await cli(root, 'run')).code).toBe(0);
  expect((await cli(root, 'dashboard')).code).toBe(0);
  await page.goto(pathToFileURL(join(root, 'target/dashboard/index.html')).href);
  await page.waitForFunction(() => (window as unknown as { __dashboard?: { ready: boolean } }).__dashboard?.ready);
  return page.evaluate(() => (window as unknown as { __dashboard: { panels: Record<string, PanelStatus> } }).__dashboard.panels);
}

describe('dashboard in Chromium', () => {
  let chromium: Chromium;
  let page: Page;
  const requests: string[] = [];
  const errors: string[] = [];

  beforeAll(async () => {
    chromium = await launchChromium();
    page = await chromium.context.newPage();
    page.on('request', (r) => requests.push(r.url()));
    page.on('pageerror', (e) => errors.push(e.message));
  });
  afterAll(async () => {
    await chromium?.close();
  });

  it('renders every chart with data, offline', async () => {
    const panels = await openDashboard(page, ANALYTICS_MODELS);
    for (const panel of PANELS) {
      const status = panels[panel.id]!;
      expect(status.status, panel.id).toBe('ok');
      if (panel.chart !== 'stats') {
        expect(await page.locator(`#panel-${panel.id} canvas`).count(), panel.id).toBeGreaterThan(0);
        expect(status.series, panel.id).toBeGreaterThan(0);
        expect(status.points, panel.id).toBeGreaterThan(0);
        // The ECharts instance itself holds the data (not only our status object).
        const points = await page.evaluate((id) => {
          const chart = (window as unknown as { echarts: { getInstanceByDom(el: Element): { getOption(): { series: { data: unknown[] }[] } } } }).echarts.getInstanceByDom(
            document.querySelector(`#panel-${id} .body`)!,
          );
          return chart.getOption().series.reduce((n, s) => n + s.data.length, 0);
        }, panel.id);
        expect(points, panel.id).toBe(status.points);
      } else {
        expect(await page.locator(`#panel-${panel.id} dd`).allInnerTexts(), panel.id).not.toContain('—');
      }
    }
    expect(await page.locator('#panel-latest-load').innerText()).toContain('123,456');
    await page.waitForTimeout(600); // let the entry animations finish for the screenshot
    await page.screenshot({ path: join(ARTIFACTS, 'dashboard.png'), fullPage: true });
    expect(requests.filter((u) => !u.startsWith('file:'))).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('a model that is missing shows a notice in its panel; the others still render', async () => {
    const { top10_bookmarked_recipes: _dropped, ...rest } = ANALYTICS_MODELS;
    const panels = await openDashboard(page, rest);
    expect(panels['top-bookmarked']).toMatchObject({ status: 'missing', series: 0 });
    const notice = page.locator('#panel-top-bookmarked .notice');
    expect(await notice.innerText()).toBe('model top10_bookmarked_recipes is not in the project');
    expect(await page.locator('#panel-top-bookmarked canvas').count()).toBe(0);
    expect(panels['top-clicked']!.points).toBe(10);
    await page.screenshot({ path: join(ARTIFACTS, 'dashboard-missing-model.png'), fullPage: true });
    expect(errors).toEqual([]);
  });
});
