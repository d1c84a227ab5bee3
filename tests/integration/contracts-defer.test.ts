/**
 * Issue 19 items 2 and 5 on the real stack (Trino 476, Iceberg on MinIO): an enforced contract that
 * the SQL breaks leaves the published table as it was; a not_null constraint is an Iceberg NOT NULL
 * column that refuses a NULL; --empty checks contracts; a dev target builds one model with
 * --defer against the tables of a prod target's run, and clone makes views over them.
 */
import { randomBytes } from 'node:crypto';
import { cpSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli, writeFile } from '../unit/support/project.js';
import { dropSchemas, ok, rows, runResults, trinoProject, trinoTarget } from './support.js';

const prefix = `it_contract_${randomBytes(3).toString('hex')}`;
const target = (name: string) => trinoTarget(name, `${prefix}_${name}`);
const profiles = `default_target: prod\ntargets:\n${target('prod')}${target('dev')}`;

const contract = `models:
  - name: m
    config: {materialized: table, contract: {enforced: true}}
    columns:
      - {name: id, data_type: integer, constraints: [{type: not_null}]}
      - {name: name, data_type: varchar}
      - {name: at, data_type: timestamp with time zone}
`;
const goodSql = "select 1 as id, 'a' as name, timestamp '2025-09-01 00:00:00 UTC' as at";
const message = (root: string, id: string) => runResults(root).results.find((r) => r.unique_id === id)!.message;

afterAll(async () => {
  await dropSchemas(prefix);
});

describe('contracts on Trino/Iceberg', () => {
  const { root } = trinoProject({ 'profiles.yml': profiles, 'models/m.sql': goodSql, 'models/m.yml': contract });
  const table = `iceberg.${prefix}_prod.m`;

  it('a matching contract builds the table with NOT NULL columns (varchar(1) and timestamp(3) with time zone match the declared types)', async () => {
    await ok(root, 'run');
    const columns = await rows(`select column_name, is_nullable from iceberg.information_schema.columns where table_schema = '${prefix}_prod' and table_name = 'm' order by ordinal_position`);
    expect(columns).toEqual([
      { column_name: 'id', is_nullable: 'NO' },
      { column_name: 'name', is_nullable: 'YES' },
      { column_name: 'at', is_nullable: 'YES' },
    ]);
    expect(await rows(`select id, name from ${table}`)).toEqual([{ id: 1, name: 'a' }]);
  });

  it('a mismatch lists every one and leaves the published table as it was', async () => {
    writeFile(root, 'models/m.sql', "select 'x' as id, 'b' as name, 3 as extra");
    expect((await cli(root, 'run')).code).toBe(1);
    const text = message(root, 'model.t.m');
    expect(text).toContain('contract not met, m left as it was (3 mismatches)');
    expect(text).toContain('column id: declared integer, query gives varchar(1)');
    expect(text).toContain('column at: declared timestamp with time zone, missing from the query');
    expect(text).toContain('column extra: query gives integer, not declared');
    expect(await rows(`select id, name from ${table}`)).toEqual([{ id: 1, name: 'a' }]);
  });

  it('Iceberg refuses a NULL in the NOT NULL column: the build fails and the table stays', async () => {
    writeFile(root, 'models/m.sql', "select cast(null as integer) as id, 'c' as name, timestamp '2025-09-02 00:00:00 UTC' as at");
    expect((await cli(root, 'run')).code).toBe(1);
    expect(message(root, 'model.t.m')).toMatch(/NULL value not allowed for NOT NULL column: id/i);
    expect(await rows(`select id, name from ${table}`)).toEqual([{ id: 1, name: 'a' }]);
    // The side table the rows went to first is gone.
    expect(await rows(`select table_name from iceberg.information_schema.tables where table_schema = '${prefix}_prod'`)).toEqual([{ table_name: 'm' }]);
  });

  it('--empty checks the contract too', async () => {
    writeFile(root, 'models/m.sql', "select 1 as id, 'a' as name, 5 as at");
    expect((await cli(root, 'run', '--empty')).code).toBe(1);
    expect(message(root, 'model.t.m')).toContain('column at: declared timestamp with time zone, query gives integer');
    writeFile(root, 'models/m.sql', goodSql);
    // The matching contract passes --empty, and the table is created with its NOT NULL column again.
    await ok(root, 'run', '--empty');
    expect(await rows(`select is_nullable from iceberg.information_schema.columns where table_schema = '${prefix}_prod' and table_name = 'm' and column_name = 'id'`)).toEqual([{ is_nullable: 'NO' }]);
  });
});

describe('--defer and clone from a dev target against prod', () => {
  const { root } = trinoProject({
    'profiles.yml': profiles,
    'models/up.sql': "{{config materialized=\"table\"}}\nselect '{{target.name}}' as built_by",
    'models/down.sql': '{{config materialized="table"}}\nselect built_by from {{ref "up"}}',
  });
  const state = join(root, 'prod-state');

  it('run --select down --defer reads prod\'s up, which dev has not built', async () => {
    await ok(root, 'run', '--target', 'prod');
    cpSync(join(root, 'target/manifest.json'), join(state, 'manifest.json'));
    await ok(root, 'run', '--target', 'dev', '--select', 'down', '--defer', '--state', state);
    expect(readFileSync(join(root, 'target/run/models/down.sql'), 'utf8')).toContain(`from "${prefix}_prod"."up"`);
    expect(await rows(`select built_by from iceberg.${prefix}_dev.down`)).toEqual([{ built_by: 'prod' }]);
    expect(await rows(`select count(*) as n from iceberg.information_schema.tables where table_schema = '${prefix}_dev' and table_name = 'up'`)).toEqual([{ n: 0 }]);
  });

  it('clone makes dev\'s up a view over prod\'s table', async () => {
    await ok(root, 'clone', '--target', 'dev', '--select', 'up', '--state', state);
    expect(await rows(`select table_type from iceberg.information_schema.tables where table_schema = '${prefix}_dev' and table_name = 'up'`)).toEqual([{ table_type: 'VIEW' }]);
    expect(await rows(`select built_by from iceberg.${prefix}_dev.up`)).toEqual([{ built_by: 'prod' }]);
  });
});
