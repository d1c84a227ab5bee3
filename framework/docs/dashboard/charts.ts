import type { EChartsOption } from 'echarts';
import type { Panel, Series } from './declaration.js';

/** A declared panel and the rows of its model → an ECharts option, or a few figures. */
export type Row = Record<string, unknown>;

export type PanelView = { option: EChartsOption } | { stats: { label: string; value: string }[] };

export function panelView(panel: Panel, all: Row[]): PanelView {
  const rows = all.filter((r) => Object.entries(panel.where ?? {}).every(([column, value]) => r[column] === value));
  const p = panel as Required<Panel>;
  switch (panel.chart) {
    case 'line':
      return { option: line(rows, p.x, p.y, panel.name ?? p.y) };
    case 'pie':
      return { option: pie(rows, p.category, p.value) };
    case 'bar':
      return { option: bars(rows, p.category, p.series) };
    case 'heatmap':
      return { option: heatmap(rows, p.x, p.y, p.value, panel.x_values?.map(String), panel.y_values?.map(String)) };
    case 'funnel':
      return { option: funnel(rows, p.stage, p.value, p.order) };
    case 'ranking':
      return { option: ranking(rows, p.label, p.value, p.order) };
    case 'combo':
      return { option: combo(rows, p.category, panel.categories?.map(String), panel.axes ?? [], p.series) };
    case 'stats': {
      const r = rows[0] ?? {};
      return {
        stats: p.stats.map(({ label, column, format }) => {
          const value = r[column];
          const text =
            value === undefined || value === null
              ? '—'
              : format === 'number'
                ? num(value).toLocaleString('en-US')
                : String(value);
          return { label, value: text };
        }),
      };
    }
  }
}

function line(rows: Row[], x: string, y: string, name: string): EChartsOption {
  const sorted = [...rows].sort((a, b) => String(a[x]).localeCompare(String(b[x])));
  return {
    tooltip: { trigger: 'axis' },
    grid: { left: 50, right: 20, top: 20, bottom: 40 },
    xAxis: { type: 'category', data: sorted.map((r) => String(r[x])) },
    yAxis: { type: 'value' },
    series: [
      {
        type: 'line',
        name,
        smooth: true,
        showSymbol: false,
        areaStyle: { opacity: 0.15 },
        data: sorted.map((r) => num(r[y])),
      },
    ],
  };
}

/** A doughnut of `value` summed per `category`, largest first. */
function pie(rows: Row[], category: string, value: string): EChartsOption {
  const sums = new Map<string, number>();
  for (const r of rows) sums.set(String(r[category]), (sums.get(String(r[category])) ?? 0) + num(r[value]));
  return {
    tooltip: { trigger: 'item', formatter: '{b}: {c} ({d}%)' },
    legend: { bottom: 0, type: 'scroll' },
    series: [
      {
        type: 'pie',
        radius: ['42%', '70%'],
        label: { formatter: '{b}\n{d}%' },
        data: [...sums].sort((a, b) => b[1] - a[1]).map(([name, v]) => ({ name, value: v })),
      },
    ],
  };
}

function bars(rows: Row[], category: string, series: Series[]): EChartsOption {
  return {
    tooltip: { trigger: 'axis' },
    legend: { bottom: 0 },
    grid: { left: 50, right: 20, top: 20, bottom: 70, containLabel: true },
    xAxis: { type: 'category', data: rows.map((r) => String(r[category])), axisLabel: { rotate: 30 } },
    yAxis: { type: 'value' },
    series: series.map(({ column, name }) => ({ type: 'bar', name, data: rows.map((r) => round(num(r[column]))) })),
  };
}

/** `xs`/`ys` fix the order of the axes (e.g. hours, weekdays); values absent from the rows are dropped from ys. */
function heatmap(rows: Row[], x: string, y: string, value: string, xs?: string[], ys?: string[]): EChartsOption {
  const xValues = xs ?? distinct(rows, x);
  const yValues = ys ? ys.filter((v) => rows.some((r) => String(r[y]) === v)) : distinct(rows, y);
  const values = rows.map((r) => num(r[value]));
  return {
    tooltip: { position: 'top' },
    grid: { left: 10, right: 20, top: 10, bottom: 60, containLabel: true },
    xAxis: { type: 'category', data: xValues, splitArea: { show: true } },
    yAxis: { type: 'category', data: yValues, splitArea: { show: true } },
    visualMap: {
      min: Math.min(...values, 0),
      max: Math.max(...values, 1),
      calculable: true,
      orient: 'horizontal',
      left: 'center',
      bottom: 0,
      itemHeight: 120,
    },
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

function funnel(rows: Row[], stage: string, value: string, order: string): EChartsOption {
  return {
    tooltip: { trigger: 'item', formatter: '{b}: {c}' },
    series: [
      {
        type: 'funnel',
        sort: 'none',
        left: '10%',
        width: '80%',
        label: { position: 'inside', formatter: '{b}: {c}' },
        data: [...rows]
          .sort((a, b) => num(a[order]) - num(b[order]))
          .map((r) => ({ name: String(r[stage]), value: num(r[value]) })),
      },
    ],
  };
}

/** Horizontal bars, rank 1 on top; a row is labelled by the first of `label` that is set. */
function ranking(rows: Row[], label: string[], value: string, order: string): EChartsOption {
  const sorted = [...rows].sort((a, b) => num(b[order]) - num(a[order]));
  const name = (r: Row) => String(label.map((c) => r[c]).find((v) => v !== undefined && v !== null));
  return {
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    grid: { left: 10, right: 30, top: 10, bottom: 20, containLabel: true },
    xAxis: { type: 'value' },
    yAxis: { type: 'category', data: sorted.map(name) },
    series: [
      { type: 'bar', name: value, data: sorted.map((r) => num(r[value])), label: { show: true, position: 'right' } },
    ],
  };
}

/** The mean of each series per category, bars and lines on up to two value axes. */
function combo(
  rows: Row[],
  category: string,
  categories: string[] | undefined,
  axes: string[],
  series: Series[],
): EChartsOption {
  const present = (categories ?? distinct(rows, category)).filter((c) => rows.some((r) => String(r[category]) === c));
  const mean = (column: string) =>
    present.map((c) => round(average(rows.filter((r) => String(r[category]) === c).map((r) => num(r[column])))));
  return {
    tooltip: { trigger: 'axis' },
    legend: { bottom: 0 },
    xAxis: { type: 'category', data: present },
    yAxis: (axes.length ? axes : ['']).map((name, i) => ({
      type: 'value',
      name,
      ...(i ? { splitLine: { show: false } } : {}),
    })),
    series: series.map((s) => ({
      type: s.type ?? 'bar',
      name: s.name,
      ...(s.axis === 'right' ? { yAxisIndex: 1 } : {}),
      data: mean(s.column),
    })),
  };
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
