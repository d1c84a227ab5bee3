import { describe, expect, it } from 'vitest';
import { cli, query, tempProject } from '../support/project.js';

/**
 * cluster_by on DuckDB: a write orders its rows, so each row group's min/max of the column covers
 * a narrow range and a filter on it skips the others. Rows arrive in hash order here (every day in
 * every block), as a bulk build's joins and de-duplication leave them.
 */
const rows = (from: number, to: number) =>
  `select i as id, date '2025-06-01' + cast(hash(i) % 90 as integer) as d from range(${from}, ${to}) as r(i)`;
const model = (config: string) =>
  `{{config materialized="incremental" incremental_strategy="delete+insert" unique_key="id" ${config}}}{{#if (is_incremental)}}${rows(300_000, 600_000)}{{else}}${rows(0, 300_000)}{{/if}}`;

/** The date range of each row group of `table` (after a checkpoint). */
async function groupRanges(root: string, table: string): Promise<[string, string][]> {
  await query(root, 'checkpoint');
  const stats = await query(
    root,
    `select row_group_id, any_value(stats) as stats from pragma_storage_info('${table}') where column_name = 'd' and segment_type = 'DATE' group by row_group_id order by row_group_id`,
  );
  return stats.map((s) => String(s.stats).match(/Min: ([\d-]+), Max: ([\d-]+)/)!.slice(1) as [string, string]);
}

/** Row groups whose range overlaps another's (sharing only a boundary day does not count). */
const overlapping = (ranges: [string, string][]) =>
  ranges.filter(([min, max], i) => ranges.some(([m, x], j) => j !== i && m < max && min < x)).length;

/** How many row groups a filter on one day reads, on average over the days: the groups whose range holds it. */
function groupsPerDay(ranges: [string, string][]): number {
  const days = Array.from({ length: 90 }, (_, k) => new Date(Date.UTC(2025, 5, 1 + k)).toISOString().slice(0, 10));
  return days.reduce((n, d) => n + ranges.filter(([min, max]) => min <= d && d <= max).length, 0) / days.length;
}

describe('cluster_by on DuckDB', () => {
  it('orders the first build and each incremental write by the columns: row groups cover separate ranges; without it every group spans them all', async () => {
    const root = tempProject({
      'models/clustered.sql': model('cluster_by="d"'),
      'models/plain.sql': model(''),
    });
    expect((await cli(root, 'run')).code).toBe(0);
    // 300,000 rows in row groups of at most 122,880: ordered, they only meet at boundary days;
    // in hash order, every group holds every day.
    const first = await groupRanges(root, 'clustered');
    expect(first.length).toBeGreaterThanOrEqual(3);
    expect(overlapping(first)).toBe(0);
    const plainFirst = await groupRanges(root, 'plain');
    expect(plainFirst.length).toBeGreaterThanOrEqual(3);
    expect(overlapping(plainFirst)).toBe(plainFirst.length);
    // An incremental write of 300,000 more: its rows are ordered among themselves, so a day's filter reads a
    // group or two of each write, where without cluster_by it reads every group.
    expect((await cli(root, 'run')).code).toBe(0);
    const clustered = await groupRanges(root, 'clustered');
    const plain = await groupRanges(root, 'plain');
    expect(clustered.length).toBeGreaterThanOrEqual(5);
    expect(groupsPerDay(plain)).toBe(plain.length);
    expect(groupsPerDay(clustered)).toBeLessThan(3);
    expect(await query(root, 'select count(*) as n, count(distinct id) as k from clustered')).toEqual([{ n: 600_000, k: 600_000 }]);
  });

  it('is a list of column names: a number is refused with the file and key', async () => {
    const root = tempProject({
      'models/m.sql': 'select 1 as id',
      'models/m.yml': 'models:\n  - name: m\n    config:\n      cluster_by: 3\n',
    });
    const r = await cli(root, 'run');
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/m\.yml:4.*cluster_by/);
  });

  it('names columns of the query: one it lacks fails the model with its file and key before anything is written', async () => {
    const root = tempProject({
      'models/t.sql': '{{config materialized="table" cluster_by="d"}}select 1 as id, {{#if (var "renamed" false)}}2 as day{{else}}2 as d{{/if}}',
      'models/inc.sql':
        '{{config materialized="incremental" unique_key="id" cluster_by="d"}}select 1 as id, {{#if (var "renamed" false)}}2 as day{{else}}2 as d{{/if}}',
    });
    expect((await cli(root, 'run')).code).toBe(0);
    const r = await cli(root, 'run', '--vars', '{"renamed": true}');
    expect(r.code).not.toBe(0);
    for (const model of ['t', 'inc']) expect(r.stdout + r.stderr).toMatch(new RegExp(`${model}\\.sql:1.*cluster_by of model "${model}" names "d", not a column of its query \\(columns: id, day\\)`));
    // Both tables as the first run left them.
    for (const table of ['t', 'inc']) expect(await query(root, `select * from ${table}`)).toEqual([{ id: 1, d: 2 }]);
  });
});
