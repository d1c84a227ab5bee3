import { sql, type Kysely, type SelectQueryBuilder } from 'kysely';
import type { Column, Dialect, Introspector, ListedRelation, QueryResult } from './adapter.js';
import type { Relation } from '../project/types.js';

/**
 * information_schema lookups, built with kysely; DuckDB and Trino agree on these tables. `catalog`
 * qualifies them on engines with several catalogs (Trino).
 */
export function informationSchemaIntrospector(
  db: Kysely<any>,
  query: (sql: string) => Promise<QueryResult>,
  dialect: Dialect,
  catalog?: string,
): Introspector {
  const table = (name: string, database = catalog) =>
    database ? sql`${sql.id(database, 'information_schema', name)}` : sql`${sql.id('information_schema', name)}`;
  const from = (name: string, database?: string) =>
    db.selectFrom(table(name, database).as('t') as never) as unknown as SelectQueryBuilder<any, any, object>;
  const run = async (q: { compile(): { sql: string } }) => (await query(q.compile().sql)).rows;
  return {
    async relationType(rel: Relation) {
      const rows = await run(
        from('tables').select('table_type').where('table_schema', '=', rel.schema).where('table_name', '=', rel.name),
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
    async listRelations(schemas: string[], database?: string): Promise<ListedRelation[]> {
      if (!schemas.length) return [];
      const tables = await run(
        from('tables', database)
          .select(['table_schema', 'table_name', 'table_type'])
          .where('table_schema', 'in', schemas),
      );
      const columns = await run(
        from('columns', database)
          .select(['table_schema', 'table_name', 'column_name', 'data_type'])
          .where('table_schema', 'in', schemas)
          .orderBy('table_schema')
          .orderBy('table_name')
          .orderBy('ordinal_position'),
      );
      const listed = new Map<string, ListedRelation>();
      const key = (r: Record<string, unknown>) => `${String(r.table_schema)}\u0000${String(r.table_name)}`;
      for (const t of tables) {
        listed.set(key(t), {
          schema: String(t.table_schema),
          name: String(t.table_name),
          type: String(t.table_type).toUpperCase() === 'VIEW' ? 'view' : 'table',
          columns: [],
        });
      }
      for (const c of columns)
        listed.get(key(c))?.columns.push({ name: String(c.column_name), type: String(c.data_type) });
      return [...listed.values()];
    },
  };
}
