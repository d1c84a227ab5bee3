import { ConfigError } from '../errors.js';
import type { NodeConfig } from '../project/types.js';

/** One processing interval [start, end) in epoch milliseconds. */
export interface Interval {
  start: number;
  end: number;
}

const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000 };

export function intervalMs(spec: string): number {
  const m = /^(\d+)(m|h|d)$/.exec(spec);
  if (!m || Number(m[1]) < 1) throw new ConfigError(`interval must look like 15m, 1h or 1d, got "${spec}"`);
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
export function intervalConfig(config: NodeConfig, model: string): IntervalConfig | undefined {
  if (!config.interval) return undefined;
  if (config.materialized !== 'incremental')
    throw new ConfigError(
      `model "${model}" has interval: ${config.interval} but is ${config.materialized}; interval models are incremental`,
    );
  if (!config.start)
    throw new ConfigError(
      `model "${model}" has interval: ${config.interval} but no start (e.g. start: "2025-06-01T00:00:00+09:00")`,
    );
  const start = Date.parse(config.start);
  if (Number.isNaN(start))
    throw new ConfigError(`model "${model}": start "${config.start}" is not an ISO-8601 timestamp`);
  if (!config.unique_key?.length && !config.time_column) {
    throw new ConfigError(
      `model "${model}": an interval model needs time_column (rows of an interval are replaced) or unique_key (rows are merged)`,
    );
  }
  // Its keys are required by the config schema (file:line errors), so it is complete here.
  const input = config.interval_input;
  return {
    step: intervalMs(config.interval),
    start,
    lookback: config.lookback ?? 0,
    batchSize: config.batch_size ?? 1,
    ...(config.time_column ? { timeColumn: config.time_column } : {}),
    ...(input ? { input: { ref: input.ref, timeColumn: input.time_column, loadedAt: input.loaded_at } } : {}),
  };
}

/** Every complete interval from `start` (aligned) up to `now`: [s, s+step) with s+step <= now. */
export function completeIntervals(start: number, step: number, now: number): Interval[] {
  const out: Interval[] = [];
  for (let s = start; s + step <= now; s += step) out.push({ start: s, end: s + step });
  return out;
}

/**
 * What a run processes: missing intervals, plus the `lookback` intervals before the first missing
 * one (late data lands in intervals already done), plus done intervals known to be `stale` (their
 * input received rows after they were processed), oldest first. A restatement range processes its
 * intervals whatever the state says.
 */
export function toProcess(
  all: Interval[],
  done: ReadonlySet<number> | ReadonlyMap<number, unknown>,
  lookback: number,
  restate?: { start: number; end: number },
  stale: ReadonlySet<number> = new Set(),
): Interval[] {
  if (restate) return all.filter((i) => i.start >= restate.start && i.end <= restate.end);
  const firstMissing = all.findIndex((i) => !done.has(i.start));
  const from = firstMissing < 0 ? all.length : Math.max(0, firstMissing - lookback);
  return all.filter((i, k) => stale.has(i.start) || (k >= from && (k < firstMissing || !done.has(i.start))));
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

/** "2025-09-01 00:00 → 2025-09-01 06:00 (24)" lines for `framework intervals`. */
export function ranges(intervals: Interval[]): { start: number; end: number; count: number }[] {
  const out: { start: number; end: number; count: number }[] = [];
  for (const i of intervals) {
    const last = out[out.length - 1];
    if (last && last.end === i.start) {
      last.end = i.end;
      last.count++;
    } else out.push({ start: i.start, end: i.end, count: 1 });
  }
  return out;
}
