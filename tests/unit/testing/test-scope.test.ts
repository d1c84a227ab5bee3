import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, tempProject } from '../support/project.js';

const result = (root: string, prefix: string) =>
  (JSON.parse(readFileSync(join(root, 'target/run_results.json'), 'utf8')).results as Record<string, any>[]).find((r) => r.unique_id.split('.')[2].startsWith(prefix))!;

describe('data tests scoped to what the last run wrote (written_at)', () => {
  const project = {
    'models/events.sql': 'select * from (values ({{var "id" 0}}, {{var "v" 0}})) as t(id, v) cross join (select {{now}} as written) as w',
    'models/events.yml': `models:
  - name: events
    config: {materialized: incremental, incremental_strategy: append, written_at: written}
    tests:
      - row_count: {min: 1, max: 1}
    columns:
      - name: v
        tests: [{accepted_range: {min_value: 0}}]
`,
  };
  const vars = (id: number, v: number) => ['--vars', JSON.stringify({ id, v })];

  it('check only the rows of the last run; --full and whole-table tests check every row', async () => {
    const root = tempProject(project);
    expect((await cli(root, 'run', ...vars(1, -1))).code).toBe(0);
    expect((await cli(root, 'run', ...vars(2, 5))).code).toBe(0);

    // The bad row is older than the last run: the row-wise test does not see it, row_count sees the whole table.
    await cli(root, 'test');
    expect(result(root, 'accepted_range')).toMatchObject({ status: 'pass', scope: expect.stringContaining('"written" >=') });
    expect(result(root, 'row_count')).toMatchObject({ status: 'fail' });
    expect(result(root, 'row_count').scope).toBeUndefined();

    const full = await cli(root, 'test', '--full');
    expect(full.code).toBe(1);
    expect(result(root, 'accepted_range')).toMatchObject({ status: 'fail', failures: 1 });
    expect(result(root, 'accepted_range').scope).toBeUndefined();

    // In a build, the model's tests see the rows this build wrote: the new bad row, not the old one.
    const build = await cli(root, 'build', ...vars(3, -2));
    expect(build.code).toBe(1);
    expect(result(root, 'accepted_range')).toMatchObject({ status: 'fail', failures: 1 });
  });
});

describe('uniqueness tests scoped to the keys the last run wrote', () => {
  // Each run appends one row (id, k) stamped with its time.
  const project = {
    'models/events.sql': 'select * from (values ({{var "id" 0}}, {{var "k" 0}})) as t(id, k) cross join (select {{now}} as written) as w',
    'models/events.yml': `models:
  - name: events
    config: {materialized: incremental, incremental_strategy: append, written_at: written}
    tests:
      - unique_combination_of_columns: {combination_of_columns: [id, k]}
    columns:
      - name: id
        tests: [unique]
`,
  };
  const run = (root: string, id: number, k: number) => cli(root, 'run', '--vars', JSON.stringify({ id, k }));

  it('a new row repeating an old row\'s key fails; old duplicates outside the scope show only under --full', async () => {
    const root = tempProject(project);
    // Two old rows with one key (1, 1): a duplicate the later runs did not write.
    expect((await run(root, 1, 1)).code).toBe(0);
    expect((await run(root, 1, 1)).code).toBe(0);
    expect((await run(root, 2, 7)).code).toBe(0);
    expect((await cli(root, 'test')).code).toBe(0);
    expect(result(root, 'unique_events_id')).toMatchObject({ status: 'pass', scope: expect.stringMatching(/^"id" of the rows where "written" >=/) });
    expect(result(root, 'unique_combination')).toMatchObject({ status: 'pass', scope: expect.stringMatching(/^"id", "k" of the rows where/) });

    const full = await cli(root, 'test', '--full');
    expect(full.code).toBe(1);
    expect(result(root, 'unique_events_id')).toMatchObject({ status: 'fail', failures: 1 });
    expect(result(root, 'unique_combination')).toMatchObject({ status: 'fail', failures: 1 });

    // A new row with key 2 (an old row's id, another k): unique fails on the pair of rows, the combination holds.
    expect((await run(root, 2, 8)).code).toBe(0);
    expect((await cli(root, 'test')).code).toBe(1);
    expect(result(root, 'unique_events_id')).toMatchObject({ status: 'fail', failures: 1, sample: [expect.objectContaining({ n_records: 2 })] });
    expect(result(root, 'unique_combination')).toMatchObject({ status: 'pass' });

    // A new row repeating (2, 7) whole: both fail, on that key only (not on the old (1, 1)).
    expect((await run(root, 2, 7)).code).toBe(0);
    expect((await cli(root, 'test')).code).toBe(1);
    expect(result(root, 'unique_events_id')).toMatchObject({ status: 'fail', failures: 1, sample: [expect.objectContaining({ n_records: 3 })] });
    expect(result(root, 'unique_combination')).toMatchObject({ status: 'fail', failures: 1, sample: [expect.objectContaining({ id: 2, k: 7 })] });
  });
});

