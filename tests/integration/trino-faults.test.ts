/**
 * Issue 4, "Faults and bad input", on the real stack: "Kill the run mid-way and rerun: the final
 * gold is identical to an uninterrupted run" — for `framework build --target prod` on Trino/Iceberg
 * over staged files in S3 (MinIO). The DuckDB counterpart is tests/unit/reciping/faults.test.ts.
 *
 * The sample: three 15-minute windows of 1,000 events from 2025-09-01 00:00 KST staged under a
 * prefix of this run's own, then a fourth window. Two copies of the Reciping project read that
 * one prefix, each in Iceberg/Hive schemas of its own (`<schemas>_a_*`, `<schemas>_b_*`), so their
 * source_file values are equal:
 * - B is built as the pipeline would run it, and killed twice. Its first build is SIGKILLed as
 *   silver starts (bronze loaded, nothing after it); the rerun takes the dead build's lock over
 *   and completes. The fourth window is then staged, and the next build is SIGKILLed as the fact
 *   starts its merge (silver holds the new window, the fact does not); the rerun completes.
 *   Builds to kill are real `framework` processes (from the TypeScript sources), killed on the
 *   `node_start` event of their `--log-format json` log; a kill that came after the node finished
 *   is retried from scratch.
 * - A, the reference, is one uninterrupted build over all four windows.
 * Then bronze, silver, quarantine and every gold table hold the same rows in A and B (row counts
 * and checksums without the columns stamped with the processing time), so do the totals of the
 * accounting's books, event_id is unique in silver and in the fact, every model's table or view
 * exists, and the accounting balances.
 *
 * A killed build's statements in flight are not cancelled: Trino runs them to their commit, and
 * the rerun starts right away, as a retrying scheduler would. Which ones were left running at each
 * kill is logged (usually the seed's load, which runs beside bronze and silver).
 */
import { rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deletePrefix } from './ingest-support.js';
import { ensureStack } from './stack.js';
import { copyProject, dropSchemas, fingerprint, plannedSkip, manifestRelations, ok, rows, runResults } from './support.js';
import { completes, expectStaleLock, killedBuild, nodeDone, nodeStart, PROCESSING_TIME_COLUMNS, startBuild, type BuildProcess, type LogEvent } from '../unit/reciping/support.js';

const run = randomBytes(3).toString('hex');
/** The S3 prefix (staging bucket) both copies read. */
const prefix = `it-faults-${run}`;
/** Every Iceberg/Hive schema of this file starts with this. */
const schemas = `it_faults_${run}`;
const EVENTS_PER_WINDOW = 1000;
const BASE_WINDOWS = 3;
/** The fourth window, staged between B's two killed builds. */
const LATER = '2025-09-01T00:45:00+09:00';

/** The tables of recipe_analytics compared besides every base table of gold. */
const SILVER_TABLES = ['bronze_events', 'user_events_silver', 'user_events_quarantine'];

let vars: string;
const roots: string[] = [];
const started = Date.now();
const seconds = (since: number) => `${((Date.now() - since) / 1000).toFixed(0)} s`;

/** `work`, and how long it took. */
async function timed<T>(work: () => Promise<T>): Promise<[T, string]> {
  const since = Date.now();
  return [await work(), seconds(since)];
}

/** A copy of the project in schemas `<schemas>_<copy>_*`. */
function project(copy: string): string {
  const root = copyProject(`${schemas}_${copy}`);
  roots.push(root);
  return root;
}

const prod = () => ['--target', 'prod', '--vars', vars];

async function generate(root: string, ...args: string[]): Promise<number> {
  const r = await ok(root, 'generate', 'events', '--to', 's3', '--prefix', prefix, '--mode', 'window', '--events', String(EVENTS_PER_WINDOW), '--log-format', 'json', ...args);
  return (JSON.parse(r.stdout.split('\n').find((l) => l.includes('"event":"generated"'))!) as { events: number }).events;
}

/** `iceberg."<schemas>_<copy>_<schema>"."<name>"`. */
const table = (copy: string, schema: string, name: string) => `iceberg."${schemas}_${copy}_${schema}"."${name}"`;

