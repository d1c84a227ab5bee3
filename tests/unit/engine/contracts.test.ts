import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { duckdbDialect } from '../../../framework/adapters/duckdb/dialect.js';
import { trinoDialect } from '../../../framework/adapters/trino/dialect.js';
import { cli, query, tempProject, writeFile } from '../support/project.js';

const contracted = (columns: string, extra = '') => `models:
  - name: m
    config: {materialized: table, contract: {enforced: true}}
${extra}    columns:
${columns}`;
const good = `      - {name: id, data_type: int}
      - {name: name, data_type: text}
      - {name: amount, data_type: "decimal(10,2)"}
      - {name: at, data_type: timestamptz}
`;
const goodSql = "select 1 as id, 'a' as name, cast(2.5 as decimal(10,2)) as amount, timestamptz '2025-09-01 00:00:00+00' as at";
const results = (root: string) => JSON.parse(readFileSync(join(root, 'target/run_results.json'), 'utf8')).results as { unique_id: string; status: string; message: string }[];

describe('model contracts (DuckDB)', () => {
  it('a matching contract builds (types in any of the engine\'s spellings); a mismatch lists every one and leaves the old table', async () => {
    const root = tempProject({ 'models/m.sql': goodSql, 'models/m.yml': contracted(good) });
    const first = await cli(root, 'run');
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);

    writeFile(root, 'models/m.sql', "select 'x' as id, 'b' as name, cast(3 as decimal(12,2)) as amount, 7 as surprise");
    const second = await cli(root, 'run');
    expect(second.code).toBe(1);
    const { message } = results(root).find((r) => r.unique_id === 'model.t.m')!;
    expect(message).toContain('model "m": contract not met, m left as it was (4 mismatches)');
    expect(message).toContain('column id: declared int, query gives varchar');
    expect(message).toContain('column amount: declared decimal(10,2), query gives decimal(12,2)');
    expect(message).toContain('column at: declared timestamptz, missing from the query');
    expect(message).toContain('column surprise: query gives integer, not declared');
    // Checked before the replace: the published table is the first run's.
    expect(await query(root, 'select id, name from m')).toEqual([{ id: 1, name: 'a' }]);
  });

  it('not_null and check constraints are created with the table: a row breaking them fails the build, the old table stays', async () => {
    const columns = `      - {name: id, data_type: integer, constraints: [{type: not_null}]}
      - {name: qty, data_type: integer}
`;
    const root = tempProject({
      'models/m.sql': 'select 1 as id, 5 as qty',
      'models/m.yml': contracted(columns, '    constraints:\n      - {type: check, expression: "qty > 0"}\n'),
    });
    expect((await cli(root, 'run')).code).toBe(0);
    expect(await query(root, "select column_name, is_nullable from information_schema.columns where table_name = 'm' order by ordinal_position")).toEqual([
      { column_name: 'id', is_nullable: 'NO' },
      { column_name: 'qty', is_nullable: 'YES' },
    ]);
    // Enforced by DuckDB, so no test stands in for them.
    expect((await cli(root, 'ls', '--resource-type', 'test')).stdout.trim()).toBe('');

    writeFile(root, 'models/m.sql', 'select cast(null as integer) as id, 5 as qty');
    expect((await cli(root, 'run')).code).toBe(1);
    expect(results(root)[0]!.message).toMatch(/NOT NULL constraint failed: m\.id/);
    writeFile(root, 'models/m.sql', 'select 2 as id, 0 as qty');
    expect((await cli(root, 'run')).code).toBe(1);
    expect(results(root)[0]!.message).toMatch(/CHECK constraint failed/);
    expect(await query(root, 'select id, qty from m')).toEqual([{ id: 1, qty: 5 }]);
  });

  it('unique and primary_key become error-severity tests that block what reads the model in build', async () => {
    const root = tempProject({
      'models/m.sql': 'select 1 as id, 1 as k1, 1 as k2 union all select 1, 2, 2',
      'models/child.sql': 'select * from {{ref "m"}}',
      'models/m.yml': contracted(
        `      - {name: id, data_type: integer, constraints: [{type: unique}]}
      - {name: k1, data_type: integer}
      - {name: k2, data_type: integer}
`,
        '    constraints:\n      - {type: primary_key, columns: [k1, k2]}\n',
      ),
      'project.yml': 'name: t\ntests:\n  +severity: warn\n',
    });
    const tests = (await cli(root, 'ls', '--resource-type', 'test')).stdout.trim().split('\n').sort();
    // primary_key's NOT NULL is DuckDB's own (the table is created with it); uniqueness is tested.
    expect(tests).toEqual(['unique_combination_of_columns_m_k1__k2', 'unique_m_id']);
    const build = await cli(root, 'build');
    expect(build.code).toBe(1);
    const status = Object.fromEntries(results(root).map((r) => [r.unique_id, r.status]));
    // Blocking despite the project's warn default for tests.
    expect(status['test.t.unique_m_id']).toBe('fail');
    expect(status['test.t.unique_combination_of_columns_m_k1__k2']).toBe('pass');
    expect(status['model.t.child']).toBe('skipped');
  });

  it('--empty checks contracts too', async () => {
    const root = tempProject({ 'models/m.sql': "select 'x' as id", 'models/m.yml': contracted('      - {name: id, data_type: bigint}\n') });
    expect((await cli(root, 'run', '--empty')).code).toBe(1);
    expect(results(root)[0]!.message).toContain('column id: declared bigint, query gives varchar');
  });

  it('a contract without data_type: one line naming the file, line and column, exit 2', async () => {
    const root = tempProject({ 'models/m.sql': 'select 1 as id, 2 as n', 'models/m.yml': contracted('      - {name: id, data_type: integer}\n      - {name: n}\n') });
    const r = await cli(root, 'ls');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: models\/m\.yml:6:\d+: model "m": contract.enforced but column "n" has no data_type\n/);
  });

  it('a check constraint without expression: exit 2 at its line', async () => {
    const root = tempProject({ 'models/m.sql': 'select 1 as id', 'models/m.yml': contracted('      - {name: id, data_type: integer}\n', '    constraints:\n      - {type: check}\n') });
    const r = await cli(root, 'ls');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: models\/m\.yml:5:\d+: model "m": a check constraint needs expression\n/);
  });

  it('a contract enforced by project.yml on a model no properties file declares: exit 2 naming the model file', async () => {
    const root = tempProject({ 'project.yml': 'name: t\nmodels:\n  +contract: {enforced: true}\n', 'models/bare.sql': 'select 1 as id' });
    const r = await cli(root, 'ls');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: models\/bare\.sql: model "bare": contract.enforced but no columns are declared\n/);
  });

  it('type names compare per engine: aliases, parameters only when declared', () => {
    expect(duckdbDialect.sameType('int', 'INTEGER')).toBe(true);
    expect(duckdbDialect.sameType('string', 'VARCHAR')).toBe(true);
    expect(duckdbDialect.sameType('timestamptz', 'TIMESTAMP WITH TIME ZONE')).toBe(true);
    expect(duckdbDialect.sameType('decimal', 'DECIMAL(18,3)')).toBe(true);
    expect(duckdbDialect.sameType('decimal(10, 2)', 'DECIMAL(18,3)')).toBe(false);
    expect(duckdbDialect.sameType('bigint', 'INTEGER')).toBe(false);
    expect(trinoDialect.sameType('varchar', 'varchar(5)')).toBe(true);
    expect(trinoDialect.sameType('varchar(10)', 'varchar(5)')).toBe(false);
    expect(trinoDialect.sameType('timestamp with time zone', 'timestamp(6) with time zone')).toBe(true);
    expect(trinoDialect.sameType('timestamp(3) with time zone', 'timestamp(6) with time zone')).toBe(false);
    expect(trinoDialect.sameType('int32', 'integer')).toBe(true);
    expect(trinoDialect.sameType('timestamp', 'timestamp(6) with time zone')).toBe(false);
  });
});
