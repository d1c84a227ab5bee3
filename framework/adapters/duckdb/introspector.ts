import type { Column, Introspector } from '../adapter.js';
import type { Relation } from '../../project/types.js';
import type { Dialect } from '../adapter.js';

type Query = (sql: string) => Promise<{ columns: Column[]; rows: Record<string, unknown>[] }>;

/** information_schema lookups; DuckDB's and Trino's agree on these columns. */
export function informationSchemaIntrospector(query: Query, dialect: Dialect, catalog?: string): Introspector {
  const schemaTable = (t: string) => (catalog ? `${dialect.quote(catalog)}.information_schema.${t}` : `information_schema.${t}`);
  return {
    async relationType(rel: Relation) {
      const { rows } = await query(
        `select table_type from ${schemaTable('tables')} where table_schema = ${dialect.literal(rel.schema)} and table_name = ${dialect.literal(rel.name)}`,
      );
      const type = rows[0]?.table_type as string | undefined;
      if (!type) return undefined;
      return type.toUpperCase() === 'VIEW' ? 'view' : 'table';
    },
    async columns(rel: Relation) {
      const { rows } = await query(
        `select column_name, data_type from ${schemaTable('columns')} where table_schema = ${dialect.literal(rel.schema)} and table_name = ${dialect.literal(rel.name)} order by ordinal_position`,
      );
      return rows.map((r) => ({ name: String(r.column_name), type: String(r.data_type) }));
    },
    async queryColumns(select: string) {
      const { columns } = await query(dialect.limit(select, 0));
      return columns;
    },
  };
}
