// Issue 19 item 4 on the local Trino/Iceberg stack: `build --empty --target prod` of the whole
// Reciping project (every model and data test, inputs read with limit 0), each run in fresh schemas
// of its own, removed afterwards. Target: ≤ 60 s. The figures carry the load average, since the
// stack shares its cores with whatever else runs.
// Run: node --import tsx bench/empty-build-trino.ts   (BENCH_RUNS, default 2)
import { loadavg } from 'node:os';
import { emptyBuild } from '../tests/integration/empty-build.js';
import { ensureStack } from '../tests/integration/stack.js';
import { summarize, writeResult } from './lib.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 2);

ensureStack();
const runs: { seconds: number; nodes: number; loadavg: { start: number; end: number } }[] = [];
for (let k = 1; k <= RUNS; k++) {
  const start = loadavg()[0]!;
  const build = await emptyBuild('bench_empty');
  try {
    if (build.code !== 0) throw new Error(`build --empty failed:\n${build.problems.join('\n')}`);
    runs.push({ seconds: build.seconds, nodes: build.nodes, loadavg: { start, end: loadavg()[0]! } });
    console.log(`run ${k}: ${build.seconds.toFixed(1)} s, ${build.nodes} nodes, load ${start.toFixed(2)} → ${loadavg()[0]!.toFixed(2)}`);
  } finally {
    await build.cleanup();
  }
}
const seconds = summarize(runs.map((r) => r.seconds));
console.log(`results: ${writeResult('empty-build-trino', { command: 'build --empty --target prod', targetSeconds: 60, seconds, withinTarget: seconds.max <= 60, runs })}`);
process.exit(0);
