import type { ModelNode } from '../project/types.js';
import type { CompiledNode } from '../template/manifest.js';
import { stage, unstage } from './audit.js';
import { apply, ids, render, type MaterializeContext, type MaterializeResult } from './context.js';
import { checkContract, enforcedDefinition } from './contract.js';

/**
 * Atomic replace: CREATE OR REPLACE in one statement (DuckDB in a transaction, Iceberg as one
 * commit), so a reader sees the old table or the new one. A view of the same name is dropped in
 * the same transaction where the engine has one.
 */
export async function table(ctx: MaterializeContext, node: CompiledNode & ModelNode): Promise<MaterializeResult> {
  const sql = render(ctx, node, { isIncremental: false });
  return replace(ctx, node, sql);
}

/**
 * With an audit, the new table is built aside and tested first; publishing it is then a CREATE OR
 * REPLACE from the staged copy: still one commit (Iceberg keeps the table's history for rollback),
 * where a rename would need a drop first and leave a moment with no table.
 */
export async function replace(
  ctx: MaterializeContext,
  node: CompiledNode & ModelNode,
  sql: string,
): Promise<MaterializeResult> {
  const { dialect, introspector } = ctx.adapter;
  const columns = await checkContract(ctx, node, sql);
  const typed = columns && enforcedDefinition(ctx, node, columns);
  const { audit } = ctx;
  if (audit) {
    const staged = await stage(ctx, node, audit, sql);
    await audit.check(staged);
    sql = `select * from ${staged}`;
  }
  const existing = await introspector.relationType(node.relation);
  const create = typed
    ? dialect.replaceTableTyped(node.relation, typed.columns, typed.checks, sql, node.config.properties)
    : { statements: [dialect.replaceTable(node.relation, sql, node.config.properties)] };
  const statements = [...(existing === 'view' ? [dialect.drop(node.relation, 'view')] : []), ...create.statements];
  const results = await apply(ctx, node, statements, true).catch(async (error: unknown) => {
    // A refused row leaves no side table behind (the published table is untouched either way).
    if (create.cleanup) await ctx.adapter.execute(create.cleanup).catch(() => undefined);
    throw error;
  });
  if (audit) await unstage(ctx, audit);
  // The rows written: of the CTAS, or of the last insert (the one filling the table) of a typed create.
  const filled = typed ? statements.map((q) => q.startsWith('insert')).lastIndexOf(true) : results.length - 1;
  const rows = results[filled]!.rowsAffected;
  return {
    ...(rows !== undefined ? { rowsAffected: rows } : {}),
    message: `table built${rows !== undefined ? ` (${rows} rows)` : ''}`,
    queryIds: ids(results),
  };
}
