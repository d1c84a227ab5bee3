import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureStack } from './stack.js';
import { tempProject } from '../unit/support/project.js';
import { TrinoConnection } from '../../framework/adapters/trino/connection.js';

/** A throw-away project whose `prod` target is the local Trino, in a schema of its own. */
export function trinoProject(files: Record<string, string>, schema = `it_${randomBytes(4).toString('hex')}`): { root: string; schema: string } {
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
`;
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
