import type { MacroSet } from '../adapter.js';
import { keyText } from '../key-text.js';
import { translateStrftime } from '../strftime.js';

/** DuckDB spellings of the cross-database macros (the Trino folder has the same names). */
export const duckdbMacros: MacroSet = {
  json_str: (expr, path) => `json_extract_string(${expr}, '${jsonPath(path)}')`,
  json_raw: (expr, path) => `CAST(json_extract(${expr}, '${jsonPath(path)}') AS VARCHAR)`,
  // One parse of the document for every path: a json_str per path parses it again each time.
  json_strs: (expr, ...paths) => `json_extract_string(${expr}, [${paths.map((p) => `'${jsonPath(p)}'`).join(', ')}])`,
  json_valid: (expr) => `coalesce(json_valid(${expr}), false)`,
  // CASE, not AND: DuckDB evaluates both sides of AND, and json_type raises on malformed JSON.
  json_is_object: (expr) => `coalesce(CASE WHEN json_valid(${expr}) THEN json_type(${expr}) = 'OBJECT' END, false)`,
  parse_ts: (expr) => `TRY_CAST(${expr} AS TIMESTAMPTZ)`,
  to_zone: (tstz, zone) => `timezone('${zone}', ${tstz})`,
  format_ts: (expr, format) => `strftime(${expr}, '${translateStrftime(format, 'strftime')}')`,
  day_name: (expr) => `strftime(${expr}, '%a')`,
  hash_key: (...exprs) => `CAST(('0x' || substr(md5(${keyText(exprs)}), 1, 15)) AS BIGINT)`,
  /** md5 of the parts' key text as 32 lowercase hex digits (dbt's snapshot_hash_arguments). */
  md5_hex: (...exprs) => `md5(${keyText(exprs)})`,
  safe_cast: (expr, type) => `TRY_CAST(${expr} AS ${type})`,
  // Whole seconds from a to b, truncated toward zero like Trino's date_diff (DuckDB's date_diff
  // counts second boundaries crossed, so 0.2 s across a boundary would be 1).
  seconds_between: (a, b) => `CAST(trunc(date_diff('microsecond', ${a}, ${b}) / 1000000.0) AS BIGINT)`,
  /** Milliseconds from a to b (BIGINT), exact for millisecond timestamps on both engines. */
  ms_between: (a, b) => `CAST(trunc(date_diff('microsecond', ${a}, ${b}) / 1000.0) AS BIGINT)`,
  add_seconds: (expr, n) => `(${expr} + to_seconds(${n}))`,
  now: () => `current_timestamp`,
  /**
   * The wall-clock time a Hive-style path names (…/year=2025/month=09/day=01/hour=00/minute=15/…,
   * hour and minute optional) read in `zone`, as a UTC timestamp; NULL when it names no date.
   * The SQL twin of storage/partition-time.ts.
   */
  path_time: (path, zone) => {
    const part = (key: string, fallback: string) =>
      `coalesce(TRY_CAST(nullif(regexp_extract(${path}, '(^|/)${key}=([0-9]+)', 2), '') AS BIGINT), ${fallback})`;
    return `timezone('UTC', timezone('${zone}', make_timestamp(${part('year', 'NULL')}, ${part('month', 'NULL')}, ${part('day', 'NULL')}, ${part('hour', '0')}, ${part('minute', '0')}, 0)))`;
  },
  ts_literal: (text) => `TIMESTAMP '${text}'`,
  tstz_literal: (text) => `TIMESTAMPTZ '${text}+00'`,
  /** ISO day of week of a date or timestamp: 1 = Monday .. 7 = Sunday. */
  day_of_week_num: (expr) => `CAST(isodow(${expr}) AS INTEGER)`,
  /** Whether text matches a regular expression anywhere (anchor with ^ and $ for a full match). */
  regex_match: (expr, pattern) => `coalesce(regexp_matches(${expr}, '${pattern.replace(/'/g, "''")}'), false)`,
  /** A relation of one DATE column d, every day from start to end inclusive. */
  date_series: (start, end) =>
    `(select CAST(generate_series AS DATE) AS d from generate_series(CAST(${start} AS TIMESTAMP), CAST(${end} AS TIMESTAMP), INTERVAL 1 DAY))`,
  /** A relation of one BIGINT column n, start..end inclusive (Trino: at most 10,000 values). */
  int_series: (start, end) => `(select CAST(range AS BIGINT) AS n from range(${start}, (${end}) + 1))`,
  /** Concatenate text values of a group, ordered, with a separator (an aggregate). */
  string_agg_ordered: (expr, separator, orderBy) => `string_agg(${expr}, ${separator} ORDER BY ${orderBy})`,
};

function jsonPath(path: string): string {
  return path.replace(/'/g, "''");
}
