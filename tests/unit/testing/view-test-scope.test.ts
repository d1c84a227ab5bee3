import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, tempProject } from '../support/project.js';

const result = (root: string, prefix: string) =>
  (JSON.parse(readFileSync(join(root, 'target/run_results.json'), 'utf8')).results as Record<string, any>[]).find((r) => r.unique_id.split('.')[2].startsWith(prefix))!;

/**
 * Each run appends one event (day, v) stamped with its time; `daily` and `daily_low` are views
 * whose rows follow the events' day (test_scope {column, input}), `totals` reads them all (full).
 */
const project = {
  'models/events.sql': 'select * from (values ({{var "day" 0}}, {{var "v" 0}})) as t(day, v) cross join (select {{now}} as written) as w',
  'models/daily.sql': 'select day, count(*) as n, min(v) as min_v from {{ref "events"}} group by day',
  'models/daily_low.sql': 'select day, min_v from {{ref "daily"}} where min_v < 100',
  'models/totals.sql': 'select count(*) as n, min(v) as min_v from {{ref "events"}}',
  'models/schema.yml': `models:
  - name: events
    config: {materialized: incremental, incremental_strategy: append, written_at: written}
  - name: daily
    config: {test_scope: {column: day, input: events}}
    tests:
      - row_count: {min: 1, max: 1}
    columns:
      - name: day
        tests: [unique]
      - name: n
        tests: [unique]
      - name: min_v
        tests: [{accepted_range: {min_value: 0}}]
  - name: daily_low
    config: {test_scope: {column: day, input: daily}}
    columns:
      - name: min_v
        tests: [{accepted_range: {min_value: 0}}]
  - name: totals
    config: {test_scope: full}
    columns:
      - name: min_v
        tests: [{accepted_range: {min_value: 0}}]
`,
  'tests/no_negative_event.sql': 'select * from {{written "events"}} where v < 0',
  'tests/always_whole.sql': '{{config test_scope="whole"}}\nselect * from {{written "events"}} where v < 0',
};
const run = (root: string, day: number, v: number) => cli(root, 'run', '--vars', JSON.stringify({ day, v }));

describe('tests of views scoped to the periods the last run wrote (test_scope)', () => {
  it('a bad row outside the window is seen only by --full; one in the window fails the scoped tests', async () => {
    const root = tempProject(project);
    expect((await run(root, 1, -1)).code).toBe(0);
    expect((await run(root, 2, 5)).code).toBe(0);

    // The last run wrote day 2: the views' tests check day 2 only; the singular test the new event.
    expect((await cli(root, 'test')).code).toBe(1);
    expect(result(root, 'accepted_range_daily_min_v')).toMatchObject({ status: 'pass', scope: '"day" in (CAST(\'2\' AS INTEGER))' });
    expect(result(root, 'accepted_range_daily_low_min_v')).toMatchObject({ status: 'pass', scope: '"day" in (CAST(\'2\' AS INTEGER))' });
    expect(result(root, 'unique_daily_day')).toMatchObject({ status: 'pass', scope: expect.stringContaining('"day" in') });
    expect(result(root, 'no_negative_event')).toMatchObject({ status: 'pass', scope: expect.stringMatching(/^events where "written" >=/) });
    // test_scope whole: every row on every run, scoped by nothing.
    expect(result(root, 'always_whole')).toMatchObject({ status: 'fail', failures: 1 });
    expect(result(root, 'always_whole').scope).toBeUndefined();
    // Full-table tests: a row count, a key without the period column, every test of a `full` view.
    for (const name of ['row_count_daily', 'unique_daily_n', 'accepted_range_totals_min_v']) {
      expect(result(root, name), name).toMatchObject({ status: 'skipped', message: 'skipped: full-table test, run with --full' });
    }

    const full = await cli(root, 'test', '--full');
    expect(full.code).toBe(1);
    for (const name of ['accepted_range_daily_min_v', 'accepted_range_daily_low_min_v', 'accepted_range_totals_min_v', 'no_negative_event', 'always_whole']) {
      expect(result(root, name), name).toMatchObject({ status: 'fail', failures: 1 });
      expect(result(root, name).scope, name).toBeUndefined();
    }
    expect(result(root, 'row_count_daily')).toMatchObject({ status: 'fail' });

    // A bad event in the window: every scoped test that reads it fails, on day 3 only.
    expect((await run(root, 3, -2)).code).toBe(0);
    expect((await cli(root, 'test')).code).toBe(1);
    expect(result(root, 'accepted_range_daily_min_v')).toMatchObject({ status: 'fail', failures: 1, scope: '"day" in (CAST(\'3\' AS INTEGER))', sample: [expect.objectContaining({ day: 3 })] });
    expect(result(root, 'accepted_range_daily_low_min_v')).toMatchObject({ status: 'fail', failures: 1 });
    expect(result(root, 'no_negative_event')).toMatchObject({ status: 'fail', failures: 1, sample: [expect.objectContaining({ day: 3, v: -2 })] });
  });

  it('a late event for an old day scopes the tests to that day', async () => {
    const root = tempProject(project);
    expect((await run(root, 1, -1)).code).toBe(0);
    expect((await run(root, 2, 5)).code).toBe(0);
    // Day 1 gets a good event: its row (min_v -1 from the old bad event) is in scope again.
    expect((await run(root, 1, 7)).code).toBe(0);
    await cli(root, 'test');
    expect(result(root, 'accepted_range_daily_min_v')).toMatchObject({ status: 'fail', failures: 1, scope: '"day" in (CAST(\'1\' AS INTEGER))' });
  });

  it('checks every row of the view when its input\'s last build is unknown', async () => {
    const root = tempProject(project);
    expect((await run(root, 1, -1)).code).toBe(0);
    // Only the view is built: the events' last build is unknown, so its tests check every row.
    expect((await cli(root, 'run', '--select', 'daily')).code).toBe(0);
    await cli(root, 'test');
    expect(result(root, 'accepted_range_daily_min_v')).toMatchObject({ status: 'fail', failures: 1 });
    expect(result(root, 'accepted_range_daily_min_v').scope).toBeUndefined();
  });

  it('names a test_scope input the model does not read, or a column it does not have', async () => {
    const yml = (scope: string) => project['models/schema.yml'].replace('{test_scope: {column: day, input: events}}', scope);
    let root = tempProject({ ...project, 'models/schema.yml': yml('{test_scope: {column: day, input: totals}}') });
    await run(root, 1, 1);
    let out = await cli(root, 'test');
    expect(out.code).toBe(1);
    expect(result(root, 'accepted_range_daily_min_v').message).toContain('model "daily": test_scope.input "totals" is not a model it reads');

    root = tempProject({ ...project, 'models/schema.yml': yml('{test_scope: {column: week, input: events}}') });
    await run(root, 1, 1);
    await cli(root, 'test');
    expect(result(root, 'accepted_range_daily_min_v').message).toContain('test_scope.column "week" is not one of its columns');

    // The shape is checked on load, at the YAML line.
    root = tempProject({ ...project, 'models/schema.yml': yml('{test_scope: {input: events}}') });
    out = await cli(root, 'test');
    expect(out.code).not.toBe(0);
    expect(out.stderr + out.stdout).toMatch(/schema\.yml:5:\d+: missing required key "column"/);
  });
});

