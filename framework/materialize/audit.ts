import type { Relation } from '../project/types.js';
import type { CompiledNode } from '../template/manifest.js';
import type { MaterializeContext } from './context.js';

/**
 * Write–audit–publish (build): a model's new rows are written aside into `relation`, its tests run
 * on the table as it would be after the write (`check`, which throws when an error-severity test
 * fails), and only then is the write applied to the published table, in one commit.
 */
export interface Audit {
  relation: Relation;
  /** Run the model's tests with `tested` (SQL) standing in for the model; throws when one blocks. */
  check(tested: string): Promise<void>;
}

/** Write the new rows aside (replacing what an earlier audit left): returns the staged relation's SQL. */
export async function stage(ctx: MaterializeContext, node: CompiledNode, audit: Audit, sql: string): Promise<string> {
  const { dialect } = ctx.adapter;
  const statement = dialect.replaceTable(audit.relation, sql, {});
  ctx.record(`-- write–audit–publish: ${node.name}'s new rows, audited before they are published`);
  ctx.record(statement);
  await ctx.adapter.execute(statement);
  return dialect.relation(audit.relation);
}

/** Published: the staged rows are no longer needed (a failed audit keeps them for inspection). */
export async function unstage(ctx: MaterializeContext, audit: Audit): Promise<void> {
  const statement = ctx.adapter.dialect.drop(audit.relation, 'table');
  ctx.record(statement);
  await ctx.adapter.execute(statement);
}
