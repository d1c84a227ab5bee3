import type { Adapter } from '../adapters/adapter.js';
import { FileLedger } from '../state/file-ledger.js';
import type { StateStore } from '../state/state-store.js';
import { IntervalState } from './interval-state.js';

/**
 * The state store of a target: its state tables. Typed by the implementations, which
 * run-intervals.ts and run-new-files.ts still take, and checked against StateStore, which they
 * move onto (issue 20).
 */
export function targetState(adapter: Adapter) {
  return { intervals: new IntervalState(adapter), files: new FileLedger(adapter) } satisfies StateStore;
}
