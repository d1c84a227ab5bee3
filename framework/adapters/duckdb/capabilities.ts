import type { EngineCapabilities } from '../../project/engine.js';

/** An embedded, single-writer database with transactions; no table versions. */
export const duckdbCapabilities: EngineCapabilities = {
  atomicMultiStatement: true,
  merge: true,
  snapshots: false,
  commitConflicts: false,
  // NOT NULL and CHECK columns; UNIQUE would index the whole table on every write.
  enforcedConstraints: ['not_null', 'check'],
  inProcess: true,
};
