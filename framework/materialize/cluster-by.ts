import type { Column } from '../adapters/adapter.js';
import { ConfigError } from '../errors.js';
import type { ModelNode } from '../project/types.js';
import type { CompiledNode } from '../template/manifest.js';
import { configAt } from './strategy.js';

/**
 * cluster_by names columns of the model's query: one it lacks is a config error at the model's
 * config, before anything is written, on every engine (Trino would ignore the name, DuckDB would
 * fail the write with its own binder error).
 */
export function checkClusterBy(node: CompiledNode & ModelNode, columns: Column[]): void {
  const names = new Set(columns.map((c) => c.name.toLowerCase()));
  const missing = (node.config.cluster_by ?? []).filter((c) => !names.has(c.toLowerCase()));
  if (missing.length) {
    throw new ConfigError(
      `cluster_by of model "${node.name}" names ${missing.map((c) => `"${c}"`).join(', ')}, not a column of its query (columns: ${columns.map((c) => c.name).join(', ')})`,
      configAt(node),
    );
  }
}
