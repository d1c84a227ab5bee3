import type { MacroSet } from './adapter.js';

/**
 * An instant as the engine's TIMESTAMP literal in UTC ('YYYY-MM-DD HH:MM:SS'): interval bounds and
 * the framework's state rows are instants, compared with UTC timestamp columns on every engine.
 */
export function utcTimestamp(macros: MacroSet, instant: Date | number, precision: 's' | 'ms' = 's'): string {
  const text = new Date(instant).toISOString().replace('T', ' ').replace('Z', '');
  return macros.ts_literal!(precision === 'ms' ? text : text.replace(/\.\d+$/, ''));
}

/**
 * An instant as a TIMESTAMP WITH TIME ZONE constant, to the millisecond: compared with a column
 * stamped by the engine (written_at), it is a constant the engine prunes files by. Trino keeps
 * try(from_iso8601_timestamp(…)) as an expression and read every file (2,040,000 rows of the fact
 * at 2M events, for the 10,000 a window wrote).
 */
export function utcInstant(macros: MacroSet, instant: Date | number): string {
  return macros.tstz_literal!(new Date(instant).toISOString().replace('T', ' ').replace('Z', ''));
}

/** The inverse: a naive UTC timestamp as the engine prints it ('2025-09-01 00:15:00[.fff]') → epoch ms. */
export function utcMs(text: unknown): number {
  return Date.parse(`${String(text).replace(' ', 'T')}Z`);
}
