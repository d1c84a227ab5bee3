import type { BuildableNode, Node } from '../project/types.js';
import type { CompiledNode } from '../template/manifest.js';
import { apply, ids, type MaterializeContext, type MaterializeResult } from './context.js';

/**
 * dbt's clone materialization, for engines without a zero-copy table clone: a view over the
 * --state run's relation. Iceberg on Trino has no such clone (a CTAS copies every data file and is
 * stale as soon as prod writes again; a view costs nothing and reads prod as it is). DuckDB: a
 * view too, across schemas or attached databases. An existing relation is left as it is, unless
 * --full-refresh.
 */
export async function clone(
  ctx: MaterializeContext,
  node: CompiledNode & BuildableNode,
  from: Node | undefined,
): Promise<MaterializeResult> {
  if (!from || !('relation' in from) || from.config.materialized === 'ephemeral')
    return { message: 'not in the --state manifest: nothing to clone', queryIds: [] };
  const { dialect, introspector } = ctx.adapter;
  const existing = await introspector.relationType(node.relation);
  if (existing && !ctx.fullRefresh)
    return { message: `${existing} exists, left as is (--full-refresh replaces it)`, queryIds: [] };
  const statements = [
    ...(existing === 'table' ? [dialect.drop(node.relation, 'table')] : []),
    dialect.createView(node.relation, `select * from ${dialect.relation(from.relation)}`),
  ];
  const results = await apply(ctx, node, statements, true);
  return { message: `view over ${dialect.relation(from.relation)}`, queryIds: ids(results) };
}
