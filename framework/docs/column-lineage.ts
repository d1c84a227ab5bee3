import {
  byName,
  CONSTANT,
  merge,
  rename,
  unknown,
  unknownResolution,
  withoutName,
  type Outputs,
  type Resolution,
} from './lineage-resolution.js';
import type { CteMap, Expr, ParsedSql, QueryNode, TableRef } from '../adapters/duckdb/sql-tree.js';

/**
 * Column-level lineage of one compiled model: for each output column, the columns of the relations
 * in its FROM clauses that it derives from, looking through CTEs and subqueries. Where the SQL does
 * not say (an unqualified name with several candidate tables, `*` over a table of unknown columns,
 * a table function), the column is `unknown` with a note, never a guess.
 */
export interface ColumnSource {
  /** Lower-cased relation as written (`schema.table`), or an opaque CTE's name. */
  relation: string;
  column: string;
}

/** column: copied (maybe renamed); expression: computed from sources; constant: from no column. */
export type LineageKind = 'column' | 'expression' | 'constant' | 'unknown';

export interface ColumnLineage {
  name: string;
  kind: LineageKind;
  sources: ColumnSource[];
  note?: string;
}

export interface LineageOptions {
  /** Column names of a relation (from the warehouse), for `*` and unqualified names; undefined if unknown. */
  columnsOf?(relation: string): string[] | undefined;
  /** CTEs to report as relations rather than look through (the ephemeral models the compiler inlines). */
  opaqueCte?(name: string): boolean;
}

/** complete is false when a `*` could not be expanded, so some output columns are missing. */
export type LineageResult = { columns: ColumnLineage[]; complete: boolean } | { error: string };

/** The lineage of one query, from its tree (SqlParser.parse). */
export function columnLineage(parsed: ParsedSql, options: LineageOptions = {}): LineageResult {
  if ('error' in parsed) return { error: `cannot parse the SQL: ${parsed.error}` };
  return new Resolver(options).query(parsed.tree, undefined);
}

interface CteEntry {
  name: string;
  columns?: string[];
  query: QueryNode;
  scope: Ctes;
  outputs?: Outputs;
  resolving?: boolean;
}

interface Ctes {
  parent?: Ctes;
  entries: Map<string, CteEntry>;
}

interface Binding {
  alias: string;
  /** A base relation (or opaque CTE) key. */
  relation?: string;
  outputs?: () => Outputs;
  /** Table functions and PIVOTs: what they hold is not in the SQL. */
  opaque?: string;
  /** Renamed columns: FROM t AS x(a, b). */
  columnAliases?: string[];
}

interface Scope {
  bindings: Binding[];
  using: Set<string>;
  parent?: Scope;
  /** Earlier select items, which DuckDB lets later ones refer to by alias. */
  items: ColumnLineage[];
  /** Lambda parameters in the expression being read: not columns. */
  lambda?: Set<string>;
}

/** Names DuckDB's parser reads as column references but binds as functions when no column has them. */
const SPECIAL_VALUES = new Set([
  'current_date',
  'current_time',
  'current_timestamp',
  'localtime',
  'localtimestamp',
  'current_user',
]);

class Resolver {
  constructor(private readonly options: LineageOptions) {}

  query(node: QueryNode, ctes: Ctes | undefined, outer?: Scope): Outputs {
    const scope: Ctes = { ...(ctes ? { parent: ctes } : {}), entries: new Map() };
    for (const { key, value } of cteList(node.cte_map)) {
      scope.entries.set(key.toLowerCase(), {
        name: key,
        query: value.query.node,
        scope,
        ...(value.aliases?.length ? { columns: value.aliases } : {}),
      });
    }
    if (node.type === 'SELECT_NODE') return this.select(node, scope, outer);
    if (node.type === 'CTE_NODE') return this.query(node.child, scope, outer);
    const left = this.query(node.left, scope, outer);
    const right = this.query(node.right, scope, outer);
    if (node.setop_type === 'UNION_BY_NAME') return byName(left, right);
    if (left.complete && right.complete && left.columns.length !== right.columns.length) {
      return {
        columns: left.columns.map((c) =>
          unknown(c.name, 'the branches of a set operation have different column counts'),
        ),
        complete: true,
      };
    }
    // Set operations match columns by position; names come from the first branch.
    const columns = left.columns.map((c, i) => {
      const other = right.columns[i];
      return other
        ? { name: c.name, ...merge([c, other]) }
        : unknown(c.name, 'the other branch of the set operation has columns of unknown count');
    });
    return { columns, complete: left.complete && right.complete };
  }

