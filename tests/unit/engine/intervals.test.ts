import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { batches, completeUntil, toProcess } from '../../../framework/materialize/intervals.js';
import { DoneIntervals } from '../../../framework/state/done-intervals.js';
import { cli, query, tempProject } from '../support/project.js';

const H = 3_600_000;

const cliJson = async (root: string, ...args: string[]): Promise<unknown> => JSON.parse((await cli(root, ...args, '--output', 'json')).stdout);

describe('interval arithmetic', () => {
  const hoursOf = (starts: number[]) => DoneIntervals.of(starts.map((k) => ({ start: k * H, end: (k + 1) * H })));
  const end = completeUntil(0, H, 5 * H + 10);
  const grid = (lookback: number) => ({ start: 0, step: H, lookback });
  const process = (done: number[], lookback = 0, restate?: { start: number; end: number }, stale?: number[]) =>
    toProcess(hoursOf(done), grid(lookback), end, restate, new Set(stale?.map((k) => k * H))).map((i) => i.start / H);
  const hours = (b: { start: number }[]) => b.map((i) => i.start / H);
  it('complete intervals end at the last whole one', () => {
    expect(end).toBe(5 * H);
    expect(completeUntil(0, H, H - 1)).toBe(0);
  });
  it('missing plus lookback, oldest first', () => {
    expect(process([0, 1, 2])).toEqual([3, 4]);
    expect(process([0, 1, 2], 2)).toEqual([1, 2, 3, 4]);
    expect(process([0, 2])).toEqual([1, 3, 4]);
    expect(process([0, 1, 2, 3, 4], 3)).toEqual([]);
    // Done beyond the complete intervals: nothing of them.
    expect(process([0, 1, 2, 3, 4, 5, 6])).toEqual([]);
  });
  it('stale intervals are processed again wherever they are', () => {
    expect(process([0, 1, 2, 3, 4], 0, undefined, [1])).toEqual([1]);
    expect(process([0, 1, 2], 0, undefined, [0])).toEqual([0, 3, 4]);
    // Not a complete interval of the grid: ignored.
    expect(process([0, 1, 2, 3, 4], 0, undefined, [7])).toEqual([]);
  });
  it('with an input, batches start and end with data; empty intervals between ride along, the others need no statement', () => {
    const ten = Array.from({ length: 10 }, (_, k) => ({ start: k * H, end: (k + 1) * H }));
    const has = (s: number) => [2, 3, 5, 9].includes(s / H);
    const { batches: list, empty } = batches(ten, 4, has);
    expect(list.map(hours)).toEqual([[2, 3, 4, 5], [9]]);
    expect(hours(empty)).toEqual([0, 1, 6, 7, 8]);
    // A gap in the work (an interval already done) ends a batch.
    expect(batches(ten.filter((i) => i.start !== 4 * H), 10, has).batches.map(hours)).toEqual([[2, 3], [5, 6, 7, 8, 9]]);
    expect(batches(ten, 4, () => false)).toEqual({ batches: [], empty: ten });
  });
  it('restatement ignores the state', () => {
    expect(process([0, 1, 2, 3, 4], 0, { start: H, end: 3 * H })).toEqual([1, 2]);
    // From the first interval starting in the range, up to the complete ones.
    expect(process([], 0, { start: H + 1, end: 9 * H })).toEqual([2, 3, 4]);
  });
  it('batches are contiguous and bounded', () => expect(batches(toProcess(hoursOf([2]), grid(0), end), 2).batches.map(hours)).toEqual([[0, 1], [3, 4]]));
});

