/**
 * Helpers of the Reciping tests: a copy of the project in a temporary directory, generated
 * samples, builds (in-process, or as processes to kill), and checksums of the tables a build
 * leaves behind.
 */
import type { GenerateStats } from '../../../extensions/reciping/datagen/generate.js';
import { existsSync, readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { cli, query } from '../support/project.js';
import { startCli } from '../../integration/ingest-support.js';

export { copyProject } from './project-copy.js';


/** `framework generate events ... --out <out>` in the project; the generator's figures. */
export async function generate(root: string, out: string, args: string[]): Promise<GenerateStats> {
  const result = await cli(root, 'generate', 'events', ...args, '--out', out, '--log-format', 'json');
  expect(result.code, result.stderr).toBe(0);
  const stats = result.stdout
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    .find((e) => e.event === 'generated');
  expect(stats, result.stdout).toBeDefined();
  return stats as unknown as GenerateStats;
}

/** --vars pointing the staging source at the files staged under `dir` (as a deployment would). */
export function stagingVars(dir: string): string {
  return JSON.stringify({ staging_location: `${dir}/replay-user-events/**/*.json` });
}

/** `framework build` in-process; fails the test with the errored lines unless it succeeds. */
export async function build(root: string, vars: string, ...selection: string[]): Promise<void> {
  const result = await cli(root, 'build', '--vars', vars, ...selection);
  const problems = result.stdout.split('\n').filter((l) => /\b(ERROR|FAIL|WARN)\b/.test(l));
  expect(result.code, `${problems.join('\n')}\n${result.stderr}`).toBe(0);
}

export const one = async (root: string, sql: string): Promise<Record<string, any>> => (await query(root, sql))[0]!;

/** Row count and an order-independent checksum of the given columns of a table. */
export async function fingerprint(root: string, table: string, columns: string[]): Promise<{ rows: number; checksum: string }> {
  const row = await one(root, `select count(*) as n, CAST(coalesce(sum(hash(${columns.join(', ')})), 0) AS VARCHAR) as h from ${table}`);
  return { rows: Number(row.n), checksum: String(row.h) };
}

/**
 * Columns stamped with the time of processing rather than derived from the data: `{{now}}` in
 * bronze (ingestion_timestamp, ingestion_date), carried into silver (bronze_ingestion_timestamp)
 * and quarantine (ingestion_timestamp), silver's processed_at, quarantine's quarantined_at and the
 * fact's created_at / updated_at. Two builds of the same files differ only in these.
 */
export const PROCESSING_TIME_COLUMNS = [
  'ingestion_timestamp', 'ingestion_date', 'bronze_ingestion_timestamp', 'processed_at', 'quarantined_at', 'created_at', 'updated_at',
];

/** The tables whose content a run produces: bronze, silver, quarantine and every gold table (fact, dims, seed). */
const OUTPUT_TABLES = `(t.table_schema = 'recipe_analytics' and t.table_name in ('bronze_events', 'user_events_silver', 'user_events_quarantine'))
  or (t.table_schema = 'gold_analytics' and t.table_type = 'BASE TABLE')`;

export interface TableChecksum {
  rows: number;
  /** Sum of the hash of each whole row (all compared columns together). */
  checksum: string;
  /** Sum of the hash of each column on its own: names the column when two tables differ. */
  columns: Record<string, string>;
}

/**
 * Row count and order-independent checksums of every output table, over every column except
 * the processing-time ones (and `exclude`, per table). `stagingDir` is cut out of text values:
 * source_file holds the absolute path of the staged file, which differs between two copies.
 */
export async function outputChecksums(root: string, stagingDir: string, exclude: Record<string, string[]> = {}): Promise<Record<string, TableChecksum>> {
  const columns = await query(
    root,
    `select t.table_schema || '.' || t.table_name as tbl, c.column_name as col, c.data_type as type
     from information_schema.tables t join information_schema.columns c on c.table_schema = t.table_schema and c.table_name = t.table_name
     where ${OUTPUT_TABLES}
     order by tbl, c.ordinal_position`,
  );
  const byTable = new Map<string, { col: string; type: string }[]>();
  for (const { tbl, col, type } of columns as { tbl: string; col: string; type: string }[]) {
    if (PROCESSING_TIME_COLUMNS.includes(col) || exclude[tbl]?.includes(col)) continue;
    byTable.set(tbl, [...(byTable.get(tbl) ?? []), { col, type }]);
  }
  const prefix = `${stagingDir}/`.replaceAll("'", "''");
  const selects = [...byTable].map(([tbl, cols]) => {
    const values = cols.map(({ col, type }) => (type === 'VARCHAR' ? `replace("${col}", '${prefix}', '')` : `"${col}"`));
    const sums = values.map((v) => `CAST(coalesce(sum(hash(${v})), 0) AS VARCHAR)`);
    return `select '${tbl}' as tbl, count(*) as n, CAST(coalesce(sum(hash(${values.join(', ')})), 0) AS VARCHAR) as h, [${sums.join(', ')}] as sums from ${tbl}`;
  });
  const rows = await query(root, selects.join('\nunion all\n'));
  const result: Record<string, TableChecksum> = {};
  for (const row of rows) {
    const cols = byTable.get(row.tbl as string)!;
    result[row.tbl as string] = {
      rows: Number(row.n),
      checksum: String(row.h),
      columns: Object.fromEntries(cols.map(({ col }, i) => [col, String((row.sums as unknown[])[i])])),
    };
  }
  return result;
}

/** Rows and distinct event_ids of silver and of the fact (equal when event_id is unique). */
export async function eventIdCounts(root: string): Promise<Record<string, { rows: number; distinct: number; nulls: number }>> {
  const counts: Record<string, { rows: number; distinct: number; nulls: number }> = {};
  for (const table of ['recipe_analytics.user_events_silver', 'gold_analytics.fact_user_events']) {
    const r = await one(root, `select count(*) as n, count(distinct event_id) as d, count(*) - count(event_id) as nulls from ${table}`);
    counts[table] = { rows: Number(r.n), distinct: Number(r.d), nulls: Number(r.nulls) };
  }
  return counts;
}

/** event_id is unique and never NULL in silver and in the fact, and both hold the same number of events. */
export async function expectUniqueEvents(root: string): Promise<void> {
  const counts = await eventIdCounts(root);
  for (const [table, c] of Object.entries(counts)) expect({ table, ...c }).toEqual({ table, rows: c.distinct, distinct: c.distinct, nulls: 0 });
  expect(counts['gold_analytics.fact_user_events']!.rows).toBe(counts['recipe_analytics.user_events_silver']!.rows);
}

// ------------------------------------------------------------------ builds as processes

export interface LogEvent {
  event?: string;
  unique_id?: string;
  ts?: string;
  [key: string]: unknown;
}

export interface BuildProcess {
  pid: number;
  /** The JSON log events so far (stdout, --log-format json). */
  events: LogEvent[];
  output(): string;
  /** Exit code, or the signal's name. */
  exit: Promise<number | string>;
  kill(): void;
}

export type OnEvent = (e: LogEvent, run: BuildProcess) => void;

/**
 * `framework build --project-dir <root> --log-format json <args>` as a child process (from the
 * TypeScript sources); `onEvent` sees each log event as it is printed.
 */
export function startBuild(root: string, args: string[] = [], onEvent?: OnEvent): BuildProcess {
  const cli = startCli(['build', '--project-dir', root, '--log-format', 'json', ...args]);
  const events: LogEvent[] = [];
  const run: BuildProcess = { pid: cli.child.pid!, events, output: cli.output, exit: cli.exit, kill: () => cli.child.kill('SIGKILL') };
  let partial = '';
  cli.child.stdout!.on('data', (chunk) => {
    const lines = (partial + chunk).split('\n');
    partial = lines.pop()!;
    for (const line of lines) {
      if (!line.startsWith('{')) continue;
      const e = JSON.parse(line) as LogEvent;
      events.push(e);
      onEvent?.(e, run);
    }
  });
  return run;
}

/** What a build printed besides its info-level log events: errors, failures, warnings. */
export const problems = (run: BuildProcess) =>
  run
    .output()
    .split('\n')
    .filter((line) => (line && !line.startsWith('{"ts":')) || /"level":"(warn|error)"/.test(line))
    .join('\n');
export const finished = (run: BuildProcess) => run.events.some((e) => e.event === 'summary');
export const span = (run: BuildProcess): [number, number] => [
  Date.parse(run.events.find((e) => e.event === 'plan')!.ts!),
  Date.parse(run.events.find((e) => e.event === 'summary')!.ts!),
];
export const nodeStart = (model: string) => (e: LogEvent) => e.event === 'node_start' && e.unique_id === `model.reciping.${model}`;
export const nodeDone = (model: string) => (e: LogEvent) => e.event === 'node_done' && e.unique_id === `model.reciping.${model}`;

/** A build started with `start` that must exit 0 after its summary. */
export async function completes(start: () => BuildProcess): Promise<BuildProcess> {
  const run = start();
  expect(await run.exit, problems(run)).toBe(0);
  expect(finished(run)).toBe(true);
  return run;
}

/**
 * A build (`start`, handing on its log events) SIGKILLed `delayMs` after it logs the event `at`
 * picks, and before it logs one `before` picks (or its summary). When the signal came too late,
 * `reset` puts the target back as it was before the build, which is started again with half the
 * delay.
 */
export async function killedBuild(
  start: (onEvent: OnEvent) => BuildProcess,
  at: (e: LogEvent) => boolean,
  before: (e: LogEvent) => boolean,
  { delayMs = 0, reset }: { delayMs?: number; reset: () => void | Promise<void> },
): Promise<BuildProcess & { attempts: number }> {
  for (let attempt = 1; ; attempt++) {
    let signalled = false;
    const run = start((e, r) => {
      if (!signalled && at(e)) {
        signalled = true;
        if (delayMs > 0) setTimeout(() => r.kill(), delayMs);
        else r.kill();
      }
    });
    const exit = await run.exit;
    expect(signalled, `the build never reached the point to kill it at:\n${problems(run)}`).toBe(true);
    if (exit === 'SIGKILL' && !finished(run) && !run.events.some(before)) return Object.assign(run, { attempts: attempt });
    expect(attempt, `SIGKILL came too late ${attempt} times`).toBeLessThan(4);
    await reset();
    delayMs = Math.floor(delayMs / 2);
  }
}

/** The killed build left the lock of `target` behind, naming itself; the next build must take it over. */
export function expectStaleLock(root: string, target: string, killed: BuildProcess): void {
  const lock = join(root, `target/locks/${target}.lock`);
  expect(existsSync(lock)).toBe(true);
  expect(JSON.parse(readFileSync(lock, 'utf8'))).toMatchObject({ pid: killed.pid, host: hostname() });
}
