// Engine benchmarks (issue targets): `framework compile` of 1,000 models ≤ 1.0 s wall including Node
// start-up; `framework ls --select` over 10,000 models ≤ 1.5 s. Run: node --import tsx bench/engine.ts
import { join } from 'node:path';
import { generateProject } from './gen-project.js';
import { summarize, timeCommand, writeResult } from './lib.js';

const root = join(import.meta.dirname, '..');
const cli = join(root, 'bin/framework.js');
const runs = Number(process.env.BENCH_RUNS ?? 5);

function measure(label: string, args: string[], cwd: string) {
  timeCommand('node', [cli, ...args], cwd); // warm the file cache
  const timing = summarize(Array.from({ length: runs }, () => timeCommand('node', [cli, ...args], cwd)));
  console.log(`${label.padEnd(44)} median ${timing.median.toFixed(3)} s  (min ${timing.min.toFixed(3)}, max ${timing.max.toFixed(3)}, ${runs} runs)`);
  return timing;
}

const p1k = generateProject(join(root, 'bench/.work/project-1000'), 1000);
const p10k = generateProject(join(root, 'bench/.work/project-10000'), 10000);
const compile1k = measure('compile, 1,000 models', ['compile'], p1k);
const ls10k = measure('ls --select "tag:first+" , 10,000 models', ['ls', '--select', 'tag:first+', 'm_5000+', '--output', 'name'], p10k);
const compile10k = measure('compile, 10,000 models', ['compile'], p10k);

const path = writeResult('engine', {
  targets: { compile1kSeconds: 1.0, ls10kSeconds: 1.5 },
  compile1k,
  ls10k,
  compile10k,
  met: { compile1k: compile1k.median <= 1.0, ls10k: ls10k.median <= 1.5 },
});
console.log(`results: ${path}`);
