import { materialize, type MaterializeContext, type MaterializeResult } from '../materialize/index.js';
import type { ModelNode } from '../project/types.js';
import type { CompiledNode } from '../template/manifest.js';
import type { IntervalState } from './interval-state.js';
import { batches, completeIntervals, intervalConfig, toProcess } from './intervals.js';

export interface IntervalRequest {
  /** Intervals ending after this are not complete yet (default: now). */
  now: number;
  /** --start/--end: restate this range whatever the state says. */
  restate?: { start: number; end: number };
  invocationId: string;
}

/**
 * An interval model's share of a run: the complete intervals that are missing (plus lookback),
 * oldest first, `batch_size` per statement; each batch recorded as done once its data committed.
 */
export async function runIntervals(ctx: MaterializeContext, node: CompiledNode & ModelNode, state: IntervalState, request: IntervalRequest): Promise<MaterializeResult> {
  const cfg = intervalConfig(node.config, node.name)!;
  const all = completeIntervals(cfg.start, cfg.step, request.now);
  const done = ctx.fullRefresh ? new Set<number>() : await state.done(node.relation);
  const work = toProcess(all, done, cfg.lookback, request.restate);
  let rows = 0;
  const queryIds: string[] = [];
  for (const [index, batch] of batches(work, cfg.batchSize).entries()) {
    const runtime = { intervalStart: new Date(batch[0]!.start), intervalEnd: new Date(batch[batch.length - 1]!.end) };
    // Only the first batch of a full refresh rebuilds the table; later batches add to it.
    const result = await materialize({ ...ctx, fullRefresh: ctx.fullRefresh && index === 0 }, node, runtime);
    await state.record(node.relation, node.uniqueId, batch, request.invocationId);
    rows += result.rowsAffected ?? 0;
    queryIds.push(...result.queryIds);
  }
  const first = work[0];
  const last = work[work.length - 1];
  const span = first && last ? ` ${new Date(first.start).toISOString()} → ${new Date(last.end).toISOString()}` : '';
  return { rowsAffected: rows, message: `${work.length} interval${work.length === 1 ? '' : 's'}${span} (${rows} rows)`, queryIds };
}
