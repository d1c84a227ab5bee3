import type { Adapter } from '../adapters/adapter.js';
import { FileLedger } from './file-ledger.js';
import { IntervalState } from './interval-state.js';
import { acquireRunLocks, runLocks } from './run-lock.js';
import type { StateStore } from './state-store.js';

/** The state store of a target: its state tables, and its run lock (under `targetDir`, and in shared storage). */
export function targetState(adapter: Adapter, target: { dir: string; name: string }): StateStore {
  return {
    intervals: new IntervalState(adapter),
    files: new FileLedger(adapter),
    runLock: {
      acquire: (command, tag, options) =>
        acquireRunLocks(runLocks(target.dir, target.name, adapter), command, tag, options),
    },
  };
}
