import type { Relation } from '../project/types.js';
import type { CompiledNode } from '../template/manifest.js';
import type { MaterializeContext } from './context.js';
import type { Engine } from './strategy.js';

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

/** The statements that write the new rows aside (replacing what an earlier audit left) and drop them once published. */
export interface Staging {
  stage: string;
  /** The staged relation, as SQL. */
  staged: string;
  unstage: string;
}

export function staging(engine: Engine, audit: Relation, sql: string): Staging {
  const { dialect } = engine;
  return {
    stage: dialect.replaceTable(audit, sql, {}),
    staged: dialect.relation(audit),
    unstage: dialect.drop(audit, 'table'),
  };
}

export async function stage(ctx: MaterializeContext, node: CompiledNode, staging: Staging): Promise<void> {
  ctx.record(`-- write–audit–publish: ${node.name}'s new rows, audited before they are published`);
  ctx.record(staging.stage);
  await ctx.adapter.execute(staging.stage);
}

/** Published: the staged rows are no longer needed (a failed audit keeps them for inspection). */
export async function unstage(ctx: MaterializeContext, staging: Staging): Promise<void> {
  ctx.record(staging.unstage);
  await ctx.adapter.execute(staging.unstage);
}
