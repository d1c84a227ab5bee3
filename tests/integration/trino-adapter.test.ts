import { describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { cli } from '../unit/support/project.js';
import { rows, runResults, trino, trinoProject } from './support.js';
import { scansOf } from './stack-queries.js';
import { TrinoAdapter } from '../../framework/adapters/trino/adapter.js';
import { writtenPredicate, type PeriodContext } from '../../framework/testing/period-scope.js';

describe('Trino/Iceberg adapter against the local stack', () => {
  it('builds seeds, views, tables with Iceberg properties, ephemerals and incremental strategies', async () => {
    const { root, schema } = trinoProject({
      'seeds/countries.csv': 'code,name\nKR,Korea\nUS,"United States, of"\n',
      'models/events.sql': "{{config materialized=\"table\" properties=(var \"props\")}}select * from (values (1, 'KR', DATE '2025-08-01', 10), (2, 'KR', DATE '2025-08-02', 20), (3, 'US', DATE '2025-08-02', 30)) as t(id, country, day, amount)",
      'models/eph.sql': '{{config materialized="ephemeral"}}select e.id, c.name, e.amount from {{ref "events"}} e join {{ref "countries"}} c on c.code = e.country',
      'models/by_country.sql': '{{config materialized="view"}}select name, sum(amount) as total from {{ref "eph"}} group by name',
      'models/merged.sql': '{{config materialized="incremental" unique_key="id"}}select id, amount{{#if (is_incremental)}} + 1 as amount{{else}} as amount{{/if}} from {{ref "events"}}',
      'models/appended.sql': '{{config materialized="incremental" incremental_strategy="append"}}select id, amount from {{ref "events"}}',
      'models/replaced.sql': '{{config materialized="incremental" incremental_strategy="delete+insert" unique_key="country"}}select country, id from {{ref "events"}}{{#if (is_incremental)}} where country = \'KR\'{{/if}}',
      'project.yml': "name: t\nvars:\n  props: {partitioning: ['day'], format_version: 2, sorted_by: ['id']}\n",
    });
    const first = await cli(root, 'build');
    expect(first.stderr).toBe('');
    expect(first.stdout).not.toContain('ERROR');
    expect(first.code).toBe(0);
    expect(await rows(`select name, total from iceberg.${schema}.by_country order by name`)).toEqual([
      { name: 'Korea', total: 30 },
      { name: 'United States, of', total: 30 },
    ]);
    const ddl = String((await rows(`show create table iceberg.${schema}.events`))[0]!['Create Table']);
    expect(ddl).toContain("partitioning = ARRAY['day']");
    expect(ddl).toContain("sorted_by = ARRAY['id ASC NULLS FIRST']");
    const results = runResults(root).results;
    const events = results.find((r) => r.unique_id === 'model.t.events')!;
    expect(events.snapshot_id).toMatch(/^-?\d+$/);
    expect(events.query_ids[0]).toMatch(/^\d{8}_\d{6}_\d{5}_\w+$/);
    expect(events.rows_affected).toBe(3);

    const second = await cli(root, 'run', '-s', 'merged', 'appended', 'replaced');
    expect(second.code).toBe(0);
    expect(await rows(`select id, amount from iceberg.${schema}.merged order by id`)).toEqual([
      { id: 1, amount: 11 },
      { id: 2, amount: 21 },
      { id: 3, amount: 31 },
    ]);
    expect(await rows(`select count(*) as n from iceberg.${schema}.appended`)).toEqual([{ n: 6 }]);
    expect(await rows(`select country, id from iceberg.${schema}.replaced order by id`)).toEqual([
      { country: 'KR', id: 1 },
      { country: 'KR', id: 2 },
      { country: 'US', id: 3 },
    ]);
    const merge = runResults(root).results.find((r) => r.unique_id === 'model.t.merged')!;
    expect(merge.message).toBe('merge (3 rows)');
    expect(merge.snapshot_id).not.toBe(results.find((r) => r.unique_id === 'model.t.merged')!.snapshot_id);
    const snapshots = await rows(`select count(*) as n from iceberg.${schema}."merged$snapshots"`);
    expect(Number(snapshots[0]!.n)).toBeGreaterThanOrEqual(2);
  });

  it('evolves the schema of an incremental table (append_new_columns)', async () => {
    const { root, schema } = trinoProject({ 'models/inc.sql': '{{config materialized="incremental" unique_key="id" on_schema_change="append_new_columns"}}select 1 as id' });
    expect((await cli(root, 'run')).code).toBe(0);
    writeFileSync(join(root, 'models/inc.sql'), "{{config materialized=\"incremental\" unique_key=\"id\" on_schema_change=\"append_new_columns\"}}select 2 as id, 'x' as extra");
    expect((await cli(root, 'run')).code).toBe(0);
    expect(await rows(`select id, extra from iceberg.${schema}.inc order by id`)).toEqual([
      { id: 1, extra: null },
      { id: 2, extra: 'x' },
    ]);
  });

  it('a failing model reports the Trino error, the model and the compiled SQL path, and leaves the old table', async () => {
    const { root, schema } = trinoProject({ 'models/t.sql': '{{config materialized="table"}}select 1 as id' });
    expect((await cli(root, 'run')).code).toBe(0);
    writeFileSync(join(root, 'models/t.sql'), '{{config materialized="table"}}select id / 0 as id from (values 1) as v(id)');
    const r = await cli(root, 'run');
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('ERROR table model');
    expect(r.stdout).toContain('Division by zero');
    expect(r.stdout).toContain('compiled SQL: target/run/models/t.sql');
    expect(await rows(`select id from iceberg.${schema}.t`)).toEqual([{ id: 1 }]);
  });

  it("settles what a dead run left: its statements (by session tag) are killed and waited for", async () => {
    trino(); // brings the stack's environment in
    const settings = { host: process.env.TRINO_URL!, catalog: 'iceberg', schema: 'default', user: 'test' };
    const dead = new TrinoAdapter({ name: 'dead', type: 'trino', schema: 'default', threads: 1, settings } as never, '.');
    // Minutes of work: still running when the next run takes over.
    const slow = dead.query('select count(*) from unnest(sequence(1, 10000)) a cross join unnest(sequence(1, 10000)) b cross join unnest(sequence(1, 1000)) c');
    const outcome = slow.then(() => 'finished', (error: Error) => error.message);
    const deadline = Date.now() + 30_000;
    const active = async () => rows(`select query_id from system.runtime.queries where source = 'framework/${dead.sessionTag}' and state not in ('FINISHED', 'FAILED')`);
    while (!(await active()).length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    const [running] = await active();
    expect(running, 'the slow query started').toBeDefined();

    const next = new TrinoAdapter({ name: 'next', type: 'trino', schema: 'default', threads: 1, settings } as never, '.');
    expect(next.sessionTag).not.toBe(dead.sessionTag);
    expect(await next.settle(dead.sessionTag)).toEqual([running!.query_id]);
    expect(await active()).toEqual([]);
    expect(await outcome).toMatch(/left running by a framework run that died/);
    expect(await next.settle(dead.sessionTag)).toEqual([]);
  });

  it('Trino down: a clear error naming the URL, exit non-zero', async () => {
    const { root } = trinoProject({ 'models/t.sql': 'select 1 as id' });
    writeFileSync(join(root, 'profiles.yml'), 'targets:\n  prod: {type: trino, host: "http://127.0.0.1:1", catalog: iceberg, schema: x, retries: 1}\n');
    const r = await cli(root, 'run', '--target', 'prod');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('cannot reach Trino at http://127.0.0.1:1: ECONNREFUSED');
  });

  it("scopes a run's written rows with a constant: Trino reads only the file those rows are in", async () => {
    trino();
    const settings = { host: process.env.TRINO_URL!, catalog: 'iceberg', schema: 'default', user: 'test' };
    const adapter = new TrinoAdapter({ name: 'scope', type: 'trino', schema: 'default', threads: 1, settings } as never, '.');
    const schema = `it_${randomBytes(4).toString('hex')}`;
    const table = `iceberg.${schema}.stamped`;
    await rows(`create schema iceberg.${schema}`);
    try {
      await rows(`create table ${table} (id bigint, written_at timestamp(6) with time zone)`);
      // Two commits, two files: the history, then what a run wrote after it started.
      await rows(`insert into ${table} select n, TIMESTAMP '2025-01-01 00:00:00 UTC' from unnest(sequence(1, 1000)) as t(n)`);
      const started = new Date(Date.now() - 60_000).toISOString();
      await rows(`insert into ${table} select n, current_timestamp from unnest(sequence(1001, 1010)) as t(n)`);
      const written = writtenPredicate({ adapter } as unknown as PeriodContext, 'written_at', started);
      const sql = `select count(*) as n from ${table} where ${written}`;
      expect(await rows(sql)).toEqual([{ n: 10 }]);
      expect(await scansOf(sql, `${schema}.stamped`)).toEqual([{ rows: 10, splits: 1 }]);
    } finally {
      await rows(`drop schema iceberg.${schema} cascade`);
    }
  });
});

describe('Iceberg history: snapshots in run_results, time travel, rollback, maintain', () => {
  it('reads a model as of an earlier snapshot, rolls a run back, and runs table maintenance', async () => {
    const model = (v: number) => `{{config materialized="incremental" unique_key="id"}}select * from (values (1, ${v}), (${v + 1}, ${v})) as t(id, v)`;
    const { root, schema } = trinoProject({
      'models/hist.sql': model(1),
      'models/hist.yml': "models:\n  - name: hist\n    config:\n      maintenance: {optimize: {file_size_threshold: '10MB'}, expire_snapshots: {retention_threshold: '7d'}, remove_orphan_files: {retention_threshold: '7d'}}\n",
    });
    expect((await cli(root, 'run')).code).toBe(0);
    const first = runResults(root).results[0]!;
    expect(first.previous_snapshot_id).toBeNull();
    writeFileSync(join(root, 'models/hist.sql'), model(5));
    expect((await cli(root, 'run')).code).toBe(0);
    const second = runResults(root).results[0]!;
    expect(second.previous_snapshot_id).toBe(first.snapshot_id);
    expect(await rows(`select id, v from iceberg.${schema}.hist order by id`)).toEqual([
      { id: 1, v: 5 },
      { id: 2, v: 1 },
      { id: 6, v: 5 },
    ]);

    const past = await cli(root, 'show', 'hist', '--as-of', String(first.snapshot_id), '--output', 'json');
    expect(past.code).toBe(0);
    expect(JSON.parse(past.stdout).sort((a: { id: number }, b: { id: number }) => a.id - b.id)).toEqual([
      { id: 1, v: 1 },
      { id: 2, v: 1 },
    ]);

    const undo = await cli(root, 'rollback');
    expect(undo.code).toBe(0);
    expect(undo.stdout).toContain(`rolled back to snapshot ${first.snapshot_id}`);
    expect(await rows(`select id, v from iceberg.${schema}.hist order by id`)).toEqual([
      { id: 1, v: 1 },
      { id: 2, v: 1 },
    ]);

    const maintain = await cli(root, 'maintain', '-s', 'hist');
    expect(maintain.code).toBe(0);
    expect(maintain.stdout).toMatch(/hist: optimize \(\d+_\d+_\d+_\w+\), expire_snapshots \(.+\), remove_orphan_files \(.+\)/);
  });

  it('time travel on DuckDB is a clear error, not a crash', async () => {
    const { tempProject } = await import('../unit/support/project.js');
    const root = tempProject({ 'models/m.sql': 'select 1 as id' });
    await cli(root, 'run');
    const r = await cli(root, 'show', 'm', '--as-of', '123');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('keeps no table snapshots');
  });
});
