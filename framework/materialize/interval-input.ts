import type { Adapter } from '../adapters/adapter.js';
import { arrivalsQuery, clockQuery } from '../adapters/arrivals-query.js';
import { utcMs } from '../adapters/timestamp.js';
import { ConfigError, type SourcePosition } from '../errors.js';
import type { IntervalInput } from './intervals.js';

/** What an interval model's input holds: per interval, when its newest row arrived. */
export interface Arrivals {
  /** Interval start (aligned to the model's grid) → newest loaded_at of its rows, epoch ms. */
  newest: Map<number, number>;
  /** Rows naming no interval of the model (time_column NULL or before `start`), of the rows read: never processed. */
  uncovered: number;
  /** Input rows read (all of them, or those a bounded read must see). */
  read: number;
  /** The engine's clock when the input was read: rows loaded after it are seen by a later run. */
  readAt: number;
}

/**
 * Which input rows a run reads: those loaded after `loadedAfter` (the last complete read less
 * READ_SKEW_MS) and those of intervals from `from` on (not done yet, or in the model's lookback).
 */
export interface ArrivalBound {
  loadedAfter: number;
  from: number;
}

/**
 * How long before a complete read a row may have been stamped and still not been visible to it:
 * a writer's now() is its statement's start, its rows show at its commit. Writers of the input
 * in the same run finish before the model reads (the DAG), and runs of a target take turns (the
 * run lock), so this covers writers outside the framework and clock steps.
 */
export const READ_SKEW_MS = 15 * 60_000;

/** The engine's clock, epoch ms: read before the input's scan, so rows it misses are loaded after it. */
export async function readClock(adapter: Adapter): Promise<number> {
  return utcMs((await adapter.query(clockQuery(adapter.macros))).rows[0]!.t);
}

/**
 * One grouped scan of the input (two columns): cheap next to the model's own statements, and it
 * tells which intervals have data at all, so empty ones cost no statement. With a `bound`, only
 * the rows a run must see, in two scans each of which the engine prunes on its own column
 * (row-group or file min/max): on DuckDB bronze is appended in load order, on Iceberg each data
 * file has the bounds of its rows.
 */
export async function readArrivals(
  adapter: Adapter,
  relation: string,
  input: IntervalInput,
  grid: { start: number; step: number },
  readAt: number,
  bound?: ArrivalBound,
  where?: SourcePosition,
): Promise<Arrivals> {
  const { rows } = await adapter.query(
    arrivalsQuery(
      adapter.dialect,
      adapter.macros,
      relation,
      { time: input.timeColumn, loadedAt: input.loadedAt },
      bound,
    ),
  );
  const newest = new Map<number, number>();
  let uncovered = 0;
  let read = 0;
  for (const r of rows) {
    read += Number(r.n);
    const at = r.t === null || r.t === undefined ? NaN : utcMs(r.t);
    // A zoned or other type would name no interval on every row, forever: say so instead.
    if (Number.isNaN(at) && r.t !== null && r.t !== undefined)
      throw new ConfigError(
        `interval_input.time_column "${input.timeColumn}" of ${relation} holds '${String(r.t)}', not a UTC timestamp without time zone: the model's intervals are read from it as such`,
        where,
        `cast it in ${input.ref}, e.g. to the UTC instant as a timestamp without time zone`,
      );
    if (!(at >= grid.start)) {
      uncovered += Number(r.n);
      continue;
    }
    const start = grid.start + Math.floor((at - grid.start) / grid.step) * grid.step;
    newest.set(start, Math.max(newest.get(start) ?? -Infinity, utcMs(r.l)));
  }
  return { newest, uncovered, read, readAt };
}