/** The tables and views of a copy: `schema.name` (without the copy's prefix) → table type. */
async function relationsOf(copy: string): Promise<Map<string, string>> {
  const found = await rows(
    `select table_schema as s, table_name as t, table_type as type from iceberg.information_schema.tables where table_schema like '${schemas}\\_${copy}\\_%' escape '\\'`,
  );
  return new Map(found.map((r) => [`${String(r.s).slice(`${schemas}_${copy}_`.length)}.${String(r.t)}`, String(r.type)]));
}

/**
 * Row count, checksum of whole rows and of each column of every output table of a copy: bronze,
 * silver, quarantine and every base table of gold, without the processing-time columns.
 */
async function outputChecksums(copy: string) {
  const columns = await rows(`
    select col.table_schema as s, col.table_name as t, col.column_name as c
    from iceberg.information_schema.columns as col
    join iceberg.information_schema.tables as tbl on tbl.table_schema = col.table_schema and tbl.table_name = col.table_name
    where (col.table_schema = '${schemas}_${copy}_recipe_analytics' and col.table_name in (${SILVER_TABLES.map((t) => `'${t}'`).join(', ')}))
       or (col.table_schema = '${schemas}_${copy}_gold_analytics' and tbl.table_type = 'BASE TABLE')
    order by col.table_schema, col.table_name, col.ordinal_position`);
  const byTable = new Map<string, string[]>();
  for (const r of columns) {
    if (PROCESSING_TIME_COLUMNS.includes(String(r.c))) continue;
    const key = `${String(r.s)}.${String(r.t)}`;
    byTable.set(key, [...(byTable.get(key) ?? []), `"${String(r.c)}"`]);
  }
  const result: Record<string, Awaited<ReturnType<typeof fingerprint>>> = {};
  for (const [key, cols] of byTable) {
    const [schema, name] = key.split('.') as [string, string];
    result[`${schema.slice(`${schemas}_${copy}_`.length)}.${name}`] = await fingerprint(`iceberg."${schema}"."${name}"`, cols, true);
  }
  return result;
}

/** Rows, distinct and NULL event_ids of silver and of the fact. */
async function eventIds(copy: string) {
  const counts: Record<string, { rows: number; distinct: number; nulls: number }> = {};
  for (const [schema, name] of [['recipe_analytics', 'user_events_silver'], ['gold_analytics', 'fact_user_events']] as const) {
    const [r] = await rows(`select count(*) as n, count(distinct event_id) as d, count(*) - count(event_id) as nulls from ${table(copy, schema, name)}`);
    counts[name] = { rows: Number(r!.n), distinct: Number(r!.d), nulls: Number(r!.nulls) };
  }
  return counts;
}

/**
 * Checks after a complete build of a copy: its relations are all in its own schemas, every model
 * and seed that is not ephemeral exists as a table or view, every node succeeded, event_id is unique
 * in silver and in the fact (one fact row per silver event), and the accounting balances.
 */
async function expectWhole(copy: string, root: string): Promise<void> {
  const relations = manifestRelations(root);
  expect([...relations.values()].filter((r) => !r.schema.startsWith(`${schemas}_${copy}_`)), "relations outside the copy's schemas").toEqual([]);
  const present = await relationsOf(copy);
  const expected = [...relations]
    .filter(([id, r]) => /^(model|seed)\./.test(id) && r.materialized !== 'ephemeral')
    .map(([, r]) => [`${r.schema.slice(`${schemas}_${copy}_`.length)}.${r.name}`, r.materialized === 'view' ? 'VIEW' : 'BASE TABLE']);
  expect(expected.length).toBeGreaterThan(30);
  expect(expected.filter(([name, type]) => present.get(name!) !== type), 'models without their table or view').toEqual([]);
  expect(runResults(root).results.filter((r) => r.status !== 'success' && r.status !== 'pass' && !plannedSkip(r))).toEqual([]);
  const ids = await eventIds(copy);
  for (const [name, c] of Object.entries(ids)) expect({ name, ...c }).toEqual({ name, rows: c.distinct, distinct: c.distinct, nulls: 0 });
  expect(ids.fact_user_events!.rows).toBe(ids.user_events_silver!.rows);
  const [a] = await rows(`select * from ${table(copy, 'recipe_analytics', 'pipeline_accounting')}`);
  expect(a!.is_balanced, JSON.stringify(a)).toBe(true);
}

