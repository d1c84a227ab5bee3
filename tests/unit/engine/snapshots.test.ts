import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { duckdbDialect } from '../../../framework/adapters/duckdb/dialect.js';
import { duckdbMacros } from '../../../framework/adapters/duckdb/macros.js';
import { snapshotPlan } from '../../../framework/materialize/snapshot.js';
import { cli, query, tempProject, writeFile } from '../support/project.js';
import { EXPECTED, SNAPSHOTS, STEPS, history, snapshotFiles, sourceModel } from '../support/snapshot-scenario.js';

async function ok(root: string, ...args: string[]) {
  const r = await cli(root, ...args);
  expect(r.code, r.stdout + r.stderr).toBe(0);
  return r;
}

function rowsAffected(root: string): Record<string, number | undefined> {
  const { results } = JSON.parse(readFileSync(join(root, 'target/run_results.json'), 'utf8')) as { results: { unique_id: string; rows_affected?: number }[] };
  return Object.fromEntries(results.map((r) => [r.unique_id.split('.').pop()!, r.rows_affected]));
}

describe('snapshots on DuckDB', () => {
  it('every strategy and hard_deletes mode: changes, deletes, an idempotent rerun and a reinsert give dbt-core history', async () => {
    const root = tempProject(snapshotFiles());
    const after: string[][][] = [];
    for (let step = 0; step < STEPS; step++) {
      writeFile(root, 'models/src.sql', sourceModel(step));
      await ok(root, 'build');
      after.push(await Promise.all(SNAPSHOTS.map(async (s) => history(await query(root, `select * from main.${s}`)))));
      // Step 3 repeats step 2's source: nothing is merged, nothing changes.
      if (step === 2) {
        const affected = rowsAffected(root);
        for (const s of SNAPSHOTS) expect(affected[s], s).toBe(0);
        expect(after[2]).toEqual(after[1]);
      }
    }
    const final = Object.fromEntries(SNAPSHOTS.map((s, i) => [s, after[STEPS - 1]![i]]));
    expect(final).toEqual(EXPECTED);
  });

  it('new_record marks the deleted key with one dbt_is_deleted row, not one per run', async () => {
    const root = tempProject(snapshotFiles());
    for (const step of [0, 1, 1, 1]) {
      writeFile(root, 'models/src.sql', sourceModel(step));
      await ok(root, 'build', '--select', 'src', 'snap_ts_new_record');
    }
    const rows = await query(root, `select name, dbt_is_deleted, dbt_valid_to is null as current from main.snap_ts_new_record where id = 2 order by dbt_valid_from`);
    expect(rows).toEqual([
      { name: 'b', dbt_is_deleted: 'False', current: false },
      { name: 'b', dbt_is_deleted: 'True', current: true },
    ]);
  });

  it('`snapshot` runs only snapshots, `ref` to a snapshot orders it before its readers, `ls` selects resource_type snapshot', async () => {
    const root = tempProject({
      ...snapshotFiles(),
      'models/current_names.sql': `select id, name from {{ref "snap_ts_invalidate"}} where dbt_valid_to is null`,
    });
    await ok(root, 'run', '--select', 'src');
    const snap = await ok(root, 'snapshot');
    expect(snap.stdout).toContain(`Running ${SNAPSHOTS.length} snapshots`);
    expect(snap.stdout).not.toContain('current_names');
    const build = await ok(root, 'build', '--select', '+current_names');
    expect(build.stdout.indexOf('OK snapshot main.snap_ts_invalidate')).toBeLessThan(build.stdout.indexOf('START view model main.current_names'));
    expect(await query(root, 'select * from main.current_names order by id')).toEqual([
      { id: 1, name: 'a' },
      { id: 2, name: 'b' },
      { id: 3, name: 'c' },
    ]);
    const ls = await ok(root, 'ls', '--resource-type', 'snapshot');
    expect(ls.stdout.trim().split('\n').sort()).toEqual([...SNAPSHOTS].sort());
    const bySelector = await ok(root, 'ls', '--select', 'resource_type:snapshot,snap_sql+');
    expect(bySelector.stdout.trim()).toBe('snap_sql');
  });

  it('--empty checks a snapshot query on an existing table and merges nothing', async () => {
    const root = tempProject(snapshotFiles());
    await ok(root, 'build', '--select', 'src', 'snap_ts_invalidate');
    await ok(root, 'build', '--select', 'src', 'snap_ts_invalidate', '--empty');
    expect(await query(root, 'select count(*)::int as n from main.snap_ts_invalidate where dbt_valid_to is null')).toEqual([{ n: 3 }]);
  });

  it('a run is one MERGE whose staging source closes and inserts versions', () => {
    const plan = snapshotPlan(duckdbDialect, duckdbMacros, {
      relation: { schema: 's', name: 'h' },
      sql: 'select 1 as id, 2 as v',
      config: { uniqueKey: ['id'], strategy: 'check', checkCols: ['v'], hardDeletes: 'invalidate' },
      queryColumns: [
        { name: 'id', type: 'INTEGER' },
        { name: 'v', type: 'INTEGER' },
      ],
      existing: ['id', 'v', 'dbt_scd_id', 'dbt_updated_at', 'dbt_valid_from', 'dbt_valid_to'].map((name) => ({ name, type: 'x' })),
      now: "TIMESTAMP '2026-01-01 00:00:00'",
    });
    expect(plan.create).toBeUndefined();
    expect(plan.addColumns).toEqual([]);
    expect(plan.merge!.match(/\bmerge into\b/g)).toHaveLength(1);
    expect(plan.merge).toContain("when matched and (d.dbt_valid_to is null) and s.dbt_change_type in ('update', 'delete') then update set dbt_valid_to = s.dbt_valid_to");
  });
});

describe('snapshot configuration errors: one line naming file:line and the key, exit 2, nothing run', () => {
  async function expectError(files: Record<string, string>, ...fragments: string[]) {
    const root = tempProject({ 'models/src.sql': 'select 1 as id', ...files });
    const r = await cli(root, 'build');
    expect(r.code, r.stdout + r.stderr).toBe(2);
    for (const f of fragments) expect(r.stderr).toContain(f);
    expect(existsSync(join(root, 'target/dev.duckdb'))).toBe(false);
  }

  it('no unique_key (SQL file)', () =>
    expectError({ 'snapshots/s.sql': 'select * from {{ref "src"}}\n{{config strategy="check" check_cols="all"}}\n' }, 'snapshots/s.sql:2:', 'snapshot "s": unique_key is required'));

  it('timestamp without updated_at (YAML)', () =>
    expectError({ 'snapshots/s.yml': "snapshots:\n  - name: s\n    relation: ref('src')\n    config:\n      unique_key: id\n      strategy: timestamp\n" }, 'snapshots/s.yml:5:', 'snapshot "s": updated_at is required by strategy: timestamp'));

  it('check without check_cols (YAML patching a SQL file)', () =>
    expectError(
      { 'snapshots/s.sql': 'select * from {{ref "src"}}', 'snapshots/s.yml': 'snapshots:\n  - name: s\n    config: {unique_key: id, strategy: check}\n' },
      'snapshots/s.yml:3:',
      'snapshot "s": check_cols is required by strategy: check',
    ));

  it('a bad hard_deletes value', () =>
    expectError({ 'snapshots/s.yml': "snapshots:\n  - name: s\n    relation: ref('src')\n    config: {unique_key: id, strategy: check, check_cols: all, hard_deletes: drop}\n" }, 'snapshots/s.yml:4:', 'hard_deletes'));
});
