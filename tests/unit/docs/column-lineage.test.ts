import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { columnLineage as lineageOf, type ColumnLineage, type LineageOptions, type LineageResult } from '../../../framework/docs/column-lineage.js';
import { SqlParser } from '../../../framework/adapters/duckdb/sql-tree.js';

let parser: SqlParser;
beforeAll(async () => {
  parser = await SqlParser.open();
});
afterAll(() => parser.close());

async function columnLineage(sql: string, options?: LineageOptions): Promise<LineageResult> {
  const [parsed] = await parser.parse([sql]);
  return lineageOf(parsed!, options);
}

/** name → "kind: rel.col, rel.col" for compact assertions. */
async function lineage(sql: string, options?: LineageOptions): Promise<Record<string, string>> {
  const result = await columnLineage(sql, options);
  if ('error' in result) throw new Error(result.error);
  return Object.fromEntries(result.columns.map((c) => [c.name, summary(c)]));
}

function summary(c: ColumnLineage): string {
  return `${c.kind}: ${c.sources.map((s) => `${s.relation}.${s.column}`).join(', ')}`.trim();
}

async function notes(sql: string, options?: LineageOptions): Promise<Record<string, string | undefined>> {
  const result = await columnLineage(sql, options);
  if ('error' in result) throw new Error(result.error);
  return Object.fromEntries(result.columns.map((c) => [c.name, c.note]));
}

const catalog: Record<string, string[]> = {
  'raw.orders': ['order_id', 'customer_id', 'amount', 'ordered_at'],
  'raw.customers': ['customer_id', 'name', 'country'],
};
const withCatalog: LineageOptions = { columnsOf: (r) => catalog[r] };

