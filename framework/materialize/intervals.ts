import { ConfigError, type SourcePosition } from '../errors.js';
import type { NodeConfig } from '../project/types.js';
import type { DoneIntervals } from '../state/done-intervals.js';

/** One processing interval [start, end) in epoch milliseconds. */
export interface Interval {
  start: number;
  end: number;
}

const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000 };

export function intervalMs(spec: string, where?: SourcePosition): number {
  const m = /^(\d+)(m|h|d)$/.exec(spec);
  if (!m || Number(m[1]) < 1) throw new ConfigError(`interval must look like 15m, 1h or 1d, got "${spec}"`, where);
  return Number(m[1]) * UNIT_MS[m[2] as 'm' | 'h' | 'd'];
}

/** An upstream whose rows drive an interval model: which interval each row feeds, and when it arrived. */
export interface IntervalInput {
  ref: string;
  timeColumn: string;
  loadedAt: string;
}

export interface IntervalConfig {
  step: number;
  start: number;
  lookback: number;
  batchSize: number;
  timeColumn?: string;
  input?: IntervalInput;
}

/** The interval settings of a model, validated; undefined for models without `interval`. */
export function intervalConfig(config: NodeConfig, model: string, where?: SourcePosition): IntervalConfig | undefined {
  if (!config.interval) return undefined;
  if (config.materialized !== 'incremental')
    throw new ConfigError(
      `model "${model}" has interval: ${config.interval} but is ${config.materialized}; interval models are incremental`,
      where,
    );
  if (!config.start)
    throw new ConfigError(
      `model "${model}" has interval: ${config.interval} but no start (e.g. start: "2025-06-01T00:00:00+09:00")`,
      where,
    );
  const start = Date.parse(config.start);
  if (Number.isNaN(start))
    throw new ConfigError(`model "${model}": start "${config.start}" is not an ISO-8601 timestamp`, where);
  if (!config.unique_key?.length && !config.time_column) {
    throw new ConfigError(
      `model "${model}": an interval model needs time_column (rows of an interval are replaced) or unique_key (rows are merged)`,
      where,
    );
  }
  // Its keys are required by the config schema (file:line errors), so it is complete here.
  const input = config.interval_input;
  return {
    step: intervalMs(config.interval, where),
    start,
    lookback: config.lookback ?? 0,
    batchSize: config.batch_size ?? 1,
    ...(config.time_column ? { timeColumn: config.time_column } : {}),
    ...(input ? { input: { ref: input.ref, timeColumn: input.time_column, loadedAt: input.loaded_at } } : {}),
  };
}

/** Where complete intervals of the grid from `start` by `step` end, up to `now`: `start` when none is. */
export function completeUntil(start: number, step: number, now: number): number {
  return now < start + step ? start : start + Math.floor((now - start) / step) * step;
}

/**
 * What a run processes: missing intervals, plus the `lookback` intervals before the first missing
 * one (late data lands in intervals already done), plus done intervals known to be `stale` (their
 * input received rows after they were processed), oldest first, among the complete intervals of
 * the grid (ending by `end`). A restatement range processes its intervals whatever the state says.
 * Its cost follows the work, not the age of the grid: done ranges are skipped whole.
 */
export function toProcess(
  done: DoneIntervals,
  grid: Pick<IntervalConfig, 'start' | 'step' | 'lookback'>,
  end: number,
  restate?: { start: number; end: number },
  stale: ReadonlySet<number> = new Set(),
): Interval[] {
  const { start, step, lookback } = grid;
  const interval = (s: number): Interval => ({ start: s, end: s + step });
  if (restate) {
    const out: Interval[] = [];
    const first = start + Math.max(0, Math.ceil((restate.start - start) / step)) * step;
    for (let s = first; s + step <= Math.min(end, restate.end); s += step) out.push(interval(s));
    return out;
  }
  const work = new Map<number, Interval>();
  const firstMissing = done.firstMissing(start, step);
  if (firstMissing + step <= end) {
    for (let s = Math.max(start, firstMissing - lookback * step); s < firstMissing; s += step) work.set(s, interval(s));
    for (const i of done.missing(firstMissing, end, step)) work.set(i.start, i);
  }
  for (const s of stale) if (s >= start && s + step <= end && (s - start) % step === 0) work.set(s, interval(s));
  return [...work.values()].sort((p, q) => p.start - q.start);
}

/**
 * The statements of a run: contiguous runs of at most `size` intervals. With `hasInput` (a model
 * whose input says which intervals have rows) a run starts and ends with an interval with input;
 * empty ones in between ride along at no cost, the others need no statement (`empty`).
 */
export function batches(
  work: Interval[],
  size: number,
  hasInput: (start: number) => boolean = () => true,
): { batches: Interval[][]; empty: Interval[] } {
  const out: Interval[][] = [];
  const empty: Interval[] = [];
  let current: Interval[] = [];
  const close = () => {
    while (current.length && !hasInput(current[current.length - 1]!.start)) empty.push(current.pop()!);
    if (current.length) out.push(current);
    current = [];
  };
  for (const i of work) {
    const last = current[current.length - 1];
    if (!(last && last.end === i.start && current.length < size)) close();
    if (current.length || hasInput(i.start)) current.push(i);
    else empty.push(i);
  }
  close();
  return { batches: out, empty: empty.sort((a, b) => a.start - b.start) };
}
