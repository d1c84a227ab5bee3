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
  const typeOf = (tableType: unknown) => (String(tableType).toUpperCase() === 'VIEW' ? 'view' : 'table');
  const key = (schema: unknown, name: unknown) => `${String(schema)}\u0000${String(name)}`;
  // A run's listing: each listed relation's type as the run started, answered once (see listRelationTypes).
  let listed: Map<string, 'table' | 'view' | undefined> | undefined;
  return {
    async listRelationTypes(relations: Relation[]) {
      listed = undefined;
      const types = new Map<string, 'table' | 'view' | undefined>(
        relations.map((r) => [key(r.schema, r.name), undefined]),
      );
      const schemas = [...new Set(relations.map((r) => r.schema))];
      if (!schemas.length) return;
      const rows = await run(
        from('tables').select(['table_schema', 'table_name', 'table_type']).where('table_schema', 'in', schemas),
      );
      for (const r of rows) {
        const k = key(r.table_schema, r.table_name);
        if (types.has(k)) types.set(k, typeOf(r.table_type));
      }
      listed = types;
    },
    forgetRelationType(rel: Relation) {
      listed?.delete(key(rel.schema, rel.name));
    },
    async relationType(rel: Relation) {
      const k = key(rel.schema, rel.name);
      if (listed?.has(k)) {
        const type = listed.get(k);
        listed.delete(k);
        return type;
      }
      const rows = await run(
        from('tables').select('table_type').where('table_schema', '=', rel.schema).where('table_name', '=', rel.name),
      );
      return rows[0] ? typeOf(rows[0].table_type) : undefined;
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
      const relations = new Map<string, ListedRelation>();
      for (const t of tables) {
        relations.set(key(t.table_schema, t.table_name), {
          schema: String(t.table_schema),
          name: String(t.table_name),
          type: typeOf(t.table_type),
          columns: [],
        });
      }
      for (const c of columns)
        relations
          .get(key(c.table_schema, c.table_name))
          ?.columns.push({ name: String(c.column_name), type: String(c.data_type) });
      return [...relations.values()];
    },
  };
}
