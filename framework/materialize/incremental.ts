import type { Column } from '../adapters/adapter.js';
import { utcTimestamp } from '../adapters/timestamp.js';
import { allAnswered } from '../all-answered.js';
import { ConfigError, ExecutionError } from '../errors.js';
import type { ModelNode, Relation } from '../project/types.js';
import type { CompiledNode } from '../template/manifest.js';
import { stage, staging, unstage, type Staging } from './audit.js';
import { apply, ids, render } from './context.js';
import { checkClusterBy } from './cluster-by.js';
import { checkContract } from './contract.js';
import { configAt, type BatchRuntime, type Engine, type Strategy } from './strategy.js';
import { applyTable, planTable, readTable, type TablePlan, type TableState } from './table.js';

type Model = CompiledNode & ModelNode;
type Kind = 'merge' | 'append' | 'delete+insert' | 'interval';

/** What applying new rows depends on: the table's columns and the new query's. */
export type IncrementalState =
  | { rebuild: TableState }
  | {
      /** The model rendered with is_incremental() true. */
      sql: string;
      range?: ReplacedRange;
      incoming: Column[];
      current: Column[];
      audit?: Relation;
    };

export interface IncrementalPlan {
  /** The table is absent or --full-refresh: it is built as a table. */
  rebuild?: TablePlan;
  /** on_schema_change: columns added or dropped first (not repeatable: a schema change). */
  alter: string[];
  staging?: Staging;
  /** build: the table as the write would leave it, for the model's tests. */
  audited?: string;
  statements: string[];
  repeatable: boolean;
}

/**
 * Incremental models: the first run (or --full-refresh) builds the table; later runs render with
 * is_incremental() true and apply the new rows with the configured strategy in one atomic step.
 */
export const incremental: Strategy<Model, IncrementalState, IncrementalPlan> = {
  name: 'incremental',
  hooks: true,
  writesTable: true,
  validate(node) {
    const kind = kindOf(node);
    if ((kind === 'merge' || kind === 'delete+insert') && !node.config.unique_key?.length) {
      throw new ConfigError(`incremental_strategy "${kind}" needs unique_key (model "${node.name}")`, configAt(node));
    }
  },
  async read(ctx, node, runtime) {
    const { introspector } = ctx.adapter;
    const rebuild = async () => ({
      rebuild: await readTable(ctx, node, render(ctx, node, { ...runtime, isIncremental: false })),
    });
    if (ctx.fullRefresh && node.config.full_refresh !== false) return rebuild();
    const range = kindOf(node) === 'interval' ? replacedRange(ctx.adapter, node, runtime) : undefined;
    const sql = render(ctx, node, { ...runtime, isIncremental: true, ...(range ? { self: range.outside } : {}) });
    // Three round trips at once: the columns are asked before knowing that the table exists, and
    // dropped, failed or not, when it does not (a first build).
    const type = introspector.relationType(node.relation);
    const columns = allAnswered([introspector.queryColumns(sql), introspector.columns(node.relation)]);
    columns.catch(() => {});
    if ((await type) !== 'table') return rebuild();
    const [incoming, current] = await columns;
    return { sql, incoming, current, ...(range ? { range } : {}), ...(ctx.audit ? { audit: ctx.audit.relation } : {}) };
  },
  plan(node, state, engine) {
    if ('rebuild' in state)
      return { rebuild: planTable(node, state.rebuild, engine), alter: [], statements: [], repeatable: true };
    checkContract(engine, node, state.incoming);
    checkClusterBy(node, state.incoming);
    const { alter, columns } = reconcileSchema(engine, node, state.incoming, state.current);
    // Every strategy but append replaces what it writes, so repeating it is harmless.
    const repeatable = kindOf(node) !== 'append';
    if (!state.audit)
      return { alter, statements: strategyStatements(engine, node, state.sql, columns, state.range), repeatable };
    // The new rows are staged once; the tests see the table as the write would leave it, and the write reads the staged rows.
    const staged = staging(engine, state.audit, state.sql);
    return {
      alter,
      staging: staged,
      audited: afterWrite(engine, node, staged.staged, columns, state.range),
      statements: strategyStatements(engine, node, `select * from ${staged.staged}`, columns, state.range),
      repeatable,
    };
  },
  async apply(ctx, node, plan) {
    if (plan.rebuild) return applyTable(ctx, node, plan.rebuild);
    if (plan.alter.length) await apply(ctx, node, plan.alter, false);
    if (plan.staging) {
      await stage(ctx, node, plan.staging);
      await ctx.audit!.check(plan.audited!);
    }
    const results = await apply(ctx, node, plan.statements, plan.repeatable);
    if (plan.staging) await unstage(ctx, plan.staging);
    const rows = results[results.length - 1]!.rowsAffected;
    return {
      ...(rows !== undefined ? { rowsAffected: rows } : {}),
      message: `${kindOf(node)}${rows !== undefined ? ` (${rows} rows)` : ''}`,
      queryIds: ids(results),
    };
  },
};

