import type { Relation } from '../project/types.js';
import type { DoneIntervals } from './done-intervals.js';
import type { LoadedFile } from './file-ledger.js';
import type { Release, RunLockOptions } from './run-lock.js';

/** A half-open range of epoch milliseconds. */
export interface IntervalRange {
  start: number;
  end: number;
}

/** A run of an interval model read its input at `readAt` and processed all it asked for (the mark sits at `gridStart`). */
export interface InputRead {
  gridStart: number;
  readAt: number;
}

/**
 * State rows a record may fold into one range: those within [from, before), where every interval
 * is done and this run touches none, and, with `seenBy`, whose input was looked at by then (a
 * later run reads only input loaded after it, newer than any of them, so their own instants no
 * longer tell it anything; the range keeps the earliest).
 */
export interface Settled {
  from: number;
  before: number;
  seenBy?: number;
}

export interface IntervalStateRead {
  /** The done intervals, with when their input was last looked at (interval_input models). */
  done: DoneIntervals;
  /** When the model's last run that processed everything its input asked for read that input. */
  inputReadUntil: number | undefined;
}

/** Processed intervals of interval models, keyed by the model's table. */
export interface IntervalStore {
  /** The model's done intervals, and when its input was last read in full: one query. */
  read(table: Relation): Promise<IntervalStateRead>;
  /**
   * Record intervals as done, with `inputRead` that the run processed all its input asked for, and
   * with `settled` the rows folded into one range: one commit.
   */
  record(
    table: Relation,
    modelId: string,
    intervals: IntervalRange[],
    invocationId: string,
    inputSeenUntil?: number,
    inputRead?: InputRead,
    settled?: Settled,
  ): Promise<void>;
  /** Forget intervals before they are processed again. */
  forget(table: Relation, intervals: IntervalRange[]): Promise<void>;
  /** Forget every interval of the model (its table is rebuilt). */
  clear(table: Relation): Promise<void>;
}

/** The files each new_files model has loaded, keyed by the table loaded into. */
export interface FileLedgerStore {
  loaded(table: Relation): Promise<Map<string, LoadedFile>>;
  /** loaded() of the files a listing from `since` (wall clock) can return. */
  loadedSince(table: Relation, since: number): Promise<Map<string, LoadedFile>>;
  /** The newest loaded partition not after now in `zone` (wall clock); undefined when none names a time. */
  watermark(table: Relation, zone: string | undefined): Promise<number | undefined>;
  record(table: Relation, modelId: string, files: LoadedFile[], invocationId: string): Promise<void>;
  /** The table is rebuilt from every file: it has loaded none yet. */
  forget(table: Relation): Promise<void>;
}

/** One active run per target (run-lock.ts): a file lock, and where the engine's storage is shared, a storage lock. */
export interface RunLockStore {
  /** Takes every lock of the target, settling dead holders (options.onTakeover) once all are held. */
  acquire(command: string, tag: string | undefined, options: RunLockOptions): Promise<Release>;
}

/**
 * What a run needs of the framework's state: interval state and the file ledger (tables in the
 * target), and the run lock (a file under target/locks and an object in shared storage: a lock
 * must be taken before the target's tables are touched, and outlive a dead run's session).
 */
export interface StateStore {
  readonly intervals: IntervalStore;
  readonly files: FileLedgerStore;
  readonly runLock: RunLockStore;
}