  private select(select: Extract<QueryNode, { type: 'SELECT_NODE' }>, ctes: Ctes, outer?: Scope): Outputs {
    const using = new Set<string>();
    const scope: Scope = {
      bindings: this.bindAll(select.from_table, ctes, using, outer),
      using,
      items: [],
      ...(outer ? { parent: outer } : {}),
    };
    let complete = true;
    for (const item of select.select_list) {
      if (item.class !== 'STAR') {
        const resolution = this.expr(item, scope, ctes);
        scope.items.push({ name: item.alias || item.column_names!.at(-1)!, ...resolution });
        continue;
      }
      if (item.columns || item.expr) {
        complete = false; // COLUMNS(...): which columns match is decided at bind time.
        continue;
      }
      const qualifier = item.relation_name?.toLowerCase();
      const bindings = qualifier ? scope.bindings.filter((b) => b.alias === qualifier) : scope.bindings;
      if (qualifier && !bindings.length) {
        complete = false;
        continue;
      }
      const exclude = new Set(
        [...(item.exclude_list ?? []), ...(item.qualified_exclude_list ?? []).map((e) => e.column)].map((e) =>
          e.toLowerCase(),
        ),
      );
      const replace = new Map((item.replace_list ?? []).map((r) => [r.key.toLowerCase(), r.value]));
      const renames = new Map((item.rename_list ?? []).map((r) => [r.key.column.toLowerCase(), r.value]));
      const seenUsing = new Set<string>();
      for (const binding of bindings) {
        const names = this.columnsOf(binding);
        if (!names) {
          complete = false;
          continue;
        }
        for (const name of names) {
          const key = name.toLowerCase();
          if (exclude.has(key)) continue;
          // SELECT * over JOIN ... USING shows the shared column once.
          if (!qualifier && scope.using.has(key)) {
            if (seenUsing.has(key)) continue;
            seenUsing.add(key);
          }
          const replacement = replace.get(key);
          scope.items.push({
            name: renames.get(key) ?? name,
            ...(replacement ? this.expr(replacement, scope, ctes) : this.column(binding, name)),
          });
        }
      }
    }
    return { columns: scope.items, complete };
  }

  /** The FROM clause's items, left to right through its joins; collects the JOIN ... USING columns. */
  private bindAll(ref: TableRef, ctes: Ctes, using: Set<string>, outer?: Scope): Binding[] {
    if (ref.type === 'EMPTY') return [];
    if (ref.type === 'JOIN') {
      for (const column of ref.using_columns ?? []) using.add(column.toLowerCase());
      return [...this.bindAll(ref.left!, ctes, using, outer), ...this.bindAll(ref.right!, ctes, using, outer)];
    }
    return [this.bind(ref, ctes, outer)];
  }

  private bind(ref: TableRef, ctes: Ctes, outer?: Scope): Binding {
    const columnAliases = ref.column_name_alias?.length ? { columnAliases: ref.column_name_alias } : {};
    const alias = (ref.alias || ref.table_name || '').toLowerCase();
    if (ref.type === 'SUBQUERY' || ref.type === 'EXPRESSION_LIST') {
      let cached: Outputs | undefined;
      const outputs = () =>
        (cached ??= ref.subquery ? this.query(ref.subquery.node, ctes, outer) : this.values(ref.values!, ctes, outer));
      return { alias, outputs, ...columnAliases };
    }
    if (ref.type !== 'BASE_TABLE') {
      const what =
        ref.type === 'TABLE_FUNCTION' ? `the table function ${ref.function?.function_name ?? ''}` : `a ${ref.type}`;
      return { alias, opaque: what, ...columnAliases };
    }
    const cte = !ref.schema_name && !ref.catalog_name ? findCte(ctes, ref.table_name!.toLowerCase()) : undefined;
    if (!cte)
      return {
        alias,
        relation: [ref.catalog_name, ref.schema_name, ref.table_name].filter(Boolean).join('.').toLowerCase(),
        ...columnAliases,
      };
    const outputs = () => this.cteOutputs(cte);
    if (this.options.opaqueCte?.(cte.name))
      return { alias, relation: cte.name.toLowerCase(), outputs, ...columnAliases };
    return { alias, outputs, ...columnAliases };
  }