function kindOf(node: ModelNode): Kind {
  // new_files appends the rows of the files its loader hands it (materialize/new-files.ts).
  if (node.config.incremental_strategy === 'new_files') return 'append';
  if (node.config.incremental_strategy) return node.config.incremental_strategy;
  if (node.config.unique_key?.length) return 'merge';
  // Interval models without a key replace the rows of the intervals they process.
  return node.config.interval ? 'interval' : 'append';
}

/** The rows an interval model replaces (time_column in [from, to)), and its `{{this}}` while it does. */
export interface ReplacedRange {
  column: string;
  from: string;
  to: string;
  /**
   * The table without them, as the insert of a delete-then-insert sees it, whereas a single
   * MERGE (Trino) reads the table before its delete.
   */
  outside: string;
}

function replacedRange(engine: Engine, node: Model, runtime: BatchRuntime): ReplacedRange {
  const { dialect, macros } = engine;
  const column = node.config.time_column!;
  const [from, to] = [utcTimestamp(macros, runtime.intervalStart!), utcTimestamp(macros, runtime.intervalEnd!)];
  const c = dialect.quote(column);
  return {
    column,
    from,
    to,
    outside: `(select * from ${dialect.relation(node.relation)} where ${c} < ${from} or ${c} >= ${to} or ${c} is null)`,
  };
}

/**
 * The table as the strategy would leave it, as SQL over the published table and the staged rows:
 * kept rows (outside the replaced range, or whose key the new rows do not carry) plus the new rows.
 * Tests on it see duplicates against existing rows, as they would after the write.
 */
function afterWrite(engine: Engine, node: Model, staged: string, columns: string[], range?: ReplacedRange): string {
  const { dialect } = engine;
  const cols = columns.map((c) => dialect.quote(c)).join(', ');
  const table = dialect.relation(node.relation);
  const key = node.config.unique_key ?? [];
  let kept: string;
  switch (kindOf(node)) {
    case 'interval':
      kept = `select ${cols} from ${range!.outside} as __kept`;
      break;
    case 'append':
      kept = `select ${cols} from ${table}`;
      break;
    default:
      kept = `select ${cols} from ${table} as __kept where not exists (select 1 from ${staged} as __new where ${key.map((k) => `__new.${dialect.quote(k)} = __kept.${dialect.quote(k)}`).join(' and ')})`;
  }
  return `(${kept} union all select ${cols} from ${staged})`;
}

function strategyStatements(
  engine: Engine,
  node: Model,
  query: string,
  columns: string[],
  range?: ReplacedRange,
): string[] {
  const { dialect } = engine;
  const sql = dialect.clustered(query, node.config.cluster_by ?? []);
  // unique_key is there for merge and delete+insert: `validate` checked it.
  const key = node.config.unique_key ?? [];
  switch (kindOf(node)) {
    case 'interval':
      return dialect.replaceRange(node.relation, range!.column, range!.from, range!.to, columns, sql);
    case 'append':
      return [dialect.insert(node.relation, columns, sql)];
    case 'merge':
      return [dialect.merge(node.relation, sql, key, columns)];
    case 'delete+insert':
      return [dialect.deleteMatching(node.relation, sql, key), dialect.insert(node.relation, columns, sql)];
  }
}

/**
 * on_schema_change: compare the new query's columns with the table's and decide which columns the
 * write uses, and which statements alter the table first where the policy says so.
 */
function reconcileSchema(
  engine: Engine,
  node: Model,
  incoming: Column[],
  current: Column[],
): { alter: string[]; columns: string[] } {
  const known = new Set(current.map((c) => c.name.toLowerCase()));
  const arriving = new Set(incoming.map((c) => c.name.toLowerCase()));
  const added = incoming.filter((c) => !known.has(c.name.toLowerCase()));
  const removed = current.filter((c) => !arriving.has(c.name.toLowerCase()));
  const all = incoming.map((c) => c.name);
  if (!added.length && !removed.length) return { alter: [], columns: all };
  const { dialect } = engine;
  switch (node.config.on_schema_change) {
    case 'ignore':
      return { alter: [], columns: incoming.filter((c) => known.has(c.name.toLowerCase())).map((c) => c.name) };
    case 'fail':
      throw new ExecutionError(
        `schema of "${node.name}" changed (on_schema_change: fail): added [${added.map((c) => c.name).join(', ')}], removed [${removed.map((c) => c.name).join(', ')}]; run with --full-refresh or change the policy`,
      );
    case 'append_new_columns':
      return { alter: added.map((c) => dialect.addColumn(node.relation, c)), columns: all };
    case 'sync_all_columns':
      return {
        alter: [
          ...added.map((c) => dialect.addColumn(node.relation, c)),
          ...removed.map((c) => dialect.dropColumn(node.relation, c.name)),
        ],
        columns: all,
      };
  }
}
