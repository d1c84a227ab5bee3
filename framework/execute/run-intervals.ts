import { materialize, type MaterializeContext, type MaterializeResult } from '../materialize/index.js';
import type { ModelNode } from '../project/types.js';
import type { CompiledNode } from '../template/manifest.js';
import { readArrivals, type Arrivals } from './interval-input.js';
import type { DoneIntervals, IntervalState } from './interval-state.js';
import { batches, completeIntervals, intervalConfig, toProcess, type Interval, type IntervalConfig } from './intervals.js';

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
  /** The table is absent or being rebuilt: its state is void. */
  rebuild: boolean;
}

export async function planIntervals(ctx: Pick<MaterializeContext, 'adapter' | 'compiler' | 'fullRefresh'>, node: CompiledNode & ModelNode, state: IntervalState, request: Omit<IntervalRequest, 'invocationId'>): Promise<IntervalPlan> {
  const cfg = intervalConfig(node.config, node.name)!;
  const rebuild = (ctx.fullRefresh && node.config.full_refresh !== false) || (await ctx.adapter.introspector.relationType(node.relation)) !== 'table';
  const arrivals = cfg.input ? await readArrivals(ctx.adapter, inputRelation(ctx, node, cfg), cfg.input, cfg) : undefined;
  // With an input, its newest interval bounds completeness (a data watermark): a replay of old
  // data, or a stream running behind, is processed as far as it has arrived, no further.
  const watermark = arrivals ? Math.max(cfg.start, ...[...arrivals.newest.keys()].map((s) => s + cfg.step)) : Infinity;
  const all = completeIntervals(cfg.start, cfg.step, Math.min(request.now, watermark));
  const done: DoneIntervals = rebuild ? new Map() : await state.done(node.relation, cfg.step);
  const stale = new Set<number>();
  for (const [start, seen] of done) {
    const newest = arrivals?.newest.get(start);
    if (newest !== undefined && seen !== undefined && newest > seen) stale.add(start);
  }
  const work = toProcess(all, done, cfg.lookback, request.restate, stale);
  return { cfg, all, done, stale, work, rebuild, ...(arrivals ? { arrivals } : {}) };
}

/**
 * An interval model's share of a run: the complete intervals that are missing (plus lookback, plus
 * stale ones), oldest first, `batch_size` per statement; each batch recorded as done once its data
 * committed. Intervals whose input is empty cost no statement.
 */
export async function runIntervals(ctx: MaterializeContext, node: CompiledNode & ModelNode, state: IntervalState, request: IntervalRequest): Promise<MaterializeResult> {
  const plan = await planIntervals(ctx, node, state, request);
  const { cfg, done, work, arrivals } = plan;
  if (plan.rebuild) await state.clear(node.relation);
  let rows = 0;
  let created = !plan.rebuild;
  const queryIds: string[] = [];
  // With an input, intervals without rows cost no statement (a restatement rewrites its whole range).
  const { batches: list, empty } = batches(work, cfg.batchSize, arrivals && !request.restate ? (s) => arrivals.newest.has(s) : undefined);
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
  return { rowsAffected: rows, message: describe(plan, rows, recordOnly.length), queryIds, ...(arrivals?.uncovered ? { warning: true } : {}) };
}

function describe(plan: IntervalPlan, rows: number, empty: number): string {
  const { work, stale, arrivals, cfg } = plan;
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
  return `${work.length} interval${work.length === 1 ? '' : 's'}${span}${notes.length ? ` (${notes.join(', ')})` : ''} (${rows} rows)${uncovered}`;
}

/** The input's relation, rendered like `{{ref}}` in the model (the runner checked it is upstream). */
function inputRelation(ctx: Pick<MaterializeContext, 'compiler'>, node: CompiledNode & ModelNode, cfg: IntervalConfig): string {
  return ctx.compiler.renderText(`{{ref ${JSON.stringify(cfg.input!.ref)}}}`, `${node.path}#interval_input`, node);
}
