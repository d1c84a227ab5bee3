/**
 * `build --empty --target prod` of the whole Reciping project on the stack, in schemas of its own
 * (shared by tests/integration/empty-build.test.ts and bench/empty-build-trino.ts).
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cli } from '../unit/support/project.js';
import { copyProject } from './project-copy.js';
import { dropCopy, manifestRelations, rows, runResults } from './stack-queries.js';

export interface EmptyBuild {
  code: number;
  seconds: number;
  /** Nodes that did not succeed or pass, with their messages. */
  problems: string[];
  /** Rows of every model's relation that reads a ref or source (views included), by unique id; -1: it does not exist. */
  modelRows: Map<string, number>;
  /** Models that read no ref or source (generated, e.g. dim_time): --empty leaves their rows, as in dbt. */
  selfContained: string[];
  nodes: number;
  cleanup(): Promise<void>;
}

export async function emptyBuild(label: string): Promise<EmptyBuild> {
  const schemas = `${label}_${randomBytes(3).toString('hex')}`;
  const root = copyProject(schemas);
  // A prefix nothing was staged to: --empty reads no file, the external table just has to exist.
  const vars = JSON.stringify({ staging_location: `s3://${process.env.S3_STAGING_BUCKET}/${schemas}/replay-user-events/` });
  const started = Date.now();
  const r = await cli(root, 'build', '--empty', '--target', 'prod', '--vars', vars);
  const seconds = (Date.now() - started) / 1000;
  const results = runResults(root).results;
  const modelRows = new Map<string, number>();
  const selfContained: string[] = [];
  const inputs = readsOf(root);
  for (const [id, rel] of manifestRelations(root)) {
    if (!id.startsWith('model.') || rel.materialized === 'ephemeral') continue;
    if (!inputs.get(id)) {
      selfContained.push(id);
      continue;
    }
    const [n] = await rows(`select count(*) as n from iceberg."${rel.schema}"."${rel.name}"`).catch(() => [{ n: -1 }]);
    modelRows.set(id, Number(n!.n));
  }
  return {
    code: r.code,
    seconds,
    problems: results.filter((n) => n.status !== 'success' && n.status !== 'pass').map((n) => `${n.unique_id} ${n.status}: ${n.message}`),
    modelRows,
    selfContained,
    nodes: results.length,
    cleanup: async () => {
      // framework_state is shared: only this copy's rows (an empty build should have written none).
      await dropCopy(schemas);
    },
  };
}

/** How many nodes each node reads (depends_on of the run's manifest). */
function readsOf(root: string): Map<string, number> {
  const manifest = JSON.parse(readFileSync(join(root, 'target/manifest.json'), 'utf8')) as { nodes: Record<string, { dependsOn?: string[] }> };
  return new Map(Object.entries(manifest.nodes).map(([id, n]) => [id, n.dependsOn?.length ?? 0]));
}
