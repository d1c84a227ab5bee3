// Issue 16: a 15-minute cycle whose cost does not grow with history. For each history size, build
// a history of N events, run one warm-up window (the steady state of the schedule), snapshot the
// target, then time the same next window of 10,000 events — its `run` and its `test` — from that
// snapshot `--runs` times. Targets (DuckDB, 1M vs 8M): run and test ratios ≤ 1.25, run ≤ 2 s at 8M.
// Run: node --import tsx bench/scale.ts [--sizes 1000000,8000000] [--runs 3] [--keep-data] [--events-per-day N]
// Histories span 2025-06-01..08-31 whatever their size, so a larger one is denser (more events per
// day); --events-per-day N makes it longer instead, ending 08-31 with N events a day, as a
// schedule's history grows: lookups bounded by the window's dates then read as many rows at both
// sizes (results in scale-duckdb-longer.json).
// --keep-data reuses the staged history of an earlier run of the same size (the build is redone);
// --reuse-history also reuses its built snapshot (for changes that leave the tables as they are).
// --cycle K (default 8) then runs K consecutive windows from the snapshot, as a schedule does: the
// same window from the same snapshot meets DuckDB's row-group re-packing at the same point every
// time (docs/scale.md), the series shows what a cycle costs on average.
// The warm-up waits until the history's load is older than the read skew (READ_SKEW_MS, 15 min):
// before that, a run re-reads every input row loaded within the skew of the last read — the whole
// history, just built — where a schedule's history was loaded long before. --no-settle skips it.
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { join, relative } from 'node:path';
import { READ_SKEW_MS } from '../framework/materialize/interval-input.js';
import { dagSeconds, flag, medians, nodeTimes, statuses, summarize, timeCommand, writeResult, type Timing } from './lib.js';

const repo = join(import.meta.dirname, '..');
const cli = join(repo, 'bin/framework.js');
const sizes = (flag('sizes') ?? '1000000,8000000').split(',').map(Number);
const runs = Number(flag('runs') ?? 3);
const windowEvents = Number(flag('window-events') ?? 10_000);
const reuseHistory = process.argv.includes('--reuse-history');
const keepData = reuseHistory || process.argv.includes('--keep-data');
const settle = !process.argv.includes('--no-settle');
const cycleWindows = Number(flag('cycle') ?? 8);
const eventsPerDay = flag('events-per-day') ? Number(flag('events-per-day')) : undefined;
const FIXED_START = '2025-06-01';
const HISTORY_END = '2025-08-31';
const load = () => loadavg().map((l) => Number(l.toFixed(2)));

interface Step {
  seconds: Timing;
  /** The part of `seconds` spent executing nodes (run_results elapsed_time); the rest is start-up and closing the database. */
  dagSeconds: Timing;
  /** Median execution_time per node over the runs (run_results.json), slowest first. */
  nodes: Record<string, number>;
}

function project(work: string): void {
  for (const p of ['target', 'window', 'models', 'macros', 'seeds', 'snapshots', 'dashboards', 'sources', 'tests', 'extensions']) rmSync(join(work, p), { recursive: true, force: true });
  if (!reuseHistory) rmSync(join(work, 'target.history'), { recursive: true, force: true });
  if (!keepData) rmSync(join(work, 'history'), { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  for (const p of ['project.yml', 'profiles.yml', 'selectors.yml', 'sources', 'models', 'macros', 'seeds', 'snapshots', 'dashboards', 'tests/data']) {
    if (existsSync(join(repo, p))) cpSync(join(repo, p), join(work, p), { recursive: true });
  }
  // project.yml loads the project's extensions (the event generator); linked, so their imports of framework/ resolve.
  symlinkSync(join(repo, 'extensions'), join(work, 'extensions'));
}

/** Every file under `dir`, relative to it. */
function files(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)));
}

/** The warm-up window and the measured one: start and generator seed. */
const WINDOWS: [string, number][] = [
  ['2025-09-01T00:00:00+09:00', 99],
  ['2025-09-01T00:15:00+09:00', 100],
];