  /** VALUES rows: DuckDB names their columns col0, col1, …; each takes what its expressions hold. */
  private values(rows: Expr[][], ctes: Ctes, outer?: Scope): Outputs {
    const scope: Scope = { bindings: [], using: new Set(), items: [], ...(outer ? { parent: outer } : {}) };
    const columns = (rows[0] ?? []).map((_, i) => ({
      name: `col${i}`,
      ...merge(rows.map((row) => this.expr(row[i]!, scope, ctes))),
    }));
    return { columns, complete: true };
  }

  private cteOutputs(cte: CteEntry): Outputs {
    if (cte.outputs) return cte.outputs;
    // A recursive CTE refers to itself: its own columns are what is being computed.
    if (cte.resolving) return { columns: [], complete: false };
    cte.resolving = true;
    const outputs = this.query(cte.query, cte.scope);
    cte.resolving = false;
    cte.outputs = cte.columns ? rename(outputs, cte.columns) : outputs;
    return cte.outputs;
  }

  /** Output column names of a FROM item, or undefined when the SQL does not tell. */
  private columnsOf(binding: Binding): string[] | undefined {
    if (binding.columnAliases) return binding.columnAliases;
    if (binding.outputs) {
      const outputs = binding.outputs();
      return outputs.complete ? outputs.columns.map((c) => c.name) : undefined;
    }
    if (binding.relation) return this.options.columnsOf?.(binding.relation);
    return undefined;
  }

  /** One column of a FROM item. */
  private column(binding: Binding, name: string): Resolution {
    const label = binding.relation ?? binding.opaque ?? (binding.alias || 'a subquery');
    if (binding.columnAliases) {
      const index = binding.columnAliases.findIndex((c) => c.toLowerCase() === name.toLowerCase());
      const original = index < 0 ? undefined : this.originalName(binding, index);
      if (!original) return unknownResolution(`cannot tell which column of ${label} is renamed to "${name}"`);
      name = original;
    }
    if (binding.opaque) return unknownResolution(`read from ${binding.opaque}`);
    if (binding.relation) return { kind: 'column', sources: [{ relation: binding.relation, column: name }] };
    const outputs = binding.outputs!();
    const found = outputs.columns.find((c) => c.name.toLowerCase() === name.toLowerCase());
    if (found) return withoutName(found);
    return unknownResolution(
      outputs.complete ? `${label} has no column "${name}"` : `the columns of ${label} are not known (select *)`,
    );
  }

  private originalName(binding: Binding, index: number): string | undefined {
    const names = binding.outputs
      ? binding.outputs().columns.map((c) => c.name)
      : binding.relation
        ? this.options.columnsOf?.(binding.relation)
        : undefined;
    return names?.[index];
  }

  /** A select item: one column reference is a copy; anything else computes from what it mentions. */
  private expr(expr: Expr, scope: Scope, ctes: Ctes): Resolution {
    if (expr.class === 'COLUMN_REF') return this.ref(expr.column_names!, scope);
    const parts: Resolution[] = [];
    const rowDependent = this.scan(expr, scope, ctes, parts);
    const merged = merge(parts);
    if (merged.kind === 'unknown' || (merged.kind === 'constant' && !rowDependent)) return merged;
    return { kind: 'expression', sources: merged.sources };
  }

  /**
   * Collects what an expression mentions, whatever its kind (DuckDB has dozens): column references,
   * scalar subqueries, lambda bodies. True when it counts or ranks rows (count(*), window functions).
   */
  private scan(value: unknown, scope: Scope, ctes: Ctes, parts: Resolution[]): boolean {
    if (Array.isArray(value))
      return value.reduce((found: boolean, item) => this.scan(item, scope, ctes, parts) || found, false);
    if (!value || typeof value !== 'object') return false;
    const expr = value as Expr;
    if (expr.class === 'COLUMN_REF') {
      if (!scope.lambda?.has(expr.column_names![0]!.toLowerCase())) parts.push(this.ref(expr.column_names!, scope));
      return false;
    }
    if (expr.class === 'STAR') {
      parts.push(
        unknownResolution('a * or COLUMNS(...) inside an expression: its columns are chosen when the query is bound'),
      );
      return false;
    }
    if (expr.class === 'SUBQUERY') {
      // EXISTS only tests for rows; a scalar or IN subquery passes its column on.
      if (expr.subquery_type !== 'EXISTS') parts.push(...this.query(expr.subquery!.node, ctes, scope).columns);
      return this.scan(expr.child, scope, ctes, parts);
    }
    if (expr.class === 'LAMBDA') {
      const params =
        expr.lhs!.class === 'COLUMN_REF' ? [expr.lhs!] : ((expr.lhs!.children as Expr[] | undefined) ?? []);
      const lambda = new Set([...(scope.lambda ?? []), ...params.map((p) => p.column_names![0]!.toLowerCase())]);
      return this.scan(expr.expr, { ...scope, lambda }, ctes, parts);
    }
    let rowDependent = expr.class === 'WINDOW' || expr.function_name === 'count_star';
    for (const child of Object.values(expr)) rowDependent = this.scan(child, scope, ctes, parts) || rowDependent;
    return rowDependent;
  }

