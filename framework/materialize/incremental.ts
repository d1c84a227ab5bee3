import type { Column } from '../adapters/adapter.js';
import { utcTimestamp } from '../adapters/timestamp.js';
import { ExecutionError } from '../errors.js';
import type { ModelNode } from '../project/types.js';
import type { CompiledNode } from '../template/manifest.js';
import type { Runtime } from '../template/state.js';
import { apply, ids, render, type MaterializeContext, type MaterializeResult } from './context.js';
import { replace } from './table.js';
import { checkContract } from './contract.js';
import { stage, unstage } from './audit.js';

/**
 * Incremental models: the first run (or --full-refresh) builds the table; later runs render with
 * is_incremental() true and apply the new rows with the configured strategy in one atomic step.
 */
export async function incremental(
  ctx: MaterializeContext,
  node: CompiledNode & ModelNode,
  runtime: Omit<Runtime, 'isIncremental'> = {},
): Promise<MaterializeResult> {
  const { introspector } = ctx.adapter;
  const existing = await introspector.relationType(node.relation);
  const fullRefresh = ctx.fullRefresh && node.config.full_refresh !== false;
  if (existing !== 'table' || fullRefresh) {
    return replace(ctx, node, render(ctx, node, { ...runtime, isIncremental: false }));
  }
  const range = strategyOf(node) === 'interval' ? replacedRange(ctx, node, runtime) : undefined;
  const sql = render(ctx, node, { ...runtime, isIncremental: true, ...(range ? { self: range.outside } : {}) });
  const incoming = await introspector.queryColumns(sql);
  await checkContract(ctx, node, sql, incoming);
  const columns = await reconcileSchema(ctx, node, incoming, await introspector.columns(node.relation));
  const { audit } = ctx;
  let statements = strategyStatements(ctx, node, sql, columns, range);
  if (audit) {
    // The new rows are staged once; the tests see the table as the write would leave it, and the write reads the staged rows.
    const staged = await stage(ctx, node, audit, sql);
    await audit.check(afterWrite(ctx, node, staged, columns, range));
    statements = strategyStatements(ctx, node, `select * from ${staged}`, columns, range);
  }
  // Every strategy but append replaces what it writes, so repeating it is harmless.
  const results = await apply(ctx, node, statements, strategyOf(node) !== 'append');
  if (audit) await unstage(ctx, audit);
  const rows = results[results.length - 1]!.rowsAffected;
  return {
    ...(rows !== undefined ? { rowsAffected: rows } : {}),
    message: `${strategyOf(node)}${rows !== undefined ? ` (${rows} rows)` : ''}`,
    queryIds: ids(results),
  };
}

function strategyOf(node: ModelNode): 'merge' | 'append' | 'delete+insert' | 'interval' {
  // new_files appends the rows of the files the runner hands it (execute/run-new-files.ts).
  if (node.config.incremental_strategy === 'new_files') return 'append';
  if (node.config.incremental_strategy) return node.config.incremental_strategy;
  if (node.config.unique_key?.length) return 'merge';
  // Interval models without a key replace the rows of the intervals they process.
  return node.config.interval ? 'interval' : 'append';
}

/**
 * The rows an interval model replaces (time_column in [from, to)), and its `{{this}}` while it
 * does: the table without them, as the insert of a delete-then-insert sees it, whereas a single
 * MERGE (Trino) reads the table before its delete.
 */
function replacedRange(
  ctx: MaterializeContext,
  node: CompiledNode & ModelNode,
  runtime: Omit<Runtime, 'isIncremental'>,
) {
  const { dialect, macros } = ctx.adapter;
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
function afterWrite(
  ctx: MaterializeContext,
  node: CompiledNode & ModelNode,
  staged: string,
  columns: string[],
  range?: ReturnType<typeof replacedRange>,
): string {
  const { dialect } = ctx.adapter;
  const cols = columns.map((c) => dialect.quote(c)).join(', ');
  const table = dialect.relation(node.relation);
  const key = node.config.unique_key ?? [];
  let kept: string;
  switch (strategyOf(node)) {
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
  ctx: MaterializeContext,
  node: CompiledNode & ModelNode,
  sql: string,
  columns: string[],
  range?: ReturnType<typeof replacedRange>,
): string[] {
  const { dialect } = ctx.adapter;
  const key = node.config.unique_key ?? [];
  const strategy = strategyOf(node);
  if (strategy === 'interval')
    return dialect.replaceRange(node.relation, range!.column, range!.from, range!.to, columns, sql);
  if (strategy !== 'append' && !key.length) {
    throw new ExecutionError(`incremental_strategy "${strategy}" needs unique_key (model "${node.name}")`);
  }
  switch (strategy) {
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
 * write uses, altering the table first where the policy says so. Returns the columns to write.
 */
async function reconcileSchema(
  ctx: MaterializeContext,
  node: CompiledNode & ModelNode,
  incoming: Column[],
  current: Column[],
): Promise<string[]> {
  const known = new Set(current.map((c) => c.name.toLowerCase()));
  const arriving = new Set(incoming.map((c) => c.name.toLowerCase()));
  const added = incoming.filter((c) => !known.has(c.name.toLowerCase()));
  const removed = current.filter((c) => !arriving.has(c.name.toLowerCase()));
  const policy = node.config.on_schema_change;
  if (!added.length && !removed.length) return incoming.map((c) => c.name);
  const { dialect } = ctx.adapter;
  switch (policy) {
    case 'ignore':
      return incoming.filter((c) => known.has(c.name.toLowerCase())).map((c) => c.name);
    case 'fail':
      throw new ExecutionError(
        `schema of "${node.name}" changed (on_schema_change: fail): added [${added.map((c) => c.name).join(', ')}], removed [${removed.map((c) => c.name).join(', ')}]; run with --full-refresh or change the policy`,
      );
    case 'append_new_columns':
      if (added.length)
        await apply(
          ctx,
          node,
          added.map((c) => dialect.addColumn(node.relation, c)),
          false,
        );
      return incoming.map((c) => c.name);
    case 'sync_all_columns':
      await apply(
        ctx,
        node,
        [
          ...added.map((c) => dialect.addColumn(node.relation, c)),
          ...removed.map((c) => dialect.dropColumn(node.relation, c.name)),
        ],
        false,
      );
      return incoming.map((c) => c.name);
  }
}
