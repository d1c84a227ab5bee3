import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, query, tempProject, writeFile } from '../support/project.js';

const resultsOf = (root: string) => JSON.parse(readFileSync(join(root, 'target/run_results.json'), 'utf8')) as { metadata: { command: string; args: Record<string, string[]> }; results: { unique_id: string; status: string }[] };
const statuses = (root: string) => Object.fromEntries(resultsOf(root).results.map((r) => [r.unique_id.split('.').pop(), r.status]));

describe('framework retry', () => {
  const project = () =>
    tempProject({
      'profiles.yml': 'default_target: dev\ntargets:\n  dev: {type: duckdb, path: target/dev.duckdb, threads: 2}\n  other: {type: duckdb, path: target/dev.duckdb, schema: alt, threads: 2}\n',
      'models/a.sql': 'select 1 as id',
      'models/b.sql': 'select a.id from {{ref "a"}} a join no_such_table n on n.id = a.id',
      'models/c.sql': `select id, '{{var "label"}}' as label from {{ref "b"}}`,
      'models/d.sql': 'select id from {{ref "a"}}',
      'models/e.sql': 'select id from {{ref "a"}}',
    });

  it('runs the errored and skipped nodes again with the previous command, target, vars and selection; then has nothing to do', async () => {
    const root = project();
    const first = await cli(root, 'run', '--target', 'other', '--vars', '{label: x}', '--exclude', 'e');
    expect(first.code).toBe(1);
    expect(statuses(root)).toEqual({ a: 'success', b: 'error', c: 'skipped', d: 'success' });
    expect(resultsOf(root).metadata).toMatchObject({ command: 'run', args: { target: ['other'], vars: ['{label: x}'], exclude: ['e'] } });

    writeFile(root, 'models/b.sql', 'select id from {{ref "a"}}');
    const retry = await cli(root, 'retry');
    expect(retry.stderr).toBe('');
    expect(retry.code).toBe(0);
    expect(retry.stdout).toContain('retrying 2 nodes of "framework run"');
    // Exactly b and its skipped child: a and d are not run again, e stays excluded.
    expect(statuses(root)).toEqual({ b: 'success', c: 'success' });
    expect(await query(root, 'select id, label from alt.c')).toEqual([{ id: 1, label: 'x' }]);
    expect(await query(root, "select table_name from information_schema.tables where table_name = 'e'")).toEqual([]);
    // The retry's own run_results.json repeats the invocation, so a retry of it means the same.
    expect(resultsOf(root).metadata).toMatchObject({ command: 'run', args: { target: ['other'], exclude: ['e'] } });

    const again = await cli(root, 'retry');
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('the previous "framework run" succeeded entirely: nothing to retry');
    expect(statuses(root)).toEqual({ b: 'success', c: 'success' });
  });

  it('retries failed data tests of a build and what they blocked', async () => {
    const root = tempProject({
      'models/a.sql': 'select 1 as id',
      'models/f.sql': 'select id from {{ref "a"}}',
      'tests/no_ones.sql': 'select id from {{ref "a"}} where id = 1',
    });
    expect((await cli(root, 'build')).code).toBe(1);
    expect(statuses(root)).toEqual({ a: 'success', no_ones: 'fail', f: 'skipped' });
    writeFile(root, 'tests/no_ones.sql', 'select id from {{ref "a"}} where id = 2');
    expect((await cli(root, 'retry')).code).toBe(0);
    // a succeeded before: only the failed test and the model it held back run again.
    expect(statuses(root)).toEqual({ no_ones: 'pass', f: 'success' });
  });

  it('without a previous run: one clear line, exit 2', async () => {
    const root = project();
    const result = await cli(root, 'retry');
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^error: nothing to retry: .*run_results\.json does not exist \(run, build, seed, test or snapshot first\)\n$/);
  });
});
