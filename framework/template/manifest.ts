import type { Node } from '../project/types.js';

/** A node after compilation: final config, dependencies from ref/source, rendered SQL. */
export type CompiledNode = Node & {
  dependsOn: string[];
  /** Full-build form (is_incremental false); the runner re-renders with the warehouse's state. */
  compiledSql?: string;
  checksum: string;
};

/**
 * Where a node's SQL is written under target/compiled and target/run: its own file, or for a node
 * declared in YAML (generic test, YAML snapshot) `<properties file>/<name>.sql`, a test under the
 * short name (alias) dbt gives long ones.
 */
export function sqlFilePath(node: CompiledNode): string {
  if (!/\.(yml|yaml)$/.test(node.path)) return node.path;
  return `${node.path.replace(/\.(yml|yaml)$/, '')}/${(node.resourceType === 'test' && node.config.alias) || node.name}.sql`;
}

/** The plain graph object `compile` produces and `run`, `ls`, `docs` and `test` consume. */
export interface Manifest {
  metadata: { project: string; target: { name: string; type: string }; generatedAt: string; frameworkVersion: string };
  nodes: Record<string, CompiledNode>;
}
