import type { Adapter } from '../adapters/adapter.js';
import { FileLedger } from './file-ledger.js';
import { IntervalState } from './interval-state.js';
import type { StateStore } from './state-store.js';

/** The state store of a target: its state tables. */
export function targetState(adapter: Adapter): StateStore {
  return { intervals: new IntervalState(adapter), files: new FileLedger(adapter) };
}
