import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Snapshots } from '../../adapters/adapter.js';
import { ConfigError } from '../../errors.js';
import type { RunResults } from '../../execute/artifacts.js';
import type { Session } from '../../execute/session.js';
import type { Relation } from '../../project/types.js';
import { flag, type ParsedArgs } from '../args.js';
import { reporter, selection, session } from '../common.js';

/** The target's snapshot support, or a clear error for engines without table versions. */
export function snapshotsOf(s: Session): Snapshots {
  if (!s.adapter.snapshots) {
    throw new ConfigError(`target "${s.project.target.name}" (${s.project.target.type}) keeps no table snapshots`, undefined, 'time travel, rollback and maintain need an Iceberg target (type: trino)');
  }
  return s.adapter.snapshots;
}

/** `rollback`: put every table a run wrote back to its snapshot from before that run. */
export async function rollbackCommand(args: ParsedArgs): Promise<number> {
  const out = reporter(args);
  const s = await session(args);
  const history = snapshotsOf(s);
  const path = resolve(flag(args, 'run-results') ?? join(s.targetDir, 'run_results.json'));
  if (!existsSync(path)) throw new ConfigError(`no run results at ${path}`, undefined, 'pass --run-results <file> of the run to undo');
  const run = JSON.parse(readFileSync(path, 'utf8')) as RunResults;
  const chosen = selection(args).select ? s.selector.select(selection(args)) : undefined;
  // Children first, so a dependent table is never left newer than what it was built from.
  const written = run.results.filter((r) => r.status === 'success' && r.previous_snapshot_id !== undefined && (!chosen || chosen.has(r.unique_id))).reverse();
  try {
    await s.adapter.connect();
    for (const result of written) {
      const node = s.manifest.nodes[result.unique_id];
      if (!node || !('relation' in node)) continue;
      const rel = node.relation as Relation;
      const name = `${rel.schema}.${rel.name}`;
      if (result.previous_snapshot_id === null) {
        await s.adapter.execute(s.adapter.dialect.drop(rel, 'table'));
        out.info(`${name}: created by that run, dropped`);
      } else {
        await history.rollback(rel, result.previous_snapshot_id!);
        out.info(`${name}: rolled back to snapshot ${result.previous_snapshot_id} (was ${result.snapshot_id})`);
      }
    }
    out.info(`rollback of ${run.metadata.invocationId} (${run.metadata.command} at ${run.metadata.generatedAt}): ${written.length} tables`);
    return 0;
  } finally {
    await s.adapter.close();
  }
}

/** `maintain`: optimize / expire_snapshots / remove_orphan_files per model `maintenance` config. */
export async function maintainCommand(args: ParsedArgs): Promise<number> {
  const out = reporter(args);
  const s = await session(args);
  const history = snapshotsOf(s);
  const ids = s.selector.select(selection(args, ['model']));
  const models = [...ids].map((id) => s.manifest.nodes[id]!).filter((n) => n.resourceType === 'model' && n.config.maintenance && ['table', 'incremental'].includes(n.config.materialized));
  try {
    await s.adapter.connect();
    for (const model of models) {
      const rel = (model as { relation: Relation }).relation;
      const done = await history.maintain(rel, model.config.maintenance as Record<string, Record<string, unknown> | boolean>);
      out.info(`${rel.schema}.${rel.name}: ${done.map((d) => `${d.procedure}${d.queryId ? ` (${d.queryId})` : ''}`).join(', ') || 'nothing configured'}`);
    }
    if (!models.length) out.info('no selected table has a `maintenance` config');
    return 0;
  } finally {
    await s.adapter.close();
  }
}
