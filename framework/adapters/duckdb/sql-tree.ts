import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';

type DuckDb = typeof import('@duckdb/node-api');

/**
 * SQL trees from DuckDB's own parser (`json_serialize_sql`), in its JSON form: the subset the
 * column lineage walks. DuckDB is used here as a library, in memory, whatever the target: its
 * parser reads the DuckDB-compiled SQL exactly and, being PostgreSQL-based, the Trino-compiled SQL
 * of the same models too (node-sql-parser's Trino and PostgreSQL grammars failed on 4 to 9 of the
 * 36 models of the shipped project; docs/architecture.md).
 */
export type QueryNode =
  | { type: 'SELECT_NODE'; cte_map?: CteMap; select_list: Expr[]; from_table: TableRef }
  | {
      type: 'SET_OPERATION_NODE' | 'RECURSIVE_CTE_NODE';
      cte_map?: CteMap;
      setop_type?: string;
      left: QueryNode;
      right: QueryNode;
    }
  | { type: 'CTE_NODE'; cte_map?: CteMap; child: QueryNode };

export interface CteMap {
  map?: { key: string; value: { aliases?: string[]; query: { node: QueryNode } } }[];
}

/** A FROM item: BASE_TABLE, JOIN, SUBQUERY, TABLE_FUNCTION, EXPRESSION_LIST (VALUES), EMPTY, PIVOT, … */
export interface TableRef {
  type: string;
  alias?: string;
  column_name_alias?: string[];
  catalog_name?: string;
  schema_name?: string;
  table_name?: string;
  left?: TableRef;
  right?: TableRef;
  using_columns?: string[];
  subquery?: { node: QueryNode };
  function?: Expr;
  values?: Expr[][];
}

/** An expression; the walker reads these fields and scans the rest generically for column references. */
export interface Expr {
  class: string;
  type: string;
  alias?: string;
  function_name?: string;
  column_names?: string[];
  subquery?: { node: QueryNode };
  subquery_type?: string;
  child?: Expr | null;
  lhs?: Expr;
  expr?: Expr | null;
  /** STAR: `t.*`, EXCLUDE, REPLACE, RENAME, COLUMNS(...). */
  relation_name?: string;
  exclude_list?: string[];
  qualified_exclude_list?: { table?: string; column: string }[];
  replace_list?: { key: string; value: Expr }[];
  rename_list?: { key: { table?: string; column: string }; value: string }[];
  columns?: boolean;
  [field: string]: unknown;
}

/** A query's tree, or why DuckDB's parser refused it (a syntax error, not a SELECT, several statements). */
export type ParsedSql = { tree: QueryNode } | { error: string };

/** DuckDB's parser on a private in-memory database; close() when done. */
export class SqlParser {
  private constructor(
    private readonly duckdb: DuckDb,
    private readonly instance: DuckDBInstance,
    private readonly connection: DuckDBConnection,
  ) {}

  static async open(): Promise<SqlParser> {
    // Loaded here, not at import: only docs generate parses SQL.
    const duckdb = await import('@duckdb/node-api');
    const instance = await duckdb.DuckDBInstance.create(':memory:');
    return new SqlParser(duckdb, instance, await instance.connect());
  }

  /** Each query's tree, in order; all serialized in one round trip (a project has thousands of models). */
  async parse(sqls: readonly string[]): Promise<ParsedSql[]> {
    const { listValue, LIST, VARCHAR } = this.duckdb;
    const reader = await this.connection.runAndReadAll(
      'select json_serialize_sql(s) from unnest($1) with ordinality as t(s, i) order by i',
      [listValue([...sqls])],
      [LIST(VARCHAR)],
    );
    const parsed: ParsedSql[] = [];
    for (const [json] of reader.getRows()) parsed.push(await this.tree(String(json)));
    return parsed;
  }

  close(): void {
    this.connection.closeSync();
    this.instance.closeSync();
  }

  private async tree(json: string): Promise<ParsedSql> {
    const parsed = JSON.parse(json) as { error: boolean; error_message?: string; statements?: { node: QueryNode }[] };
    if (parsed.error) return { error: parsed.error_message ?? 'unknown parser error' };
    if (parsed.statements!.length !== 1)
      return { error: `expected one SELECT statement, found ${parsed.statements!.length}` };
    const tree = parsed.statements![0]!.node;
    try {
      await this.nameExpressions(tree);
    } catch (error) {
      return { error: `cannot name an unaliased select item: ${(error as Error).message}` };
    }
    return { tree };
  }

  /** Gives each unaliased computed select item the name DuckDB gives its column: the expression's text. */
  private async nameExpressions(tree: QueryNode): Promise<void> {
    for (const item of unnamedItems(tree)) item.alias = await this.text(item);
  }

  /** `SELECT <expr>` printed back by DuckDB (json_deserialize_sql), from the tree of `select 1` with <expr> put in. */
  private async text(expr: Expr): Promise<string> {
    const reader = await this.connection.runAndReadAll("select json_serialize_sql('select 1')");
    const statement = JSON.parse(String(reader.getRows()[0]![0])) as {
      statements: { node: { select_list: Expr[] } }[];
    };
    statement.statements[0]!.node.select_list = [expr];
    // Positions are dropped: JSON numbers cannot carry the "unknown" marker (2^64 - 1) exactly.
    const json = JSON.stringify(statement, (key, value: unknown) => (key === 'query_location' ? undefined : value));
    const printed = await this.connection.runAndReadAll('select json_deserialize_sql($1::json)', [json]);
    return String(printed.getRows()[0]![0]).replace(/^SELECT /, '');
  }
}

/** The computed select items without an alias, in every SELECT of the tree. */
function unnamedItems(value: unknown, found: Expr[] = []): Expr[] {
  if (Array.isArray(value)) {
    for (const item of value) unnamedItems(item, found);
  } else if (value && typeof value === 'object') {
    const node = value as Record<string, unknown>;
    if (node.type === 'SELECT_NODE')
      found.push(
        ...(node.select_list as Expr[]).filter(
          (item) => !item.alias && item.class !== 'COLUMN_REF' && item.class !== 'STAR',
        ),
      );
    for (const child of Object.values(node)) unnamedItems(child, found);
  }
  return found;
}