describe('column lineage', () => {
  it('aliases, qualified and plain columns, functions of columns, constants', async () => {
    expect(await lineage(`select o.order_id, amount as total, upper(o."Customer_Id") as cid, round(amount * 100) cents, 'x' as label, 42, count(*) as n
               from "raw"."orders" as o`),
    ).toEqual({
      order_id: 'column: raw.orders.order_id',
      total: 'column: raw.orders.amount',
      cid: 'expression: raw.orders.Customer_Id',
      cents: 'expression: raw.orders.amount',
      label: 'constant:',
      '42': 'constant:',
      n: 'expression:',
    });
  });

  it('resolves table aliases across joins, and refuses to guess an ambiguous unqualified column', async () => {
    const sql = `select c.name, o.amount, customer_id, country
                 from raw.orders o join raw.customers c on c.customer_id = o.customer_id`;
    expect(await lineage(sql, withCatalog)).toEqual({
      name: 'column: raw.customers.name',
      amount: 'column: raw.orders.amount',
      customer_id: 'unknown:',
      country: 'column: raw.customers.country',
    });
    expect((await notes(sql, withCatalog)).customer_id).toContain('several tables');
    // Without the warehouse's column lists even `country` can't be placed.
    expect((await lineage(sql)).country).toBe('unknown:');
    expect((await notes(sql)).country).toMatch(/may come from o, c/);
  });

  it('JOIN ... USING makes the shared column come from both sides', async () => {
    expect(await lineage('select customer_id, name from raw.orders join raw.customers using (customer_id)', withCatalog)).toEqual({
      customer_id: 'column: raw.orders.customer_id, raw.customers.customer_id',
      name: 'column: raw.customers.name',
    });
  });

  it('looks through CTEs, nested CTEs and subqueries, with shadowed names', async () => {
    const sql = `
      with base as (
        with inner_cte as (select order_id as id, amount from raw.orders)
        select id, amount * 2 as doubled from inner_cte
      ),
      c as (select customer_id as cust, name from raw.customers)
      select b.id, b.doubled, x.cust, x.name as customer_name, (select max(amount) from raw.orders) as biggest
      from base as b
      cross join (select * from c) as x`;
    expect(await lineage(sql)).toEqual({
      id: 'column: raw.orders.order_id',
      doubled: 'expression: raw.orders.amount',
      cust: 'column: raw.customers.customer_id',
      customer_name: 'column: raw.customers.name',
      biggest: 'expression: raw.orders.amount',
    });
  });

  it('a CTE alias hides the table of the same name', async () => {
    expect(await lineage('with orders as (select order_id * 10 as order_id from raw.orders) select orders.order_id from orders')).toEqual({
      order_id: 'expression: raw.orders.order_id',
    });
  });

  it('union branches are matched by position, names from the first', async () => {
    expect(await lineage(`select 'total' as dimension, order_id as id from raw.orders
               union all select 'customer', customer_id from raw.customers
               union all select 'n/a', null`),
    ).toEqual({ dimension: 'constant:', id: 'expression: raw.orders.order_id, raw.customers.customer_id' });
  });

  it('expands * and t.* through CTEs, and over tables only with the catalog', async () => {
    const sql = `with o as (select order_id, amount from raw.orders)
                 select o.*, c.* exclude (country), row_number() over (partition by c.country order by o.amount desc nulls last) as rn
                 from o join raw.customers as c on true`;
    expect(await lineage(sql, withCatalog)).toEqual({
      order_id: 'column: raw.orders.order_id',
      amount: 'column: raw.orders.amount',
      customer_id: 'column: raw.customers.customer_id',
      name: 'column: raw.customers.name',
      rn: 'expression: raw.customers.country, raw.orders.amount',
    });
    const blind = await columnLineage('select * from raw.orders');
    expect(blind).toEqual({ columns: [], complete: false });
  });

  it('through a select * of an unknown table, a column is unknown, not guessed', async () => {
    const sql = 'with a as (select * from raw.events) select a.x, a.y + 1 as y1 from a';
    expect(await lineage(sql)).toEqual({ x: 'unknown:', y1: 'unknown:' });
    expect((await notes(sql)).x).toContain('not known (select *)');
  });

  it('casts, extract, intervals, typed literals, CASE and keywords are not columns', async () => {
    expect(await lineage(`select
          CAST(extract(year from o.ordered_at) AS INTEGER) as y,
          o.ordered_at + interval 1 day as next_day,
          o.ordered_at::date as d,
          case when o.amount > 10 then 'big' else 'small' end as size,
          case o.order_id when 1 then true else false end as first,
          timestamp '2025-01-01 00:00:00' as epoch,
          o.ordered_at at time zone 'Asia/Seoul' as kst,
          count(distinct o.customer_id) filter (where o.amount is not null) as buyers,
          coalesce(o.amount, 0) between 1 and 2 as small,
          current_timestamp as loaded_at
        from raw.orders as o`),
    ).toEqual({
      y: 'expression: raw.orders.ordered_at',
      next_day: 'expression: raw.orders.ordered_at',
      d: 'expression: raw.orders.ordered_at',
      size: 'expression: raw.orders.amount',
      first: 'expression: raw.orders.order_id',
      epoch: 'constant:',
      kst: 'expression: raw.orders.ordered_at',
      buyers: 'expression: raw.orders.customer_id, raw.orders.amount',
      small: 'expression: raw.orders.amount',
      loaded_at: 'constant:',
    });
  });

  it('correlated subqueries see the outer query', async () => {
    expect(await lineage('select c.name, (select count(*) from raw.orders o where o.customer_id = c.customer_id) as orders from raw.customers c')).toEqual({
      name: 'column: raw.customers.name',
      orders: 'expression:',
    });
    expect((await lineage('select c.name, exists (select 1 from raw.orders o where o.customer_id = c.customer_id) as buyer from raw.customers c')).buyer).toBe('constant:');
  });

  it('opaque CTEs (inlined ephemeral models) are reported as relations', async () => {
    const sql = `with __cte__stg as (select customer_id, upper(name) as name from raw.customers)
                 select s.name, s.customer_id from __cte__stg s`;
    expect(await lineage(sql, { opaqueCte: (n) => n.startsWith('__cte__') })).toEqual({ name: 'column: __cte__stg.name', customer_id: 'column: __cte__stg.customer_id' });
    expect((await lineage(sql)).name).toBe('expression: raw.customers.name');
  });

  it('table functions and column renames', async () => {
    expect((await notes("select line from read_csv('x.csv') as t")).line).toContain('table function read_csv');
    expect(await lineage('select a, b from (select order_id, amount from raw.orders) as t(a, b)')).toEqual({ a: 'column: raw.orders.order_id', b: 'column: raw.orders.amount' });
    expect(await lineage('with t(a) as (select order_id from raw.orders) select a from t')).toEqual({ a: 'column: raw.orders.order_id' });
  });

  it('comments, quoted names with odd characters, trailing semicolon', async () => {
    expect(await lineage(`-- header comment
        select /* inline */ "we""ird col" as "Out Name", o."select" from "raw"."orders" o; `),
    ).toEqual({ 'Out Name': 'column: raw.orders.we"ird col', select: 'column: raw.orders.select' });
    expect(await lineage('select "we""ird col" from raw.orders')).toEqual({ 'we"ird col': 'column: raw.orders.we"ird col' });
  });

  it('DuckDB lets a select item use an earlier alias', async () => {
    expect(await lineage('select amount * 2 as doubled, doubled + 1 as plus from raw.orders', withCatalog)).toEqual({
      doubled: 'expression: raw.orders.amount',
      plus: 'expression: raw.orders.amount',
    });
  });

  it('says why when the SQL is not one SELECT that DuckDB parses', async () => {
    expect(await columnLineage('select a from (select 1')).toEqual({ error: expect.stringContaining('cannot parse the SQL: syntax error') });
    expect(await columnLineage('insert into t select 1')).toEqual({ error: expect.stringContaining('Only SELECT statements') });
    expect(await columnLineage('select 1; select 2')).toEqual({ error: expect.stringContaining('expected one SELECT statement, found 2') });
  });

  it('a PIVOT and COLUMNS(...) parse, but the columns they make are not in the SQL', async () => {
    expect(await columnLineage('select * from raw.orders pivot (sum(amount) for customer_id in (1))')).toEqual({ columns: [], complete: false });
    expect(await columnLineage("select columns('amount.*') from raw.orders", withCatalog)).toEqual({ columns: [], complete: false });
    expect((await notes("select max(columns('a.*')) as m from raw.orders", withCatalog)).m).toContain('inside an expression');
    expect((await notes('select p.a from raw.orders pivot (sum(amount) for customer_id in (1)) as p')).a).toContain('read from a PIVOT');
  });

  it('DuckDB syntax: * REPLACE and RENAME, UNION BY NAME, VALUES, lambdas', async () => {
    expect(await lineage('select * replace (amount * 2 as amount) rename (order_id as id) from raw.orders', withCatalog)).toEqual({
      id: 'column: raw.orders.order_id',
      customer_id: 'column: raw.orders.customer_id',
      amount: 'expression: raw.orders.amount',
      ordered_at: 'column: raw.orders.ordered_at',
    });
    // A column missing from one branch is NULL there: no longer a plain copy.
    expect(await lineage('select order_id as id, amount from raw.orders union all by name select customer_id as id from raw.customers')).toEqual({
      id: 'column: raw.orders.order_id, raw.customers.customer_id',
      amount: 'expression: raw.orders.amount',
    });
    expect(await lineage("select k, v from (values (1, 'a'), (2, 'b')) as t(k, v)")).toEqual({ k: 'constant:', v: 'constant:' });
    expect(await lineage('select list_transform(tags, x -> x || suffix) as t from raw.items')).toEqual({ t: 'expression: raw.items.tags, raw.items.suffix' });
  });

  it('an unaliased expression is named as DuckDB names its column', async () => {
    expect(Object.keys(await lineage('select round(amount * 100), count(*), amount from raw.orders'))).toEqual(['round((amount * 100))', 'count_star()', 'amount']);
  });

  it('Trino-compiled SQL: catalog-qualified names', async () => {
    expect(await lineage('select e.user_id, try_cast(e.ts as timestamp(6)) as ts from "iceberg"."silver"."events" as e')).toEqual({
      user_id: 'column: iceberg.silver.events.user_id',
      ts: 'expression: iceberg.silver.events.ts',
    });
  });
});
