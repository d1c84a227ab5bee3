import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { DashboardData } from '../../../framework/docs/dashboard/data.js';
import { cli, tempProject, writeFile } from '../support/project.js';
import { ANALYTICS_MODELS, PANELS, analyticsProject } from './fixtures.js';
import { embeddedJson, externalReferences } from './html.js';

function dashboardData(root: string): DashboardData {
  return embeddedJson<DashboardData>(join(root, 'target/dashboard/index.html'), 'dashboard-data');
}

describe('dashboard', () => {
  it('every panel reads a model that the shipped Reciping project defines', () => {
    const analytics = join(import.meta.dirname, '../../../models/analytics');
    if (!existsSync(analytics)) return; // the framework alone, without the shipped project
    for (const panel of PANELS) expect(existsSync(join(analytics, `${panel.model}.sql`)), panel.model).toBe(true);
    expect(Object.keys(ANALYTICS_MODELS).sort()).toEqual([...new Set(PANELS.map((p) => p.model))].sort());
  });

  it('charts every panel from the models, self-contained', async () => {
    const root = tempProject(analyticsProject());
    expect((await cli(root, 'run')).code).toBe(0);
    const result = await cli(root, 'dashboard');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`${PANELS.length} of ${PANELS.length} panels with data`);
    const data = dashboardData(root);
    expect(data.panels.map((p) => [p.id, p.status])).toEqual(PANELS.map((p) => [p.id, 'ok']));
    const dau = data.panels.find((p) => p.id === 'dau')!.option as { series: { data: number[] }[] };
    expect(dau.series[0]!.data).toHaveLength(14);
    const share = data.panels.find((p) => p.id === 'segment-share')!.option as { series: { data: { name: string }[] }[] };
    expect(share.series[0]!.data.map((d) => d.name)).toEqual(['FEMALE_40_PLUS', 'FEMALE_30S', 'MALE_30S']);
    expect(data.panels.find((p) => p.id === 'latest-load')!.stats).toContainEqual({ label: 'Fact rows', value: '123,456' });
    const html = readFileSync(join(root, 'target/dashboard/index.html'), 'utf8');
    expect(externalReferences(html)).toEqual([]);
    expect(html.includes('echarts.init')).toBe(true);
  });

  it('a missing or unbuilt model blanks its panel and is reported, the rest still renders', async () => {
    const { ad_funnel: funnel, wau: _wau, ...rest } = ANALYTICS_MODELS;
    const root = tempProject(analyticsProject(rest));
    expect((await cli(root, 'run')).code).toBe(0);
    writeFile(root, 'models/analytics/ad_funnel.sql', funnel!); // in the project now, never built
    const result = await cli(root, 'dashboard');
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('panel "Weekly active users": model wau is not in the project');
    expect(result.stderr).toContain('panel "Ad funnel (users)": model ad_funnel not built');
    expect(result.stdout).toContain(`${PANELS.length - 2} of ${PANELS.length} panels with data`);
    const status = Object.fromEntries(dashboardData(root).panels.map((p) => [p.id, p.status]));
    expect(status).toMatchObject({ wau: 'missing', 'ad-funnel': 'missing', dau: 'ok', 'hour-weekday': 'ok' });
  });
});

