/**
 * The Reciping project end to end on DuckDB: a generated sample goes through bronze, silver,
 * quarantine, gold and the analytics views; the tests check the accounting, uniqueness, the
 * headline insights, idempotency and that a session split across loads comes out as if loaded
 * at once.
 *
 * The project files (project.yml, models/, macros/, ...) are copied into a temporary directory,
 * so the repository's own target/ and data/ are never touched; the staging location is set with
 * --vars, as a deployment would.
 */
import { cpSync, mkdirSync, readdirSync, renameSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cli, query } from '../support/project.js';
import { build, copyProject, fingerprint, generate, one, stagingVars } from './support.js';
import type { GenerateStats } from '../../../extensions/reciping/datagen/generate.js';

const SILVER_COLUMNS = [
  'event_id', 'event_name', 'user_id', 'anonymous_id', 'session_id', 'kst_timestamp', 'utc_timestamp', 'date', 'year', 'month', 'day', 'hour',
  'day_of_week', 'page_name', 'page_url', 'user_segment', 'cooking_style', 'ab_test_group', 'prop_recipe_id', 'prop_list_type', 'prop_action',
  'prop_search_keyword', 'prop_result_count', 'data_source', 'pipeline_version',
];
const FACT_COLUMNS = [
  'event_id', 'user_dim_key', 'time_dim_key', 'recipe_dim_key', 'page_dim_key', 'event_dim_key', 'event_count', 'session_duration_seconds',
  'page_view_duration_seconds', 'is_conversion', 'conversion_value', 'engagement_score', 'session_id', 'anonymous_id', 'event_date',
];

