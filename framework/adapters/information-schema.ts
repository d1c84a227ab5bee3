import { sql, type Kysely, type SelectQueryBuilder } from 'kysely';
import type { Column, Dialect, Introspector, QueryResult } from './adapter.js';
import type { Relation } from '../project/types.js';

/**
 * information_schema lookups, built with kysely; DuckDB and Trino agree on these tables. `catalog`
 * qualifies them on engines with several catalogs (Trino).
 */
export function informationSchemaIntrospector(db: Kysely<any>, query: (sql: string) => Promise<QueryResult>, dialect: Dialect, catalog?: string): Introspector {
  const table = (name: string) => (catalog ? sql`${sql.id(catalog, 'information_schema', name)}` : sql`${sql.id('information_schema', name)}`);
  const from = (name: string) => db.selectFrom(table(name).as('t') as never) as unknown as SelectQueryBuilder<any, any, object>;
  const run = async (q: { compile(): { sql: string } }) => (await query(q.compile().sql)).rows;
  return {
    async relationType(rel: Relation) {
      const rows = await run(
        from('tables')
          .select('table_type')
          .where('table_schema', '=', rel.schema)
          .where('table_name', '=', rel.name),
      );
      const type = rows[0]?.table_type as string | undefined;
      if (!type) return undefined;
      return type.toUpperCase() === 'VIEW' ? 'view' : 'table';
    },
    async columns(rel: Relation): Promise<Column[]> {
      const rows = await run(
        from('columns')
          .select(['column_name', 'data_type'])
          .where('table_schema', '=', rel.schema)
          .where('table_name', '=', rel.name)
          .orderBy('ordinal_position'),
      );
      return rows.map((r) => ({ name: String(r.column_name), type: String(r.data_type) }));
    },
    async queryColumns(select: string) {
      return (await query(dialect.limit(select, 0))).columns;
    },
  };
}
