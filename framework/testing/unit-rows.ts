import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCsv } from '../adapters/csv.js';
import type { Dialect } from '../adapters/adapter.js';
import type { ColumnDef, UnitRows } from '../project/types.js';

/** Rows of a unit test, from inline objects, CSV text or a CSV file (relative to the project). */
export function readRows(rows: UnitRows, root: string): Record<string, unknown>[] {
  if (rows.file) return csvObjects(readFileSync(join(root, rows.file), 'utf8'));
  if (typeof rows.rows === 'string') return csvObjects(rows.rows);
  return rows.rows ?? [];
}

function csvObjects(text: string): Record<string, unknown>[] {
  const [header, ...body] = parseCsv(text.trim() + '\n');
  return body.map((r) => Object.fromEntries(header!.map((h, i) => [h.trim(), r[i] === '' ? null : r[i]])));
}

/**
 * A VALUES query standing in for a relation. Documented columns (with data_type) fix the types
 * and fill columns the rows leave out with NULL, so the model sees the input's full shape.
 */
export function valuesQuery(dialect: Dialect, rows: Record<string, unknown>[], documented: ColumnDef[]): string {
  const names = [...new Set([...documented.map((c) => c.name), ...rows.flatMap((r) => Object.keys(r))])];
  const typeOf = (name: string) =>
    documented.find((c) => c.name === name)?.data_type ?? inferType(rows.map((r) => r[name]));
  // Objects (YAML maps and lists) are given as their JSON text.
  const value = (v: unknown) => (v !== null && typeof v === 'object' ? JSON.stringify(v) : v);
  return dialect.values(
    names.map((name) => ({ name, type: typeOf(name) })),
    rows.map((r) => names.map((n) => value(r[n]))),
  );
}

function inferType(values: unknown[]): string {
  const present = values.filter((v) => v !== null && v !== undefined);
  if (present.length && present.every((v) => typeof v === 'boolean')) return 'BOOLEAN';
  if (present.length && present.every((v) => typeof v === 'number' && Number.isInteger(v))) return 'BIGINT';
  if (present.length && present.every((v) => typeof v === 'number')) return 'DOUBLE';
  return 'VARCHAR';
}

/** Values compared as text so 7, '7' and 7.0 agree (CSV and YAML type numbers differently). */
export function normalize(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'number') return String(value);
  if (
    typeof value === 'string' &&
    value.trim() !== '' &&
    !Number.isNaN(Number(value)) &&
    /^-?[\d.]+(e[-+]?\d+)?$/i.test(value.trim())
  )
    return String(Number(value));
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}
