import { allAnswered } from '../all-answered.js';
import { ConfigError } from '../errors.js';
import type { ModelNode } from '../project/types.js';
import { DoneIntervals } from '../state/done-intervals.js';
import type { IntervalRange, IntervalStore } from '../state/state-store.js';
import type { CompiledNode } from '../template/manifest.js';
import type { BuildContext, MaterializeContext, MaterializeResult } from './context.js';
import { incremental } from './incremental.js';
import { READ_SKEW_MS, readArrivals, readClock, type ArrivalBound, type Arrivals } from './interval-input.js';
import { batches, completeUntil, intervalConfig, toProcess, type Interval, type IntervalConfig } from './intervals.js';
import { build, configAt, type Strategy } from './strategy.js';

type Model = CompiledNode & ModelNode;

/** What planning an interval model's run depends on: its state, and what its input holds. */
export interface IntervalInputs {
  cfg: IntervalConfig;
  /** Intervals ending after this are not complete yet. */
  now: number;
  /** --start/--end: restate this range whatever the state says. */
  restate?: { start: number; end: number };
  /** The table is absent or being rebuilt: its state is void. */
  rebuild: boolean;
  done: DoneIntervals;
  arrivals?: Arrivals;
  /** The input rows read, when not all of them (after a complete read). */
  bound?: ArrivalBound;
}

/** What a run of one interval model would do, and why: shared by `run` and `framework intervals`. */
export interface IntervalPlan extends IntervalInputs {
  /** Complete intervals end by here: by `now`, and by the newest interval the input has rows for. */
  end: number;
  /** Every interval before this is done and this run touches none of them. */
  settledUntil: number;
  /** Done intervals whose input received rows after they were processed. */
  stale: Set<number>;
  work: Interval[];
  /** One statement each, oldest first. */
  batches: Interval[][];
  /** Intervals to process whose input is empty: recorded done without a statement. */
  empty: Interval[];
}

/** --empty: one build over an empty range (an existing table loses no rows), no state recorded. */
type EmptyRun = { emptyAt: number };

export async function readIntervals(
  ctx: Pick<MaterializeContext, 'adapter' | 'compiler' | 'fullRefresh'>,
  node: Model,
  store: IntervalStore,
  now: number,
  restate?: { start: number; end: number },
): Promise<IntervalInputs> {
  const cfg = intervalConfig(node.config, node.name, configAt(node))!;
  const fullRefresh = ctx.fullRefresh && node.config.full_refresh !== false;
  // Three independent reads at once; the state is read before knowing whether the table exists,
  // and ignored if it does not.
  const none = Promise.resolve(undefined);
  const [existing, stored, readAt] = await allAnswered([
    fullRefresh ? none : ctx.adapter.introspector.relationType(node.relation),
    fullRefresh ? none : store.read(node.relation),
    cfg.input ? readClock(ctx.adapter) : none,
  ]);
  const rebuild = fullRefresh || existing !== 'table';
  const state = rebuild ? undefined : stored;
  const done = state?.done ?? DoneIntervals.none();
  const readUntil = cfg.input ? state?.inputReadUntil : undefined;
  const bound = readUntil === undefined ? undefined : arrivalBound(cfg, done, readUntil);
  const input =
    cfg.input &&
    ctx.compiler.renderText(`{{ref ${JSON.stringify(cfg.input.ref)}}}`, `${node.path}#interval_input`, node);
  const arrivals = cfg.input
    ? await readArrivals(ctx.adapter, input!, cfg.input, cfg, readAt!, bound, configAt(node))
    : undefined;
  return {
    cfg,
    now,
    rebuild,
    done,
    ...(restate ? { restate } : {}),
    ...(arrivals ? { arrivals } : {}),
    ...(bound ? { bound } : {}),
  };
}

export function planIntervals(state: IntervalInputs): IntervalPlan {
  const { cfg, done, arrivals, bound, restate } = state;
  // With an input, its newest interval bounds completeness (a data watermark): a replay of old
  // data, or a stream running behind, is processed as far as it has arrived, no further. A bounded
  // read sees only the newest rows: the done intervals had input up to their end.
  let watermark = arrivals ? cfg.start : Infinity;
  for (const s of arrivals?.newest.keys() ?? []) watermark = Math.max(watermark, s + cfg.step);
  if (bound) watermark = Math.max(watermark, done.end() ?? -Infinity);
  const end = completeUntil(cfg.start, cfg.step, Math.min(state.now, watermark));
  // Only intervals the input has new rows for can be stale: the cost follows the input read.
  const stale = new Set<number>();
  for (const [start, newest] of arrivals?.newest ?? []) {
    const seen = done.seen(start);
    if (seen !== undefined && newest > seen) stale.add(start);
  }
  const work = toProcess(done, cfg, end, restate, stale);
  // With an input, intervals without rows cost no statement (a restatement rewrites its whole range).
  const split = batches(work, cfg.batchSize, arrivals && !restate ? (s) => arrivals.newest.has(s) : undefined);
  const firstMissing = done.firstMissing(cfg.start, cfg.step);
  const settledUntil = Math.min(firstMissing, work[0]?.start ?? firstMissing);
  return { ...state, end, settledUntil, stale, work, batches: split.batches, empty: split.empty };
}

/**
 * The input rows a run must read, after a complete read at `readUntil`: rows loaded since it (less
 * the skew), and every row of the intervals from the first one not done (less the model's
 * lookback) — an interval incomplete at that read had rows then that it has not processed.
 */
function arrivalBound(cfg: IntervalConfig, done: DoneIntervals, readUntil: number): ArrivalBound {
  const firstMissing = done.firstMissing(cfg.start, cfg.step);
  return { loadedAfter: readUntil - READ_SKEW_MS, from: Math.max(cfg.start, firstMissing - cfg.lookback * cfg.step) };
}

