import { randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import { cli, tempProject } from '../unit/support/project.js';
import { ensureStackEnv, rows } from './stack-queries.js';

export { dropCopy, dropSchemas, plannedSkip, manifestRelations, rows, runResults, trino } from './stack-queries.js';

/** A target on the local Trino writing `schema` (YAML lines under `targets:`); `settings`: more lines of it. */
export function trinoTarget(name: string, schema: string, settings = ''): string {
  return `  ${name}:
    type: trino
    host: '{{ env_var "TRINO_URL" }}'
    catalog: iceberg
    schema: ${schema}
    user: framework
    location_root: s3://warehouse
    threads: 4
${settings}`;
}

/** A throw-away project whose `prod` target is the local Trino, in a schema of its own; `settings`: more YAML lines of the target. */
export function trinoProject(files: Record<string, string>, schema = `it_${randomBytes(4).toString('hex')}`, settings = ''): { root: string; schema: string } {
  ensureStackEnv();
  const profiles = `default_target: prod\ntargets:\n${trinoTarget('prod', schema, settings)}`;
  return { root: tempProject({ 'profiles.yml': profiles, ...files }), schema };
}

// ------------------------------------------------------- the Reciping project

export { copyProject } from './project-copy.js';

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
