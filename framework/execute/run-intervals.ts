import { materialize, type MaterializeContext, type MaterializeResult } from '../materialize/index.js';
import type { ModelNode } from '../project/types.js';
import type { CompiledNode } from '../template/manifest.js';
import { READ_SKEW_MS, readArrivals, type ArrivalBound, type Arrivals } from './interval-input.js';
import type { DoneIntervals, IntervalState } from './interval-state.js';
import {
  batches,
  completeIntervals,
  intervalConfig,
  toProcess,
  type Interval,
  type IntervalConfig,
} from './intervals.js';

export interface IntervalRequest {
  /** Intervals ending after this are not complete yet (default: now). */
  now: number;
  /** --start/--end: restate this range whatever the state says. */
  restate?: { start: number; end: number };
  invocationId: string;
}

/** What a run of one interval model would do, and why: shared by `run` and `framework intervals`. */
export interface IntervalPlan {
  cfg: IntervalConfig;
  /** Complete intervals: ending by `now`, and by the newest interval the input has rows for. */
  all: Interval[];
  done: DoneIntervals;
  /** Done intervals whose input received rows after they were processed. */
  stale: Set<number>;
  work: Interval[];
  arrivals?: Arrivals;
  /** The input rows read, when not all of them (after a complete read). */
  bound?: ArrivalBound;
  /** The table is absent or being rebuilt: its state is void. */
  rebuild: boolean;
}

export async function planIntervals(
  ctx: Pick<MaterializeContext, 'adapter' | 'compiler' | 'fullRefresh'>,
  node: CompiledNode & ModelNode,
  state: IntervalState,
  request: Omit<IntervalRequest, 'invocationId'>,
): Promise<IntervalPlan> {
  const cfg = intervalConfig(node.config, node.name)!;
  const rebuild =
    (ctx.fullRefresh && node.config.full_refresh !== false) ||
    (await ctx.adapter.introspector.relationType(node.relation)) !== 'table';
  const done: DoneIntervals = rebuild ? new Map() : await state.done(node.relation, cfg.step);
  const bound = cfg.input && !rebuild ? await arrivalBound(node, state, cfg, done) : undefined;
  const arrivals = cfg.input
    ? await readArrivals(ctx.adapter, inputRelation(ctx, node, cfg), cfg.input, cfg, bound)
    : undefined;
  // With an input, its newest interval bounds completeness (a data watermark): a replay of old
  // data, or a stream running behind, is processed as far as it has arrived, no further. A bounded
  // read sees only the newest rows: the done intervals had input up to their end.
  let watermark = arrivals ? cfg.start : Infinity;
  for (const s of arrivals?.newest.keys() ?? []) watermark = Math.max(watermark, s + cfg.step);
  if (bound) for (const s of done.keys()) watermark = Math.max(watermark, s + cfg.step);
  const all = completeIntervals(cfg.start, cfg.step, Math.min(request.now, watermark));
  const stale = new Set<number>();
  for (const [start, seen] of done) {
    const newest = arrivals?.newest.get(start);
    if (newest !== undefined && seen !== undefined && newest > seen) stale.add(start);
  }
  const work = toProcess(all, done, cfg.lookback, request.restate, stale);
  return { cfg, all, done, stale, work, rebuild, ...(arrivals ? { arrivals } : {}), ...(bound ? { bound } : {}) };
}

/**
 * The input rows a run must read, after a complete read (undefined: all of them): rows loaded
 * since it (less the skew), and every row of the intervals from the first one not done (less the
 * model's lookback) — an interval incomplete at that read had rows then that it has not processed.
 */
async function arrivalBound(
  node: CompiledNode & ModelNode,
  state: IntervalState,
  cfg: IntervalConfig,
  done: DoneIntervals,
): Promise<ArrivalBound | undefined> {
  const readUntil = await state.inputReadUntil(node.relation);
  if (readUntil === undefined) return undefined;
  let firstMissing = cfg.start;
  while (done.has(firstMissing)) firstMissing += cfg.step;
  return { loadedAfter: readUntil - READ_SKEW_MS, from: Math.max(cfg.start, firstMissing - cfg.lookback * cfg.step) };
}

