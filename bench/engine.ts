// Engine benchmarks (issue targets): `framework compile` of 1,000 models ≤ 1.0 s wall including Node
// start-up; `framework ls --select` over 10,000 models ≤ 1.0 s with the compile cache, ≤ 1.5 s cold.
// Run: node --import tsx bench/engine.ts
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { generateProject } from './gen-project.js';
import { summarize, timeCommand, writeResult } from './lib.js';

const root = join(import.meta.dirname, '..');
const cli = join(root, 'bin/framework.js');
const runs = Number(process.env.BENCH_RUNS ?? 5);

/** `cold`: FRAMEWORK_NO_CACHE=1, every template rendered; warm: the compile cache of an unchanged project. */
function measure(label: string, args: string[], cwd: string, cold: boolean) {
  const env = { ...process.env, ...(cold ? { FRAMEWORK_NO_CACHE: '1' } : {}) };
  timeCommand('node', [cli, ...args], cwd, env); // warm the OS file cache (and the compile cache)
  const timing = summarize(Array.from({ length: runs }, () => timeCommand('node', [cli, ...args], cwd, env)));
  console.log(`${label.padEnd(44)} median ${timing.median.toFixed(3)} s  (min ${timing.min.toFixed(3)}, max ${timing.max.toFixed(3)}, ${runs} runs)`);
  return timing;
}

const p1k = generateProject(join(root, 'bench/.work/project-1000'), 1000);
const p10k = generateProject(join(root, 'bench/.work/project-10000'), 10000);
const ls = ['ls', '--select', 'tag:first+', 'm_5000+', '--output', 'name'];
const compile1k = measure('compile, 1,000 models, cold', ['compile'], p1k, true);
const compile1kWarm = measure('compile, 1,000 models, warm', ['compile'], p1k, false);
const ls10k = measure('ls --select, 10,000 models, cold', ls, p10k, true);
const ls10kWarm = measure('ls --select, 10,000 models, warm', ls, p10k, false);
const compile10k = measure('compile, 10,000 models, cold', ['compile'], p10k, true);

const path = writeResult('engine', {
  targets: { compile1kSeconds: 1.0, ls10kColdSeconds: 1.5, ls10kWarmSeconds: 1.0 },
  load: loadavg(),
  compile1k,
  compile1kWarm,
  ls10k,
  ls10kWarm,
  compile10k,
  met: { compile1k: compile1k.median <= 1.0, ls10kCold: ls10k.median <= 1.5, ls10kWarm: ls10kWarm.median <= 1.0 },
});
console.log(`results: ${path}`);
