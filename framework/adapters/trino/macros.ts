import type { MacroSet } from '../adapter.js';
import { keyText } from '../key-text.js';
import { translateStrftime } from '../strftime.js';

/** Trino spellings of the cross-database macros; each name matches duckdb/macros.ts. */
export const trinoMacros: MacroSet = {
  json_str: (expr, path) => `json_extract_scalar(${expr}, '${path.replace(/'/g, "''")}')`,
  json_raw: (expr, path) => `json_format(json_extract(${expr}, '${path.replace(/'/g, "''")}'))`,
  json_strs: (expr, ...paths) => `ARRAY[${paths.map((p) => trinoMacros.json_str!(expr, p)).join(', ')}]`,
  json_valid: (expr) => `coalesce(try(json_parse(${expr})) IS NOT NULL, false)`,
  json_is_object: (expr) =>
    `coalesce(try(json_parse(${expr}) IS NOT NULL AND json_format(json_parse(${expr})) LIKE '{%'), false)`,
  parse_ts: (expr) => `try(from_iso8601_timestamp(${expr}))`,
  to_zone: (tstz, zone) => `CAST(at_timezone(${tstz}, '${zone}') AS timestamp(3))`,
  format_ts: (expr, format) => `date_format(${expr}, '${translateStrftime(format, 'mysql')}')`,
  day_name: (expr) => `date_format(${expr}, '%a')`,
  // The same 60 bits of md5 as DuckDB, so surrogate keys agree across engines.
  hash_key: (...exprs) => `from_base(substr(to_hex(md5(to_utf8(${keyText(exprs)}))), 1, 15), 16)`,
  md5_hex: (...exprs) => `lower(to_hex(md5(to_utf8(${keyText(exprs)}))))`,
  safe_cast: (expr, type) => `TRY_CAST(${expr} AS ${type})`,
  seconds_between: (a, b) => `date_diff('second', ${a}, ${b})`,
  ms_between: (a, b) => `date_diff('millisecond', ${a}, ${b})`,
  add_seconds: (expr, n) => `date_add('second', ${n}, ${expr})`,
  now: () => `current_timestamp`,
  path_time: (path, zone) => {
    const part = (key: string, fallback: string) =>
      `coalesce(nullif(regexp_extract(${path}, '(^|/)${key}=([0-9]+)', 2), ''), ${fallback})`;
    const wall = `try(date_parse(concat(${part('year', 'NULL')}, '-', ${part('month', 'NULL')}, '-', ${part('day', 'NULL')}, ' ', ${part('hour', "'00'")}, ':', ${part('minute', "'00'")}), '%Y-%m-%d %H:%i'))`;
    return `CAST(at_timezone(with_timezone(${wall}, '${zone}'), 'UTC') AS timestamp(3))`;
  },
  ts_literal: (text) => `TIMESTAMP '${text}'`,
  tstz_literal: (text) => `TIMESTAMP '${text} UTC'`,
  day_of_week_num: (expr) => `CAST(day_of_week(${expr}) AS INTEGER)`,
  regex_match: (expr, pattern) => `coalesce(regexp_like(${expr}, '${pattern.replace(/'/g, "''")}'), false)`,
  // sequence() returns at most 10,000 elements: 27 years of days, or use int_series in chunks.
  date_series: (start, end) =>
    `(select d from unnest(sequence(CAST(${start} AS DATE), CAST(${end} AS DATE), INTERVAL '1' DAY)) AS t(d))`,
  int_series: (start, end) => `(select CAST(n AS BIGINT) AS n from unnest(sequence(${start}, ${end})) AS t(n))`,
  string_agg_ordered: (expr, separator, orderBy) => `array_join(array_agg(${expr} ORDER BY ${orderBy}), ${separator})`,
};
