/**
 * Faults of the Reciping pipeline on DuckDB: a build SIGKILLed mid-way and rerun, two builds at
 * once, the September replay window by window (twice), and a window whose files arrive late.
 * Each must end in the tables one uninterrupted build over the same files gives: the same row
 * counts and checksums of bronze, silver, quarantine and every gold table (without the columns
 * stamped with the processing time), and event_id unique in silver and in the fact.
 *
 * The sample: five 15-minute windows of 1,000 events from 2025-09-01 00:00 KST, generated once;
 * each scenario copies the project and stages some of the windows' files. Builds that are killed
 * or overlap are real `framework` processes (from the TypeScript sources, as the integration
 * tests run them); the others run in-process.
 */
import { cpSync, mkdirSync, readFileSync, readdirSync, rmSync, type Dirent } from 'node:fs';
import { hostname } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../support/project.js';
import {
  build, completes as completesAs, copyProject, eventIdCounts, expectStaleLock as expectStaleLockOf, expectUniqueEvents, finished, generate, killedBuild as killed,
  nodeDone, nodeStart, one, outputChecksums, problems, span, startBuild as startBuildIn, stagingVars, type BuildProcess, type LogEvent, type OnEvent,
  type TableChecksum,
} from './support.js';

const START = '2025-09-01T00:00:00+09:00';
const WINDOW_MS = 15 * 60_000;
/** W0..W3 are the base sample; W4 arrives after a killed run. */
const WINDOWS = 5;
const EVENTS_PER_WINDOW = 1000;
const BASE = [0, 1, 2, 3];

/** Staged files of each window (paths relative to the generator's output), oldest window first. */
let windows: string[][];
let generated: string;

interface Staged {
  root: string;
  staging: string;
  vars: string;
}

interface Reference extends Staged {
  tables: Record<string, TableChecksum>;
}
/** One uninterrupted in-process build over W0..W3, and one over W0..W4. */
let base: Reference;
let withW4: Reference;

/** A fresh copy of the project with the files of windows `ks` staged. */
function project(ks: number[]): Staged {
  const root = copyProject();
  const staging = join(root, 'staging');
  mkdirSync(staging, { recursive: true });
  const p = { root, staging, vars: stagingVars(staging) };
  stage(p, ks);
  return p;
}

function stage(p: Staged, ks: number[]): void {
  for (const k of ks) for (const file of windows[k]!) cpSync(join(generated, file), join(p.staging, file));
}

async function reference(ks: number[]): Promise<Reference> {
  const p = project(ks);
  await build(p.root, p.vars);
  await expectUniqueEvents(p.root);
  return { ...p, tables: await outputChecksums(p.root, p.staging) };
}

/** How long a model took in the reference build (target/run_results.json). */
function nodeSeconds(p: Staged, model: string): number {
  const results = JSON.parse(readFileSync(join(p.root, 'target/run_results.json'), 'utf8')) as { results: { unique_id: string; execution_time: number }[] };
  return results.results.find((r) => r.unique_id === `model.reciping.${model}`)!.execution_time;
}

/** The KST wall-clock bounds of window k, as silver's kst_timestamp holds them. */
function windowRange(k: number): [string, string] {
  const kst = (ms: number) => new Date(ms + 9 * 3_600_000).toISOString().slice(0, 19).replace('T', ' ');
  const start = Date.parse(START) + k * WINDOW_MS;
  return [kst(start), kst(start + WINDOW_MS)];
}

// ------------------------------------------------------------------ builds as processes

/** `framework build` of `p` as a child process. */
const startBuild = (p: Staged, flags: string[] = [], onEvent?: OnEvent) => startBuildIn(p.root, ['--vars', p.vars, ...flags], onEvent);
const completes = (p: Staged, flags: string[] = []) => completesAs(() => startBuild(p, flags));

/**
 * A build of `p` SIGKILLed `delayMs` after it logs the event `at` picks, and before it logs one
 * `before` picks (or its summary). When the signal came too late, the target is wiped and the
 * build started again with half the delay.
 */
const killedBuild = (p: Staged, at: (e: LogEvent) => boolean, before: (e: LogEvent) => boolean, delayMs = 0) =>
  killed((onEvent) => startBuild(p, [], onEvent), at, before, { delayMs, reset: () => rmSync(join(p.root, 'target'), { recursive: true, force: true }) });

const expectStaleLock = (p: Staged, run: BuildProcess) => expectStaleLockOf(p.root, 'dev', run);

// ------------------------------------------------------------------ the sample and the references

