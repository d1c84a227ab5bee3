// Snapshots on DuckDB (issue 19 target): a snapshot run over 1M silver events' users ≤ 5 s.
// dim_user_history reads dim_user and scans silver twice (when each user's attributes began); the
// first run creates the table, a later one is the MERGE of every run after (here: no user changed,
// so the staging query compares every user and merges nothing, the scheduled case).
// Run: npm run build && node --import tsx bench/snapshot.ts [--events 1000000]
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { summarize, timeCommand, writeResult } from './lib.js';

const repo = join(import.meta.dirname, '..');
const cli = join(repo, 'bin/framework.js');
const work = join(repo, 'bench/.work/snapshot');
const eventsFlag = process.argv.indexOf('--events');
const events = eventsFlag > 0 ? Number(process.argv[eventsFlag + 1]) : 1_000_000;
const runs = Number(process.env.BENCH_RUNS ?? 3);

rmSync(work, { recursive: true, force: true });
mkdirSync(work, { recursive: true });
for (const p of ['project.yml', 'profiles.yml', 'selectors.yml', 'sources', 'models', 'macros', 'seeds', 'snapshots', 'tests/data']) {
  if (existsSync(join(repo, p))) cpSync(join(repo, p), join(work, p), { recursive: true });
}
const fw = (args: string[]) => timeCommand('node', [cli, ...args, '--project-dir', work], work);
const vars = JSON.stringify({ staging_location: join(work, 'bulk/replay-user-events/**/*.json') });
const load = () => loadavg()[0]!;

const loadStart = load();
fw(['generate', 'events', '--mode', 'bulk', '--start', '2025-06-01', '--end', '2025-08-31', '--events', String(events), '--out', 'bulk']);
const upstream = fw(['run', '--select', '+dim_user', '--vars', vars]);
console.log(`silver + dim_user over ${events} events: ${upstream.toFixed(1)} s`);

/** One `framework snapshot`: the command's wall time (Node start-up, compile, lock) and the snapshot node's own time. */
function snapshotRun(): { command: number; node: number; rows?: number } {
  const command = fw(['snapshot', '--select', 'dim_user_history', '--vars', vars]);
  const results = JSON.parse(readFileSync(join(work, 'target/run_results.json'), 'utf8')) as { results: { unique_id: string; execution_time: number; rows_affected?: number; status: string }[] };
  const node = results.results.find((r) => r.unique_id.endsWith('.dim_user_history'))!;
  if (node.status !== 'success') throw new Error(`dim_user_history: ${node.status}`);
  return { command, node: node.execution_time, ...(node.rows_affected !== undefined ? { rows: node.rows_affected } : {}) };
}

const first = snapshotRun();
console.log(`first run (creates the table, ${first.rows} users): node ${first.node.toFixed(2)} s, command ${first.command.toFixed(2)} s`);
const again = Array.from({ length: runs }, snapshotRun);
const merge = { node: summarize(again.map((r) => r.node)), command: summarize(again.map((r) => r.command)), rows: again.map((r) => r.rows) };
console.log(`later runs (one MERGE): node median ${merge.node.median.toFixed(2)} s, command median ${merge.command.median.toFixed(2)} s`);

const path = writeResult('snapshot-duckdb', {
  load: { start: loadStart, end: load() },
  events,
  targets: { snapshotRunSeconds: 5 },
  upstreamSeconds: upstream,
  firstRun: first,
  mergeRun: merge,
  met: { firstRun: first.node <= 5, mergeRun: merge.node.median <= 5, mergeCommand: merge.command.median <= 5 },
});
console.log(`results: ${path}`);
