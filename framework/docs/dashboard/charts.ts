import type { EChartsOption } from 'echarts';

/**
 * The dashboard, declared: each panel names the analytics model it reads (`select *`) and turns
 * its rows into an ECharts option or a few figures. Rename a model here and nothing else changes.
 * Together these replace the original's two Superset dashboards (spec §4).
 */
export type Row = Record<string, unknown>;

interface PanelBase {
  id: string;
  title: string;
  model: string;
}
type ChartPanel = PanelBase & { chart(rows: Row[]): EChartsOption };
type StatPanel = PanelBase & { stats(rows: Row[]): { label: string; value: string }[] };
export type Panel = ChartPanel | StatPanel;

const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

export const PANELS: Panel[] = [
  { id: 'dau', title: 'Daily active users', model: 'dau', chart: (rows) => line(total(rows), 'date', 'dau', 'DAU') },
  { id: 'wau', title: 'Weekly active users', model: 'wau', chart: (rows) => line(total(rows), 'week_start', 'wau', 'WAU') },
  {
    id: 'segment-share',
    title: 'Share of active user-days by segment',
    model: 'dau',
    chart: (rows) => ({
      tooltip: { trigger: 'item', formatter: '{b}: {c} ({d}%)' },
      legend: { bottom: 0, type: 'scroll' },
      series: [{ type: 'pie', radius: ['42%', '70%'], label: { formatter: '{b}\n{d}%' }, data: sumBy(rows.filter((r) => r.dimension === 'user_segment'), 'dimension_value', 'dau') }],
    }),
  },
  {
    id: 'ab-lift',
    title: 'A/B test: treatment lift over control by segment (%)',
    model: 'ab_test_lift_by_segment',
    chart: (rows) => bars(rows, 'user_segment', [
      ['ctr_lift_pct', 'CTR lift %'],
      ['conversion_lift_pct', 'Conversion lift %'],
    ]),
  },
  {
    id: 'ad-ctr',
    title: 'Ad CTR (%) by segment and A/B group',
    model: 'ad_ctr_by_segment_group',
    chart: (rows) => heatmap(rows, 'ab_test_group', 'user_segment', 'ctr_pct'),
  },
  {
    id: 'ad-funnel',
    title: 'Ad funnel (users)',
    model: 'ad_funnel',
    chart: (rows) => ({
      tooltip: { trigger: 'item', formatter: '{b}: {c}' },
      series: [
        {
          type: 'funnel',
          sort: 'none',
          left: '10%',
          width: '80%',
          label: { position: 'inside', formatter: '{b}: {c}' },
          data: [...rows].sort((a, b) => num(a.stage_order) - num(b.stage_order)).map((r) => ({ name: String(r.stage), value: num(r.users) })),
        },
      ],
    }),
  },
  {
    id: 'hour-weekday',
    title: 'Activity by hour (KST) and weekday, 0–100',
    model: 'hour_weekday_heatmap',
    chart: (rows) => heatmap(rows, 'hour', 'day_of_week', 'intensity', Array.from({ length: 24 }, (_, h) => String(h)), WEEKDAYS),
  },
  { id: 'top-clicked', title: 'Top 10 clicked recipes', model: 'top10_clicked_recipes', chart: (rows) => ranking(rows, 'clicks') },
  { id: 'top-bookmarked', title: 'Top 10 bookmarked recipes', model: 'top10_bookmarked_recipes', chart: (rows) => ranking(rows, 'bookmarks') },
  {
    id: 'engagement-weekday',
    title: 'Average daily engagement by weekday',
    model: 'daily_engagement_by_weekday',
    chart: (rows) => {
      const days = WEEKDAYS.filter((d) => rows.some((r) => r.day_of_week === d));
      const mean = (column: string) => days.map((d) => round(average(rows.filter((r) => r.day_of_week === d).map((r) => num(r[column])))));
      return {
        tooltip: { trigger: 'axis' },
        legend: { bottom: 0 },
        xAxis: { type: 'category', data: days },
        yAxis: [
          { type: 'value', name: 'score / day' },
          { type: 'value', name: 'per user', splitLine: { show: false } },
        ],
        series: [
          { type: 'bar', name: 'Engagement score per day', data: mean('total_engagement_score') },
          { type: 'line', name: 'Per active user', yAxisIndex: 1, data: mean('avg_engagement_per_user') },
        ],
      };
    },
  },
  {
    id: 'latest-load',
    title: 'Latest load',
    model: 'latest_load_time',
    stats: (rows) => {
      const r = rows[0] ?? {};
      return [
        ['Last gold load', r.latest_load_time],
        ['Newest event hour (KST)', r.latest_event_hour_kst],
        ['Last bronze ingestion', r.latest_bronze_ingestion],
        ['Fact rows', r.fact_rows === undefined ? undefined : num(r.fact_rows).toLocaleString('en-US')],
      ].map(([label, value]) => ({ label: String(label), value: value === undefined || value === null ? '—' : String(value) }));
    },
  },
];

