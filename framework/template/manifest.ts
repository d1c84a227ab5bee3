import type { Node } from '../project/types.js';

/** A node after compilation: final config, dependencies from ref/source, rendered SQL. */
export type CompiledNode = Node & {
  dependsOn: string[];
  /** Full-build form (is_incremental false); the runner re-renders with the warehouse's state. */
  compiledSql?: string;
  checksum: string;
};

/** The plain graph object `compile` produces and `run`, `ls`, `docs` and `test` consume. */
export interface Manifest {
  metadata: { project: string; target: { name: string; type: string }; generatedAt: string; frameworkVersion: string };
  nodes: Record<string, CompiledNode>;
}
