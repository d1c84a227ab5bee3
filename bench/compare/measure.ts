// Repeated timings with what the shared host was doing meanwhile: wall time alone is unreliable under
// load, so every figure also carries CPU seconds and the load average before and after.
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { summarize, timeCommand, type Timing } from '../lib.js';

/** At least 3 timed runs per figure (the minimum); BENCH_RUNS raises it. */
export const RUNS = Math.max(3, Number(process.env.BENCH_RUNS) || 3);

export interface Sample {
  seconds: number;
  /** User + system CPU of the work measured, all threads. */
  cpuSeconds: number;
}

export interface Measurement {
  seconds: Timing;
  cpuSeconds: Timing;
  loadAverage: { start: number; end: number };
}

/** CPU seconds of this process's waited-for children (fields cutime and cstime of /proc/self/stat, in 1/100 s). */
function childCpuSeconds(): number {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const fields = stat.slice(stat.lastIndexOf(') ') + 2).split(' ');
  return (Number(fields[13]) + Number(fields[14])) / 100;
}

/** One run of a command: wall and CPU, failing loudly if it fails. */
export function runCommand(command: string, args: string[], cwd: string, env?: NodeJS.ProcessEnv): Sample {
  const cpuBefore = childCpuSeconds();
  const seconds = timeCommand(command, args, cwd, env);
  return { seconds, cpuSeconds: childCpuSeconds() - cpuBefore };
}

/** CPU seconds of this process (all its threads, DuckDB's included) while `fn` runs, with its wall time. */
export async function inProcess(fn: () => Promise<void>): Promise<Sample> {
  const cpu = process.cpuUsage();
  const started = performance.now();
  await fn();
  const used = process.cpuUsage(cpu);
  return { seconds: (performance.now() - started) / 1000, cpuSeconds: (used.user + used.system) / 1e6 };
}

export interface Alternative {
  label: string;
  /** One timed run; does its own untimed preparation. */
  once: () => Sample | Promise<Sample>;
}

/**
 * `runs` samples of each alternative taken in turn, each round starting one further (A B C, B C A,
 * C A B, ...), so that a burst of load on the shared host falls on all of them alike rather than
 * always on the same one; one printed line per alternative.
 */
export async function measureInTurn<K extends string>(alternatives: Record<K, Alternative>, runs = RUNS): Promise<Record<K, Measurement>> {
  const entries = Object.entries(alternatives) as [K, Alternative][];
  const samples = new Map<K, Sample[]>(entries.map(([k]) => [k, []]));
  const loads = new Map<K, { start: number; end: number }>();
  for (let i = 0; i < runs; i++) {
    for (const [key, { once }] of [...entries.slice(i % entries.length), ...entries.slice(0, i % entries.length)]) {
      const start = loadavg()[0]!;
      samples.get(key)!.push(await once());
      loads.set(key, { start: loads.get(key)?.start ?? start, end: loadavg()[0]! });
    }
  }
  const result = {} as Record<K, Measurement>;
  for (const [key, { label }] of entries) {
    const taken = samples.get(key)!;
    const m = (result[key] = { seconds: summarize(taken.map((s) => s.seconds)), cpuSeconds: summarize(taken.map((s) => s.cpuSeconds)), loadAverage: loads.get(key)! });
    console.log(
      `${label.padEnd(56)} median ${m.seconds.median.toFixed(3)} s (min ${m.seconds.min.toFixed(3)}, max ${m.seconds.max.toFixed(3)}; ` +
        `CPU median ${m.cpuSeconds.median.toFixed(2)} s; ${runs} runs, load ${m.loadAverage.start.toFixed(1)}→${m.loadAverage.end.toFixed(1)})`,
    );
  }
  return result;
}

/** a / b of the medians, the figure the goals are stated in. */
export const ratio = (a: Measurement, b: Measurement) => ({ wall: a.seconds.median / b.seconds.median, cpu: a.cpuSeconds.median / b.cpuSeconds.median });
