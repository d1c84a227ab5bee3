import type { Relation } from '../project/types.js';
import type { LoadedFile } from './file-ledger.js';

/** A half-open range of epoch milliseconds. */
export interface IntervalRange {
  start: number;
  end: number;
}

/** Processed intervals of interval models, keyed by the model's table. */
export interface IntervalStore {
  /** Every done interval (by start), with when its input was last looked at (interval_input models). */
  done(table: Relation, step: number): Promise<Map<number, number | undefined>>;
  record(
    table: Relation,
    modelId: string,
    intervals: IntervalRange[],
    invocationId: string,
    inputSeenUntil?: number,
  ): Promise<void>;
  /** Forget intervals before they are processed again. */
  forget(table: Relation, intervals: IntervalRange[]): Promise<void>;
  /** Forget every interval of the model (its table is rebuilt). */
  clear(table: Relation): Promise<void>;
}

/** The files each new_files model has loaded, keyed by the table loaded into. */
export interface FileLedgerStore {
  loaded(table: Relation): Promise<Map<string, LoadedFile>>;
  record(table: Relation, modelId: string, files: LoadedFile[], invocationId: string): Promise<void>;
  /** The table is rebuilt from every file: it has loaded none yet. */
  forget(table: Relation): Promise<void>;
}

/**
 * What a run needs of the framework's state in the target (issue 20's one state store). The run
 * lock is not in it yet: it lives in execute/ (run-lock.ts), in files and object storage rather
 * than the target's tables.
 */
export interface StateStore {
  readonly intervals: IntervalStore;
  readonly files: FileLedgerStore;
}
