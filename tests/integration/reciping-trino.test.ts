/**
 * The Reciping project on the real stack: staged JSON lines in S3 (MinIO) → bronze → silver →
 * dims → gold → analytics on Trino/Iceberg, the data tests, a 15-minute window, a second identical
 * run that changes nothing, the original's DAU and lift queries on gold, and the same counts as
 * DuckDB computes from the same files.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { query } from '../unit/support/project.js';
import { ensureStack } from './stack.js';
import { copyProject, fingerprint, plannedSkip, ok, rows, runResults } from './support.js';
import { scansOf } from './stack-queries.js';

describe('Reciping on Trino + Iceberg + MinIO', () => {
  const run = randomBytes(3).toString('hex');
  const prefix = `it-${run}`;
  const staging = `s3://reciping-user-event-logs/${prefix}/replay-user-events/`;
  let root: string;
  let vars: string;

  beforeAll(async () => {
    ensureStack();
    root = copyProject();
    vars = JSON.stringify({ staging_location: staging });
    // The schemas are the spec's names; this suite owns the local stack, so it starts clean.
    for (const schema of ['gold_analytics', 'recipe_analytics', 'framework_state']) await rows(`drop schema if exists iceberg.${schema} cascade`);
    await ok(root, 'generate', 'events', '--to', 's3', '--prefix', prefix, '--mode', 'bulk', '--start', '2025-08-04', '--end', '2025-08-24', '--events', '60000', '--seed', '7');
    await ok(root, 'build', '--target', 'prod', '--vars', vars);
  });

  it('builds every layer with the spec names and passes every data test', async () => {
    const results = runResults(root).results;
    expect(results.filter((r) => r.status !== 'success' && r.status !== 'pass' && !plannedSkip(r))).toEqual([]);
    expect(results.filter((r) => r.unique_id.startsWith('test.')).length).toBeGreaterThan(20);
    const tables = await rows(`select table_schema || '.' || table_name as t from iceberg.information_schema.tables where table_schema in ('recipe_analytics', 'gold_analytics') order by 1`);
    const names = tables.map((r) => r.t);
    for (const t of ['recipe_analytics.bronze_events', 'recipe_analytics.user_events_silver', 'recipe_analytics.user_events_quarantine', 'gold_analytics.dim_user', 'gold_analytics.dim_event', 'gold_analytics.dim_page', 'gold_analytics.dim_recipe', 'gold_analytics.dim_time', 'gold_analytics.fact_user_events', 'gold_analytics.dau']) {
      expect(names).toContain(t);
    }
    const fact = results.find((r) => r.unique_id === 'model.reciping.fact_user_events')!;
    expect(fact.snapshot_id).toMatch(/^-?\d+$/);
  });

  it('accounts for every staged line and keeps event_id unique', async () => {
    const [a] = await rows('select * from iceberg.recipe_analytics.pipeline_accounting');
    expect(a!.is_balanced).toBe(true);
    expect(Number(a!.bronze_rows)).toBe(Number(a!.silver_rows) + Number(a!.quarantined_rows) + Number(a!.duplicates_dropped));
    for (const table of ['iceberg.recipe_analytics.user_events_silver', 'iceberg.gold_analytics.fact_user_events']) {
      const [u] = await rows(`select count(*) as n, count(distinct event_id) as d from ${table}`);
      expect(u!.n).toBe(u!.d);
    }
  });

  it("answers the original's DAU and A/B lift queries on gold", async () => {
    const dau = await rows(`
      select t.date, count(distinct f.user_dim_key) as dau
      from iceberg.gold_analytics.fact_user_events f
      join iceberg.gold_analytics.dim_time t on f.time_dim_key = t.time_dim_key
      join iceberg.gold_analytics.dim_user u on f.user_dim_key = u.user_sk
      where f.user_dim_key != 0
      group by t.date order by t.date`);
    expect(dau.length).toBe(21);
    expect(dau.every((d) => Number(d.dau) > 0)).toBe(true);
    const lift = await rows(`
      with ads as (
        select u.ab_test_group as grp,
               sum(case when e.event_name = 'view_ads' then 1 else 0 end) as views,
               sum(case when e.event_name = 'click_ads' then 1 else 0 end) as clicks
        from iceberg.gold_analytics.fact_user_events f
        join iceberg.gold_analytics.dim_event e on f.event_dim_key = e.event_sk
        join iceberg.gold_analytics.dim_user u on f.user_dim_key = u.user_sk
        join iceberg.gold_analytics.dim_time t on f.time_dim_key = t.time_dim_key
        where f.user_dim_key != 0 and t.date between date '2025-08-08' and date '2025-08-22'
        group by u.ab_test_group)
      select grp, views, clicks, cast(clicks as double) / views as ctr from ads where grp in ('treatment', 'control') order by grp`);
    expect(lift.map((r) => r.grp)).toEqual(['control', 'treatment']);
    expect(lift.every((r) => Number(r.views) > 1000)).toBe(true);
    // The framework's own analytics view agrees with the hand-written query.
    const [summary] = await rows('select * from iceberg.gold_analytics.pipeline_summary');
    expect(Number(summary!.treatment_clicks)).toBe(Number(lift[1]!.clicks));
    expect(Number(summary!.control_impressions)).toBe(Number(lift[0]!.views));
  });

  it('a second identical run changes nothing', async () => {
    const before = {
      silver: await fingerprint('iceberg.recipe_analytics.user_events_silver', ['event_id', 'event_name', 'user_id', 'kst_timestamp', 'prop_recipe_id']),
      fact: await fingerprint('iceberg.gold_analytics.fact_user_events', ['event_id', 'user_dim_key', 'time_dim_key', 'recipe_dim_key', 'engagement_score', 'session_duration_seconds']),
      bronze: await fingerprint('iceberg.recipe_analytics.bronze_events', ['raw_event_string', 'source_file']),
    };
    await ok(root, 'run', '--target', 'prod', '--vars', vars);
    expect({
      silver: await fingerprint('iceberg.recipe_analytics.user_events_silver', ['event_id', 'event_name', 'user_id', 'kst_timestamp', 'prop_recipe_id']),
      fact: await fingerprint('iceberg.gold_analytics.fact_user_events', ['event_id', 'user_dim_key', 'time_dim_key', 'recipe_dim_key', 'engagement_score', 'session_duration_seconds']),
      bronze: await fingerprint('iceberg.recipe_analytics.bronze_events', ['raw_event_string', 'source_file']),
    }).toEqual(before);
  });

  it('picks up one 15-minute window incrementally', async () => {
    const [before] = await rows('select count(*) as n from iceberg.recipe_analytics.user_events_silver');
    const window = await ok(root, 'generate', 'events', '--to', 's3', '--prefix', prefix, '--mode', 'window', '--start', '2025-09-01T00:00:00+09:00', '--events', '2000', '--seed', '8', '--log-format', 'json');
    const generated = JSON.parse(window.stdout.split('\n').find((l) => l.includes('"generated"'))!);
    await ok(root, 'build', '--target', 'prod', '--vars', vars);
    const [after] = await rows('select count(*) as n from iceberg.recipe_analytics.user_events_silver');
    const [inWindow] = await rows(
      "select count(*) as n from iceberg.recipe_analytics.user_events_silver where kst_timestamp >= timestamp '2025-09-01 00:00:00' and kst_timestamp < timestamp '2025-09-01 00:15:00'",
    );
    expect(Number(inWindow!.n)).toBe(generated.events);
    expect(Number(after!.n) - Number(before!.n)).toBe(generated.events);
    const [a] = await rows('select is_balanced from iceberg.recipe_analytics.pipeline_accounting');
    expect(a!.is_balanced).toBe(true);
    // The dimensions read silver's rows processed after their watermark only: Iceberg skips every
    // older file. Their new rows' query (what `build` staged for the audit), read again now that
    // the window is folded in, reads none.
    for (const dim of ['dim_user', 'dim_page']) {
      const { compiled_path } = runResults(root).results.find((r) => r.unique_id === `model.reciping.${dim}`)!;
      const statements = readFileSync(join(root, compiled_path!), 'utf8').split(';\n\n');
      const staged = `."${dim}__audit" as `;
      const stage = statements.find((s) => s.startsWith('create or replace table') && s.includes(staged));
      expect(stage, `${dim} staged for its audit`).toBeDefined();
      const scans = await scansOf(stage!.slice(stage!.indexOf(staged) + staged.length), 'recipe_analytics.user_events_silver', true);
      expect(scans.length, dim).toBeGreaterThan(0);
      expect(scans.map((s) => s.rows), dim).toEqual(scans.map(() => 0));
      if (dim === 'dim_user') {
        // Its watermark twice and its kept rows once: Trino scans a CTE at each reference (10 when
        // the latest row, the A/B group and the activity each had CTEs reading it).
        expect(await scansOf(stage!.slice(stage!.indexOf(staged) + staged.length), 'gold_analytics.dim_user', true)).toHaveLength(3);
      }
    }
  });

  it('computes the same layers on DuckDB from the same events', async () => {
    const local = copyProject();
    await ok(local, 'generate', 'events', '--out', 'staging', '--mode', 'bulk', '--start', '2025-08-04', '--end', '2025-08-24', '--events', '60000', '--seed', '7');
    await ok(local, 'generate', 'events', '--out', 'staging', '--mode', 'window', '--start', '2025-09-01T00:00:00+09:00', '--events', '2000', '--seed', '8');
    await ok(local, 'build', '--vars', JSON.stringify({ staging_location: join(local, 'staging/replay-user-events/**/*.json') }));
    const counts = 'select (select count(*) from recipe_analytics.user_events_silver) as silver, (select count(*) from recipe_analytics.user_events_quarantine) as quarantine, (select count(*) from gold_analytics.dim_user) as users, (select sum(engagement_score) from gold_analytics.fact_user_events) as engagement';
    const [duck] = await query(local, counts);
    const [trino] = await rows(counts.replace(/(recipe_analytics|gold_analytics)\./g, 'iceberg.$1.'));
    expect(Object.fromEntries(Object.entries(trino!).map(([k, v]) => [k, Number(v)]))).toEqual(Object.fromEntries(Object.entries(duck!).map(([k, v]) => [k, Number(v)])));
  });
});
