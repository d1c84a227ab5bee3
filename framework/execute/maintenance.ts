import type { MaintenanceConfig } from '../adapters/adapter.js';
import type { Relation } from '../project/types.js';
import type { Session } from './session.js';
import { aboutTables, STATE_SCHEMA, STATE_TABLES } from '../state/state-table.js';

/** One table `framework maintain` keeps healthy, with the procedures to run on it. */
export interface MaintenanceTarget {
  relation: Relation;
  config: MaintenanceConfig;
  /** Only these rows are compacted (a state table is shared by every project on the target). */
  where?: string;
}

/**
 * The selected seeds and table and incremental models, each with its own `maintenance` config or else
 * project.yml's, and with project.yml's config the framework's state tables: every 15-minute run
 * commits to them too. Their optimize is limited to this project's partitions (model_table).
 */
export function maintenanceTargets(session: Session, ids: Set<string>): MaintenanceTarget[] {
  const { manifest, project, adapter } = session;
  const fallback = project.file.maintenance;
  const tables: MaintenanceTarget[] = [];
  for (const id of ids) {
    const node = manifest.nodes[id]!;
    const isTable =
      node.resourceType === 'seed' ||
      (node.resourceType === 'model' && ['table', 'incremental'].includes(node.config.materialized));
    if (!isTable) continue;
    const config = (node.config.maintenance as MaintenanceConfig | undefined) ?? fallback;
    if (config) tables.push({ relation: node.relation, config });
  }
  if (!fallback || !tables.length) return tables;
  const where = aboutTables(
    adapter.dialect,
    tables.map((t) => t.relation),
  );
  return [
    ...tables,
    ...STATE_TABLES.map((name) => ({ relation: { schema: STATE_SCHEMA, name }, config: fallback, where })),
  ];
}
