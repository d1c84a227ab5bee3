import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { ensureStack } from './stack.js';
import { cli, tempProject } from '../unit/support/project.js';
import { TrinoConnection } from '../../framework/adapters/trino/connection.js';

/** A throw-away project whose `prod` target is the local Trino, in a schema of its own; `settings`: more YAML lines of the target. */
export function trinoProject(files: Record<string, string>, schema = `it_${randomBytes(4).toString('hex')}`, settings = ''): { root: string; schema: string } {
  ensureStackEnv();
  const profiles = `default_target: prod
targets:
  prod:
    type: trino
    host: '{{ env_var "TRINO_URL" }}'
    catalog: iceberg
    schema: ${schema}
    user: framework
    location_root: s3://warehouse
    threads: 4
${settings}`;
  return { root: tempProject({ 'profiles.yml': profiles, ...files }), schema };
}

export function trino(): TrinoConnection {
  ensureStackEnv();
  return new TrinoConnection({ host: process.env.TRINO_URL!, catalog: 'iceberg', schema: 'default', user: 'test' });
}

export async function rows(sql: string): Promise<Record<string, unknown>[]> {
  return (await trino().run(sql)).rows;
}

export function runResults(root: string) {
  return JSON.parse(readFileSync(join(root, 'target/run_results.json'), 'utf8')) as { results: { unique_id: string; status: string; message: string; query_ids: string[]; snapshot_id?: string; previous_snapshot_id?: string | null; rows_affected?: number }[] };
}

function ensureStackEnv(): void {
  if (!process.env.TRINO_URL) ensureStack();
}

// ------------------------------------------------------- the Reciping project

export { copyProject } from './project-copy.js';

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

/** Runs the CLI in-process on `root` and expects exit 0, showing the failing nodes otherwise. */
export async function ok(root: string, ...args: string[]) {
  const r = await cli(root, ...args);
  const problems = r.stdout.split('\n').filter((l) => /\b(ERROR|FAIL)\b/.test(l) || l.startsWith('    '));
  expect(r.code, `${args.join(' ')}\n${problems.join('\n')}\n${r.stderr}`).toBe(0);
  return r;
}

/**
 * Row count and an order-independent checksum (Trino's checksum aggregate) computed by Trino itself;
 * with `perColumn`, also one checksum per column, which names the column when two tables differ.
 */
export async function fingerprint(table: string, columns: string[], perColumn = false): Promise<{ n: number; h: string; columns?: Record<string, string> }> {
  const text = columns.map((c) => `coalesce(cast(${c} as varchar), '')`);
  const each = perColumn ? text.map((t, i) => `, to_hex(checksum(${t})) as c${i}`).join('') : '';
  const [r] = await rows(`select count(*) as n, to_hex(checksum(concat_ws('|', ${text.join(', ')}))) as h${each} from ${table}`);
  return { n: Number(r!.n), h: String(r!.h), ...(perColumn ? { columns: Object.fromEntries(columns.map((c, i) => [c, String(r![`c${i}`])])) } : {}) };
}
