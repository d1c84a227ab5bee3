import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, query, tempProject } from '../support/project.js';

const rows = (r: Record<string, unknown>[]) => r.map((x) => Object.values(x));

describe('materializations on DuckDB', () => {
  it('view, table, seed, ephemeral and an external source build in DAG order', async () => {
    const root = tempProject({
      'seeds/countries.csv': 'code,name\nKR,Korea\nUS,United States\n',
      'seeds/countries.yml': 'seeds:\n  - name: countries\n    config: {column_types: {code: VARCHAR}}\n',
      'data/users.csv': 'id,country\n1,KR\n2,KR\n3,US\n',
      'sources/files.yml': 'sources:\n  - name: files\n    tables:\n      - name: users\n        external: {location: data/users.csv, format: csv}\n',
      'models/stg_users.sql': '{{config materialized="ephemeral"}}select id, country from {{source "files" "users"}}',
      'models/users_by_country.sql': '{{config materialized="table" schema="marts"}}select c.name, count(*) as n from {{ref "stg_users"}} u join {{ref "countries"}} c on c.code = u.country group by 1',
      'models/report.sql': 'select * from {{ref "users_by_country"}} where n > 1',
    });
    const r = await cli(root, 'build');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/OK seed main\.countries/);
    expect(rows(await query(root, 'select name, n from marts.users_by_country order by name'))).toEqual([
      ['Korea', 2],
      ['United States', 1],
    ]);
    expect(rows(await query(root, 'select name from main.report'))).toEqual([['Korea']]);
    const types = await query(root, "select table_name, table_type from information_schema.tables where table_name in ('report', 'users_by_country', 'stg_users') order by 1");
    expect(rows(types)).toEqual([
      ['report', 'VIEW'],
      ['users_by_country', 'BASE TABLE'],
    ]);
    const results = JSON.parse(readFileSync(join(root, 'target/run_results.json'), 'utf8'));
    expect(results.results.map((x: { unique_id: string; status: string }) => [x.unique_id, x.status])).toEqual([
      ['seed.t.countries', 'success'],
      ['model.t.users_by_country', 'success'],
      ['model.t.report', 'success'],
    ]);
    expect(results.results[1].rows_affected).toBe(2);
    const manifest = JSON.parse(readFileSync(join(root, 'target/manifest.json'), 'utf8'));
    expect(manifest.nodes['model.t.report']).toMatchObject({ dependsOn: ['model.t.users_by_country'], config: { materialized: 'view' } });
    expect(manifest.nodes['model.t.report'].checksum).toMatch(/^[0-9a-f]{64}$/);
  });

  it('switching a model between view and table replaces the relation', async () => {
    const root = tempProject({ 'models/m.sql': '{{config materialized="view"}}select 1 as id' });
    await cli(root, 'run');
    writeFileSync(join(root, 'models/m.sql'), '{{config materialized="table"}}select 2 as id');
    expect((await cli(root, 'run')).code).toBe(0);
    expect(await query(root, "select table_type from information_schema.tables where table_name = 'm'")).toEqual([{ table_type: 'BASE TABLE' }]);
    writeFileSync(join(root, 'models/m.sql'), '{{config materialized="view"}}select 3 as id');
    expect((await cli(root, 'run')).code).toBe(0);
    expect(await query(root, 'select id from main.m')).toEqual([{ id: 3 }]);
  });

  const incremental = (strategy: string, extra = '') => ({
    'data/events.csv': 'id,k,v\n1,a,10\n2,b,20\n',
    'sources/s.yml': 'sources:\n  - name: s\n    tables:\n      - name: events\n        external: {location: data/events.csv, format: csv}\n',
    'models/inc.sql': `{{config materialized="incremental" incremental_strategy="${strategy}" ${extra}}}select id, k, v from {{source "s" "events"}}{{#if (is_incremental)}} where id >= (select max(id) from {{this}}){{/if}}`,
  });

  it('merge updates matched rows and inserts new ones in one MERGE', async () => {
    const root = tempProject(incremental('merge', 'unique_key="id"'));
    await cli(root, 'run');
    writeFileSync(join(root, 'data/events.csv'), 'id,k,v\n1,a,10\n2,b,21\n3,c,30\n');
    const r = await cli(root, 'run');
    expect(r.code).toBe(0);
    expect(rows(await query(root, 'select id, v from main.inc order by id'))).toEqual([
      [1, 10],
      [2, 21],
      [3, 30],
    ]);
    const executed = readFileSync(join(root, 'target/run/models/inc.sql'), 'utf8');
    expect(executed).toMatch(/^merge into "main"\."inc" as "__target"/m);
  });

  it('append adds every new row, keeping duplicates', async () => {
    const root = tempProject(incremental('append'));
    await cli(root, 'run');
    await cli(root, 'run');
    expect(rows(await query(root, 'select id, count(*) from main.inc group by id order by id'))).toEqual([
      [1, 1],
      [2, 2],
    ]);
  });

  it('delete+insert replaces all rows of the keys that arrive (several rows per key)', async () => {
    const root = tempProject(incremental('delete+insert', 'unique_key="k"'));
    await cli(root, 'run');
    writeFileSync(join(root, 'data/events.csv'), 'id,k,v\n2,b,1\n3,b,2\n4,d,4\n');
    expect((await cli(root, 'run')).code).toBe(0);
    expect(rows(await query(root, 'select k, v from main.inc order by k, v'))).toEqual([
      ['a', 10],
      ['b', 1],
      ['b', 2],
      ['d', 4],
    ]);
  });

  it('--full-refresh rebuilds an incremental model from scratch', async () => {
    const root = tempProject(incremental('append'));
    await cli(root, 'run');
    await cli(root, 'run');
    await cli(root, 'run', '--full-refresh');
    expect(await query(root, 'select count(*) as n from main.inc')).toEqual([{ n: 2 }]);
  });

  describe('on_schema_change', () => {
    const evolve = async (policy: string) => {
      const root = tempProject({ 'models/inc.sql': `{{config materialized="incremental" unique_key="id" on_schema_change="${policy}"}}select 1 as id, 'x' as old_col` });
      await cli(root, 'run');
      writeFileSync(join(root, 'models/inc.sql'), `{{config materialized="incremental" unique_key="id" on_schema_change="${policy}"}}select 2 as id, 'y' as new_col`);
      const r = await cli(root, 'run');
      const columns = (await query(root, "select column_name from information_schema.columns where table_name = 'inc' order by ordinal_position")).map((c) => c.column_name);
      return { r, columns, root };
    };

    it('fail stops with the added and removed columns and leaves the table as it was', async () => {
      const { r, columns, root } = await evolve('fail');
      expect(r.code).toBe(1);
      expect(r.stdout).toContain('added [new_col], removed [old_col]');
      expect(columns).toEqual(['id', 'old_col']);
      expect(await query(root, 'select count(*) as n from main.inc')).toEqual([{ n: 1 }]);
    });

    it('ignore writes only the columns the table has', async () => {
      const { r, columns, root } = await evolve('ignore');
      expect(r.code).toBe(0);
      expect(columns).toEqual(['id', 'old_col']);
      expect(rows(await query(root, 'select id, old_col from main.inc order by id'))).toEqual([
        [1, 'x'],
        [2, null],
      ]);
    });

    it('append_new_columns adds the new column and keeps the old one', async () => {
      const { r, columns } = await evolve('append_new_columns');
      expect(r.code).toBe(0);
      expect(columns).toEqual(['id', 'old_col', 'new_col']);
    });

    it('sync_all_columns adds new and drops removed columns', async () => {
      const { r, columns, root } = await evolve('sync_all_columns');
      expect(r.code).toBe(0);
      expect(columns).toEqual(['id', 'new_col']);
      expect(rows(await query(root, 'select id, new_col from main.inc order by id'))).toEqual([
        [1, null],
        [2, 'y'],
      ]);
    });
  });

  it('a failing model skips its descendants; independent branches still run; exit 1; result:error reselects it', async () => {
    const root = tempProject({
      'models/bad.sql': 'select * from no_such_table',
      'models/after_bad.sql': 'select * from {{ref "bad"}}',
      'models/after_after.sql': 'select * from {{ref "after_bad"}}',
      'models/good.sql': 'select 1 as id',
      'models/after_good.sql': 'select * from {{ref "good"}}',
    });
    const r = await cli(root, 'run');
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('no_such_table');
    expect(r.stdout).toContain('compiled SQL: target/run/models/bad.sql');
    const results = JSON.parse(readFileSync(join(root, 'target/run_results.json'), 'utf8')).results;
    const status = Object.fromEntries(results.map((x: { unique_id: string; status: string }) => [x.unique_id.split('.').pop(), x.status]));
    expect(status).toEqual({ bad: 'error', after_bad: 'skipped', after_after: 'skipped', good: 'success', after_good: 'success' });
    const retry = await cli(root, 'ls', '-s', 'result:error+', '--state', join(root, 'target'));
    expect(retry.stdout.trim().split('\n')).toEqual(['after_after', 'after_bad', 'bad']);
  });

  it('--fail-fast skips everything after the first failure', async () => {
    const root = tempProject({ 'models/a_bad.sql': 'select * from nope', 'models/b.sql': 'select 1 as x', 'models/c.sql': 'select 2 as x' });
    const r = await cli(root, 'run', '--fail-fast', '--threads', '1');
    expect(r.code).toBe(1);
    const results = JSON.parse(readFileSync(join(root, 'target/run_results.json'), 'utf8')).results;
    expect(results.map((x: { status: string }) => x.status)).toEqual(['error', 'skipped', 'skipped']);
  });

  it('build: a failing error-severity test skips the downstream models; warn-severity does not', async () => {
    const root = tempProject({
      'models/src.sql': "select 1 as id union all select 1 union all select null",
      'models/src.yml': 'models:\n  - name: src\n    columns:\n      - name: id\n        tests: [unique, {not_null: {severity: warn}}]\n',
      'models/downstream.sql': 'select * from {{ref "src"}}',
      'models/other.sql': 'select 1 as id',
      'models/other.yml': 'models:\n  - name: other\n    columns:\n      - name: id\n        tests: [{not_null: {severity: warn}}]\n',
      'models/after_other.sql': 'select * from {{ref "other"}}',
    });
    const r = await cli(root, 'build');
    expect(r.code).toBe(1);
    const results = JSON.parse(readFileSync(join(root, 'target/run_results.json'), 'utf8')).results;
    const status = Object.fromEntries(results.map((x: { unique_id: string; status: string }) => [x.unique_id.split('.').pop(), x.status]));
    expect(status).toMatchObject({ src: 'success', unique_src_id: 'fail', not_null_src_id: 'warn', downstream: 'skipped', other: 'success', after_other: 'success' });
    const unique = results.find((x: { unique_id: string }) => x.unique_id.endsWith('unique_src_id'));
    expect(unique.failures).toBe(1);
    expect(unique.sample).toEqual([{ unique_field: 1, n_records: 2 }]);
  });

  it('pre and post hooks and on-run-start/end run around the model', async () => {
    const root = tempProject({
      'project.yml': 'name: t\non-run-start: "create table if not exists main.audit (event varchar)"\non-run-end: "insert into main.audit values (\'end\')"\n',
      'models/m.sql': `{{config pre_hook="insert into main.audit values ('pre')"}}select 1 as id`,
      'models/m.yml': `models:\n  - name: m\n    config:\n      post_hook: "insert into main.audit select 'post ' || count(*) from {{this}}"\n`,
    });
    expect((await cli(root, 'run')).code).toBe(0);
    expect(rows(await query(root, 'select event from main.audit'))).toEqual([['pre'], ['post 1'], ['end']]);
  });

  it('show previews a model and inline SQL', async () => {
    const root = tempProject({ 'models/m.sql': 'select range as n from range(100)' });
    await cli(root, 'run');
    const r = await cli(root, 'show', 'm', '--limit', '3', '--output', 'json');
    expect(JSON.parse(r.stdout)).toEqual([{ n: 0 }, { n: 1 }, { n: 2 }]);
    const inline = await cli(root, 'show', '--inline', 'select count(*) as c from {{ref "m"}}');
    expect(inline.stdout).toContain('| 100 |');
  });
});

describe('scheduling through ephemeral models', () => {
  it('a model waits for the seed its ephemeral parent reads, even with many threads', async () => {
    const root = tempProject({
      'seeds/big.csv': 'id\n' + Array.from({ length: 20000 }, (_, i) => i).join('\n') + '\n',
      'models/eph.sql': '{{config materialized="ephemeral"}}select id from {{ref "big"}}',
      'models/uses_eph.sql': '{{config materialized="table"}}select count(*) as n from {{ref "eph"}}',
    });
    const r = await cli(root, 'build', '--threads', '4');
    expect(r.code).toBe(0);
    expect(await query(root, 'select n from main.uses_eph')).toEqual([{ n: 20000 }]);
  });
});
