/**
 * Issue 17, items 1 and 2, on the real stack: the Reciping project built on the prod target
 * (threads 4), then consecutive 15-minute windows, each run also bringing a late file for the
 * window before it (late-windows.ts). In every run silver, quarantine and then the fact reprocess
 * a done interval and rewrite its state at the same time, which made runs fail with
 * ICEBERG_COMMIT_ERROR "Found new conflicting delete files" on framework_state.intervals when the
 * state table was one unpartitioned Iceberg table. Every run succeeds, the data tests pass, the
 * books balance and silver holds every generated event; and a reader polling count(*) of silver
 * and the fact every 100 ms throughout never sees a count go down (an interval is replaced in one
 * commit, not a DELETE and then an INSERT). The 20-window version is bench/late-windows-trino.ts.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../unit/support/project.js';
import { deletePrefix } from './ingest-support.js';
import { generateWindows, pollCounts, stagedForRun, upload, type CountSeries, type StagedWindows } from './late-windows.js';
import { ensureStack } from './stack.js';
import { copyProject, dropCopy, ok, rows, runResults } from './support.js';

const WINDOWS = 7;
const EVENTS_PER_WINDOW = 500;
const run = randomBytes(3).toString('hex');
/** The S3 prefix (staging bucket) of this file's files. */
const prefix = `it-late-windows-${run}`;
/** Every Iceberg/Hive schema of this file starts with this. */
const schemas = `it_late_${run}`;
const table = (schema: string, name: string) => `iceberg."${schemas}_${schema}"."${name}"`;
const SILVER = table('recipe_analytics', 'user_events_silver');
const FACT = table('gold_analytics', 'fact_user_events');

let root: string;
let vars: string;
let staged: StagedWindows;
const runs: { run: number; code: number; seconds: number; silver: string; problems: string[] }[] = [];
let counts: CountSeries[] = [];

beforeAll(async () => {
  if (!process.env.S3_ENDPOINT) ensureStack();
  root = copyProject(schemas);
  vars = JSON.stringify({ staging_location: `s3://${process.env.S3_STAGING_BUCKET}/${prefix}/replay-user-events/` });
  staged = await generateWindows(root, WINDOWS, EVENTS_PER_WINDOW);
  await upload(staged, prefix, stagedForRun(staged, 0));
  await ok(root, 'build', '--target', 'prod', '--vars', vars);
});

afterAll(async () => {
  await deletePrefix(prefix).catch(() => {});
  await dropCopy(schemas).catch(() => {});
});

describe('15-minute windows with late files on the prod target, threads 4', () => {
  it('every run succeeds, reprocessing the late interval; then every data test passes, the books balance and silver holds every event', async () => {
    const poller = pollCounts([SILVER, FACT]);
    try {
      for (let k = 1; k <= WINDOWS; k++) {
        await upload(staged, prefix, stagedForRun(staged, k));
        const started = Date.now();
        // The dim_user_history snapshot (never built by `run`) and what reads it are not this test's subject.
        const r = await cli(root, 'run', '--target', 'prod', '--vars', vars, '--exclude', 'dim_user_history+');
        const silver = runResults(root).results.find((n) => n.unique_id === 'model.reciping.user_events_silver')?.message ?? '';
        runs.push({ run: k, code: r.code, seconds: (Date.now() - started) / 1000, silver, problems: r.stdout.split('\n').filter((l) => /\b(ERROR|SKIP)\b/.test(l)) });
      }
    } finally {
      counts = await poller.stop();
    }
    console.log(`[late-windows] runs: ${runs.map((r) => `${r.run}: exit ${r.code} ${r.seconds.toFixed(0)} s`).join(', ')}; polls: ${counts.map((c) => `${c.table} ${c.polls} (${c.min}..${c.max}, ${c.drops.length} drops)`).join(', ')}`);
    expect(runs.filter((r) => r.code !== 0)).toEqual([]);
    // Each run reprocessed the interval whose late file it loaded, beside the new window.
    for (const r of runs) expect(r.silver, `run ${r.run}`).toContain('1 with late input');

    await ok(root, 'test', '--target', 'prod', '--vars', vars, '--exclude', 'dim_user_history+');
    const [books] = await rows(`select * from ${table('recipe_analytics', 'pipeline_accounting')}`);
    expect(books!.is_balanced, JSON.stringify(books)).toBe(true);
    const [n] = await rows(`select (select count(*) from ${SILVER}) as silver, (select count(distinct event_id) from ${SILVER}) as events, (select count(*) from ${FACT}) as fact`);
    expect({ silver: Number(n!.silver), events: Number(n!.events), fact: Number(n!.fact) }).toEqual({ silver: staged.events, events: staged.events, fact: staged.events });
  });

  it('a reader polling count(*) of silver and the fact every 100 ms meanwhile never sees either go down', () => {
    expect(runs.length, 'the windows ran').toBe(WINDOWS);
    for (const c of counts) expect(c.polls, c.table).toBeGreaterThan(20 * WINDOWS);
    expect(counts.map((c) => ({ table: c.table, drops: c.drops }))).toEqual([SILVER, FACT].map((t) => ({ table: t, drops: [] })));
  });
});
