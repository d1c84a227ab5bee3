import type { Adapter } from '../adapters/adapter.js';
import { utcMs } from '../adapters/timestamp.js';
import type { IntervalInput } from './intervals.js';

/** What an interval model's input holds: per interval, when its newest row arrived. */
export interface Arrivals {
  /** Interval start (aligned to the model's grid) → newest loaded_at of its rows, epoch ms. */
  newest: Map<number, number>;
  /** Rows naming no interval of the model (time_column NULL or before `start`): never processed. */
  uncovered: number;
  /** The engine's clock when the input was read: rows loaded after it are seen by a later run. */
  readAt: number;
}

/**
 * One grouped scan of the input (two columns): cheap next to the model's own statements, and it
 * tells which intervals have data at all, so empty ones cost no statement.
 */
export async function readArrivals(adapter: Adapter, relation: string, input: IntervalInput, grid: { start: number; step: number }): Promise<Arrivals> {
  const { macros, dialect } = adapter;
  const utc = (expr: string) => `cast(${macros.to_zone!(expr, 'UTC')} as varchar)`;
  const clock = await adapter.query(`select ${utc(macros.now!())} as t`);
  const t = dialect.quote(input.timeColumn);
  const { rows } = await adapter.query(
    `select cast(i.${t} as varchar) as t, ${utc(`max(i.${dialect.quote(input.loadedAt)})`)} as l, count(*) as n from ${relation} as i group by i.${t}`,
  );
  const newest = new Map<number, number>();
  let uncovered = 0;
  for (const r of rows) {
    const at = r.t === null || r.t === undefined ? NaN : utcMs(r.t);
    if (!(at >= grid.start)) {
      uncovered += Number(r.n);
      continue;
    }
    const start = grid.start + Math.floor((at - grid.start) / grid.step) * grid.step;
    newest.set(start, Math.max(newest.get(start) ?? -Infinity, utcMs(r.l)));
  }
  return { newest, uncovered, readAt: utcMs(clock.rows[0]!.t) };
}