describe('done intervals as ranges', () => {
  const range = (start: number, end: number, seen?: number) => ({ start: start * H, end: end * H, ...(seen === undefined ? {} : { seen }) });
  it('overlapping rows: one coverage, the newest seen where they overlap, gaps kept', () => {
    const done = DoneIntervals.of([range(0, 4, 10), range(2, 6, 20), range(8, 9), range(3, 3, 99)]);
    expect(done.ranges()).toEqual([range(0, 2, 10), range(2, 6, 20), range(8, 9)]);
    expect([0, 1, 2, 5, 6, 7, 8, 9].map((k) => done.has(k * H))).toEqual([true, true, true, true, false, false, true, false]);
    expect([1, 3, 8].map((k) => done.seen(k * H))).toEqual([10, 20, undefined]);
    expect(done.firstMissing(0, H) / H).toBe(6);
    expect(done.missing(0, 12 * H, H).map((i) => i.start / H)).toEqual([6, 7, 9, 10, 11]);
    expect(done.end()).toBe(9 * H);
  });
  it('a year of 15-minute rows, and the same year as one range: the same answers', () => {
    const q = 900_000;
    const rows = Array.from({ length: 35_040 }, (_, k) => ({ start: k * q, end: (k + 1) * q, seen: k }));
    const one = DoneIntervals.of([{ start: 0, end: 35_040 * q, seen: 0 }]);
    const many = DoneIntervals.of(rows);
    expect(many.ranges()).toHaveLength(35_040);
    for (const done of [one, many]) {
      expect(done.firstMissing(0, q)).toBe(35_040 * q);
      expect(done.missing(0, 35_050 * q, q)).toHaveLength(10);
      expect(done.has(12_345 * q)).toBe(true);
    }
  });
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
    // One row per processed range: re-processed intervals were cut out of older rows, never doubled.
    const state = await query(root, "select strftime(interval_start, '%H') as s, strftime(interval_end, '%H') as e from framework_state.intervals where model_id = 'model.t.hourly' order by 1");
    expect(state).toEqual([
      { s: '00', e: '01' },
      { s: '01', e: '03' },
      { s: '03', e: '04' },
    ]);
  });

  it('takes 5-minute and 1-minute intervals: one row per interval, each processed once', async () => {
    const root = tempProject({
      'data/events.csv': events(['1,2025-09-01 00:01:00,1', '2,2025-09-01 00:04:59,2', '3,2025-09-01 00:05:00,4', '4,2025-09-01 00:17:30,8', '5,2025-09-01 00:29:59,16']),
      'sources/s.yml': 'sources:\n  - name: s\n    tables:\n      - {name: events, external: {location: data/events.csv, format: csv}}\n',
      'models/five.sql': `{{config materialized="incremental" interval="5m" time_column="t" start="2025-09-01T00:00:00Z"}}
select {{interval_start}} as t, count(*) as events, coalesce(sum(v), 0) as total from {{source "s" "events"}} where ts >= {{interval_start}} and ts < {{interval_end}}`,
      'models/minute.sql': `{{config materialized="incremental" interval="1m" time_column="t" start="2025-09-01T00:00:00Z" batch_size=10}}
select date_trunc('minute', ts) as t, count(*) as events from {{source "s" "events"}} where ts >= {{interval_start}} and ts < {{interval_end}} group by 1`,
    });
    const run = await cli(root, 'run', '--end', '2025-09-01T00:30:00Z');
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toContain('6 intervals 2025-09-01T00:00:00.000Z → 2025-09-01T00:30:00.000Z');
    expect(run.stdout).toContain('30 intervals 2025-09-01T00:00:00.000Z → 2025-09-01T00:30:00.000Z');
    expect((await query(root, "select strftime(t, '%M') as m, events, total from main.five order by t")).map((r) => [r.m, Number(r.events), Number(r.total)])).toEqual([
      ['00', 2, 3], ['05', 1, 4], ['10', 0, 0], ['15', 1, 8], ['20', 0, 0], ['25', 1, 16],
    ]);
    expect((await query(root, "select strftime(t, '%M') as m, events from main.minute order by t")).map((r) => [r.m, Number(r.events)])).toEqual([
      ['01', 1], ['04', 1], ['05', 1], ['17', 1], ['29', 1],
    ]);
    expect(await cliJson(root, 'intervals', '--end', '2025-09-01T00:30:00Z')).toEqual([
      { model: 'five', interval: '5m', done: 6, missing: 0, missing_ranges: [] },
      { model: 'minute', interval: '1m', done: 30, missing: 0, missing_ranges: [] },
    ]);
    const again = await cli(root, 'run', '--end', '2025-09-01T00:30:00Z');
    expect(again.stdout.match(/ 0 intervals \(0 rows\)/g), 'nothing done twice').toHaveLength(2);
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

/**
 * `landed` appends the CSV rows it has not seen, stamped `loadedAt` (when they arrived): a stand-in
 * for bronze; `hourly` counts them per hour, driven by it.
 */
const inputProject = (csvText: string, loadedAt: string) =>
  tempProject({
    'data/events.csv': csvText,
    'sources/s.yml': 'sources:\n  - name: s\n    tables:\n      - {name: events, external: {location: data/events.csv, format: csv}}\n',
    'models/landed.sql': `{{config materialized="incremental"}}
select s.id, s.ts, date_trunc('hour', s.ts) as hour, s.v, ${loadedAt} as loaded_at
from {{source "s" "events"}} as s
{{#if (is_incremental)}}where s.id not in (select id from {{this}}){{/if}}`,
    'models/hourly.sql': `select l.hour, count(*) as events, sum(l.v) as total
from {{ref "landed"}} as l
{{#if interval_start}}where l.hour >= {{interval_start}} and l.hour < {{interval_end}}{{/if}}
group by 1`,
    'models/hourly.yml': `models:
  - name: hourly
    config:
      materialized: incremental
      interval: 1h
      time_column: hour
      start: "2025-09-01T00:00:00Z"
      batch_size: 24
      interval_input: {ref: landed, time_column: hour, loaded_at: loaded_at}
`,
  });

describe('interval models driven by their input (interval_input)', () => {
  const csv = (lines: string[]) => `id,ts,v\n${lines.join('\n')}\n`;
  const project = (lines: string[]) => inputProject(csv(lines), 'current_timestamp');
  const table = (root: string) => query(root, "select strftime(hour, '%H') as h, events, total from main.hourly order by hour");
  const rows = ['1,2025-09-01 00:10:00,1', '3,2025-09-01 02:30:00,1'];

  it('is complete up to its input (not the wall clock), skips empty intervals, and reprocesses an interval whose input arrived late', async () => {
    const root = project(rows);
    const first = await cli(root, 'run');
    expect(first.code, first.stdout + first.stderr).toBe(0);
    // Wall-clock time is 2026 or later; the input reaches 02:xx, so three intervals are complete.
    expect(first.stdout).toContain('3 intervals 2025-09-01T00:00:00.000Z → 2025-09-01T03:00:00.000Z');
    expect(await table(root)).toEqual([
      { h: '00', events: 1, total: 1 },
      { h: '02', events: 1, total: 1 },
    ]);
    const again = await cli(root, 'run', '--select', 'hourly');
    expect(again.stdout).toContain('0 intervals');

    // Row 2 arrives late for 01:xx (already done, empty), row 4 opens 03:xx.
    writeFileSync(join(root, 'data/events.csv'), csv([...rows, '2,2025-09-01 01:20:00,5', '4,2025-09-01 03:40:00,1']));
    expect((await cli(root, 'run', '--select', 'landed')).code).toBe(0);
    const listing = await cliJson(root, 'intervals', '--select', 'hourly');
    expect(listing).toEqual([
      expect.objectContaining({ done: 3, missing: 1, late_input: 1, late_ranges: ['2025-09-01T01:00:00.000Z → 2025-09-01T02:00:00.000Z (1)'], complete_until: '2025-09-01T04:00:00.000Z' }),
    ]);
    const late = await cli(root, 'run', '--select', 'hourly');
    expect(late.stdout).toContain('2 intervals 2025-09-01T01:00:00.000Z → 2025-09-01T04:00:00.000Z (1 with late input)');
    expect(await table(root)).toEqual([
      { h: '00', events: 1, total: 1 },
      { h: '01', events: 1, total: 5 },
      { h: '02', events: 1, total: 1 },
      { h: '03', events: 1, total: 1 },
    ]);
    expect(await cliJson(root, 'intervals', '--select', 'hourly')).toEqual([expect.objectContaining({ done: 4, missing: 0, late_input: 0 })]);
    // The statements of the late run touched 01 and 03 only: 00 and 02 were not rewritten.
    const executed = readFileSync(join(root, 'target/run/models/hourly.sql'), 'utf8');
    expect(executed).not.toContain("TIMESTAMP '2025-09-01 00:00:00'");
  });

  it('input rows that name no interval end the model WARN, with a count', async () => {
    const root = project([...rows, '9,2025-08-31 23:00:00,1']);
    const r = await cli(root, 'run');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/WARN.*hourly|hourly.*WARN/);
    expect(r.stdout).toContain('1 input rows name no interval (hour NULL or before start), NOT processed');
  });

  it('an input time column with a time zone fails the model naming the column and its file, instead of reading no interval', async () => {
    const root = project(rows);
    const landed = join(root, 'models/landed.sql');
    writeFileSync(landed, readFileSync(landed, 'utf8').replace("date_trunc('hour', s.ts) as hour", "cast(date_trunc('hour', s.ts) as timestamptz) as hour"));
    const r = await cli(root, 'run');
    expect(r.code).not.toBe(0);
    expect(r.stdout + r.stderr).toMatch(/hourly\.yml:\d+.*interval_input\.time_column "hour" of .*landed.* holds '2025-09-01 0\d:00:00\+00', not a UTC timestamp without time zone/s);
  });

  it('creates its table even before any interval is complete, and rejects an input that is not upstream', async () => {
    const root = project(rows);
    const r0 = await cli(root, 'run', '--end', '2025-09-01T00:30:00Z');
    expect(r0.code, r0.stdout + r0.stderr).toBe(0);
    expect(r0.stdout).toContain('0 intervals');
    expect(await table(root)).toEqual([]);
    writeFileSync(join(root, 'models/hourly.yml'), readFileSync(join(root, 'models/hourly.yml'), 'utf8').replace('ref: landed', 'ref: other'));
    writeFileSync(join(root, 'models/other.sql'), 'select 1 as x');
    const r = await cli(root, 'run', '--select', 'hourly');
    expect(r.code).not.toBe(0);
    expect(r.stdout + r.stderr).toContain('interval_input.ref "other" is not a model upstream of it');
  });
});

describe('interval_input read bounded by the last complete read', () => {
  // Rows with a loaded_at in the CSV landed then (long before the first run); the others now.
  const csv = (lines: string[]) => `id,ts,v,loaded_at\n${lines.join('\n')}\n`;
  const project = (lines: string[]) => inputProject(csv(lines), 'coalesce(CAST(s.loaded_at AS TIMESTAMPTZ), current_timestamp)');
  const table = async (root: string) => (await query(root, "select strftime(hour, '%H') as h, events, total from main.hourly order by hour")).map((r) => `${String(r.h)}:${Number(r.events)}/${Number(r.total)}`);
  const old = ['1,2025-09-01 00:10:00,1,2025-09-01 00:20:00+00', '2,2025-09-01 01:10:00,1,2025-09-01 01:20:00+00', '3,2025-09-01 02:30:00,1,2025-09-01 02:40:00+00'];

  it('after a complete read, an input with only old rows reads none; new rows are read and their intervals found', async () => {
    const root = project(old);
    const first = await cli(root, 'run');
    expect(first.code, first.stdout + first.stderr).toBe(0);
    // No complete read yet: the whole input, no bound.
    expect(first.stdout).toContain('3 intervals 2025-09-01T00:00:00.000Z → 2025-09-01T03:00:00.000Z');
    expect(first.stdout).not.toContain('input rows read');

    const quiet = await cli(root, 'run', '--select', 'hourly');
    expect(quiet.stdout).toContain('0 intervals');
    expect(quiet.stdout).toContain('; 0 input rows read (loaded since');

    // A late row for 00 (done) and one opening 03, both landing now.
    writeFileSync(join(root, 'data/events.csv'), csv([...old, '4,2025-09-01 00:50:00,5,', '5,2025-09-01 03:05:00,1,']));
    expect((await cli(root, 'run', '--select', 'landed')).code).toBe(0);
    const late = await cli(root, 'run', '--select', 'hourly');
    expect(late.stdout).toContain('(1 with late input)');
    expect(late.stdout).toContain('; 2 input rows read');
    expect(await table(root)).toEqual(['00:2/6', '01:1/1', '02:1/1', '03:1/1']);
  });

  it('rows of an interval not complete at the last read are read again, however old', async () => {
    const root = project(old);
    // Until 02:00 only: interval 02 has a row but is not complete, and the read is complete.
    expect((await cli(root, 'run', '--end', '2025-09-01T02:00:00Z')).code).toBe(0);
    expect(await table(root)).toEqual(['00:1/1', '01:1/1']);
    const next = await cli(root, 'run', '--select', 'hourly');
    expect(next.stdout).toContain('1 interval 2025-09-01T02:00:00.000Z → 2025-09-01T03:00:00.000Z');
    expect(next.stdout).toContain('; 1 input rows read (loaded since');
    expect(await table(root)).toEqual(['00:1/1', '01:1/1', '02:1/1']);
  });

  it('folds the state of settled intervals into one row; late input for one of them is still processed', async () => {
    const root = project(old);
    for (const end of ['01', '02', '03']) expect((await cli(root, 'run', '--end', `2025-09-01T${end}:00:00Z`)).code).toBe(0);
    const state = () =>
      query(root, "select strftime(interval_start, '%H') as s, strftime(interval_end, '%H') as e from framework_state.intervals where model_id = 'model.t.hourly' and interval_start < interval_end order by 1");
    expect(await state()).toEqual([{ s: '00', e: '01' }, { s: '01', e: '02' }, { s: '02', e: '03' }]);
    // As if those runs were an hour ago: their input was looked at before the next read's skew.
    await query(root, "update framework_state.intervals set input_seen_until = input_seen_until - interval 1 hour where model_id = 'model.t.hourly' and interval_start < interval_end");
    writeFileSync(join(root, 'data/events.csv'), csv([...old, '4,2025-09-01 03:05:00,1,']));
    expect((await cli(root, 'run')).code).toBe(0);
    expect(await state()).toEqual([{ s: '00', e: '03' }, { s: '03', e: '04' }]);
    // A late row for 01, inside the folded row: found stale, processed again, and nothing else.
    writeFileSync(join(root, 'data/events.csv'), csv([...old, '4,2025-09-01 03:05:00,1,', '5,2025-09-01 01:30:00,5,']));
    expect((await cli(root, 'run', '--select', 'landed')).code).toBe(0);
    const late = await cli(root, 'run', '--select', 'hourly');
    expect(late.stdout).toContain('1 interval 2025-09-01T01:00:00.000Z → 2025-09-01T02:00:00.000Z (1 with late input)');
    expect(await table(root)).toEqual(['00:1/1', '01:2/6', '02:1/1', '03:1/1']);
    expect(await cliJson(root, 'intervals', '--select', 'hourly')).toEqual([expect.objectContaining({ done: 4, missing: 0, late_input: 0 })]);
  });

  it('--full-refresh reads the whole input again', async () => {
    const root = project(old);
    expect((await cli(root, 'run')).code).toBe(0);
    const again = await cli(root, 'run', '--select', 'hourly', '--full-refresh');
    expect(again.stdout).toContain('3 intervals');
    expect(again.stdout).not.toContain('input rows read');
  });
});

