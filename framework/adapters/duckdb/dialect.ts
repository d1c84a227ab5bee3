import { DefaultQueryCompiler, DummyDriver, Kysely, PostgresAdapter, PostgresIntrospector, sql, type Dialect as KyselyDialect } from 'kysely';
import type { Column, Dialect } from '../adapter.js';
import type { Relation } from '../../project/types.js';
import { kyselyStatements } from '../kysely-statements.js';

/** Values are inlined as literals (the statements are executed as text), quoted by kysely's compiler. */
class DuckDbQueryCompiler extends DefaultQueryCompiler {
  protected override appendValue(value: unknown): void {
    this.appendImmediateValue(value);
  }
}

const kyselyDialect: KyselyDialect = {
  createAdapter: () => new PostgresAdapter(),
  createDriver: () => new DummyDriver(),
  createIntrospector: (db) => new PostgresIntrospector(db),
  createQueryCompiler: () => new DuckDbQueryCompiler(),
};

/** Compile-only: the dummy driver never connects; statements run through our own connection. */
export const duckdbKysely = new Kysely<any>({ dialect: kyselyDialect });
const db = duckdbKysely;

export const duckdbDialect: Dialect = {
  ...kyselyStatements(db),
  replaceTable(rel: Relation, select: string): string {
    return db.schema.createTable(name(rel)).modifyFront(sql`or replace`).as(sql.raw(select)).compile().sql;
  },
  createTable(rel: Relation, select: string): string {
    return db.schema.createTable(name(rel)).as(sql.raw(select)).compile().sql;
  },
  addColumn(rel: Relation, column: Column): string {
    return db.schema.alterTable(name(rel)).addColumn(column.name, sql.raw(column.type)).compile().sql;
  },
};

function name(rel: Relation): string {
  return `${rel.schema}.${rel.name}`;
}