/**
 * Statements on B's schemas still running in Trino. A killed client does not cancel its queries:
 * Trino runs them to the end and commits their writes; the query then waits in FINISHING for the
 * client until query.client.timeout (5 minutes) ends it as ABANDONED_QUERY. For the log only.
 */
async function leftRunning(): Promise<{ id: string; query: string }[]> {
  const found = await rows(
    `select query_id, query from system.runtime.queries where state not in ('FINISHED', 'FAILED') and "user" <> 'test' and query like '%${schemas}\\_b\\_%' escape '\\'`,
  );
  return found.map((r) => ({ id: String(r.query_id), query: String(r.query).replace(/\s+/g, ' ').slice(0, 60) }));
}

/**
 * The rerun took the dead build's lock over and settled what it had left on Trino (killed or
 * waited for), so none of the dead build's statements can commit behind its back: it says so,
 * unless every statement left at the kill had ended before the rerun ran anything (short ones
 * end while the rerun starts up).
 */
async function expectSettled(leftAtKill: { id: string }[], rerun: BuildProcess): Promise<void> {
  if (!leftAtKill.length || /died leaving \d+ statement\(s\) on the engine: stopped or waited for/.test(rerun.output())) return;
  const plan = Date.parse(String(rerun.events.find((e) => e.event === 'plan')?.ts));
  expect(plan, 'the rerun logged its plan').not.toBeNaN();
  const ended = await rows(`select query_id, to_unixtime("end") * 1000 as ended from system.runtime.queries where query_id in (${leftAtKill.map((q) => `'${q.id}'`).join(', ')})`);
  const late = ended.filter((q) => q.ended === null || Number(q.ended) > plan);
  expect(late, 'statements of the dead build that were still active when the rerun started, not settled by it').toEqual([]);
}

/** The log event that a build logged (for its time). */
const at = (build: BuildProcess, pick: (e: LogEvent) => boolean) => build.events.find(pick);

/**
 * The books over all runs (pipeline_accounting): the number of runs that loaded lines, and the
 * totals (without the time of the last load). The per-run rows differ with the history (A loaded
 * once, B twice), their sums must not.
 */
async function books(copy: string): Promise<{ runs: number; totals: Record<string, unknown> }> {
  const [{ runs, ...totals }] = (await rows(`select * from ${table(copy, 'recipe_analytics', 'pipeline_accounting')}`)) as [Record<string, unknown>];
  delete totals.last_ingestion_timestamp;
  return { runs: Number(runs), totals };
}

beforeAll(async () => {
  if (!process.env.S3_ENDPOINT) ensureStack();
  vars = JSON.stringify({ staging_location: `s3://${process.env.S3_STAGING_BUCKET}/${prefix}/replay-user-events/` });
});

afterAll(async () => {
  await deletePrefix(prefix).catch(() => {});
  await dropSchemas(`${schemas}_`).catch(() => {});
  // The file ledger of the copies' bronze tables (framework_state is shared by every project on the stack).
  await rows(`delete from iceberg.framework_state.loaded_files where model_table like '${schemas}\\_%' escape '\\'`).catch(() => {});
  for (const root of roots) rmSync(root, { recursive: true, force: true });
});

