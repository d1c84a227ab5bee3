import { sql, type RawBuilder } from 'kysely';
import type { Dialect } from '../adapter.js';
import type { Relation } from '../../project/types.js';
import { compileOnlyKysely, kyselyStatements } from '../kysely-statements.js';

export const trinoKysely = compileOnlyKysely();
const db = trinoKysely;

export const trinoDialect: Dialect = {
  ...kyselyStatements(db),
  // Trino's query.max-length default.
  maxStatementLength: 1_000_000,
  replaceTable(rel: Relation, select: string, properties: Record<string, unknown>): string {
    return withProperties(db.schema.createTable(name(rel)).modifyFront(sql`or replace`), properties).as(sql.raw(select)).compile().sql;
  },
  createTable(rel: Relation, select: string, properties: Record<string, unknown>): string {
    return withProperties(db.schema.createTable(name(rel)), properties).as(sql.raw(select)).compile().sql;
  },
};

/**
 * Iceberg table properties (partitioning, sorted_by, format_version, location, ...) as a WITH
 * clause: lists become ARRAY[...] of quoted strings, other values literals.
 */
function withProperties<T extends { modifyEnd(m: RawBuilder<unknown>): T }>(builder: T, properties: Record<string, unknown>): T {
  const entries = Object.entries(properties ?? {});
  if (!entries.length) return builder;
  const items = entries.map(([key, value]) => sql`${sql.raw(assertPropertyName(key))} = ${propertyValue(value)}`);
  return builder.modifyEnd(sql`with (${sql.join(items)})`);
}

function propertyValue(value: unknown): RawBuilder<unknown> {
  if (Array.isArray(value)) return sql`ARRAY[${sql.join(value.map((v) => sql.lit(String(v))))}]`;
  return sql.lit(value as string);
}

/** Property names are engine keywords, not identifiers: only plain names are accepted. */
function assertPropertyName(key: string): string {
  if (!/^[a-z_][a-z0-9_]*$/i.test(key)) throw new Error(`invalid table property name "${key}"`);
  return key;
}

function name(rel: Relation): string {
  return `${rel.schema}.${rel.name}`;
}
