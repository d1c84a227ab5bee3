import type { Column } from '../adapters/adapter.js';
import type { ModelNode } from '../project/types.js';
import type { CompiledNode } from '../template/manifest.js';
import { apply, ids, render } from './context.js';
import { checkContract, contractColumns } from './contract.js';
import type { Strategy } from './strategy.js';

export interface ViewState {
  sql: string;
  /** The query's columns, when the contract is enforced. */
  columns?: Column[];
  existing: 'table' | 'view' | undefined;
}

export const view: Strategy<CompiledNode & ModelNode, ViewState, string[]> = {
  name: 'view',
  hooks: true,
  writesTable: false,
  async read(ctx, node) {
    const sql = render(ctx, node, { isIncremental: false });
    const columns = await contractColumns(ctx, node, sql);
    return {
      sql,
      existing: await ctx.adapter.introspector.relationType(node.relation),
      ...(columns ? { columns } : {}),
    };
  },
  plan(node, state, engine) {
    // Engines enforce no constraint on a view; its columns and types are still checked.
    if (state.columns) checkContract(engine, node, state.columns);
    const { dialect } = engine;
    return [
      ...(state.existing === 'table' ? [dialect.drop(node.relation, 'table')] : []),
      dialect.createView(node.relation, state.sql),
    ];
  },
  async apply(ctx, node, statements) {
    const results = await apply(ctx, node, statements, true);
    return { message: 'view created', queryIds: ids(results) };
  },
};
