import type { ModelNode } from '../project/types.js';
import type { CompiledNode } from '../template/manifest.js';
import { apply, ids, render, type MaterializeContext, type MaterializeResult } from './context.js';

/**
 * Atomic replace: CREATE OR REPLACE in one statement (DuckDB in a transaction, Iceberg as one
 * commit), so a reader sees the old table or the new one. A view of the same name is dropped in
 * the same transaction where the engine has one.
 */
export async function table(ctx: MaterializeContext, node: CompiledNode & ModelNode): Promise<MaterializeResult> {
  const sql = render(ctx, node, { isIncremental: false });
  return replace(ctx, node, sql);
}

export async function replace(ctx: MaterializeContext, node: CompiledNode & ModelNode, sql: string): Promise<MaterializeResult> {
  const { dialect, introspector } = ctx.adapter;
  const existing = await introspector.relationType(node.relation);
  const statements = [...(existing === 'view' ? [dialect.drop(node.relation, 'view')] : []), dialect.replaceTable(node.relation, sql, node.config.properties)];
  const results = await apply(ctx, node, statements, true);
  const rows = results[results.length - 1]!.rowsAffected;
  return { ...(rows !== undefined ? { rowsAffected: rows } : {}), message: `table built${rows !== undefined ? ` (${rows} rows)` : ''}`, queryIds: ids(results) };
}
