import type { Dialect, MacroSet } from './adapter.js';
import { utcTimestamp } from './timestamp.js';

const utc = (macros: MacroSet, expr: string) => `cast(${macros.to_zone!(expr, 'UTC')} as varchar)`;

/** The engine's clock as UTC text (column `t`): rows loaded after it are seen by a later read. */
export function clockQuery(macros: MacroSet): string {
  return `select ${utc(macros, macros.now!())} as t`;
}

/**
 * An interval model's input, grouped by its time column (`t`, as text): the newest load time of
 * each group (`l`, UTC text) and its rows (`n`). With a `bound`, only the rows loaded after
 * `loadedAfter` and those whose time is from `from` on, in two scans each of which the engine
 * prunes on its own column.
 */
export function arrivalsQuery(
  dialect: Dialect,
  macros: MacroSet,
  relation: string,
  columns: { time: string; loadedAt: string },
  bound?: { loadedAfter: number; from: number },
): string {
  const t = dialect.quote(columns.time);
  const l = dialect.quote(columns.loadedAt);
  let rowsRead = `${relation} as i`;
  if (bound) {
    const after = `cast('${new Date(bound.loadedAfter).toISOString().replace('T', ' ').replace('Z', '+00:00')}' as timestamp with time zone)`;
    const from = utcTimestamp(macros, bound.from);
    rowsRead = `(select ${t}, ${l} from ${relation} where ${l} > ${after} union all select ${t}, ${l} from ${relation} where ${t} >= ${from} and (${l} <= ${after} or ${l} is null)) as i`;
  }
  return `select cast(i.${t} as varchar) as t, ${utc(macros, `max(i.${l})`)} as l, count(*) as n from ${rowsRead} group by i.${t}`;
}