describe('reciping pipeline on a three-week sample around the A/B test', () => {
  let root: string;
  let stats: GenerateStats;
  let vars: string;

  beforeAll(async () => {
    root = copyProject();
    // 300k events over 2025-08-04..24: the whole A/B window (08-08..22) with enough ad impressions
    // (~10k per group) to measure the CTR lift to about +-10 points, and three Saturdays.
    stats = await generate(root, 'sample', ['--mode', 'bulk', '--start', '2025-08-04', '--end', '2025-08-24', '--events', '300000', '--seed', '42']);
    vars = stagingVars(join(root, 'sample'));
    await build(root, vars);
  });

  it('accounts for every staged line: bronze = silver + quarantine + duplicates', async () => {
    const a = await one(root, 'select * from recipe_analytics.pipeline_accounting');
    expect(a.bronze_rows).toBe(stats.lines);
    expect(a.bronze_files).toBe(stats.files);
    expect(a.is_balanced).toBe(true);
    expect(a.bronze_rows).toBe(a.silver_rows + a.quarantined_rows + a.duplicates_dropped);
    // Valid lines (events + re-deliveries) end in silver or as dropped duplicates. (Not silver =
    // events exactly: the generator occasionally repeats a uuid, which silver rightly treats as one.)
    expect(a.silver_rows + a.duplicates_dropped).toBe(stats.events + stats.duplicates);
    expect(a.duplicates_dropped).toBeGreaterThanOrEqual(stats.duplicates);
  });

  it('quarantines every malformed line with its reason, and nothing else', async () => {
    const rows = await query(root, 'select reject_reason, count(*) as n from recipe_analytics.user_events_quarantine group by reject_reason');
    const byReason = Object.fromEntries(rows.map((r) => [r.reject_reason, Number(r.n)]));
    const reasonOf: Record<string, string> = {
      truncated_json: 'invalid_json',
      missing_event_id: 'missing_event_id',
      bad_timestamp: 'bad_timestamp',
      unknown_event_name: 'unknown_event_name',
      non_numeric_user_id: 'bad_user_id',
    };
    const expected: Record<string, number> = {};
    for (const [kind, count] of Object.entries(stats.malformedByKind)) {
      if (count > 0) expected[reasonOf[kind] ?? kind] = (expected[reasonOf[kind] ?? kind] ?? 0) + count;
    }
    expect(byReason).toEqual(expected);
    expect(Object.values(byReason).reduce((a: number, b) => a + Number(b), 0)).toBe(stats.malformed);
  });

  it('keeps event_id unique in silver and in the fact, and the fact equal to silver', async () => {
    for (const table of ['recipe_analytics.user_events_silver', 'gold_analytics.fact_user_events']) {
      const r = await one(root, `select count(*) as n, count(distinct event_id) as d, count(event_id) as nn from ${table}`);
      expect(r.n).toBe(r.d);
      expect(r.nn).toBe(r.n);
    }
    const missing = await one(
      root,
      'select count(*) as n from recipe_analytics.user_events_silver s where not exists (select 1 from gold_analytics.fact_user_events f where f.event_id = s.event_id)',
    );
    expect(missing.n).toBe(0);
  });

  it('has 17,520 hours in dim_time plus one unknown member', async () => {
    const r = await one(root, 'select count(*) as n, sum(case when time_dim_key = 0 then 1 else 0 end) as unknown from gold_analytics.dim_time');
    expect(r.n - r.unknown).toBe(17_520);
    expect(r.unknown).toBe(1);
  });

  it('uses surrogate key 0 only for the unknown member of each dimension', async () => {
    const dims: [string, string, string][] = [
      ['gold_analytics.dim_user', 'user_sk', 'user_id is null'],
      ['gold_analytics.dim_event', 'event_sk', "event_name = 'unknown'"],
      ['gold_analytics.dim_page', 'page_sk', "page_name = 'unknown'"],
      ['gold_analytics.dim_recipe', 'recipe_sk', 'recipe_id is null'],
      ['gold_analytics.dim_time', 'time_dim_key', 'datetime_kst is null'],
    ];
    for (const [table, key, unknown] of dims) {
      const r = await one(root, `select sum(case when ${key} = 0 then 1 else 0 end) as zero, sum(case when ${unknown} then 1 else 0 end) as unknown, sum(case when ${key} = 0 and ${unknown} then 1 else 0 end) as both_ from ${table}`);
      expect([table, r.zero, r.unknown, r.both_]).toEqual([table, 1, 1, 1]);
    }
    // Every silver event has a user, an event type and an hour inside dim_time; recipes and pages
    // map to 0 only when the event has none.
    const f = await one(
      root,
      `select
         sum(case when f.user_dim_key = 0 or f.event_dim_key = 0 or f.time_dim_key = 0 then 1 else 0 end) as bad_core,
         sum(case when f.recipe_dim_key = 0 and s.prop_recipe_id is not null then 1 else 0 end) as lost_recipes,
         sum(case when f.page_dim_key = 0 and s.page_name is not null then 1 else 0 end) as lost_pages,
         sum(case when f.recipe_dim_key <> 0 then 1 else 0 end) as with_recipe
       from gold_analytics.fact_user_events f join recipe_analytics.user_events_silver s on s.event_id = f.event_id`,
    );
    expect(f).toMatchObject({ bad_core: 0, lost_recipes: 0, lost_pages: 0 });
    expect(f.with_recipe).toBeGreaterThan(0);
  });

  it('reproduces the headline insights', async () => {
    const s = await one(root, 'select * from gold_analytics.pipeline_summary');
    // Evening peak: the hour weights peak at 12 and 19 h, and weekend evenings (18-22 h) get x1.2.
    expect(s.peak_hour).toBeGreaterThanOrEqual(18);
    expect(s.peak_hour).toBeLessThanOrEqual(21);
    // Saturday's weekday weight is 1.3 against a Mon-Fri mean of 0.95 (x1.37); three Saturdays of
    // ~2,900 users each leave little noise.
    expect(s.saturday_vs_weekday_dau_ratio).toBeGreaterThan(1.2);
    expect(s.saturday_vs_weekday_dau_ratio).toBeLessThan(1.55);
    // FEMALE_40_PLUS is drawn with p = 0.356; ~34k users put the share within about +-0.8 points.
    expect(s.largest_segment).toBe('FEMALE_40_PLUS');
    expect(s.largest_segment_share_pct).toBeGreaterThan(33);
    expect(s.largest_segment_share_pct).toBeLessThan(38.5);
    // A/B: configured control 1.8% and treatment 2.2% (+22%). With ~10k impressions and ~200
    // clicks per group the lift is known to about +-10 points (one standard error), so: treatment
    // above control, and +22% inside the 99% interval of the measured lift.
    expect(s.treatment_impressions).toBeGreaterThan(8000);
    expect(s.control_impressions).toBeGreaterThan(8000);
    expect(s.treatment_ctr_pct).toBeGreaterThan(s.control_ctr_pct);
    const logRatio = Math.log(s.treatment_clicks / s.treatment_impressions / (s.control_clicks / s.control_impressions));
    const se = Math.sqrt(1 / s.treatment_clicks - 1 / s.treatment_impressions + 1 / s.control_clicks - 1 / s.control_impressions);
    expect(Math.abs(logRatio - Math.log(1.22)) / se).toBeLessThan(2.576);
    expect(s.ab_ctr_lift_pct).toBeCloseTo((Math.exp(logRatio) - 1) * 100, 0);
  });

  it('answers the dashboard queries', async () => {
    for (const view of [
      'dau', 'wau', 'wau_growth', 'ab_test_kpi_summary', 'ab_test_lift_by_segment', 'ad_ctr_by_segment_group', 'ad_funnel', 'daily_ab_metrics',
      'ab_test_heatmap', 'daily_engagement_by_weekday', 'daily_events', 'daily_search_to_click_rate', 'event_distribution', 'events_per_hour',
      'hour_weekday_heatmap', 'interactions_by_dish_type', 'page_views', 'top10_clicked_recipes', 'top10_bookmarked_recipes',
      'top_interactions_per_event', 'latest_load_time',
    ]) {
      const r = await one(root, `select count(*) as n from gold_analytics.${view}`);
      expect([view, r.n > 0]).toEqual([view, true]);
    }
    const heat = await one(root, 'select count(*) as n, min(intensity) as lo, max(intensity) as hi from gold_analytics.hour_weekday_heatmap');
    expect(heat).toMatchObject({ n: 168, lo: 0, hi: 100 });
    const funnel = await query(root, 'select users from gold_analytics.ad_funnel order by stage_order');
    const users = funnel.map((r) => Number(r.users));
    expect(users).toEqual([...users].sort((a, b) => b - a));
  });

  it('counts dau and wau per dimension as one aggregation per dimension would', async () => {
    // dau and wau group by grouping sets; this is each set written out as its own aggregation.
    const active = `select t.date, CAST(date_trunc('week', t.date) AS DATE) as week_start, u.user_segment, u.cooking_style,
        coalesce(u.ab_test_group, 'not_in_test') as ab_test_group, f.user_dim_key
      from gold_analytics.fact_user_events f
      join gold_analytics.dim_time t on t.time_dim_key = f.time_dim_key
      join gold_analytics.dim_user u on u.user_sk = f.user_dim_key
      where f.user_dim_key <> 0`;
    const per = (period: string, measure: string) =>
      [['total', "'all'"], ['user_segment', 'user_segment'], ['cooking_style', 'cooking_style'], ['ab_test_group', 'ab_test_group']]
        .map(([dimension, value]) => `select ${period}, '${dimension}' as dimension, ${value} as dimension_value, ${measure} from a group by ${period}${value!.startsWith("'") ? '' : `, ${value}`}`)
        .join(' union all ');
    const dau = `with a as (${active}) ${per('date', 'count(distinct user_dim_key) as n')}`;
    const wau = `with a as (${active}) ${per('week_start', 'count(distinct user_dim_key) as n, count(distinct date) as days')}`;
    const views = {
      dau: ['select date, dimension, dimension_value, dau as n from gold_analytics.dau', dau],
      wau: ['select week_start, dimension, dimension_value, wau as n, days_with_data as days from gold_analytics.wau', wau],
    };
    for (const [name, [view, expected]] of Object.entries(views)) {
      const differ = await one(root, `select (select count(*) from ((${view}) except all (${expected}))) + (select count(*) from ((${expected}) except all (${view}))) as n`);
      const rows = await one(root, `select count(*) as n, count(distinct dimension) as dims from (${view})`);
      expect([name, differ.n, rows.dims]).toEqual([name, 0, 4]);
      expect(rows.n).toBeGreaterThan(name === 'dau' ? 21 * 10 : 3 * 10);
    }
  });

  it('passes its unit tests and reports source freshness of staging and bronze', async () => {
    const unit = await cli(root, 'test', '--unit', '--vars', vars);
    expect(unit.code, unit.stdout).toBe(0);
    expect(unit.stdout).toMatch(/6 of 6 PASS unit test/);
    const fresh = await cli(root, 'source', 'freshness', '--vars', vars);
    // The sample's newest bucket is from August 2025: staging is stale, bronze was just loaded.
    expect(fresh.code).toBe(1);
    expect(fresh.stdout).toMatch(/ERROR freshness of staging\.events: \d+\.\dd old/);
    expect(fresh.stdout).toMatch(/PASS  freshness of lakehouse\.bronze_events: \d+(s|m) old/);
  });

  it('changes nothing when built again', async () => {
    const before = {
      bronze: await fingerprint(root, 'recipe_analytics.bronze_events', ['raw_event_string', 'source_file', 'ingestion_timestamp']),
      silver: await fingerprint(root, 'recipe_analytics.user_events_silver', [...SILVER_COLUMNS, 'processed_at']),
      quarantine: await fingerprint(root, 'recipe_analytics.user_events_quarantine', ['raw_event_string', 'reject_reason', 'quarantined_at']),
      fact: await fingerprint(root, 'gold_analytics.fact_user_events', [...FACT_COLUMNS, 'created_at', 'updated_at']),
      users: await fingerprint(root, 'gold_analytics.dim_user', ['user_sk', 'user_id', 'anonymous_id', 'user_segment', 'cooking_style', 'ab_test_group']),
    };
    await build(root, vars);
    const after = {
      bronze: await fingerprint(root, 'recipe_analytics.bronze_events', ['raw_event_string', 'source_file', 'ingestion_timestamp']),
      silver: await fingerprint(root, 'recipe_analytics.user_events_silver', [...SILVER_COLUMNS, 'processed_at']),
      quarantine: await fingerprint(root, 'recipe_analytics.user_events_quarantine', ['raw_event_string', 'reject_reason', 'quarantined_at']),
      fact: await fingerprint(root, 'gold_analytics.fact_user_events', [...FACT_COLUMNS, 'created_at', 'updated_at']),
      users: await fingerprint(root, 'gold_analytics.dim_user', ['user_sk', 'user_id', 'anonymous_id', 'user_segment', 'cooking_style', 'ab_test_group']),
    };
    expect(after).toEqual(before);
    expect((await one(root, 'select is_balanced from recipe_analytics.pipeline_accounting')).is_balanced).toBe(true);
  });
});

