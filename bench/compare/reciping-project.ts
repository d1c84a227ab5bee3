// The Reciping project as the benchmarks build it: a copy of the repository's project files under
// bench/.work (so the repository's own target/ and data/ are never touched) and generated events.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunResults } from '../../framework/execute/artifacts.js';
import type { NodeResult } from '../../framework/execute/results.js';
import { CLI, ROOT, WORK } from './paths.js';

const PROJECT_FILES = ['project.yml', 'profiles.yml', 'selectors.yml', 'sources', 'models', 'macros', 'seeds', 'snapshots', 'tests/data'];

/** A fresh copy of the project files in `dir`. */
export function copyReciping(dir: string): string {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  for (const path of PROJECT_FILES) {
    if (!existsSync(join(ROOT, path))) throw new Error(`the Reciping project has no ${path} (is it being edited?)`);
    cpSync(join(ROOT, path), join(dir, path), { recursive: true });
  }
  return dir;
}

/** `framework generate events` arguments of the August bulk: seed 42, 2025-06-01..08-31, the CLI's default error rates. */
export const bulkArgs = (events: number) => ['generate', 'events', '--mode', 'bulk', '--events', String(events), '--seed', '42', '--log-format', 'json'];

/** Run `framework generate events ...`, failing loudly; its "generated" log line (events, lines, files). */
export function generate(args: string[]): Record<string, unknown> {
  const result = spawnSync('node', [CLI, ...args], { cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 26 });
  if (result.status !== 0) throw new Error(`framework ${args.join(' ')} failed (${result.status}):\n${result.stderr}\n${result.stdout.slice(-2000)}`);
  const line = result.stdout.split('\n').find((l) => l.includes('"event":"generated"'));
  if (!line) throw new Error(`framework ${args.join(' ')} printed no "generated" line:\n${result.stdout.slice(-2000)}`);
  const { level: _level, ts: _ts, msg: _msg, event: _event, ...stats } = JSON.parse(line) as Record<string, unknown>;
  return stats;
}

/**
 * `events` bulk events staged as local files under bench/.work, generated once and reused (a marker
 * written after success says the directory is complete, and holds the generator's counts).
 */
export function localEvents(events: number): { dir: string; stats: Record<string, unknown> } {
  const dir = join(WORK, `events-${events}`);
  const marker = join(dir, 'generated.json');
  if (!existsSync(marker)) {
    rmSync(dir, { recursive: true, force: true });
    console.log(`generating ${events} events into ${dir}`);
    writeFileSync(marker, JSON.stringify(generate([...bulkArgs(events), '--out', dir])));
  }
  return { dir, stats: JSON.parse(readFileSync(marker, 'utf8')) as Record<string, unknown> };
}

/** The staging glob the DuckDB target reads, as the var a deployment sets. */
export const localStagingVars = (dir: string) => JSON.stringify({ staging_location: `${dir}/replay-user-events/**/*.json` });

/** target/run_results.json of the last command, which must have built and passed everything: a broken build is no benchmark. */
export function successfulResults(project: string): NodeResult[] {
  const { results } = JSON.parse(readFileSync(join(project, 'target/run_results.json'), 'utf8')) as RunResults;
  const bad = results.filter((r) => !['success', 'pass', 'warn'].includes(r.status));
  if (bad.length) throw new Error(`the Reciping build did not fully succeed: ${bad.map((r) => `${r.unique_id} ${r.status}`).join(', ')}`);
  return results;
}

/** The `n` nodes that took longest, for a results file to say where the time went. */
export const slowest = (results: NodeResult[], n = 6) =>
  [...results]
    .sort((a, b) => b.execution_time - a.execution_time)
    .slice(0, n)
    .map((r) => ({ node: r.unique_id, seconds: r.execution_time }));