describe('uniqueness tests of a model whose rows sharing a key share a period (test_scope {column})', () => {
  // Each run appends one row (id, day) stamped with its time; a repeated id carries its day.
  const keyed = {
    'models/events.sql': 'select * from (values ({{var "id" 0}}, {{var "day" 0}})) as t(id, day) cross join (select {{now}} as written) as w',
    'models/events.yml': `models:
  - name: events
    config: {materialized: incremental, incremental_strategy: append, written_at: written, test_scope: {column: day}}
    columns:
      - name: id
        tests: [unique]
`,
  };
  const append = (root: string, id: number, day: number) => cli(root, 'run', '--vars', JSON.stringify({ id, day }));

  it('look for a new key among the rows of its period; a repeat in another period shows under --full', async () => {
    const root = tempProject(keyed);
    expect((await append(root, 1, 1)).code).toBe(0);
    expect((await append(root, 1, 1)).code).toBe(0);
    expect((await cli(root, 'test')).code).toBe(1);
    expect(result(root, 'unique_events_id')).toMatchObject({ status: 'fail', failures: 1, scope: expect.stringContaining('among the rows where "day" in (CAST(\'1\' AS INTEGER))') });

    const other = tempProject(keyed);
    expect((await append(other, 5, 1)).code).toBe(0);
    expect((await append(other, 5, 2)).code).toBe(0);
    expect((await cli(other, 'test')).code).toBe(0);
    expect(result(other, 'unique_events_id')).toMatchObject({ status: 'pass', scope: expect.stringContaining('"day" in (CAST(\'2\' AS INTEGER))') });
    expect((await cli(other, 'test', '--full')).code).toBe(1);
    expect(result(other, 'unique_events_id')).toMatchObject({ status: 'fail', failures: 1 });
  });

  it('audit a build on its staged rows: a repeat among them blocks publishing, from the first build on', async () => {
    const root = tempProject(keyed);
    const build = (id: number, day: number) => cli(root, 'build', '--vars', JSON.stringify({ id, day }));
    expect((await build(1, 1)).code).toBe(0);
    expect(result(root, 'unique_events_id')).toMatchObject({ status: 'pass', scope: expect.stringContaining('"day" in (CAST(\'1\' AS INTEGER))') });
    expect((await build(1, 1)).code).toBe(1);
    expect(result(root, 'unique_events_id')).toMatchObject({ status: 'fail', failures: 1 });
    expect(result(root, 'events').message).toContain('not published');
  });
});
