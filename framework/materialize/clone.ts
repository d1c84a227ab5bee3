import type { BuildableNode } from '../project/types.js';
import type { CompiledNode } from '../template/manifest.js';
import { apply, ids } from './context.js';
import type { Strategy } from './strategy.js';

export interface CloneState {
  /** The --state run's node, when it has a relation to clone. */
  from?: BuildableNode;
  existing: 'table' | 'view' | undefined;
  fullRefresh: boolean;
}

export type ClonePlan = { skip: string } | { statements: string[]; over: string };

/**
 * dbt's clone materialization, for engines without a zero-copy table clone: a view over the
 * --state run's relation. Iceberg on Trino has no such clone (a CTAS copies every data file and is
 * stale as soon as prod writes again; a view costs nothing and reads prod as it is). DuckDB: a
 * view too, across schemas or attached databases. An existing relation is left as it is, unless
 * --full-refresh.
 */
export const clone: Strategy<CompiledNode & BuildableNode, CloneState, ClonePlan> = {
  name: 'clone',
  hooks: false,
  writesTable: false,
  async read(ctx, node) {
    const from = ctx.run.previous?.[node.uniqueId];
    if (!from || !('relation' in from) || from.config.materialized === 'ephemeral')
      return { existing: undefined, fullRefresh: ctx.fullRefresh };
    return {
      from: from as BuildableNode,
      existing: await ctx.adapter.introspector.relationType(node.relation),
      fullRefresh: ctx.fullRefresh,
    };
  },
  plan(node, { from, existing, fullRefresh }, { dialect }) {
    if (!from) return { skip: 'not in the --state manifest: nothing to clone' };
    if (existing && !fullRefresh) return { skip: `${existing} exists, left as is (--full-refresh replaces it)` };
    const over = dialect.relation(from.relation);
    return {
      statements: [
        ...(existing === 'table' ? [dialect.drop(node.relation, 'table')] : []),
        dialect.createView(node.relation, `select * from ${over}`),
      ],
      over,
    };
  },
  async apply(ctx, node, plan) {
    if ('skip' in plan) return { message: plan.skip, queryIds: [] };
    const results = await apply(ctx, node, plan.statements, true);
    return { message: `view over ${plan.over}`, queryIds: ids(results) };
  },
};