describe('a prod build SIGKILLed mid-way and run again ends with the tables of an uninterrupted build', () => {
  let b: string;
  let staged = 0;

  it("killed in the first build as silver starts: the rerun takes the dead build's lock over and completes", async () => {
    b = project('b');
    staged += await generate(b, '--start', '2025-09-01T00:00:00+09:00', '--windows', String(BASE_WINDOWS), '--seed', '7');
    expect(staged).toBe(BASE_WINDOWS * EVENTS_PER_WINDOW);

    const [killed, killing] = await timed(() => killedBuild((onEvent) => startBuild(b, prod(), onEvent), nodeStart('user_events_silver'), nodeDone('user_events_silver'), {
      reset: async () => {
        await dropSchemas(`${schemas}_b_`);
        rmSync(join(b, 'target'), { recursive: true, force: true });
      },
    }));
    const running = await leftRunning();
    // Mid-way: bronze was loaded, silver was not built.
    expect(at(killed, nodeDone('bronze_events'))).toBeDefined();
    const present = await relationsOf('b');
    expect(present.get('recipe_analytics.bronze_events')).toBe('BASE TABLE');
    expect(present.has('recipe_analytics.user_events_silver')).toBe(false);
    expectStaleLock(b, 'prod', killed);

    const [rerunning, rerun] = await timed(() => completes(() => startBuild(b, prod())));
    await expectSettled(running, rerunning);
    await expectWhole('b', b);
    console.log(
      `[trino-faults] first build killed as silver started (attempt ${killed.attempts}, ${killing}; statements left running: ${JSON.stringify(running.map((q) => q.query))}), rerun ${rerun}; ${seconds(started)} so far`,
    );
  });

  it('a window staged, the next build killed as the fact starts its merge: the rerun completes the fact', async () => {
    expect(b, 'the first scenario ran').toBeDefined();
    staged += await generate(b, '--start', LATER, '--windows', '1', '--seed', '8');
    const before = await eventIds('b');
    const [killed, killing] = await timed(() => killedBuild((onEvent) => startBuild(b, prod(), onEvent), nodeStart('fact_user_events'), nodeDone('fact_user_events'), {
      // B as it was before this build: built from scratch over the first windows only.
      reset: async () => {
        await dropSchemas(`${schemas}_b_`);
        rmSync(join(b, 'target'), { recursive: true, force: true });
        await ok(b, 'build', ...prod(), '--end', LATER);
      },
    }));
    const running = await leftRunning();
    // Mid-way: silver merged the new window, the fact did not.
    const after = await eventIds('b');
    expect(after.user_events_silver!.rows).toBeGreaterThan(before.user_events_silver!.rows);
    expect(after.fact_user_events).toEqual(before.fact_user_events);
    expectStaleLock(b, 'prod', killed);

    const [rerunning, rerun] = await timed(() => completes(() => startBuild(b, prod())));
    await expectSettled(running, rerunning);
    await expectWhole('b', b);
    console.log(
      `[trino-faults] next build killed as the fact started (attempt ${killed.attempts}, ${killing}; statements left running: ${JSON.stringify(running.map((q) => q.query))}), rerun ${rerun}; ${seconds(started)} so far`,
    );
  });

  it('bronze, silver, quarantine, the books and gold equal those of one uninterrupted build over the same files', async () => {
    expect(staged).toBe((BASE_WINDOWS + 1) * EVENTS_PER_WINDOW);
    const a = project('a');
    const [, reference] = await timed(() => ok(a, 'build', ...prod()));
    await expectWhole('a', a);
    expect([...(await relationsOf('b'))].sort()).toEqual([...(await relationsOf('a'))].sort());

    const [expected, actual] = [await outputChecksums('a'), await outputChecksums('b')];
    expect(Object.keys(expected)).toEqual(expect.arrayContaining(['gold_analytics.fact_user_events', 'gold_analytics.dim_user', 'recipe_analytics.user_events_silver']));
    expect(actual).toEqual(expected);
    // One row of books per build that loaded lines: A's one; B's two (the first windows, then the
    // fourth), each written once, by the killed build or by its rerun.
    const [booksA, booksB] = [await books('a'), await books('b')];
    expect(booksB.totals).toEqual(booksA.totals);
    expect([booksA.runs, booksB.runs]).toEqual([1, 2]);
    expect(Number(booksA.totals.bronze_rows)).toBe(expected['recipe_analytics.bronze_events']!.n);
    console.log(
      `[trino-faults] uninterrupted build ${reference}; ${staged} events staged; equal in A and B: ${Object.entries(expected)
        .map(([t, f]) => `${t} ${f.n}`)
        .join(', ')}; ${seconds(started)} in all`,
    );
  });
});
