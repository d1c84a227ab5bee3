import type { EngineCapabilities } from '../../project/engine.js';

/**
 * Trino over an Iceberg catalog: every statement is its own commit (no multi-statement
 * transaction), tables keep snapshots, and concurrent commits to one table can conflict.
 */
export const trinoCapabilities: EngineCapabilities = {
  atomicMultiStatement: false,
  merge: true,
  snapshots: true,
  commitConflicts: true,
  // Iceberg has NOT NULL columns and nothing else.
  enforcedConstraints: ['not_null'],
  inProcess: false,
};
