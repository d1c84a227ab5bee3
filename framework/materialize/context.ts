import type { Adapter, ExecResult } from '../adapters/adapter.js';
import { retryCommitConflicts } from '../adapters/commit-conflicts.js';
import { ExecutionError } from '../errors.js';
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
