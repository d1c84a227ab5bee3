/**
 * Benchmark of the event generator: the "August bulk" (1,000,000 events over
 * 2025-06-01..2025-08-31) staged to a temporary directory with the local sink.
 * Targets: ≥ 100,000 events/s and peak RSS ≤ 300 MB.
 *
 *   node --import tsx bench/generator.ts [--events 1000000] [--dir /path]
 *
 * The files go to a fresh directory under --dir (default: the OS temp directory), which
 * is removed afterwards. Creating ~22,000 small files and ~11,000 directories is a large
 * part of the run, so the figure depends on that file system as much as on the generator.
 * Writes bench/results/generator.json.
 */
import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { generateEvents, localDirectorySink } from '../extensions/reciping/datagen/index.js';

const { values } = parseArgs({
  options: { events: { type: 'string', default: '1000000' }, dir: { type: 'string', default: tmpdir() } },
});
const events = Number(values.events);
if (!Number.isInteger(events) || events < 1) throw new Error(`--events must be a positive integer, got ${values.events}`);

/** Peak resident set size of this process, from the kernel's high-water mark. */
function peakRssMb(): number {
  const match = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync('/proc/self/status', 'utf8'));
  if (!match) throw new Error('no VmHWM in /proc/self/status');
  return Number(match[1]) / 1024;
}

const dir = await mkdtemp(join(values.dir, 'reciping-bench-'));
try {
  // The host is shared: its load says how far the figure is the generator's own.
  const loadBefore = loadavg()[0];
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const stats = await generateEvents(
    { seed: 42, mode: 'bulk', start: '2025-06-01', end: '2025-08-31', events, duplicateRate: 0.007, malformedRate: 0.001 },
    localDirectorySink(dir),
  );
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  const cores = cpus();
  const result = {
    date: new Date().toISOString(),
    machine: { cpus: cores.length, model: cores[0]?.model ?? 'unknown', mem: `${(totalmem() / 2 ** 30).toFixed(1)} GiB`, loadAverage: loadBefore },
    directory: values.dir,
    events: stats.events,
    lines: stats.lines,
    files: stats.files,
    seconds: Number(seconds.toFixed(3)),
    // CPU time of this process, all threads: user is mostly the generator, system mostly
    // the file system creating files and directories.
    cpuUserSeconds: Number((cpu.user / 1e6).toFixed(3)),
    cpuSystemSeconds: Number((cpu.system / 1e6).toFixed(3)),
    eventsPerSecond: Math.round(stats.events / seconds),
    peakRssMb: Number(peakRssMb().toFixed(1)),
  };
  const out = join(dirname(fileURLToPath(import.meta.url)), 'results', 'generator.json');
  await mkdir(dirname(out), { recursive: true });
  await writeFile(out, JSON.stringify(result, null, 2) + '\n');
  console.log(
    `${result.events} events (${result.lines} lines, ${result.files} files) in ${result.seconds} s ` +
      `(CPU ${result.cpuUserSeconds} s user, ${result.cpuSystemSeconds} s system, load ${loadBefore.toFixed(1)}): ` +
      `${result.eventsPerSecond} events/s, peak RSS ${result.peakRssMb} MB → ${out}`,
  );
} finally {
  await rm(dir, { recursive: true, force: true });
}