beforeAll(async () => {
  const gen = copyProject();
  generated = join(gen, 'generated');
  const stats = await generate(gen, 'generated', ['--mode', 'window', '--start', START, '--windows', String(WINDOWS), '--events', String(EVENTS_PER_WINDOW), '--seed', '7']);
  expect(stats.events).toBe(WINDOWS * EVENTS_PER_WINDOW);
  // One bucket folder per window (…/hour=HH/minute=MM); their names sort in time order.
  const files = (readdirSync(generated, { recursive: true, withFileTypes: true }) as Dirent[])
    .filter((e) => e.isFile() && e.name.endsWith('.json'))
    .map((e) => relative(generated, join(e.parentPath, e.name)))
    .sort();
  expect(files.length).toBe(stats.files);
  const buckets = [...new Set(files.map((f) => dirname(f)))];
  expect(buckets).toHaveLength(WINDOWS);
  windows = buckets.map((b) => files.filter((f) => dirname(f) === b));

  base = await reference(BASE);
  withW4 = await reference([...BASE, 4]);
  // Every staged line reached bronze once.
  const lines = BASE.flatMap((k) => windows[k]!).reduce((n, f) => n + readFileSync(join(generated, f), 'utf8').split('\n').filter(Boolean).length, 0);
  expect(base.tables['recipe_analytics.bronze_events']!.rows).toBe(lines);
  expect(withW4.tables['recipe_analytics.bronze_events']!.rows).toBeGreaterThan(lines);
  // One fact row per event (the generator rarely repeats an event_id, which silver keeps once).
  expect(base.tables['gold_analytics.fact_user_events']!.rows).toBeLessThanOrEqual(BASE.length * EVENTS_PER_WINDOW);
  expect(base.tables['gold_analytics.fact_user_events']!.rows).toBeGreaterThan(0.99 * BASE.length * EVENTS_PER_WINDOW);
});

// ------------------------------------------------------------------ the scenarios

describe('a build killed with SIGKILL and run again', () => {
  it.each<[string, string, number]>([
    ['as bronze starts loading the staged files', 'bronze_events', 0],
    ['half-way through the bronze load', 'bronze_events', 0.5],
    ['as silver starts its merge', 'user_events_silver', 0],
    ['as the fact starts its merge', 'fact_user_events', 0],
  ])('%s: the rerun ends as an uninterrupted build', async (_, model, share) => {
    const p = project(BASE);
    // A share of the node's time in the uninterrupted build (at least 1 ms when asked for).
    const delay = share && Math.max(1, Math.round(share * nodeSeconds(base, model) * 1000));
    const killed = await killedBuild(p, nodeStart(model), nodeDone(model), delay);
    expectStaleLock(p, killed);
    await completes(p);
    expect(await outputChecksums(p.root, p.staging)).toEqual(base.tables);
    await expectUniqueEvents(p.root);
  });

  it('after silver, before the fact, with a new window staged before the rerun: as one build of all the files', async () => {
    const p = project(BASE);
    const killed = await killedBuild(p, nodeDone('user_events_silver'), nodeDone('fact_user_events'));
    expectStaleLock(p, killed);
    stage(p, [4]);
    await completes(p);
    expect(await outputChecksums(p.root, p.staging)).toEqual(withW4.tables);
    await expectUniqueEvents(p.root);
  });
});

describe('two builds of one project and target at once', () => {
  it('one exits naming the lock holder and the other succeeds; with --wait both succeed in turn', async () => {
    const p = project(BASE);
    const since = Date.now();
    let pair: BuildProcess[] | undefined;
    for (let attempt = 1; attempt <= 3 && !pair; attempt++) {
      const runs = [startBuild(p), startBuild(p)];
      const exits = await Promise.all(runs.map((r) => r.exit));
      if (exits.every((code) => code === 0)) {
        // Both succeeded: only acceptable if one had finished before the other reached the lock.
        const [a, b] = runs.map(span) as [[number, number], [number, number]];
        expect(a[1] <= b[0] || b[1] <= a[0], 'two builds ran at the same time').toBe(true);
        continue;
      }
      pair = runs;
    }
    expect(pair, 'the two builds never overlapped in 3 attempts').toBeDefined();
    const exits = await Promise.all(pair!.map((r) => r.exit));
    expect(exits, pair!.map(problems).join('\n')).toContain(0);
    const winner = pair![exits.indexOf(0)]!;
    const loser = pair![1 - exits.indexOf(0)]!;
    expect(await loser.exit, problems(loser)).toBe(1);
    // The loser never started running, and says who holds the lock: pid, host and start time.
    expect(loser.events.some((e) => e.event === 'plan')).toBe(false);
    const m = /another run holds the lock (\S+): pid (\d+) on (.+?), "framework build" since (\S+?)[;\s]/.exec(loser.output());
    expect(m, problems(loser)).not.toBeNull();
    expect(m![1]).toBe(join(p.root, 'target/locks/dev.lock'));
    expect([Number(m![2]), m![3]]).toEqual([winner.pid, hostname()]);
    const started = Date.parse(m![4]!);
    expect(started).toBeGreaterThanOrEqual(since);
    expect(started).toBeLessThanOrEqual(span(winner)[0]);

    const waiting = [startBuild(p, ['--wait']), startBuild(p, ['--wait'])];
    for (const run of waiting) {
      expect(await run.exit, problems(run)).toBe(0);
      expect(finished(run)).toBe(true);
    }
    const [a, b] = waiting.map(span) as [[number, number], [number, number]];
    expect(a[1] <= b[0] || b[1] <= a[0], 'the --wait builds ran at the same time').toBe(true);

    expect(await outputChecksums(p.root, p.staging)).toEqual(base.tables);
    await expectUniqueEvents(p.root);
  });
});

