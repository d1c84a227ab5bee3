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
