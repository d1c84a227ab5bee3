import { cpSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, query, tempProject } from '../support/project.js';

/** Two targets in one DuckDB file, schemas dev and prod; `up` says which target built it. */
const project = () => {
  const root = tempProject({
    'profiles.yml': 'default_target: dev\ntargets:\n  dev: {type: duckdb, path: target/dev.duckdb, schema: dev_s}\n  prod: {type: duckdb, path: target/dev.duckdb, schema: prod_s}\n',
    'seeds/kinds.csv': 'k\n1\n',
    'models/up.sql': "{{config materialized=\"table\"}}\nselect '{{target.name}}' as built_by, k from {{ref \"kinds\"}}",
    'models/eph.sql': '{{config materialized="ephemeral"}}\nselect * from {{ref "up"}}',
    'models/down.sql': '{{config materialized="table"}}\nselect built_by from {{ref "eph"}}',
  });
  return root;
};

/** prod built, its artifacts copied aside as a deployment would keep them. */
async function withProd(): Promise<{ root: string; state: string }> {
  const root = project();
  expect((await cli(root, 'build', '--target', 'prod')).code).toBe(0);
  const state = join(root, 'prod-state');
  cpSync(join(root, 'target/manifest.json'), join(state, 'manifest.json'));
  return { root, state };
}

const downReads = async (root: string) => (await query(root, 'select built_by from dev_s.down')) as { built_by: string }[];

describe('--defer --state', () => {
  it('a ref outside the selection that this target has not built reads the state\'s relation (through an ephemeral); a built one is read here; --favor-state reads the state\'s', async () => {
    const { root, state } = await withProd();
    const first = await cli(root, 'run', '--select', 'down', '--defer', '--state', state);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(await downReads(root)).toEqual([{ built_by: 'prod' }]);
    expect(readFileSync(join(root, 'target/run/models/down.sql'), 'utf8')).toContain('from "prod_s"."up"');

    expect((await cli(root, 'build', '--select', 'kinds', 'up')).code).toBe(0);
    expect((await cli(root, 'run', '--select', 'down', '--defer', '--state', state)).code).toBe(0);
    expect(await downReads(root)).toEqual([{ built_by: 'dev' }]);
    expect((await cli(root, 'run', '--select', 'down', '--defer', '--favor-state', '--state', state)).code).toBe(0);
    expect(await downReads(root)).toEqual([{ built_by: 'prod' }]);
  });

  it('compile and show --inline defer too', async () => {
    const { root, state } = await withProd();
    expect((await cli(root, 'compile', '--select', 'down', '--defer', '--state', state)).code).toBe(0);
    expect(readFileSync(join(root, 'target/compiled/models/down.sql'), 'utf8')).toContain('from "prod_s"."up"');
    const shown = await cli(root, 'show', '--inline', 'select built_by from {{ref "up"}}', '--output', 'json', '--defer', '--state', state);
    expect(JSON.parse(shown.stdout)).toEqual([{ built_by: 'prod' }]);
  });

  it('--defer without --state: one line naming the flag, exit 2', async () => {
    const r = await cli(project(), 'run', '--select', 'down', '--defer');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: --defer needs --state <dir>[^\n]*\n$/);
  });
});

describe('clone --state', () => {
  it('creates each selected relation as a view over the state\'s, keeps an existing one unless --full-refresh', async () => {
    const { root, state } = await withProd();
    expect((await cli(root, 'build', '--select', 'kinds', 'up')).code).toBe(0);
    const r = await cli(root, 'clone', '--state', state);
    expect(r.code).toBe(0);
    const types = async () => query(root, "select table_name, table_type from information_schema.tables where table_schema = 'dev_s' order by 1");
    expect(await types()).toEqual([
      { table_name: 'down', table_type: 'VIEW' },
      { table_name: 'kinds', table_type: 'BASE TABLE' },
      { table_name: 'up', table_type: 'BASE TABLE' },
    ]);
    expect(await downReads(root)).toEqual([{ built_by: 'prod' }]);
    const messages = Object.fromEntries(JSON.parse(readFileSync(join(root, 'target/run_results.json'), 'utf8')).results.map((x: { unique_id: string; message: string }) => [x.unique_id, x.message]));
    expect(messages).toEqual({ 'seed.t.kinds': 'table exists, left as is (--full-refresh replaces it)', 'model.t.up': 'table exists, left as is (--full-refresh replaces it)', 'model.t.down': 'view over "prod_s"."down"' });

    expect((await cli(root, 'clone', '--state', state, '--select', 'up', '--full-refresh')).code).toBe(0);
    expect(await query(root, "select table_type from information_schema.tables where table_schema = 'dev_s' and table_name = 'up'")).toEqual([{ table_type: 'VIEW' }]);
    expect(await query(root, 'select built_by from dev_s.up')).toEqual([{ built_by: 'prod' }]);
  });

  it('without --state: one line, exit 2', async () => {
    const r = await cli(project(), 'clone');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: clone needs --state <dir>[^\n]*\n$/);
  });
});
