import type { Column } from '../adapters/adapter.js';
import type { ModelNode, Relation } from '../project/types.js';
import type { CompiledNode } from '../template/manifest.js';
import { stage, staging, unstage, type Staging } from './audit.js';
import { apply, ids, render, type BuildContext, type MaterializeContext, type MaterializeResult } from './context.js';
import { checkClusterBy } from './cluster-by.js';
import { checkContract, contractColumns, enforcedDefinition } from './contract.js';
import { checkRebuild, fingerprint, fingerprintInputs, lastBuilt, recordBuilt, type Built } from './fingerprint.js';
import { FRAMEWORK_VERSION } from '../template/compile.js';
import type { Engine, Strategy } from './strategy.js';

type Model = CompiledNode & ModelNode;

/** What replacing a table depends on. */
export interface TableState {
  /** The model's rendered query. */
  sql: string;
  /** The query's columns, when the contract is enforced. */
  columns?: Column[];
  /** The query's columns, when cluster_by names some (to check them). */
  clusterable?: Column[];
  existing: 'table' | 'view' | undefined;
  /** build: where the new table is written aside and audited first. */
  audit?: Relation;
  /** rebuild: on_change: what this build would be made from, and what the last one was. */
  change?: { fingerprint?: string; last?: Built };
}

export interface TablePlan {
  staging?: Staging;
  statements: string[];
  /** Drops the side table a typed create fills, should it fail. */
  cleanup?: string;
  /** The statement whose rows are the table's: the CTAS, or the insert filling a typed create. */
  filled: number;
  /** rebuild: on_change: the build's fingerprint, recorded once the table is in place. */
  record?: string;
  /** rebuild: on_change without a fingerprint (--empty, an input without one): the last build's record no longer holds. */
  forget?: boolean;
  /** rebuild: on_change: the table is as this build would make it (its rows), audited if this build audits; nothing runs. */
  unchanged?: number;
}

export async function readTable(ctx: MaterializeContext, node: Model, sql: string): Promise<TableState> {
  const columns = await contractColumns(ctx, node, sql);
  const clusterable = node.config.cluster_by?.length
    ? (columns ?? (await ctx.adapter.introspector.queryColumns(sql)))
    : undefined;
  const existing = await ctx.adapter.introspector.relationType(node.relation);
  return {
    sql,
    existing,
    ...(columns ? { columns } : {}),
    ...(clusterable ? { clusterable } : {}),
    ...(ctx.audit ? { audit: ctx.audit.relation } : {}),
  };
}

/**
 * Atomic replace: CREATE OR REPLACE in one statement (DuckDB in a transaction, Iceberg as one
 * commit), so a reader sees the old table or the new one. A view of the same name is dropped in
 * the same transaction where the engine has one. With an audit, the new table is built aside and
 * tested first; publishing it is then a CREATE OR REPLACE from the staged copy: still one commit
 * (Iceberg keeps the table's history for rollback), where a rename would need a drop first and
 * leave a moment with no table.
 */
export function planTable(node: Model, state: TableState, engine: Engine): TablePlan {
  const { change } = state;
  // Under write–audit–publish, only a build whose data passed its audit stands in for this one.
  if (change?.fingerprint && change.fingerprint === change.last?.fingerprint && (!state.audit || change.last.audited))
    return { statements: [], filled: -1, unchanged: change.last.rows };
  const { dialect } = engine;
  if (state.columns) checkContract(engine, node, state.columns);
  if (state.clusterable) checkClusterBy(node, state.clusterable);
  const typed = state.columns && enforcedDefinition(engine, node, state.columns);
  const staged = state.audit ? staging(engine, state.audit, state.sql) : undefined;
  const sql = dialect.clustered(staged ? `select * from ${staged.staged}` : state.sql, node.config.cluster_by ?? []);
  const create = typed
    ? dialect.replaceTableTyped(node.relation, typed.columns, typed.checks, sql, node.config.properties)
    : { statements: [dialect.replaceTable(node.relation, sql, node.config.properties)] };
  const statements = [
    ...(state.existing === 'view' ? [dialect.drop(node.relation, 'view')] : []),
    ...create.statements,
  ];
  const filled = typed ? statements.map((q) => q.startsWith('insert')).lastIndexOf(true) : statements.length - 1;
  return {
    statements,
    filled,
    ...(change?.fingerprint ? { record: change.fingerprint } : change ? { forget: true } : {}),
    ...(staged ? { staging: staged } : {}),
    ...(create.cleanup ? { cleanup: create.cleanup } : {}),
  };
}

export async function applyTable(ctx: BuildContext, node: Model, plan: TablePlan): Promise<MaterializeResult> {
  if (plan.staging) {
    await stage(ctx, node, plan.staging);
    await ctx.audit!.check(plan.staging.staged);
  }
  const results = await apply(ctx, node, plan.statements, true).catch(async (error: unknown) => {
    // A refused row leaves no side table behind (the published table is untouched either way).
    if (plan.cleanup) await ctx.adapter.execute(plan.cleanup).catch(() => undefined);
    throw error;
  });
  if (plan.staging) await unstage(ctx, plan.staging);
  const rows = results[plan.filled]!.rowsAffected;
  if (plan.record)
    await recordBuilt(ctx, node, { fingerprint: plan.record, size: 0, rows: rows ?? 0, audited: !!plan.staging });
  if (plan.forget) await ctx.run.state.files.forget(node.relation);
  return {
    ...(rows !== undefined ? { rowsAffected: rows } : {}),
    message: `table built${rows !== undefined ? ` (${rows} rows)` : ''}`,
    queryIds: ids(results),
  };
}

/**
 * rebuild: on_change: the table's SQL (vars and macros rendered), config and framework version,
 * with its inputs' recorded fingerprints (fingerprint.ts). None, so the table is rebuilt (and its
 * record forgotten), when an input has none: never built, or built under --empty.
 */
async function readChange(
  ctx: BuildContext,
  node: Model,
  sql: string,
  existing: TableState['existing'],
): Promise<TableState['change']> {
  const inputs = await Promise.all(
    fingerprintInputs(node, ctx.run.nodes).map(async (input) => {
      const built = (await lastBuilt(ctx, input as Model))?.fingerprint;
      // Named: two inputs trading contents change the table.
      return built && `${input.uniqueId}=${built}`;
    }),
  );
  if (inputs.some((f) => f === undefined)) return {};
  const current = fingerprint(FRAMEWORK_VERSION, sql, JSON.stringify(node.config), ...(inputs as string[]).sort());
  const last = existing === 'table' && !ctx.fullRefresh ? await lastBuilt(ctx, node) : undefined;
  return { fingerprint: current, ...(last ? { last } : {}) };
}

export const table: Strategy<Model, TableState, TablePlan> = {
  name: 'table',
  hooks: true,
  writesTable: true,
  validate: (node, scope) => checkRebuild(node, scope, 'table'),
  async read(ctx, node) {
    const state = await readTable(ctx, node, render(ctx, node, { isIncremental: false }));
    if (node.config.rebuild !== 'on_change') return state;
    // --empty writes no rows: no fingerprint, and the last one is forgotten.
    return { ...state, change: ctx.empty ? {} : await readChange(ctx, node, state.sql, state.existing) };
  },
  plan: planTable,
  unchanged: (plan) =>
    plan.unchanged === undefined
      ? undefined
      : {
          rowsAffected: 0,
          message: `unchanged: same SQL and inputs as its last build (${plan.unchanged} rows); --full-refresh rebuilds it`,
          queryIds: [],
          unchanged: true,
        },
  apply: applyTable,
};
