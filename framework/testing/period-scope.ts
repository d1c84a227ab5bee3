import type { Adapter } from '../adapters/adapter.js';
import { allAnswered } from '../all-answered.js';
import { utcInstant } from '../adapters/timestamp.js';
import { ConfigError } from '../errors.js';
import type { ScopeContext } from '../execute/data-tests.js';
import type { CompiledNode, Manifest } from '../template/manifest.js';

/**
 * A model whose rows follow an input's time (config test_scope: {column, input}: dau by date,
 * wau by week_start): the values of `column` that the rows the input last wrote produce, found by
 * rendering the model over those rows only. Its scoped tests then check the rows with those
 * values: constants, which the engine pushes through the model's aggregation into the input scan.
 */
export type PeriodContext = ScopeContext;

export type PeriodConfig = { column: string; input?: string };

/** Above this many values, the scope is their range: a superset, still one constant pair. */
const MAX_LISTED = 500;

/** Memoised per run (the builds map is one run's): every test of a model shares one lookup. */
const memo = new WeakMap<Map<string, string>, Map<string, Promise<string | undefined>>>();

export function periodConfig(node: CompiledNode): PeriodConfig | undefined {
  const scope = node.config.test_scope;
  return scope && typeof scope === 'object' ? scope : undefined;
}

/**
 * The predicate on `model`'s rows that the last run's written input rows touch (`false` when they
 * touch none), or undefined when that run's writes are unknown (the input was not built by it).
 */
export function periodPredicate(ctx: PeriodContext, model: CompiledNode): Promise<string | undefined> {
  let runMemo = memo.get(ctx.builds);
  if (!runMemo) memo.set(ctx.builds, (runMemo = new Map()));
  // An audit reads the staged rows, not the published ones: a lookup of its own.
  const key = ctx.standIn ? `${model.uniqueId} audited as ${ctx.standIn.sql}` : model.uniqueId;
  let found = runMemo.get(key);
  if (!found) runMemo.set(key, (found = lookUp(ctx, model)));
  return found;
}

async function lookUp(ctx: PeriodContext, model: CompiledNode): Promise<string | undefined> {
  const { adapter } = ctx;
  const { column } = periodConfig(model)!;
  const rows = writtenRows(ctx, model);
  if (rows === undefined) return undefined;
  const col = adapter.dialect.quote(column);
  // typeof: the column's type as the engine names it, also for a model not published yet (an audit).
  // The column is checked while the values are read; a missing one is the error said.
  const [, result] = await allAnswered([
    assertColumn(adapter, model, column),
    adapter.query(adapter.dialect.distinctTyped(rows, col)),
  ]);
  const values = result.rows.map((r) => `CAST(${adapter.dialect.literal(String(r.v))} AS ${String(r.t)})`);
  if (!values.length) return 'false';
  if (values.length > MAX_LISTED) return `${col} between ${values[0]} and ${values.at(-1)}`;
  return `${col} in (${values.join(', ')})`;
}

/**
 * SQL of `model` computed over only the rows its input last wrote (recursively through inputs
 * that are themselves period-scoped), or undefined when those rows are unknown.
 */
function writtenRows(ctx: PeriodContext, model: CompiledNode): string | undefined {
  const { input } = periodConfig(model)!;
  // No input: the model's own written rows (scope.ts checked it has written_at).
  if (!input) return writtenSince(ctx, model);
  const inputNode = upstreamInput(ctx.manifest, model, input);
  const standIn = inputNode.config.written_at
    ? writtenSince(ctx, inputNode)
    : periodConfig(inputNode)
      ? writtenRows(ctx, inputNode)
      : undefined;
  if (standIn === undefined) return undefined;
  return ctx.compiler.render(model, {
    isIncremental: false,
    relations: new Map([[inputNode.uniqueId, `(${standIn})`]]),
  });
}

function writtenSince(ctx: PeriodContext, node: CompiledNode): string | undefined {
  const since = ctx.builds.get(node.uniqueId);
  if (!since || !('relation' in node)) return undefined;
  const { dialect } = ctx.adapter;
  const from = ctx.standIn?.id === node.uniqueId ? ctx.standIn.sql : dialect.relation(node.relation);
  return dialect.filter(from, writtenPredicate(ctx, node.config.written_at!, since));
}

/** The rows stamped at or after `since`: a time-zone-aware constant, so the engine compares the column as stored and prunes on it. */
export function writtenPredicate(ctx: PeriodContext, column: string, since: string): string {
  const { dialect, macros } = ctx.adapter;
  return `${dialect.quote(column)} >= ${utcInstant(macros, Date.parse(since))}`;
}

/** test_scope.input must be a model the scoped one reads (directly or through ephemerals) that records what it writes. */
function upstreamInput(manifest: Manifest, model: CompiledNode, name: string): CompiledNode {
  const found = upstream(manifest, model).find((n) => n.name === name);
  const where = { file: model.path };
  if (!found)
    throw new ConfigError(
      `model "${model.name}": test_scope.input "${name}" is not a model it reads`,
      where,
      'name a model it refs (directly or through ephemeral models)',
    );
  if (!found.config.written_at && !periodConfig(found)) {
    throw new ConfigError(
      `model "${model.name}": test_scope.input "${name}" has neither written_at nor a test_scope column`,
      where,
      `give ${name} written_at (the column its runs stamp on the rows they write)`,
    );
  }
  return found;
}

function upstream(manifest: Manifest, model: CompiledNode): CompiledNode[] {
  const found: CompiledNode[] = [];
  for (const id of model.dependsOn) {
    const node = manifest.nodes[id];
    if (!node || node.resourceType !== 'model') continue;
    if (node.config.materialized === 'ephemeral') found.push(...upstream(manifest, node));
    else found.push(node);
  }
  return found;
}

/** test_scope.column must be a column of the model (once it exists: an audit may run before its first publish). */
async function assertColumn(adapter: Adapter, model: CompiledNode, column: string): Promise<void> {
  const columns = 'relation' in model ? await adapter.introspector.columns(model.relation) : [];
  if (!columns.length || columns.some((c) => c.name.toLowerCase() === column.toLowerCase())) return;
  throw new ConfigError(
    `model "${model.name}": test_scope.column "${column}" is not one of its columns`,
    { file: model.path },
    `its columns: ${columns.map((c) => c.name).join(', ')}`,
  );
}
