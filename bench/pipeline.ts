// Reciping on DuckDB (issue targets): full build over 1M events ≤ 60 s; an incremental run for one
// 15-minute window of 10,000 events ≤ 5 s, and the scheduled cycle (ingest + silver + gold +
// tests) ≤ 10 s; a day of 96 windows caught up in one run ≤ 2 minutes.
// Run: node --import tsx bench/pipeline.ts [--events 1000000]
import { cpSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { summarize, timeCommand, writeResult } from './lib.js';

const repo = join(import.meta.dirname, '..');
const cli = join(repo, 'bin/framework.js');
const work = join(repo, 'bench/.work/pipeline');
const eventsFlag = process.argv.indexOf('--events');
const events = eventsFlag > 0 ? Number(process.argv[eventsFlag + 1]) : 1_000_000;
const runs = Number(process.env.BENCH_RUNS ?? 3);

function project(): string {
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  for (const p of ['project.yml', 'profiles.yml', 'selectors.yml', 'sources', 'models', 'macros', 'seeds', 'snapshots', 'tests/data']) {
    if (existsSync(join(repo, p))) cpSync(join(repo, p), join(work, p), { recursive: true });
  }
  return work;
}

const fw = (args: string[]) => timeCommand('node', [cli, ...args, '--project-dir', work], work);
const vars = (dir: string) => JSON.stringify({ staging_location: join(work, dir, 'replay-user-events/**/*.json') });
const load = () => loadavg()[0]!.toFixed(2);

project();
const loadStart = load();
const generate = fw(['generate', 'events', '--mode', 'bulk', '--start', '2025-06-01', '--end', '2025-08-31', '--events', String(events), '--out', 'bulk']);
console.log(`generate ${events} events: ${generate.toFixed(1)} s`);

const full = summarize(
  Array.from({ length: runs }, () => {
    rmSync(join(work, 'target'), { recursive: true, force: true });
    return fw(['build', '--vars', vars('bulk')]);
  }),
);
console.log(`full build over ${events} events (models + tests): median ${full.median.toFixed(1)} s (min ${full.min.toFixed(1)}, max ${full.max.toFixed(1)})`);

// One 15-minute window after the bulk, as the 15-minute schedule runs it: generate it into the same
// staging tree; `run` (staging -> bronze through the file ledger, silver, gold) is the window's
// incremental run; `run` + `test` is the scheduled cycle (ingest + silver + gold + tests).
const windows = Array.from({ length: runs }, (_, k) => {
  const start = new Date(Date.parse('2025-09-01T00:00:00+09:00') + k * 15 * 60_000).toISOString();
  fw(['generate', 'events', '--mode', 'window', '--start', start, '--events', '10000', '--seed', String(100 + k), '--out', 'bulk']);
  const run = fw(['run', '--vars', vars('bulk')]);
  const test = fw(['test', '--vars', vars('bulk')]);
  return { run, cycle: run + test };
});
const windowBuild = summarize(windows.map((w) => w.run));
const cycle = summarize(windows.map((w) => w.cycle));
console.log(`one window of 10,000 events: incremental run median ${windowBuild.median.toFixed(2)} s; cycle (run + tests) ${cycle.median.toFixed(2)} s`);

// A day of 96 windows arriving while nothing ran: one run catches up.
const day = fw(['generate', 'events', '--mode', 'window', '--start', '2025-09-02T00:00:00+09:00', '--windows', '96', '--events', '10000', '--seed', '7', '--out', 'bulk']);
const catchUp = fw(['build', '--vars', vars('bulk')]);
console.log(`catch-up of 96 windows (960,000 events): generate ${day.toFixed(1)} s, build ${catchUp.toFixed(1)} s`);

const path = writeResult('pipeline-duckdb', {
  load: { start: loadStart, end: load() },
  events,
  targets: { fullBuildSeconds: 60, windowRunSeconds: 5, cycleSeconds: 10, catchUpDaySeconds: 120 },
  generateSeconds: generate,
  fullBuild: full,
  windowRun: windowBuild,
  cycle,
  catchUpDay: { generateSeconds: day, buildSeconds: catchUp },
  met: { fullBuild: full.median <= 60, window: windowBuild.median <= 5, cycle: cycle.median <= 10, catchUp: catchUp <= 120 },
});
console.log(`results: ${path}`);
