import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';

/**
 * SQL trees from DuckDB's own parser (`json_serialize_sql`), in its JSON form: the subset the
 * column lineage walks. DuckDB is used here as a library, in memory, whatever the target: its
 * parser reads the DuckDB-compiled SQL exactly and, being PostgreSQL-based, the Trino-compiled SQL
 * of the same models too (node-sql-parser's Trino and PostgreSQL grammars failed on 4 to 9 of the
 * 36 Reciping models; docs/architecture.md).
 */
export type QueryNode =
  | { type: 'SELECT_NODE'; cte_map?: CteMap; select_list: Expr[]; from_table: TableRef }
  | { type: 'SET_OPERATION_NODE' | 'RECURSIVE_CTE_NODE'; cte_map?: CteMap; setop_type?: string; left: QueryNode; right: QueryNode }
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

/** Parses one SELECT at a time on a private in-memory DuckDB; close() when done. */
export class SqlParser {
  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly connection: DuckDBConnection,
  ) {}

  static async open(): Promise<SqlParser> {
    const { DuckDBInstance } = await import('@duckdb/node-api');
    const instance = await DuckDBInstance.create(':memory:');
    return new SqlParser(instance, await instance.connect());
  }

  /** The query's tree, or why DuckDB's parser refused it (a syntax error, not a SELECT, several statements). */
  async parse(sql: string): Promise<{ tree: QueryNode } | { error: string }> {
    try {
      return await this.tree(sql);
    } catch (error) {
      return { error: (error as Error).message };
    }
  }

  close(): void {
    this.connection.closeSync();
    this.instance.closeSync();
  }

  private async tree(sql: string): Promise<{ tree: QueryNode } | { error: string }> {
    const parsed = JSON.parse(await this.value('select json_serialize_sql($1::varchar)', sql)) as {
      error: boolean;
      error_message?: string;
      statements?: { node: QueryNode }[];
    };
    if (parsed.error) return { error: parsed.error_message ?? 'unknown parser error' };
    if (parsed.statements!.length !== 1) return { error: `expected one SELECT statement, found ${parsed.statements!.length}` };
    const tree = parsed.statements![0]!.node;
    await this.nameExpressions(tree);
    return { tree };
  }

  /** Gives each unaliased computed select item the name DuckDB gives its column: the expression's text. */
  private async nameExpressions(value: unknown): Promise<void> {
    if (Array.isArray(value)) {
      for (const item of value) await this.nameExpressions(item);
      return;
    }
    if (!value || typeof value !== 'object') return;
    const node = value as Record<string, unknown>;
    if (node.type === 'SELECT_NODE') {
      for (const item of node.select_list as Expr[]) {
        if (!item.alias && item.class !== 'COLUMN_REF' && item.class !== 'STAR') item.alias = await this.text(item);
      }
    }
    for (const child of Object.values(node)) await this.nameExpressions(child);
  }

  private async text(expr: Expr): Promise<string> {
    const select = { type: 'SELECT_NODE', modifiers: [], cte_map: { map: [] }, select_list: [expr], from_table: { type: 'EMPTY', alias: '', sample: null }, where_clause: null, group_expressions: [], group_sets: [], aggregate_handling: 'STANDARD_HANDLING', having: null, sample: null, qualify: null };
    // Positions are dropped: JSON numbers cannot carry the "unknown" marker (2^64 - 1) exactly.
    const json = JSON.stringify({ statements: [{ node: select, named_param_map: [] }] }, (key, value: unknown) => (key === 'query_location' ? undefined : value));
    const sql = await this.value('select json_deserialize_sql($1::json)', json);
    return sql.replace(/^SELECT /, '');
  }

  private async value(sql: string, parameter: string): Promise<string> {
    const reader = await this.connection.runAndReadAll(sql, [parameter]);
    return String(reader.getRows()[0]![0]);
  }
}
