import { sql, type RawBuilder } from 'kysely';
import type { Column, Dialect, TypedColumn } from '../adapter.js';
import { COMMON_TYPE_ALIASES, typeMatcher } from '../type-names.js';
import type { Relation } from '../../project/types.js';
import { compileOnlyKysely, kyselyStatements } from '../kysely-statements.js';

export const trinoKysely = compileOnlyKysely();
const db = trinoKysely;

export const trinoDialect: Dialect = {
  ...kyselyStatements(db),
  // Trino's query.max-length default.
  maxStatementLength: 1_000_000,
  replaceTable(rel: Relation, select: string, properties: Record<string, unknown>): string {
    return withProperties(db.schema.createTable(name(rel)).modifyFront(sql`or replace`), properties)
      .as(sql.raw(select))
      .compile().sql;
  },
  createTable(rel: Relation, select: string, properties: Record<string, unknown>): string {
    return withProperties(db.schema.createTable(name(rel)), properties)
      .as(sql.raw(select))
      .compile().sql;
  },
  /**
   * Iceberg enforces NOT NULL columns but Trino has no multi-statement transaction, and a CTAS
   * cannot declare NOT NULL: the rows first go to a side table with the same columns (a NULL is
   * refused there, the published table untouched), then the table is replaced and filled from it.
   * Between those two commits a reader sees the table empty. CHECK is not Trino's: tests cover it.
   */
  replaceTableTyped(
    rel: Relation,
    columns: TypedColumn[],
    _checks: string[],
    select: string,
    properties: Record<string, unknown>,
  ) {
    const side: Relation = { ...rel, name: `${rel.name}__fw_contract` };
    const { location: _own, ...sideProperties } = properties ?? {};
    const create = (r: Relation, props: Record<string, unknown>) =>
      withProperties(
        columns.reduce(
          (q, c) => q.addColumn(c.name, sql.raw(c.type), (col) => (c.notNull ? col.notNull() : col)),
          db.schema.createTable(name(r)).modifyFront(sql`or replace`),
        ),
        props,
      ).compile().sql;
    const names = columns.map((c) => c.name);
    const dropSide = trinoDialect.drop(side, 'table');
    return {
      statements: [
        create(side, sideProperties),
        trinoDialect.insert(side, names, select),
        create(rel, properties),
        trinoDialect.insert(rel, names, `select * from ${trinoDialect.relation(side)}`),
        dropSide,
      ],
      cleanup: dropSide,
    };
  },
  sameType: typeMatcher({
    ...COMMON_TYPE_ALIASES,
    float: 'real',
    float4: 'real',
    binary: 'varbinary',
    bytea: 'varbinary',
  }),
  // Trino drops an ORDER BY below an INSERT or MERGE; Iceberg lays files out by the table's
  // partitioning and sorted_by properties (config properties) instead.
  clustered: (select) => select,
  createTableColumns(rel: Relation, columns: Column[], partitionBy?: string[]): string {
    const table = columns.reduce(
      (q, c) => q.addColumn(c.name, sql.raw(c.type)),
      db.schema.createTable(name(rel)).ifNotExists(),
    );
    return withProperties(table, partitionBy?.length ? { partitioning: partitionBy } : {}).compile().sql;
  },
  /**
   * One MERGE, so one Iceberg commit: a reader sees the range's old rows or its new ones, never
   * neither or both. The source is the new rows (__fw_drop NULL, never matched, inserted) plus one
   * marker row (__fw_drop true) matching every row of the range, which is deleted. The marker
   * matches by equality with the range test so the engine hash-joins it; the range test again on
   * its own prunes the table's scan to the range. Its row count is the rows deleted plus inserted.
   */
  replaceRange(rel: Relation, column: string, from: string, to: string, columns: string[], select: string): string[] {
    const q = (identifier: string) => trinoDialect.quote(identifier);
    const cols = columns.map(q);
    const inRange = `"__target".${q(column)} >= ${from} and "__target".${q(column)} < ${to}`;
    const source = `select ${cols.map((c) => `"__new".${c}`).join(', ')}, cast(null as boolean) as "__fw_drop" from (${select}) as "__new" union all select ${cols.map(() => 'null').join(', ')}, true`;
    return [
      `merge into ${trinoDialect.relation(rel)} as "__target" using (${source}) as "__source" on "__source"."__fw_drop" = (${inRange}) and ${inRange} ` +
        `when matched then delete when not matched and "__source"."__fw_drop" is null then insert (${cols.join(', ')}) values (${cols.map((c) => `"__source".${c}`).join(', ')})`,
    ];
  },
};

/**
 * Iceberg table properties (partitioning, sorted_by, format_version, location, ...) as a WITH
 * clause: lists become ARRAY[...] of quoted strings, other values literals.
 */
function withProperties<T extends { modifyEnd(m: RawBuilder<unknown>): T }>(
  builder: T,
  properties: Record<string, unknown>,
): T {
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
