import type { ModelNode } from '../project/types.js';
import type { CompiledNode } from '../template/manifest.js';
import { apply, ids, render, type MaterializeContext, type MaterializeResult } from './context.js';
import { checkContract } from './contract.js';

export async function view(ctx: MaterializeContext, node: CompiledNode & ModelNode): Promise<MaterializeResult> {
  const { dialect, introspector } = ctx.adapter;
  const sql = render(ctx, node, { isIncremental: false });
  // Engines enforce no constraint on a view; its columns and types are still checked.
  await checkContract(ctx, node, sql);
  const existing = await introspector.relationType(node.relation);
  const statements = [
    ...(existing === 'table' ? [dialect.drop(node.relation, 'table')] : []),
    dialect.createView(node.relation, sql),
  ];
  const results = await apply(ctx, node, statements, true);
  return { message: 'view created', queryIds: ids(results) };
}
