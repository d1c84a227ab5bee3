import { sql } from 'kysely';
import type { Dialect } from '../adapter.js';
import type { Relation } from '../../project/types.js';
import { compileOnlyKysely, kyselyStatements } from '../kysely-statements.js';

export const duckdbKysely = compileOnlyKysely();
const db = duckdbKysely;

/** DuckDB has no table properties: partitioning and the like are Iceberg's and are ignored here. */
export const duckdbDialect: Dialect = {
  ...kyselyStatements(db),
  // No limit of its own; this keeps one statement's text to a sane size.
  maxStatementLength: 64 * 2 ** 20,
  replaceTable(rel: Relation, select: string): string {
    return db.schema.createTable(name(rel)).modifyFront(sql`or replace`).as(sql.raw(select)).compile().sql;
  },
  createTable(rel: Relation, select: string): string {
    return db.schema.createTable(name(rel)).as(sql.raw(select)).compile().sql;
  },
};

function name(rel: Relation): string {
  return `${rel.schema}.${rel.name}`;
}
