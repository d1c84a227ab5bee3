import { spawnSync } from 'node:child_process';
import { cpus, totalmem } from 'node:os';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** What every results file records about where the figures were measured. */
export function machine() {
  return { cpus: cpus().length, model: cpus()[0]?.model ?? 'unknown', memGiB: Math.round(totalmem() / 2 ** 30), node: process.version, platform: process.platform };
}

export interface Timing {
  runs: number[];
  median: number;
  min: number;
  max: number;
}

export function summarize(runs: number[]): Timing {
  const sorted = [...runs].sort((a, b) => a - b);
  return { runs, median: sorted[Math.floor(sorted.length / 2)]!, min: sorted[0]!, max: sorted[sorted.length - 1]! };
}

/** Wall time of a whole command (Node start-up included), failing loudly if the command fails. */
export function timeCommand(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env): number {
  const start = process.hrtime.bigint();
  const result = spawnSync(command, args, { cwd, env, encoding: 'utf8', maxBuffer: 1 << 28 });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (result.status !== 0) {
    // The failing nodes' lines, wherever they are in a long output, then its end.
    const failed = result.stdout.split('\n').filter((l) => /\b(ERROR|FAIL)\b/.test(l)).slice(0, 20);
    throw new Error(`${command} ${args.join(' ')} failed (${result.status}):\n${result.stderr}\n${failed.join('\n')}\n${result.stdout.slice(-2000)}`);
  }
  return seconds;
}

export function writeResult(name: string, value: Record<string, unknown>): string {
  const dir = join(import.meta.dirname, 'results');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${name}.json`);
  writeFileSync(path, JSON.stringify({ date: new Date().toISOString(), machine: machine(), ...value }, null, 2) + '\n');
  return path;
}

/** The value after `--name` on the command line. */
export function flag(name: string): string | undefined {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 ? process.argv[at + 1] : undefined;
}

function runResults(project: string) {
  return JSON.parse(readFileSync(join(project, 'target/run_results.json'), 'utf8')) as { elapsed_time: number; results: { unique_id: string; status: string; execution_time: number }[] };
}

/** Seconds the project's last command spent executing its nodes (run_results.json), start-up and shutdown left out. */
export function dagSeconds(project: string): number {
  return runResults(project).elapsed_time;
}

/** Seconds per node of the project's last command (run_results.json). */
export function nodeTimes(project: string): Record<string, number> {
  return Object.fromEntries(runResults(project).results.map((r) => [r.unique_id, r.execution_time]));
}

/** How many nodes of the project's last command ended in each status. */
export function statuses(project: string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const r of runResults(project).results) counts[r.status] = (counts[r.status] ?? 0) + 1;
  return counts;
}

/** The median of each node's seconds over samples, slowest first. */
export function medians(samples: Record<string, number>[]): Record<string, number> {
  const ids = Object.keys(samples[0] ?? {});
  const median = (id: string) => summarize(samples.map((s) => s[id] ?? 0)).median;
  return Object.fromEntries(ids.map((id) => [id, Number(median(id).toFixed(3))]).sort((a, b) => Number(b[1]) - Number(a[1])));
}
