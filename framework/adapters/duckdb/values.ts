import type { DuckDBResultReader } from '@duckdb/node-api';

const BIG_INTEGERS = new Set(['BIGINT', 'HUGEINT', 'UBIGINT', 'UHUGEINT']);

/**
 * Rows as JSON-safe objects: DuckDB's JSON form, except that 64/128-bit integers become numbers
 * when they fit (counts and keys read naturally) and stay strings when they would lose precision.
 */
export function plainRows(reader: DuckDBResultReader): Record<string, unknown>[] {
  const rows = reader.getRowObjectsJson() as Record<string, unknown>[];
  const types = reader.columnTypes().map((t) => t.toString());
  const big = reader.columnNames().filter((_, i) => BIG_INTEGERS.has(types[i]!));
  if (!big.length) return rows;
  for (const row of rows) {
    for (const name of big) {
      const value = row[name];
      if (typeof value === 'string' && Number.isSafeInteger(Number(value))) row[name] = Number(value);
    }
  }
  return rows;
}
