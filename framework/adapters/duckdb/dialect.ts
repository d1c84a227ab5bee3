import { sql } from 'kysely';
import type { Dialect, TypedColumn } from '../adapter.js';
import { COMMON_TYPE_ALIASES, typeMatcher } from '../type-names.js';
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
    return db.schema
      .createTable(name(rel))
      .modifyFront(sql`or replace`)
      .as(sql.raw(select))
      .compile().sql;
  },
  createTable(rel: Relation, select: string): string {
    return db.schema.createTable(name(rel)).as(sql.raw(select)).compile().sql;
  },
  // Run in one transaction (atomically): a refused row rolls the new table back with it.
  replaceTableTyped(rel: Relation, columns: TypedColumn[], checks: string[], select: string) {
    const defs = [
      ...columns.map((c) => `${duckdbDialect.quote(c.name)} ${c.type}${c.notNull ? ' not null' : ''}`),
      ...checks.map((c) => `check (${c})`),
    ];
    return {
      statements: [
        `create or replace table ${duckdbDialect.relation(rel)} (${defs.join(', ')})`,
        duckdbDialect.insert(
          rel,
          columns.map((c) => c.name),
          select,
        ),
      ],
    };
  },
  // DuckDB stores an INSERT's or CREATE … AS's rows in the order selected (preserve_insertion_order);
  // a MERGE's inserts keep it only roughly (tests/unit/engine/cluster-by.test.ts).
  clustered(select: string, columns: string[]): string {
    if (!columns.length) return select;
    return `select * from (${select}) as __clustered order by ${columns.map((c) => duckdbDialect.quote(c)).join(', ')}`;
  },
  sameType: typeMatcher({
    ...COMMON_TYPE_ALIASES,
    // DuckDB's own spellings (DESCRIBE gives the first name of each).
    signed: 'integer',
    short: 'smallint',
    char: 'varchar',
    bpchar: 'varchar',
    nvarchar: 'varchar',
    float4: 'float',
    real: 'float',
    logical: 'boolean',
    datetime: 'timestamp',
    bytea: 'blob',
    binary: 'blob',
    varbinary: 'blob',
  }),
};

function name(rel: Relation): string {
  return `${rel.schema}.${rel.name}`;
}
