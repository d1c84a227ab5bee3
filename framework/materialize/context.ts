import type { Adapter, ExecResult } from '../adapters/adapter.js';
import { retryCommitConflicts } from '../adapters/commit-conflicts.js';
import { ExecutionError } from '../errors.js';
import type { Node } from '../project/types.js';
import type { StateStore } from '../state/state-store.js';
import type { Compiler } from '../template/compile.js';
import type { CompiledNode } from '../template/manifest.js';
import type { Runtime } from '../template/state.js';
import type { Audit } from './audit.js';

/** What a materialization needs: the engine, a way to render the node, and the run's flags. */
export interface MaterializeContext {
  adapter: Adapter;
  compiler: Compiler;
  fullRefresh: boolean;
  /** --empty: every ref and source is read with zero rows. */
  empty?: boolean;
  /** Called with every SQL the node executes (for target/run/ and logs). */
  record(sql: string): void;
  /** build: write–audit–publish this model's new data (materialize/audit.ts). */
  audit?: Audit;
}

export interface MaterializeResult {
  rowsAffected?: number;
  message: string;
  queryIds: string[];
  /** Built, but with something the user must look at (the message says what). */
  warning?: boolean;
  /** Nothing was written: the node already was what this build would make (and, under an audit, passed it). */
  unchanged?: boolean;
  /** new_files models: how this run found its files. */
  discovery?: Discovery;
}

/** What a new_files model's listing cost: everything, or the partitions from `since` (wall clock in the source's zone). */
export interface Discovery {
  listing: 'full' | 'lookback';
  since?: string;
  objects_listed: number;
  list_calls: number;
  /** Files of the ledger read to tell new files from loaded ones: a lookback reads those it can list. */
  ledger_files_read: number;
}

/** What a run hands every strategy beyond one materialization's needs: its state store and flags. */
export interface RunInputs {
  invocationId: string;
  state: StateStore;
  /** Interval models: intervals ending after this are not complete yet (--end, else the run's start). */
  now: number;
  /** --start: interval models restate [restateFrom, now) whatever their state says. */
  restateFrom?: number;
  /** --start/--end: new_files models load only files whose partition path names a time in [start, end). */
  window?: { start?: number; end?: number };
  /** --reconcile-files: new_files models list every partition, not only the lookback's. */
  reconcileFiles?: boolean;
  /** The manifest's nodes (a new_files model's external source). */
  nodes: Record<string, CompiledNode>;
  /** clone: the --state manifest's nodes. */
  previous?: Record<string, Node>;
}

/** What a strategy gets: one materialization's context plus the run's. */
export interface BuildContext extends MaterializeContext {
  run: RunInputs;
}

export function render(ctx: MaterializeContext, node: CompiledNode, runtime: Runtime): string {
  return ctx.compiler.render(node, ctx.empty ? { ...runtime, empty: true } : runtime);
}

/**
 * Run statements atomically and record them. A commit conflict (a concurrent commit to the table
 * won: Iceberg) is retried when the statements are `repeatable`, i.e. running them again gives the
 * same table whether or not the failed attempt took effect (replace, merge, delete and insert of a
 * range). Others (appends, schema changes) fail saying they were not retried: an append whose
 * commit outcome is unknown could add its rows twice.
 */
export async function apply(
  ctx: MaterializeContext,
  node: CompiledNode,
  statements: string[],
  repeatable: boolean,
): Promise<ExecResult[]> {
  for (const s of statements) ctx.record(s);
  if (repeatable)
    return retryCommitConflicts(
      ctx.adapter,
      () => ctx.adapter.atomically(statements),
      (error) => ctx.record(`-- commit conflict, retried: ${error.message.split('\n')[0]}`),
    );
  try {
    return await ctx.adapter.atomically(statements);
  } catch (error) {
    if (!ctx.adapter.isCommitConflict?.(error)) throw error;
    const { message, details } = error as ExecutionError;
    throw new ExecutionError(
      `model "${node.name}": commit conflict, NOT retried (repeating this write is not safe: it may have committed, and would then be applied twice): ${message}`,
      details,
    );
  }
}

export async function hooks(
  ctx: MaterializeContext,
  node: CompiledNode,
  which: 'pre_hook' | 'post_hook',
): Promise<void> {
  for (const hook of node.config[which]) {
    const sql = ctx.compiler.renderText(hook, `${node.path}#${which}`, node);
    ctx.record(sql);
    await ctx.adapter.execute(sql);
  }
}

export function ids(results: ExecResult[]): string[] {
  return results.map((r) => r.queryId).filter((q): q is string => !!q);
}