/** Generate a window of `windowEvents` into work/window; the staged paths, relative to it. */
function windowFiles(work: string, fw: (args: string[]) => number, start: string, seed: number): string[] {
  rmSync(join(work, 'window'), { recursive: true, force: true });
  fw(['generate', 'events', '--mode', 'window', '--start', start, '--events', String(windowEvents), '--seed', String(seed), '--out', 'window']);
  return files(join(work, 'window'));
}

/** A work directory with the history of `events` generated and built (or kept, with --reuse-history). */
function prepare(events: number) {
  // Named by size and first day: a history of the same span (8M at 87,000 a day) is shared.
  const start = historyStart(events);
  const work = join(repo, `bench/.work/scale-${events}${start === FIXED_START ? '' : `-from-${start}`}`);
  project(work);
  const fw = (args: string[]) => timeCommand('node', [cli, ...args, '--project-dir', work], work);
  const vars = JSON.stringify({ staging_location: join(work, 'history/replay-user-events/**/*.json') });
  const loadStart = load();
  let generateSeconds: number | undefined;
  if (!existsSync(join(work, 'history'))) {
    generateSeconds = fw(['generate', 'events', '--mode', 'bulk', '--start', start, '--end', HISTORY_END, '--events', String(events), '--seed', '1', '--out', 'history']);
  }
  const reuse = reuseHistory && existsSync(join(work, 'target.history'));
  // A kept history holds only the history: no file of the two windows (an earlier run's, or a
  // manual one's), which the build would load and the measured window would then find loaded.
  if (!reuse) for (const [start, seed] of WINDOWS) for (const f of windowFiles(work, fw, start, seed)) rmSync(join(work, 'history', f), { force: true });
  // A build without tests: the snapshots too (ad_click_attribution reads dim_user_history), which `run` leaves out.
  const historySeconds = reuse ? undefined : fw(['build', '--resource-type', 'model', 'seed', 'snapshot', '--vars', vars]);
  console.log(`${events}: history generated in ${generateSeconds?.toFixed(1) ?? '(kept)'} s, built in ${historySeconds?.toFixed(1) ?? '(kept)'} s`);
  return { events, work, fw, vars, reuse, loadStart, generateSeconds, historySeconds };
}

type Prepared = ReturnType<typeof prepare>;

/** The first day of a history of `events`: fixed (denser histories), or as many days back as --events-per-day needs. */
function historyStart(events: number): string {
  if (!eventsPerDay) return FIXED_START;
  const days = Math.ceil(events / eventsPerDay);
  return new Date(Date.parse(HISTORY_END) - (days - 1) * 86_400_000).toISOString().slice(0, 10);
}

function measure({ events, work, fw, vars, reuse, loadStart, generateSeconds, historySeconds }: Prepared, settledSeconds?: number) {
  // The warm-up window makes the measured one a steady-state cycle, not the first after a full build.
  let warmSeconds: number | undefined;
  if (!reuse) {
    const warm = windowFiles(work, fw, ...WINDOWS[0]);
    for (const f of warm) cpSync(join(work, 'window', f), join(work, 'history', f));
    warmSeconds = fw(['run', '--vars', vars]);
    cpSync(join(work, 'target'), join(work, 'target.history'), { recursive: true });
  }

  const measured = windowFiles(work, fw, ...WINDOWS[1]);
  const samples = Array.from({ length: runs }, () => {
    rmSync(join(work, 'target'), { recursive: true, force: true });
    cpSync(join(work, 'target.history'), join(work, 'target'), { recursive: true });
    for (const f of measured) cpSync(join(work, 'window', f), join(work, 'history', f));
    // The snapshot just copied (3.7 GB at 8M) is written back before timing, not during the window's run.
    execFileSync('sync');
    const run = fw(['run', '--vars', vars]);
    const runNodes = nodeTimes(work);
    const runDag = dagSeconds(work);
    const test = fw(['test', '--vars', vars]);
    const testNodes = nodeTimes(work);
    const testDag = dagSeconds(work);
    const testStatuses = statuses(work);
    for (const f of measured) rmSync(join(work, 'history', f));
    console.log(`${events}: window run ${run.toFixed(2)} s, test ${test.toFixed(2)} s`);
    return { run, test, runNodes, testNodes, testStatuses, runDag, testDag };
  });
  const run: Step = { seconds: summarize(samples.map((s) => s.run)), dagSeconds: summarize(samples.map((s) => s.runDag)), nodes: medians(samples.map((s) => s.runNodes)) };
  const test: Step & { statuses?: Record<string, number> } = { seconds: summarize(samples.map((s) => s.test)), dagSeconds: summarize(samples.map((s) => s.testDag)), nodes: medians(samples.map((s) => s.testNodes)), statuses: samples.at(-1)?.testStatuses };
  const cycle = cycleWindows > 0 ? consecutive(work, fw, vars) : undefined;
  return { events, load: { start: loadStart, end: load() }, generateSeconds, historySeconds, settledSeconds, warmUpRunSeconds: warmSeconds, run, test, cycle };
}

