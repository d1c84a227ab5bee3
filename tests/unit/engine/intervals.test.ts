import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { batches, completeIntervals, toProcess } from '../../../framework/execute/intervals.js';
import { cli, query, tempProject } from '../support/project.js';

const H = 3_600_000;

describe('interval arithmetic', () => {
  const all = completeIntervals(0, H, 5 * H + 10);
  it('lists complete intervals only', () => expect(all.map((i) => i.start / H)).toEqual([0, 1, 2, 3, 4]));
  it('missing plus lookback, oldest first', () => {
    expect(toProcess(all, new Set([0, H, 2 * H]), 0).map((i) => i.start / H)).toEqual([3, 4]);
    expect(toProcess(all, new Set([0, H, 2 * H]), 2).map((i) => i.start / H)).toEqual([1, 2, 3, 4]);
    expect(toProcess(all, new Set([0, 2 * H]), 0).map((i) => i.start / H)).toEqual([1, 3, 4]);
    expect(toProcess(all, new Set(all.map((i) => i.start)), 3)).toEqual([]);
  });
  it('restatement ignores the state', () => expect(toProcess(all, new Set(all.map((i) => i.start)), 0, { start: H, end: 3 * H }).map((i) => i.start / H)).toEqual([1, 2]));
  it('batches are contiguous and bounded', () => expect(batches(toProcess(all, new Set([2 * H]), 0), 2).map((b) => b.map((i) => i.start / H))).toEqual([[0, 1], [3, 4]]));
});

describe('interval models on DuckDB', () => {
  const events = (lines: string[]) => `id,ts,v\n${lines.join('\n')}\n`;
  const project = () =>
    tempProject({
      'data/events.csv': events(['1,2025-09-01 00:10:00,1', '2,2025-09-01 01:20:00,1', '3,2025-09-01 02:30:00,1', '4,2025-09-01 03:40:00,1']),
      'sources/s.yml': 'sources:\n  - name: s\n    tables:\n      - {name: events, external: {location: data/events.csv, format: csv}}\n',
      'models/hourly.sql': `{{config materialized="incremental" interval="1h" time_column="hour" start="2025-09-01T00:00:00Z" lookback=2 batch_size=2}}
select date_trunc('hour', ts) as hour, count(*) as events, sum(v) as total
from {{source "s" "events"}}
where ts >= {{interval_start}} and ts < {{interval_end}}
group by 1`,
    });
  const table = (root: string) => query(root, "select strftime(hour, '%H') as h, events, total from main.hourly order by hour");

  it('processes exactly the complete missing intervals, catches late data with lookback, and is idempotent', async () => {
    const root = project();
    const first = await cli(root, 'run', '--end', '2025-09-01T03:00:00Z');
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('3 intervals 2025-09-01T00:00:00.000Z → 2025-09-01T03:00:00.000Z (3 rows)');
    expect(await table(root)).toEqual([
      { h: '00', events: 1, total: 1 },
      { h: '01', events: 1, total: 1 },
      { h: '02', events: 1, total: 1 },
    ]);
    const listing = await cli(root, 'intervals', '--end', '2025-09-01T05:00:00Z', '--output', 'json');
    expect(JSON.parse(listing.stdout)).toEqual([{ model: 'hourly', interval: '1h', done: 3, missing: 2, missing_ranges: ['2025-09-01T03:00:00.000Z → 2025-09-01T05:00:00.000Z (2)'] }]);

    // Same end again: nothing missing, lookback alone re-processes the last two hours with the same result.
    const again = await cli(root, 'run', '--end', '2025-09-01T03:00:00Z');
    expect(again.code).toBe(0);
    expect(await table(root)).toEqual([
      { h: '00', events: 1, total: 1 },
      { h: '01', events: 1, total: 1 },
      { h: '02', events: 1, total: 1 },
    ]);

    // A late event for 01:xx and a new hour: lookback=2 picks the late one up.
    writeFileSync(join(root, 'data/events.csv'), events(['1,2025-09-01 00:10:00,1', '2,2025-09-01 01:20:00,1', '5,2025-09-01 01:50:00,7', '3,2025-09-01 02:30:00,1', '4,2025-09-01 03:40:00,1']));
    const late = await cli(root, 'run', '--end', '2025-09-01T04:00:00Z');
    expect(late.code).toBe(0);
    expect(await table(root)).toEqual([
      { h: '00', events: 1, total: 1 },
      { h: '01', events: 2, total: 8 },
      { h: '02', events: 1, total: 1 },
      { h: '03', events: 1, total: 1 },
    ]);
    const state = await query(root, "select count(*) as n, count(distinct interval_start) as d from framework_state.intervals where model_id = 'model.t.hourly'");
    expect(state).toEqual([{ n: 4, d: 4 }]);
  });

  it('--start/--end restates a range; --full-refresh reprocesses everything', async () => {
    const root = project();
    await cli(root, 'run', '--end', '2025-09-01T04:00:00Z');
    writeFileSync(join(root, 'data/events.csv'), events(['1,2025-09-01 00:10:00,5', '2,2025-09-01 01:20:00,5', '3,2025-09-01 02:30:00,5', '4,2025-09-01 03:40:00,5']));
    const restate = await cli(root, 'run', '--start', '2025-09-01T01:00:00Z', '--end', '2025-09-01T02:00:00Z');
    expect(restate.stdout).toContain('1 interval 2025-09-01T01:00:00.000Z');
    expect((await table(root)).map((r) => r.total)).toEqual([1, 5, 1, 1]);
    await cli(root, 'run', '--full-refresh', '--end', '2025-09-01T04:00:00Z');
    expect((await table(root)).map((r) => r.total)).toEqual([5, 5, 5, 5]);
    const executed = readFileSync(join(root, 'target/run/models/hourly.sql'), 'utf8');
    expect(executed).toContain('create or replace table');
    expect(executed).toMatch(/delete from "main"\."hourly" where "hour" >= TIMESTAMP '2025-09-01 02:00:00' and "hour" < TIMESTAMP '2025-09-01 04:00:00'/);
  });

  it('an interval model without start is a config error', async () => {
    const root = tempProject({ 'models/m.sql': '{{config materialized="incremental" interval="15m" time_column="t"}}select now() as t' });
    const r = await cli(root, 'run');
    expect(r.stdout + r.stderr).toContain('has interval: 15m but no start');
  });
});