describe('incremental loads', () => {
  it('give the same silver and fact as one load of everything, sessions spanning loads included', async () => {
    const incremental = copyProject();
    const oneShot = copyProject();
    await generate(oneShot, 'sample', ['--mode', 'bulk', '--start', '2025-08-01', '--end', '2025-08-02', '--events', '20000', '--seed', '7']);
    // Only the layers compared here (the full build with every test runs in the suite above).
    const layers = ['--select', '+fact_user_events', '+pipeline_accounting', '--exclude', 'resource_type:test'];
    await build(oneShot, stagingVars(join(oneShot, 'sample')), ...layers);

    // The same files, staged in two loads cut at 2025-08-01 18:00 KST: the first load sees only
    // the buckets before the cut, the second the rest (like the 15-minute schedule).
    const all = join(oneShot, 'sample');
    const later = join(incremental, 'later');
    const staged = join(incremental, 'sample');
    cpSync(all, staged, { recursive: true });
    const files = (readdirSync(staged, { recursive: true, withFileTypes: true }) as import('node:fs').Dirent[])
      .filter((e) => e.isFile() && e.name.endsWith('.json') && !e.name.startsWith('.'))
      .map((e) => relative(staged, join(e.parentPath, e.name)));
    const cut = 'replay-user-events/year=2025/month=08/day=01/hour=18';
    const second = files.filter((f) => f >= cut);
    expect(second.length).toBeGreaterThan(0);
    expect(second.length).toBeLessThan(files.length);
    for (const f of second) {
      mkdirSync(dirname(join(later, f)), { recursive: true });
      renameSync(join(staged, f), join(later, f));
    }
    const vars = stagingVars(staged);
    await build(incremental, vars, ...layers);
    const firstFact = await one(incremental, 'select count(*) as n from gold_analytics.fact_user_events');
    for (const f of second) {
      mkdirSync(dirname(join(staged, f)), { recursive: true });
      renameSync(join(later, f), join(staged, f));
    }
    await build(incremental, vars, ...layers);

    const after = await one(incremental, 'select count(*) as n from gold_analytics.fact_user_events');
    expect(after.n).toBeGreaterThan(firstFact.n);
    // Some sessions really do span the cut, so their durations had to be recomputed.
    const spanning = await one(
      incremental,
      "select count(*) as n from (select session_id from recipe_analytics.user_events_silver group by session_id having min(kst_timestamp) < TIMESTAMP '2025-08-01 18:00:00' and max(kst_timestamp) >= TIMESTAMP '2025-08-01 18:00:00') x",
    );
    expect(spanning.n).toBeGreaterThan(0);
    const updated = await one(incremental, 'select count(*) as n from gold_analytics.fact_user_events where updated_at > created_at');
    expect(updated.n).toBeGreaterThan(0);

    expect(await fingerprint(incremental, 'recipe_analytics.user_events_silver', SILVER_COLUMNS)).toEqual(
      await fingerprint(oneShot, 'recipe_analytics.user_events_silver', SILVER_COLUMNS),
    );
    expect(await fingerprint(incremental, 'gold_analytics.fact_user_events', FACT_COLUMNS)).toEqual(
      await fingerprint(oneShot, 'gold_analytics.fact_user_events', FACT_COLUMNS),
    );
    const q = 'select count(*) as n, count(distinct raw_event_string) as d from recipe_analytics.user_events_quarantine';
    expect(await one(incremental, q)).toEqual(await one(oneShot, q));
    const a = await one(incremental, 'select * from recipe_analytics.pipeline_accounting');
    expect(a.is_balanced).toBe(true);
  });
});