/**
 * Interval models: the complete intervals that are missing (plus lookback, plus stale ones),
 * oldest first, `batch_size` per statement; each batch recorded as done once its data committed.
 * Intervals whose input is empty cost no statement.
 */
export const interval: Strategy<Model, IntervalInputs | EmptyRun, IntervalPlan | EmptyRun> = {
  name: 'interval',
  hooks: false,
  writesTable: true,
  validate(node, scope) {
    const cfg = intervalConfig(node.config, node.name, configAt(node))!;
    if (!cfg.input) return;
    // interval_input must name a model upstream of the interval model, so it is built first.
    const id = scope.byName.get(cfg.input.ref);
    if (!id?.startsWith('model.') || !scope.upstream(node.uniqueId).has(id)) {
      throw new ConfigError(
        `model "${node.name}": interval_input.ref "${cfg.input.ref}" is not a model upstream of it`,
        configAt(node),
        'name a model it refs (directly or through ephemeral models)',
      );
    }
  },
  async read(ctx, node) {
    if (ctx.empty) return { emptyAt: intervalConfig(node.config, node.name)!.start };
    const { now, restateFrom } = ctx.run;
    return readIntervals(
      ctx,
      node,
      ctx.run.state.intervals,
      now,
      restateFrom === undefined ? undefined : { start: restateFrom, end: now },
    );
  },
  plan: (_node, state) => ('emptyAt' in state ? state : planIntervals(state)),
  apply: (ctx, node, plan) =>
    'emptyAt' in plan
      ? build(incremental, ctx, node, { intervalStart: new Date(plan.emptyAt), intervalEnd: new Date(plan.emptyAt) })
      : runIntervals(ctx, node, plan),
};

async function runIntervals(ctx: BuildContext, node: Model, plan: IntervalPlan): Promise<MaterializeResult> {
  const { cfg, done, arrivals } = plan;
  const store = ctx.run.state.intervals;
  const { invocationId } = ctx.run;
  if (plan.rebuild) await store.clear(node.relation);
  let rows = 0;
  let created = !plan.rebuild;
  const queryIds: string[] = [];
  // Each batch is recorded once its data committed; the last one with the rest, in one statement.
  let unrecorded: IntervalRange[] = [];
  const pending = [...plan.batches];
  let splits = 0;
  for (let batch = pending.shift(); batch; batch = pending.shift()) {
    const redo = batch.filter((i) => done.has(i.start));
    if (redo.length) await store.forget(node.relation, redo);
    const runtime = { intervalStart: new Date(batch[0]!.start), intervalEnd: new Date(batch[batch.length - 1]!.end) };
    let result;
    try {
      // Only the first statement of a rebuild replaces the table; later batches add to it.
      result = await build(incremental, { ...ctx, fullRefresh: ctx.fullRefresh && !created }, node, runtime);
    } catch (error) {
      // A batch over the engine's memory for one query (a first build or a long catch-up) is run
      // again as two halves, oldest first: replacing a range is repeatable, and the failed
      // statement wrote nothing its halves do not replace.
      if (batch.length < 2 || !ctx.adapter.isOutOfMemory(error)) throw error;
      const half = Math.ceil(batch.length / 2);
      pending.unshift(batch.slice(0, half), batch.slice(half));
      splits++;
      ctx.record(
        `-- ${batch.length} intervals ran out of memory, split in two: ${(error as Error).message.split('\n')[0]}`,
      );
      continue;
    }
    created = true;
    if (pending.length) await store.record(node.relation, node.uniqueId, batch, invocationId, arrivals?.readAt);
    else unrecorded = batch;
    rows += result.rowsAffected ?? 0;
    queryIds.push(...result.queryIds);
  }
  if (!created) {
    // Nothing complete yet: create the table empty (an empty range) so downstream models can read it.
    const at = new Date(cfg.start);
    queryIds.push(...(await build(incremental, ctx, node, { intervalStart: at, intervalEnd: at })).queryIds);
  }
  const recordOnly = plan.empty.filter((i) => !done.has(i.start));
  // With them, that everything the input asked for is processed (a restatement does only its range).
  const inputRead = arrivals && !plan.restate ? { gridStart: cfg.start, readAt: arrivals.readAt } : undefined;
  const last = [...unrecorded, ...recordOnly].sort((p, q) => p.start - q.start);
  // The rows before what this run touched fold into one. With an input, only after a complete
  // read: rows looked at a skew before it (the next run reads only input loaded after that).
  const settled = cfg.input
    ? inputRead && { from: cfg.start, before: plan.settledUntil, seenBy: inputRead.readAt - READ_SKEW_MS }
    : { from: cfg.start, before: plan.settledUntil };
  await store.record(node.relation, node.uniqueId, last, invocationId, arrivals?.readAt, inputRead, settled);
  return {
    rowsAffected: rows,
    message: describe(plan, rows, recordOnly.length, splits),
    queryIds,
    ...(arrivals?.uncovered ? { warning: true } : {}),
  };
}

function describe(plan: IntervalPlan, rows: number, empty: number, splits: number): string {
  const { work, stale, arrivals, cfg, bound } = plan;
  const first = work[0];
  const last = work[work.length - 1];
  const span = first && last ? ` ${new Date(first.start).toISOString()} → ${new Date(last.end).toISOString()}` : '';
  const notes = [
    ...(stale.size ? [`${[...stale].filter((s) => work.some((i) => i.start === s)).length} with late input`] : []),
    ...(empty ? [`${empty} without input`] : []),
    ...(splits ? [`${splits} batch${splits === 1 ? '' : 'es'} split on memory`] : []),
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
