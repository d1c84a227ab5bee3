import { DefaultQueryCompiler, DummyDriver, Kysely, PostgresAdapter, PostgresIntrospector, sql } from 'kysely';
import type { Dialect } from './adapter.js';
import type { Relation } from '../project/types.js';

/** Statements run as text (DuckDB and Trino alike): values are inlined as literals by the compiler. */
class LiteralQueryCompiler extends DefaultQueryCompiler {
  protected override appendValue(value: unknown): void {
    this.appendImmediateValue(value);
  }
}

/**
 * A compile-only kysely: the dummy driver never connects, statements run through the adapter's
 * own connection. Both engines quote identifiers with double quotes and strings as SQL literals.
 */
export function compileOnlyKysely(): Kysely<any> {
  return new Kysely<any>({
    dialect: {
      createAdapter: () => new PostgresAdapter(),
      createDriver: () => new DummyDriver(),
      createIntrospector: (db) => new PostgresIntrospector(db),
      createQueryCompiler: () => new LiteralQueryCompiler(),
    },
  });
}

/**
 * The statements both engines write the same way, built with kysely against a compile-only instance
 * whose compiler inlines values. Engines override what they spell differently (CTAS options, ALTER).
 */
export function kyselyStatements(
  db: Kysely<any>,
): Omit<
  Dialect,
  'replaceTable' | 'createTable' | 'replaceTableTyped' | 'sameType' | 'maxStatementLength' | 'clustered'
> {
  const table = (rel: Relation) => `${rel.schema}.${rel.name}`;
  const ident = (name: string) => sql.ref(name);
  const compileRaw = (expr: ReturnType<typeof sql>) => expr.compile(db).sql;
  const insert = (rel: Relation, columns: string[], select: string) =>
    db
      .insertInto(table(rel))
      .columns(columns)
      .expression(
        sql.raw(
          `select ${columns.map((c) => compileRaw(sql`${sql.id(c)}`)).join(', ')} from (${select}) as __source`,
        ) as never,
      )
      .compile().sql;
  return {
    quote: (identifier) => compileRaw(sql`${sql.id(identifier)}`),
    relation: (rel) => compileRaw(sql`${sql.id(...(rel.database ? [rel.database] : []), rel.schema, rel.name)}`),
    literal: (value) => compileRaw(sql`${sql.lit(value)}`),
    createSchema: (schema, location) => {
      const create = db.schema.createSchema(schema).ifNotExists().compile().sql;
      return location ? `${create} with (location = ${compileRaw(sql`${sql.lit(location)}`)})` : create;
    },
    createView: (rel, select) =>
      db.schema
        .withSchema(rel.schema)
        .createView(rel.name)
        .orReplace()
        .as(sql.raw(select) as never)
        .compile().sql,
    insert,
    merge: (rel, select, uniqueKey, columns) => {
      const updates = columns.filter((c) => !uniqueKey.includes(c));
      let q: any = db
        .mergeInto(`${table(rel)} as __target`)
        .using(sql`(${sql.raw(select)})`.as('__source') as never, (join: any) =>
          uniqueKey.reduce((j: any, k) => j.onRef(`__target.${k}`, '=', `__source.${k}`), join),
        );
      if (updates.length) {
        q = q.whenMatched().thenUpdateSet(Object.fromEntries(updates.map((c) => [c, ident(`__source.${c}`)])));
      }
      q = q.whenNotMatched().thenInsertValues(Object.fromEntries(columns.map((c) => [c, ident(`__source.${c}`)])));
      return q.compile().sql;
    },
    deleteMatching: (rel, select, uniqueKey) => {
      const keys = sql.join(uniqueKey.map((k) => sql.id(k)));
      return db
        .deleteFrom(table(rel))
        .where(sql`(${keys})`, 'in', sql`(select distinct ${keys} from (${sql.raw(select)}) as __source)` as never)
        .compile().sql;
    },
    // A DELETE and an INSERT: atomic where the engine has transactions (DuckDB); Trino overrides it.
    replaceRange: (rel, column, from, to, columns, select) => [
      db
        .deleteFrom(table(rel))
        .where(sql.ref(column), '>=', sql.raw(from))
        .where(sql.ref(column), '<', sql.raw(to))
        .compile().sql,
      insert(rel, columns, select),
    ],
    drop: (rel, kind) =>
      (kind === 'view'
        ? db.schema.withSchema(rel.schema).dropView(rel.name).ifExists()
        : db.schema.withSchema(rel.schema).dropTable(rel.name).ifExists()
      ).compile().sql,
    createTableColumns: (rel, columns) =>
      columns
        .reduce((q, c) => q.addColumn(c.name, sql.raw(c.type)), db.schema.createTable(table(rel)).ifNotExists())
        .compile().sql,
    addColumn: (rel, column) =>
      db.schema.alterTable(table(rel)).addColumn(column.name, sql.raw(column.type)).compile().sql,
    dropColumn: (rel, column) => db.schema.alterTable(table(rel)).dropColumn(column).compile().sql,
    limit: (select, n) =>
      db
        .selectFrom(sql`(${sql.raw(select)})`.as('__preview') as never)
        .selectAll()
        .limit(n)
        .compile().sql,
    // Text, not kysely: `from` may be a table expression that takes no alias (Trino's FOR VERSION AS OF).
    selectAll: (from) => `select * from ${from}`,
    filter: (from, predicate) => `select * from ${from} as m where ${predicate}`,
    distinctTyped: (select, column) =>
      `select distinct cast(${column} as varchar) as v, typeof(${column}) as t from (${select}) as __rows where ${column} is not null order by 1`,
    countRows: (select) => `select count(*) as n from (${select}) as __count`,
    countRowsEach: (counts) => {
      let i = 0;
      return counts
        .map((c, g) => {
          if (typeof c === 'string') return `select ${i++} as i, count(*) as n from (${c}) as __count${g}`;
          // One scan, a count per test (`from` unaliased, as the test's own query reads it); a row
          // per count by a join with their positions.
          const first = i;
          i += c.length;
          const conditional = c.map(({ where, distinct }, j) =>
            distinct
              ? `count(distinct case when ${where} then ${distinct} end) as n${j}`
              : `count(case when ${where} then 1 end) as n${j}`,
          );
          const n = c.map((_, j) => `when ${j} then __counts${g}.n${j}`).join(' ');
          return `select ${first} + __k.j as i, case __k.j ${n} end as n
from (select ${conditional.join(', ')} from ${c[0]!.from}) as __counts${g}
cross join (values ${c.map((_, j) => `(${j})`).join(', ')}) as __k(j)`;
        })
        .join('\nunion all\n');
    },
    values: (columns, rows) => {
      const quoted = columns.map((c) => compileRaw(sql`${sql.id(c.name)}`));
      const cell = (value: unknown, i: number) =>
        `CAST(${value === null || value === undefined ? 'NULL' : compileRaw(sql`${sql.lit(value)}`)} AS ${columns[i]!.type})`;
      if (!rows.length)
        return `select ${columns.map((_, i) => `${cell(null, i)} as ${quoted[i]}`).join(', ')} where false`;
      return `select * from (values ${rows.map((r) => `(${r.map(cell).join(', ')})`).join(', ')}) as given(${quoted.join(', ')})`;
    },
    ping: () => 'select 1 as ok',
  };
}
