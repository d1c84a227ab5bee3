// What the benches on the Trino stack share: a project copy's staged files and its windows.
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { upload } from '../tests/integration/late-windows.js';
import { tempDir } from '../tests/unit/support/project.js';
import { timeCommand } from './lib.js';

export const CLI = join(import.meta.dirname, '../bin/framework.js');

/** A framework command on a project copy, timed (seconds); `cli` is this checkout's unless given. */
export const fw = (root: string, args: string[], cli = CLI) => timeCommand('node', [cli, ...args, '--project-dir', root], root);

/** The schemas and staging prefix of history `k` of a scale-trino run `id`. */
export const copyNames = (id: string, k: number) => ({ schemas: `scale_${id}_${k}`, prefix: `scale-${id}-${k}` });

/** The n-th window of 15 minutes after the bench histories' end: its start and generator seed. */
export function windowAt(n: number): [string, number] {
  return [new Date(Date.parse('2025-09-01T00:00:00+09:00') + n * 15 * 60_000).toISOString(), 99 + n];
}

/** The vars that point a copy's staging source at its own prefix of the staging bucket. */
export function stagingVars(prefix: string): string {
  return JSON.stringify({ staging_location: `s3://${process.env.S3_STAGING_BUCKET}/${prefix}/replay-user-events/` });
}

/** Generates events into a temporary directory: the staged paths, relative to it. */
export function generate(root: string, args: string[]): { dir: string; files: string[]; seconds: number } {
  const dir = tempDir('scale-trino-');
  const seconds = fw(root, ['generate', 'events', ...args, '--out', dir]);
  const files = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.json'));
  return { dir, files, seconds };
}

/** Uploads `files` of `dir` under `prefix`, 8 at a time, then removes `dir`: seconds taken. */
export async function uploadAll(dir: string, files: string[], prefix: string): Promise<number> {
  const started = Date.now();
  await upload({ dir }, prefix, files, 8);
  rmSync(dir, { recursive: true, force: true });
  return (Date.now() - started) / 1000;
}

/** The files of one window of `events` events. */
export function windowFiles(root: string, [start, seed]: [string, number], events: number) {
  return generate(root, ['--mode', 'window', '--start', start, '--events', String(events), '--seed', String(seed)]);
}

/** Generates one window and stages it under `prefix`. */
export async function stageWindow(root: string, prefix: string, window: [string, number], events: number): Promise<void> {
  const { dir, files } = windowFiles(root, window, events);
  await uploadAll(dir, files, prefix);
}

/**
 * Rows each model of the project's last command read from storage: the sum over its statements
 * (their query ids in run_results.json) of Trino's raw input rows. Trino keeps a finished query's
 * stats for 15 minutes by default: call this right after the command.
 */
export async function rowsRead(root: string): Promise<Record<string, number>> {
  const { results } = JSON.parse(readFileSync(join(root, 'target/run_results.json'), 'utf8')) as { results: { unique_id: string; query_ids?: string[] }[] };
  const read = async (id: string) => {
    const response = await fetch(`${process.env.TRINO_URL}/v1/query/${id}`, { headers: { 'X-Trino-User': 'bench' } });
    if (!response.ok) throw new Error(`Trino query ${id}: HTTP ${response.status}`);
    return Number(((await response.json()) as { queryStats: { rawInputPositions: number } }).queryStats.rawInputPositions);
  };
  const models = results.filter((r) => r.unique_id.startsWith('model.') && r.query_ids?.length);
  return Object.fromEntries(await Promise.all(models.map(async (r) => [r.unique_id, (await Promise.all(r.query_ids!.map(read))).reduce((a, b) => a + b, 0)] as const)));
}