  private ref(parts: string[], scope: Scope): Resolution {
    const lower = parts.map((p) => p.toLowerCase());
    const column = parts.at(-1)!;
    if (parts.length === 1) return this.unqualified(column, scope);
    for (let s: Scope | undefined = scope; s; s = s.parent) {
      const binding = s.bindings.find((b) => matches(b, lower.slice(0, -1)));
      if (binding) return this.column(binding, column);
    }
    // Not a table qualifier: a struct field, t.struct_col.field or struct_col.field.
    for (let s: Scope | undefined = scope; s; s = s.parent) {
      const binding = s.bindings.find((b) => b.alias === lower[0]);
      if (binding && parts.length > 2) return this.column(binding, parts[1]!);
    }
    const struct = this.unqualified(parts[0]!, scope);
    if (struct.kind !== 'unknown') return struct;
    return unknownResolution(`cannot resolve "${parts.join('.')}"`);
  }

  private unqualified(name: string, scope: Scope): Resolution {
    const key = name.toLowerCase();
    const withColumn: Binding[] = [];
    const unknownColumns: Binding[] = [];
    for (const binding of scope.bindings) {
      const names = this.columnsOf(binding);
      if (!names) unknownColumns.push(binding);
      else if (names.some((n) => n.toLowerCase() === key)) withColumn.push(binding);
    }
    if (!withColumn.length && SPECIAL_VALUES.has(key)) return CONSTANT;
    if (withColumn.length === 1 && !unknownColumns.length) return this.column(withColumn[0]!, name);
    if (withColumn.length > 1) {
      if (scope.using.has(key)) return merge(withColumn.map((b) => this.column(b, name)));
      return unknownResolution(`"${name}" is in several tables: ${withColumn.map(labelOf).join(', ')}`);
    }
    if (!withColumn.length && unknownColumns.length === 1 && scope.bindings.length === 1)
      return this.column(unknownColumns[0]!, name);
    if (unknownColumns.length) {
      const candidates = [...withColumn, ...unknownColumns].map(labelOf).join(', ');
      return {
        ...merge(withColumn.map((b) => this.column(b, name))),
        kind: 'unknown',
        note: `"${name}" may come from ${candidates} (columns not known)`,
      };
    }
    const item = scope.items.find((i) => i.name.toLowerCase() === key);
    if (item) return withoutName(item);
    if (scope.parent) return this.unqualified(name, scope.parent);
    return unknownResolution(
      `"${name}" is not a column of ${scope.bindings.map(labelOf).join(', ') || 'anything in FROM'}`,
    );
  }
}

function cteList(map: CteMap | undefined): NonNullable<CteMap['map']> {
  return map?.map ?? [];
}

function findCte(ctes: Ctes | undefined, name: string): CteEntry | undefined {
  for (let c = ctes; c; c = c.parent) {
    const entry = c.entries.get(name);
    if (entry) return entry;
  }
  return undefined;
}

/** Does `t` / `schema.t` (lower-cased) name this FROM item? */
function matches(binding: Binding, qualifier: string[]): boolean {
  const q = qualifier.map((p) => p.toLowerCase());
  if (q.length === 1) return binding.alias === q[0];
  return (
    binding.alias === q.at(-1) &&
    !!binding.relation &&
    (binding.relation === q.join('.') || binding.relation.endsWith(`.${q.join('.')}`))
  );
}

function labelOf(binding: Binding): string {
  return binding.alias || binding.relation || 'a subquery';
}