/** Rows of the 'total' dimension (dau, wau carry per-segment rows too), oldest first. */
function total(rows: Row[]): Row[] {
  return rows.filter((r) => r.dimension === 'total');
}

function line(rows: Row[], x: string, y: string, name: string): EChartsOption {
  const sorted = [...rows].sort((a, b) => String(a[x]).localeCompare(String(b[x])));
  return {
    tooltip: { trigger: 'axis' },
    grid: { left: 50, right: 20, top: 20, bottom: 40 },
    xAxis: { type: 'category', data: sorted.map((r) => String(r[x])) },
    yAxis: { type: 'value' },
    series: [{ type: 'line', name, smooth: true, showSymbol: false, areaStyle: { opacity: 0.15 }, data: sorted.map((r) => num(r[y])) }],
  };
}

function bars(rows: Row[], category: string, series: [string, string][]): EChartsOption {
  return {
    tooltip: { trigger: 'axis' },
    legend: { bottom: 0 },
    grid: { left: 50, right: 20, top: 20, bottom: 70, containLabel: true },
    xAxis: { type: 'category', data: rows.map((r) => String(r[category])), axisLabel: { rotate: 30 } },
    yAxis: { type: 'value' },
    series: series.map(([column, name]) => ({ type: 'bar', name, data: rows.map((r) => round(num(r[column]))) })),
  };
}

function heatmap(rows: Row[], x: string, y: string, value: string, xs?: string[], ys?: string[]): EChartsOption {
  const xValues = xs ?? distinct(rows, x);
  const yValues = ys ? ys.filter((v) => rows.some((r) => String(r[y]) === v)) : distinct(rows, y);
  const values = rows.map((r) => num(r[value]));
  return {
    tooltip: { position: 'top' },
    grid: { left: 10, right: 20, top: 10, bottom: 60, containLabel: true },
    xAxis: { type: 'category', data: xValues, splitArea: { show: true } },
    yAxis: { type: 'category', data: yValues, splitArea: { show: true } },
    visualMap: { min: Math.min(...values, 0), max: Math.max(...values, 1), calculable: true, orient: 'horizontal', left: 'center', bottom: 0, itemHeight: 120 },
    series: [
      {
        type: 'heatmap',
        name: value,
        label: { show: xValues.length <= 6 },
        data: rows.map((r) => [xValues.indexOf(String(r[x])), yValues.indexOf(String(r[y])), round(num(r[value]))]),
      },
    ],
  };
}

/** Horizontal bars, rank 1 on top. */
function ranking(rows: Row[], value: string): EChartsOption {
  const sorted = [...rows].sort((a, b) => num(b.rank) - num(a.rank));
  return {
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    grid: { left: 10, right: 30, top: 10, bottom: 20, containLabel: true },
    xAxis: { type: 'value' },
    yAxis: { type: 'category', data: sorted.map((r) => String(r.recipe_name ?? r.recipe_id)) },
    series: [{ type: 'bar', name: value, data: sorted.map((r) => num(r[value])), label: { show: true, position: 'right' } }],
  };
}

function sumBy(rows: Row[], key: string, value: string): { name: string; value: number }[] {
  const sums = new Map<string, number>();
  for (const r of rows) sums.set(String(r[key]), (sums.get(String(r[key])) ?? 0) + num(r[value]));
  return [...sums].sort((a, b) => b[1] - a[1]).map(([name, v]) => ({ name, value: v }));
}

function distinct(rows: Row[], column: string): string[] {
  return [...new Set(rows.map((r) => String(r[column])))].sort();
}

function average(values: number[]): number {
  return values.length ? values.reduce((a, b) => a + b, 0) / values.length : 0;
}

/** Engines return big integers and decimals as strings or numbers; charts want numbers. */
function num(value: unknown): number {
  const n = Number(value);
  return Number.isFinite(n) ? n : 0;
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}