/**
 * An interval model's share of a run: the complete intervals that are missing (plus lookback, plus
 * stale ones), oldest first, `batch_size` per statement; each batch recorded as done once its data
 * committed. Intervals whose input is empty cost no statement.
 */
export async function runIntervals(
  ctx: MaterializeContext,
  node: CompiledNode & ModelNode,
  state: IntervalState,
  request: IntervalRequest,
): Promise<MaterializeResult> {
  const plan = await planIntervals(ctx, node, state, request);
  const { cfg, done, work, arrivals } = plan;
  if (plan.rebuild) await state.clear(node.relation);
  let rows = 0;
  let created = !plan.rebuild;
  const queryIds: string[] = [];
  // With an input, intervals without rows cost no statement (a restatement rewrites its whole range).
  const { batches: list, empty } = batches(
    work,
    cfg.batchSize,
    arrivals && !request.restate ? (s) => arrivals.newest.has(s) : undefined,
  );
  for (const batch of list) {
    const redo = batch.filter((i) => done.has(i.start));
    if (redo.length) await state.forget(node.relation, redo);
    const runtime = { intervalStart: new Date(batch[0]!.start), intervalEnd: new Date(batch[batch.length - 1]!.end) };
    // Only the first statement of a rebuild replaces the table; later batches add to it.
    const result = await materialize({ ...ctx, fullRefresh: ctx.fullRefresh && !created }, node, runtime);
    created = true;
    await state.record(node.relation, node.uniqueId, batch, request.invocationId, arrivals?.readAt);
    rows += result.rowsAffected ?? 0;
    queryIds.push(...result.queryIds);
  }
  const recordOnly = empty.filter((i) => !done.has(i.start));
  await state.record(node.relation, node.uniqueId, recordOnly, request.invocationId, arrivals?.readAt);
  if (!created) {
    // Nothing complete yet: create the table empty (an empty range) so downstream models can read it.
    const at = new Date(cfg.start);
    queryIds.push(...(await materialize(ctx, node, { intervalStart: at, intervalEnd: at })).queryIds);
  }
  // Everything the input asked for is processed (a restatement does only its range).
  if (arrivals && !request.restate)
    await state.recordInputRead(node.relation, node.uniqueId, cfg.start, arrivals.readAt, request.invocationId);
  return {
    rowsAffected: rows,
    message: describe(plan, rows, recordOnly.length),
    queryIds,
    ...(arrivals?.uncovered ? { warning: true } : {}),
  };
}

function describe(plan: IntervalPlan, rows: number, empty: number): string {
  const { work, stale, arrivals, cfg, bound } = plan;
  const first = work[0];
  const last = work[work.length - 1];
  const span = first && last ? ` ${new Date(first.start).toISOString()} → ${new Date(last.end).toISOString()}` : '';
  const notes = [
    ...(stale.size ? [`${[...stale].filter((s) => work.some((i) => i.start === s)).length} with late input`] : []),
    ...(empty ? [`${empty} without input`] : []),
  ];
  const uncovered = arrivals?.uncovered
    ? `; ${arrivals.uncovered} input rows name no interval (${cfg.input!.timeColumn} NULL or before start), NOT processed`
    : '';
  const read =
    bound && arrivals
      ? `; ${arrivals.read} input rows read (loaded since ${new Date(bound.loadedAfter).toISOString()} or of intervals from ${new Date(bound.from).toISOString()})`
      : '';
  return `${work.length} interval${work.length === 1 ? '' : 's'}${span}${notes.length ? ` (${notes.join(', ')})` : ''} (${rows} rows)${uncovered}${read}`;
}

/** The input's relation, rendered like `{{ref}}` in the model (the runner checked it is upstream). */
function inputRelation(
  ctx: Pick<MaterializeContext, 'compiler'>,
  node: CompiledNode & ModelNode,
  cfg: IntervalConfig,
): string {
  return ctx.compiler.renderText(`{{ref ${JSON.stringify(cfg.input!.ref)}}}`, `${node.path}#interval_input`, node);
}
