import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Snapshots } from '../../adapters/adapter.js';
import { enginesWith } from '../../adapters/registry.js';
import { ConfigError } from '../../errors.js';
import type { RunResults } from '../../execute/artifacts.js';
import type { Session } from '../../execute/session.js';
import type { Relation } from '../../project/types.js';
import { maintenanceTargets } from '../../execute/maintenance.js';
import { bool, flag, type ParsedArgs } from '../args.js';
import { reporter, selection, session } from '../common.js';
import { lockTarget } from '../target-lock.js';

/** The target's snapshot support, or a clear error for engines without table versions. */
export function snapshotsOf(s: Session): Snapshots {
  if (!s.adapter.snapshots) {
    throw new ConfigError(
      `target "${s.project.target.name}" (${s.project.target.type}) keeps no table snapshots`,
      undefined,
      `time travel, rollback and maintain need a target whose engine keeps snapshots (type: ${enginesWith('snapshots').join(' or ')})`,
    );
  }
  return s.adapter.snapshots;
}

/** `rollback`: put every table a run wrote back to its snapshot from before that run. */
export async function rollbackCommand(args: ParsedArgs): Promise<number> {
  const out = reporter(args);
  const s = await session(args);
  const history = snapshotsOf(s);
  const path = resolve(flag(args, 'run-results') ?? join(s.targetDir, 'run_results.json'));
  if (!existsSync(path))
    throw new ConfigError(`no run results at ${path}`, undefined, 'pass --run-results <file> of the run to undo');
  const run = JSON.parse(readFileSync(path, 'utf8')) as RunResults;
  const chosen = selection(args).select ? s.selector.select(selection(args)) : undefined;
  // Children first, so a dependent table is never left newer than what it was built from.
  const written = run.results
    .filter(
      (r) => r.status === 'success' && r.previous_snapshot_id !== undefined && (!chosen || chosen.has(r.unique_id)),
    )
    .reverse();
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
    out.info(
      `rollback of ${run.metadata.invocationId} (${run.metadata.command} at ${run.metadata.generatedAt}): ${written.length} tables`,
    );
    return 0;
  } finally {
    await s.adapter.close();
  }
}

/**
 * `maintain`: optimize / expire_snapshots / remove_orphan_files on each selected table (its own
 * `maintenance` config, else project.yml's) and on the state tables, under the target's run lock
 * so no scheduled run commits meanwhile; prints snapshots and data files before → after. An engine
 * without snapshots gets its checkpoint (DuckDB's CHECKPOINT, which compacts), said so.
 */
export async function maintainCommand(args: ParsedArgs): Promise<number> {
  const out = reporter(args);
  const s = await session(args);
  const release = await lockTarget(s, out, 'maintain', bool(args, 'wait'), (message) => {
    out.error(`${message}; stopping`);
    process.exit(1);
  });
  try {
    await s.adapter.connect();
    const history = s.adapter.snapshots;
    if (!history) {
      await s.adapter.checkpoint?.();
      out.info(
        `${s.project.target.name} (${s.adapter.type}): no snapshots to expire or small files to compact on this engine${s.adapter.checkpoint ? '; ran CHECKPOINT' : ''}`,
      );
      return 0;
    }
    const targets = maintenanceTargets(s, s.selector.select(selection(args, ['model', 'seed'])));
    for (const { relation, config, where } of targets) {
      if ((await s.adapter.introspector.relationType(relation)) !== 'table') continue;
      const before = await history.health(relation);
      const done = await history.maintain(relation, config, where);
      const after = await history.health(relation);
      const procedures =
        done.map((d) => `${d.procedure}${d.queryId ? ` (${d.queryId})` : ''}`).join(', ') || 'nothing configured';
      out.info(
        `${relation.schema}.${relation.name}: ${procedures}; snapshots ${before.snapshots} → ${after.snapshots}, data files ${before.dataFiles} → ${after.dataFiles}`,
      );
    }
    if (!targets.length) out.info('no selected table has a `maintenance` config, and project.yml has none');
    return 0;
  } finally {
    await s.adapter.close();
    await release();
  }
}
