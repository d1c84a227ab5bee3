// Issue 16 on the local Trino/Iceberg stack: the 15-minute cycle's cost against history. For each
// history size, a project copy (schemas of its own) builds a history of N events staged in S3 on
// the prod target; once every history's load is older than the read skew (READ_SKEW_MS), a warm-up
// window runs, then the same `--runs` windows of 10,000 events follow one another on each, each
// timed as its `run` and then its `test`. (Iceberg tables cannot be copied back as bench/scale.ts
// copies DuckDB's target; a schedule's windows follow one another anyway.) Targets (250k vs 2M):
// window run ≤ 15 s and its test ≤ 15 s at 2M, ratios ≤ 1.3. Staged files, schemas and state rows
// are removed afterwards (--keep leaves them). --no-settle skips the wait (a smoke run).
// --reuse ID measures again on the histories a --keep run (its id is in the schema names, scale_ID_k)
// left, with this checkout's project, from window --window-offset N on (after the N it ran).
// Each history is first kept as the project's hourly `framework maintain` keeps the prod target
// (compaction of the windows' small files and deletes), then again every --maintain-every windows
// (4: hourly for 15-minute windows; 0: never): without it a window's run and test grow with the
// number of windows before them (docs/scale.md). Its seconds are reported apart.
// Run: node --import tsx bench/scale-trino.ts [--sizes 250000,2000000] [--runs 3] [--keep] [--no-settle] [--reuse ID --window-offset N] [--maintain-every 4]
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { READ_SKEW_MS } from '../framework/materialize/interval-input.js';
import { deletePrefix } from '../tests/integration/ingest-support.js';
import { copyProject } from '../tests/integration/project-copy.js';
import { ensureStack } from '../tests/integration/stack.js';
import { dropCopy } from '../tests/integration/stack-queries.js';
import { flag, medians, nodeTimes, statuses, summarize, writeResult } from './lib.js';
import { copyNames, fw, generate, stageWindow, stagingVars, uploadAll, windowAt, windowFiles } from './trino-copies.js';

const sizes = (flag('sizes') ?? '250000,2000000').split(',').map(Number);
const runs = Number(flag('runs') ?? 3);
const windowEvents = Number(flag('window-events') ?? 10_000);
const maintainEvery = Number(flag('maintain-every') ?? 4);
const load = () => loadavg().map((l) => Number(l.toFixed(2)));
const t0 = Date.now();
const log = (...a: unknown[]) => console.log(`[${((Date.now() - t0) / 1000).toFixed(0)}s load ${loadavg()[0]!.toFixed(1)}]`, ...a);

const reuse = flag('reuse');
const offset = Number(flag('window-offset') ?? 0);
/** The warm-up window, then the measured ones: start and generator seed, the same on every history. */
const WINDOWS: [string, number][] = Array.from({ length: runs + 1 }, (_, i) => windowAt(offset + i));

ensureStack();
const id = reuse ?? randomBytes(3).toString('hex');

interface History {
  events: number;
  root: string;
  prefix: string;
  vars: string;
  builtAt: number;
  /** Undefined for a reused history. */
  generateSeconds?: number;
  uploadSeconds?: number;
  historySeconds?: number;
}

async function prepare(events: number, k: number): Promise<History> {
  const { schemas, prefix } = copyNames(id, k);
  const root = copyProject(schemas);
  copies.push({ prefix, schemas });
  const vars = stagingVars(prefix);
  if (reuse) return { events, root, prefix, vars, builtAt: 0 };
  const history = generate(root, ['--mode', 'bulk', '--start', '2025-06-01', '--end', '2025-08-31', '--events', String(events), '--seed', '1']);
  // The history holds no file of the windows measured on it.
  const windows = new Set(
    WINDOWS.flatMap((w) => {
      const { dir, files } = windowFiles(root, w, windowEvents);
      rmSync(dir, { recursive: true, force: true });
      return files;
    }),
  );
  const uploadSeconds = await uploadAll(history.dir, history.files.filter((f) => !windows.has(f)), prefix);
  log(`${events}: ${history.files.length} files generated in ${history.seconds.toFixed(1)} s, uploaded in ${uploadSeconds.toFixed(1)} s`);
  const historySeconds = fw(root, ['build', '--target', 'prod', '--resource-type', 'model', 'seed', 'snapshot', '--vars', vars]);
  log(`${events}: history built in ${historySeconds.toFixed(1)} s`);
  return { events, root, prefix, vars, builtAt: Date.now(), generateSeconds: history.seconds, uploadSeconds, historySeconds };
}

