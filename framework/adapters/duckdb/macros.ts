import type { MacroSet } from '../adapter.js';
import { translateStrftime } from '../strftime.js';

/** DuckDB spellings of the cross-database macros (the Trino folder has the same names). */
export const duckdbMacros: MacroSet = {
  json_str: (expr, path) => `json_extract_string(${expr}, '${jsonPath(path)}')`,
  json_raw: (expr, path) => `CAST(json_extract(${expr}, '${jsonPath(path)}') AS VARCHAR)`,
  json_valid: (expr) => `coalesce(json_valid(${expr}), false)`,
  json_is_object: (expr) => `coalesce(json_valid(${expr}) AND json_type(${expr}) = 'OBJECT', false)`,
  parse_ts: (expr) => `TRY_CAST(${expr} AS TIMESTAMPTZ)`,
  to_zone: (tstz, zone) => `timezone('${zone}', ${tstz})`,
  format_ts: (expr, format) => `strftime(${expr}, '${translateStrftime(format, 'strftime')}')`,
  day_name: (expr) => `strftime(${expr}, '%a')`,
  hash_key: (...exprs) => `CAST(('0x' || substr(md5(${keyText(exprs)}), 1, 15)) AS BIGINT)`,
  safe_cast: (expr, type) => `TRY_CAST(${expr} AS ${type})`,
  seconds_between: (a, b) => `date_diff('second', ${a}, ${b})`,
  add_seconds: (expr, n) => `(${expr} + to_seconds(${n}))`,
  now: () => `current_timestamp`,
  ts_literal: (text) => `TIMESTAMP '${text}'`,
};

/** Text both engines hash identically: NULL-safe, '|' between parts. */
export function keyText(exprs: string[]): string {
  return exprs.map((e) => `coalesce(CAST(${e} AS VARCHAR), '')`).join(` || '|' || `);
}

function jsonPath(path: string): string {
  return path.replace(/'/g, "''");
}