/** `cycleWindows` windows of `windowEvents` in a row from the snapshot, each run then tested. */
function consecutive(work: string, fw: Prepared['fw'], vars: string) {
  rmSync(join(work, 'target'), { recursive: true, force: true });
  cpSync(join(work, 'target.history'), join(work, 'target'), { recursive: true });
  execFileSync('sync');
  const added: string[] = [];
  const windows = Array.from({ length: cycleWindows }, (_, i) => {
    const start = new Date(Date.parse(WINDOWS[1][0]) + i * 15 * 60_000).toISOString();
    for (const f of windowFiles(work, fw, start, WINDOWS[1][1] + i)) {
      cpSync(join(work, 'window', f), join(work, 'history', f));
      added.push(f);
    }
    const run = fw(['run', '--vars', vars]);
    const runDag = dagSeconds(work);
    const test = fw(['test', '--vars', vars]);
    return { run, runDag, test };
  });
  for (const f of added) rmSync(join(work, 'history', f), { force: true });
  console.log(`  ${cycleWindows} windows in a row: run ${windows.map((w) => w.run.toFixed(2)).join(' ')} s`);
  return {
    windows: cycleWindows,
    run: summarize(windows.map((w) => w.run)),
    runMean: Number((windows.reduce((a, w) => a + w.run, 0) / cycleWindows).toFixed(3)),
    runDag: summarize(windows.map((w) => w.runDag)),
    test: summarize(windows.map((w) => w.test)),
    runs: windows.map((w) => Number(w.run.toFixed(3))),
  };
}

const prepared = sizes.map(prepare);
// Both histories are built first, so one wait covers both: the last build must be older than the skew.
const settledSeconds = prepared.some((p) => !p.reuse) && settle ? (READ_SKEW_MS + 5_000) / 1000 : undefined;
if (settledSeconds) {
  console.log(`waiting ${settledSeconds} s until the histories' loads are older than the read skew`);
  execFileSync('sleep', [String(settledSeconds)]);
}
const [small, large] = prepared.map((p) => measure(p, settledSeconds));
if (!small || !large) throw new Error('--sizes takes two history sizes, e.g. 1000000,8000000');
const ratio = (a: number, b: number) => Number((b / a).toFixed(2));
const ratios = { run: ratio(small.run.seconds.median, large.run.seconds.median), test: ratio(small.test.seconds.median, large.test.seconds.median) };
console.log(`run ${small.run.seconds.median.toFixed(2)} s → ${large.run.seconds.median.toFixed(2)} s (×${ratios.run}); test ${small.test.seconds.median.toFixed(2)} s → ${large.test.seconds.median.toFixed(2)} s (×${ratios.test})`);
if (small.cycle && large.cycle)
  console.log(`${cycleWindows} windows in a row, medians: run ${small.cycle.run.median.toFixed(2)} s → ${large.cycle.run.median.toFixed(2)} s, test ${small.cycle.test.median.toFixed(2)} s → ${large.cycle.test.median.toFixed(2)} s`);
const path = writeResult(flag('name') ?? (eventsPerDay ? 'scale-duckdb-longer' : 'scale-duckdb'), {
  target: 'duckdb',
  windowEvents,
  history: eventsPerDay ? { eventsPerDay, end: HISTORY_END } : { start: FIXED_START, end: HISTORY_END },
  targets: { runRatio: 1.25, testRatio: 1.25, runSecondsAtLarge: 2 },
  sizes: [small, large],
  ratios,
  met: { runRatio: ratios.run <= 1.25, testRatio: ratios.test <= 1.25, runSeconds: large.run.seconds.median <= 2 },
});
console.log(`results: ${path}`);
