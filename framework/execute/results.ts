import type { Discovery } from '../materialize/context.js';

export type NodeStatus = 'success' | 'error' | 'skipped' | 'pass' | 'warn' | 'fail';

/** One entry of run_results.json. */
export interface NodeResult {
  unique_id: string;
  status: NodeStatus;
  message: string;
  execution_time: number;
  started_at: string;
  completed_at: string;
  rows_affected?: number;
  failures?: number;
  query_ids: string[];
  snapshot_id?: string;
  /** Snapshot before this run wrote; null when the run created the table. */
  previous_snapshot_id?: string | null;
  compiled_path?: string;
  /** A test scoped to what the last run wrote: the predicate on the tested model's rows. */
  scope?: string;
  /** new_files models: how this run found its files. */
  discovery?: Discovery;
  sample?: Record<string, unknown>[];
}

/** A node that did not run, and why. */
export function skippedResult(id: string, reason: string): NodeResult {
  const now = new Date().toISOString();
  return {
    unique_id: id,
    status: 'skipped',
    message: reason,
    execution_time: 0,
    started_at: now,
    completed_at: now,
    query_ids: [],
  };
}

export function isFailure(status: NodeStatus): boolean {
  return status === 'error' || status === 'fail';
}