async function measure(h: History) {
  const loadStart = load();
  const [warm, ...measured] = WINDOWS;
  const staged = (w: [string, number]) => stageWindow(h.root, h.prefix, w, windowEvents);
  const maintain = () => fw(h.root, ['maintain', '--target', 'prod', '--vars', h.vars]);
  const maintainSeconds = maintainEvery ? [maintain()] : [];
  await staged(warm!);
  const warmUpRunSeconds = fw(h.root, ['run', '--target', 'prod', '--vars', h.vars]);
  log(`${h.events}: warm-up window run ${warmUpRunSeconds.toFixed(1)} s`);
  const samples = [];
  for (const [i, w] of measured.entries()) {
    if (maintainEvery && i && i % maintainEvery === 0) maintainSeconds.push(maintain());
    await staged(w);
    const run = fw(h.root, ['run', '--target', 'prod', '--vars', h.vars]);
    const runNodes = nodeTimes(h.root);
    const test = fw(h.root, ['test', '--target', 'prod', '--vars', h.vars]);
    samples.push({ run, test, runNodes, testNodes: nodeTimes(h.root), testStatuses: statuses(h.root) });
    log(`${h.events}: window ${w[0]} run ${run.toFixed(2)} s, test ${test.toFixed(2)} s`);
  }
  return {
    events: h.events,
    load: { start: loadStart, end: load() },
    generateSeconds: h.generateSeconds,
    uploadSeconds: h.uploadSeconds,
    historySeconds: h.historySeconds,
    warmUpRunSeconds,
    maintainEvery,
    maintainSeconds,
    run: { seconds: summarize(samples.map((s) => s.run)), nodes: medians(samples.map((s) => s.runNodes)) },
    test: { seconds: summarize(samples.map((s) => s.test)), nodes: medians(samples.map((s) => s.testNodes)), statuses: samples.at(-1)?.testStatuses },
  };
}

const histories: History[] = [];
/** What each history put on the stack, from its start: removed at the end, however it ends. */
const copies: { prefix: string; schemas: string }[] = [];
try {
  for (const [k, events] of sizes.entries()) histories.push(await prepare(events, k));
  // Until the last history's load is older than the skew: a schedule's history was loaded long before.
  const settle = process.argv.includes('--no-settle') ? 0 : Math.max(0, histories.at(-1)!.builtAt + READ_SKEW_MS + 5_000 - Date.now());
  log(`waiting ${(settle / 1000).toFixed(0)} s until the histories' loads are older than the read skew`);
  if (settle) execFileSync('sleep', [String(settle / 1000)]);
  const measured = [];
  for (const h of histories) measured.push(await measure(h));
  const [small, large] = measured;
  if (!small || !large) throw new Error('--sizes takes two history sizes, e.g. 250000,2000000');
  const ratio = (a: number, b: number) => Number((b / a).toFixed(2));
  const ratios = { run: ratio(small.run.seconds.median, large.run.seconds.median), test: ratio(small.test.seconds.median, large.test.seconds.median) };
  log(`run ${small.run.seconds.median.toFixed(2)} s → ${large.run.seconds.median.toFixed(2)} s (×${ratios.run}); test ${small.test.seconds.median.toFixed(2)} s → ${large.test.seconds.median.toFixed(2)} s (×${ratios.test})`);
  const path = writeResult(flag('name') ?? 'scale-trino', {
    target: 'trino',
    windowEvents,
    windows: WINDOWS.map(([start]) => start),
    ...(reuse ? { reusedHistories: id } : {}),
    targets: { runRatio: 1.3, testRatio: 1.3, runSecondsAtLarge: 15, testSecondsAtLarge: 15 },
    sizes: [small, large],
    ratios,
    met: { runRatio: ratios.run <= 1.3, testRatio: ratios.test <= 1.3, runSeconds: large.run.seconds.median <= 15, testSeconds: large.test.seconds.median <= 15 },
  });
  console.log(`results: ${path}`);
} finally {
  if (!process.argv.includes('--keep')) {
    for (const c of copies) {
      await deletePrefix(c.prefix).catch(() => {});
      await dropCopy(c.schemas);
    }
  }
}
