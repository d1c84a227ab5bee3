import type { Adapter, ExecResult } from '../adapters/adapter.js';
import type { Compiler } from '../template/compile.js';
import type { CompiledNode } from '../template/manifest.js';
import type { Runtime } from '../template/state.js';

/** What a materialization needs: the engine, a way to render the node, and the run's flags. */
export interface MaterializeContext {
  adapter: Adapter;
  compiler: Compiler;
  fullRefresh: boolean;
  /** Called with every SQL the node executes (for target/run/ and logs). */
  record(sql: string): void;
}

export interface MaterializeResult {
  rowsAffected?: number;
  message: string;
  queryIds: string[];
  /** Built, but with something the user must look at (the message says what). */
  warning?: boolean;
}

export function render(ctx: MaterializeContext, node: CompiledNode, runtime: Runtime): string {
  return ctx.compiler.render(node, runtime);
}

/** Run statements atomically and record them. */
export async function apply(ctx: MaterializeContext, statements: string[]): Promise<ExecResult[]> {
  for (const s of statements) ctx.record(s);
  return ctx.adapter.atomically(statements);
}

export async function hooks(ctx: MaterializeContext, node: CompiledNode, which: 'pre_hook' | 'post_hook'): Promise<void> {
  for (const hook of node.config[which]) {
    const sql = ctx.compiler.renderText(hook, `${node.path}#${which}`, node);
    ctx.record(sql);
    await ctx.adapter.execute(sql);
  }
}

export function ids(results: ExecResult[]): string[] {
  return results.map((r) => r.queryId).filter((q): q is string => !!q);
}