describe('the September replay', () => {
  it('one build per window, done twice: identical tables, identical to one build over all the windows', async () => {
    const replays: Record<string, TableChecksum>[] = [];
    for (let replay = 0; replay < 2; replay++) {
      const p = project([]);
      const silver: number[] = [];
      for (const k of BASE) {
        stage(p, [k]);
        await build(p.root, p.vars);
        silver.push((await eventIdCounts(p.root))['recipe_analytics.user_events_silver']!.rows);
      }
      // Every window added events.
      expect(silver).toEqual([...silver].sort((x, y) => x - y));
      expect(new Set(silver).size).toBe(BASE.length);
      await expectUniqueEvents(p.root);
      replays.push(await outputChecksums(p.root, p.staging));
    }
    expect(replays[1]).toEqual(replays[0]);
    expect(replays[0]).toEqual(base.tables);
  });
});

describe('late data', () => {
  it('a window staged after the run that covered its time range is picked up by the next run', async () => {
    const LATE = 2;
    const p = project(BASE.filter((k) => k !== LATE));
    await build(p.root, p.vars);
    const [from, to] = windowRange(LATE);
    const inLateWindow = `select count(*) as n from recipe_analytics.user_events_silver where kst_timestamp >= TIMESTAMP '${from}' and kst_timestamp < TIMESTAMP '${to}'`;
    const fromNextWindow = `${inLateWindow} and source_file like '%/${dirname(windows[LATE + 1]![0]!)}/%'`;
    const expected = (await one(base.root, inLateWindow)).n;
    // Only re-deliveries staged with the next window can be there yet.
    const before = (await one(p.root, inLateWindow)).n;
    expect(before).toBeLessThan(expected);
    expect((await one(p.root, fromNextWindow)).n).toBe(before);
    expect((await eventIdCounts(p.root))['gold_analytics.fact_user_events']!.rows).toBeLessThan(base.tables['gold_analytics.fact_user_events']!.rows);

    stage(p, [LATE]);
    // Once bronze has the late files, silver's interval for them (done, empty) shows late input.
    await build(p.root, p.vars, '--select', 'bronze_events');
    const lateStart = Date.parse(START) + LATE * WINDOW_MS;
    const listing = await cli(p.root, 'intervals', '--select', 'user_events_silver', '--vars', p.vars, '--output', 'json');
    expect(JSON.parse(listing.stdout)).toEqual([
      expect.objectContaining({ missing: 0, late_input: 1, late_ranges: [`${new Date(lateStart).toISOString()} → ${new Date(lateStart + WINDOW_MS).toISOString()} (1)`] }),
    ]);
    await build(p.root, p.vars);
    expect((await one(p.root, inLateWindow)).n).toBe(expected);
    expect(await eventIdCounts(p.root)).toEqual(await eventIdCounts(base.root));
    await expectUniqueEvents(p.root);
    // The first delivery of an event wins: those that came early with the next window keep that
    // file and its staging interval. Otherwise the tables are those of one build over all the windows.
    expect((await one(p.root, fromNextWindow)).n).toBe(before);
    // A snapshot records history as it was observed (dbt's semantics): a late event older than a
    // user's first-seen time does not move the open version's start, so its times differ from one
    // build over everything; its rows and attributes must not.
    const sourceFile = {
      'recipe_analytics.user_events_silver': ['source_file', 'staging_interval_utc'],
      'gold_analytics.dim_user_history': ['attributes_since', 'dbt_valid_from', 'dbt_updated_at', 'dbt_scd_id'],
    };
    expect(await outputChecksums(p.root, p.staging, sourceFile)).toEqual(await outputChecksums(base.root, base.staging, sourceFile));
  });
});
