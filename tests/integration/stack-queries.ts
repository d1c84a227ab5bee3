/** Queries on the stack and the run's artifacts, without vitest (the benches use them too). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureStack } from './stack.js';
import { TrinoConnection } from '../../framework/adapters/trino/connection.js';
import type { NodeResult } from '../../framework/execute/results.js';
import { STATE_TABLES } from '../../framework/state/state-table.js';

export function trino(): TrinoConnection {
  ensureStackEnv();
  return new TrinoConnection({ host: process.env.TRINO_URL!, catalog: 'iceberg', schema: 'default', user: 'test' });
}

export async function rows(sql: string): Promise<Record<string, unknown>[]> {
  return (await trino().run(sql)).rows;
}

export function runResults(root: string) {
  return JSON.parse(readFileSync(join(root, 'target/run_results.json'), 'utf8')) as { results: { unique_id: string; status: string; message: string; compiled_path?: string; execution_time: number; completed_at: string; query_ids: string[]; snapshot_id?: string; previous_snapshot_id?: string | null; rows_affected?: number; discovery?: NodeResult['discovery'] }[] };
}

/**
 * A test a build leaves by design, neither a failure nor a pass: a full-table test, left to `test
 * --full` (testing/scope.ts), or an audited test of a `rebuild: on_change` table the build left
 * unchanged (materialize/fingerprint.ts).
 */
export function plannedSkip(result: { status: string; message: string }): boolean {
  return result.status === 'skipped' && /^skipped: (full-table test|\S+ is unchanged since its last build)/.test(result.message);
}

export function ensureStackEnv(): void {
  if (!process.env.TRINO_URL) ensureStack();
}

/** The relation of every model, seed and source in the project's last manifest (with its materialization), by unique id. */
export function manifestRelations(root: string): Map<string, { schema: string; name: string; materialized?: string }> {
  const manifest = JSON.parse(readFileSync(join(root, 'target/manifest.json'), 'utf8')) as {
    nodes: Record<string, { relation?: { schema: string; name: string }; config?: { materialized?: string } }>;
  };
  return new Map(Object.entries(manifest.nodes).flatMap(([id, n]) => (n.relation ? [[id, { ...n.relation, materialized: n.config?.materialized }] as const] : [])));
}

/** Drops every Iceberg and Hive schema whose name starts with `prefix`, with its tables (external data stays). */
export async function dropSchemas(prefix: string): Promise<void> {
  for (const catalog of ['iceberg', 'hive']) {
    const schemas = await rows(`select schema_name from ${catalog}.information_schema.schemata where schema_name like '${prefix.replace(/_/g, '\\_')}%' escape '\\'`);
    for (const { schema_name: schema } of schemas) await rows(`drop schema if exists ${catalog}."${schema}" cascade`);
  }
}

/**
 * Removes a project copy made with copyProject(schemas) from the stack: its schemas, and its rows
 * in the framework_state tables every project on the stack shares (its staged files are the caller's).
 */
export async function dropCopy(schemas: string): Promise<void> {
  await dropSchemas(`${schemas}_`);
  // .catch: on a stack where no run has written state yet, the table does not exist.
  for (const state of STATE_TABLES) await rows(`delete from iceberg.framework_state.${state} where model_table like '${schemas}\\_%' escape '\\'`).catch(() => {});
}

/**
 * What each scan of `table` read in an EXPLAIN ANALYZE of `sql`: its input rows and splits, in plan
 * order. A dynamic filter prunes a scan only if it arrives within Iceberg's wait (1 s by default):
 * `waitForFilters` lets a check of what the SQL allows not depend on the machine's load.
 */
export async function scansOf(sql: string, table: string, waitForFilters = false): Promise<{ rows: number; splits: number }[]> {
  ensureStackEnv();
  const session = waitForFilters ? { session_properties: { 'iceberg.dynamic_filtering_wait_timeout': '60s' } } : {};
  const connection = new TrinoConnection({ host: process.env.TRINO_URL!, catalog: 'iceberg', schema: 'default', user: 'test', ...session });
  const [plan] = (await connection.run(`explain analyze ${sql}`)).rows;
  return scansIn(String(Object.values(plan!)[0]), table);
}

/**
 * The scans of `table` in an EXPLAIN ANALYZE text. A scan's figures are the lines under it up to
 * the next operator, tree marks stripped (in a plan of several fragments they are indented, and
 * below the column assignments).
 */
export function scansIn(plan: string, table: string): { rows: number; splits: number }[] {
  const lines = plan.split('\n').map((l) => l.replace(/^[\s│├└─]+/, ''));
  const operator = /^(Fragment \d+ |[A-Z][A-Za-z]*\[)/;
  const scans: { rows: number; splits: number }[] = [];
  lines.forEach((line, i) => {
    if (!/^(TableScan|ScanFilter|ScanFilterProject|ScanProject)\[table = /.test(line) || !line.includes(`${table}$data`)) return;
    const end = lines.findIndex((l, j) => j > i && operator.test(l));
    const own = lines.slice(i + 1, end < 0 ? undefined : end);
    const input = own.find((l) => /^Input: \d+ rows.*Splits: \d+/.test(l));
    if (!input) throw new Error(`no input figures under the scan of ${table}: ${own.join(' | ')}`);
    scans.push({ rows: Number(/^Input: (\d+) rows/.exec(input)![1]), splits: Number(/Splits: (\d+)/.exec(input)![1]) });
  });
  return scans;
}
