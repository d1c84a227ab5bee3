import { parseQuery, type Expr, type FromItem, type Query, type Select, type SetExpr } from './sql-parse.js';
import { tokenize } from './sql-tokens.js';

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

export function columnLineage(sql: string, options: LineageOptions = {}): LineageResult {
  let query: Query;
  try {
    query = parseQuery(tokenize(sql));
  } catch (error) {
    return { error: `cannot parse the SQL: ${(error as Error).message}` };
  }
  return new Resolver(options).query(query, undefined);
}

type Outputs = Extract<LineageResult, { complete: boolean }>;

/** What a name in an expression resolves to; like ColumnLineage without the output name. */
type Resolution = Omit<ColumnLineage, 'name'>;

interface CteEntry {
  name: string;
  columns?: string[];
  query: Query;
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
  /** Table functions and VALUES: what they hold is not in the SQL. */
  opaque?: { kind: 'function' | 'values'; name: string };
  /** Renamed columns: FROM t AS x(a, b). */
  columnAliases?: string[];
}

interface Scope {
  bindings: Binding[];
  using: Set<string>;
  parent?: Scope;
  /** Earlier select items, which DuckDB lets later ones refer to by alias. */
  items: ColumnLineage[];
}

class Resolver {
  constructor(private readonly options: LineageOptions) {}

  query(query: Query, ctes: Ctes | undefined, outer?: Scope): Outputs {
    const scope: Ctes = { ...(ctes ? { parent: ctes } : {}), entries: new Map() };
    for (const cte of query.ctes) scope.entries.set(cte.name.toLowerCase(), { name: cte.name, query: cte.query, scope, ...(cte.columns ? { columns: cte.columns } : {}) });
    return this.setExpr(query.body, scope, outer);
  }

  private setExpr(body: SetExpr, ctes: Ctes, outer?: Scope): Outputs {
    if (body.kind === 'select') return this.select(body.select, ctes, outer);
    if (body.kind === 'query') return this.query(body.query, ctes, outer);
    const left = this.setExpr(body.left, ctes, outer);
    const right = this.setExpr(body.right, ctes, outer);
    if (left.complete && right.complete && left.columns.length !== right.columns.length) {
      return { columns: left.columns.map((c) => unknown(c.name, 'the branches of a set operation have different column counts')), complete: true };
    }
    // Set operations match columns by position; names come from the first branch.
    const columns = left.columns.map((c, i) => {
      const other = right.columns[i];
      return other ? { name: c.name, ...merge([c, other]) } : unknown(c.name, 'the other branch of the set operation has columns of unknown count');
    });
    return { columns, complete: left.complete && right.complete };
  }

  private select(select: Select, ctes: Ctes, outer?: Scope): Outputs {
    const scope: Scope = { bindings: select.from.map((f) => this.bind(f, ctes, outer)), using: new Set(select.using.map((u) => u.toLowerCase())), items: [], ...(outer ? { parent: outer } : {}) };
    let complete = true;
    for (const item of select.items) {
      if (item.kind === 'expr') {
        const resolution = this.expr(item.expr, scope, ctes);
        scope.items.push({ name: item.alias ?? (item.expr.bare ? item.expr.bare.at(-1)! : item.expr.text), ...resolution });
        continue;
      }
      const bindings = item.qualifier ? scope.bindings.filter((b) => matches(b, item.qualifier!)) : scope.bindings;
      if (item.qualifier && !bindings.length) {
        complete = false;
        continue;
      }
      const exclude = new Set(item.exclude.map((e) => e.toLowerCase()));
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
          if (!item.qualifier && scope.using.has(key)) {
            if (seenUsing.has(key)) continue;
            seenUsing.add(key);
          }
          scope.items.push({ name, ...this.column(binding, name) });
        }
      }
    }
    return { columns: scope.items, complete };
  }

  private bind(item: FromItem, ctes: Ctes, outer?: Scope): Binding {
    const alias = item.alias.toLowerCase();
    const columnAliases = item.columns ? { columnAliases: item.columns } : {};
    if (item.kind === 'function' || item.kind === 'values') return { alias, opaque: { kind: item.kind, name: item.kind === 'function' ? item.name : 'VALUES' }, ...columnAliases };
    if (item.kind === 'subquery') {
      let cached: Outputs | undefined;
      return { alias, outputs: () => (cached ??= this.query(item.query, ctes, outer)), ...columnAliases };
    }
    const cte = item.parts.length === 1 ? findCte(ctes, item.parts[0]!.toLowerCase()) : undefined;
    if (!cte) return { alias, relation: item.parts.join('.').toLowerCase(), ...columnAliases };
    const outputs = () => this.cteOutputs(cte);
    if (this.options.opaqueCte?.(cte.name)) return { alias, relation: cte.name.toLowerCase(), outputs, ...columnAliases };
    return { alias, outputs, ...columnAliases };
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
    const label = binding.relation ?? binding.opaque?.name ?? (binding.alias || 'a subquery');
    if (binding.columnAliases) {
      const index = binding.columnAliases.findIndex((c) => c.toLowerCase() === name.toLowerCase());
      const original = index < 0 ? undefined : this.originalName(binding, index);
      if (!original) return unknownResolution(`cannot tell which column of ${label} is renamed to "${name}"`);
      name = original;
    }
    if (binding.opaque) {
      return binding.opaque.kind === 'values' ? { kind: 'constant', sources: [] } : unknownResolution(`read from the table function ${binding.opaque.name}`);
    }
    if (binding.relation) return { kind: 'column', sources: [{ relation: binding.relation, column: name }] };
    const outputs = binding.outputs!();
    const found = outputs.columns.find((c) => c.name.toLowerCase() === name.toLowerCase());
    if (found) return withoutName(found);
    return unknownResolution(outputs.complete ? `${label} has no column "${name}"` : `the columns of ${label} are not known (select *)`);
  }

  private originalName(binding: Binding, index: number): string | undefined {
    const names = binding.outputs ? binding.outputs().columns.map((c) => c.name) : binding.relation ? this.options.columnsOf?.(binding.relation) : undefined;
    return names?.[index];
  }

  private expr(expr: Expr, scope: Scope, ctes: Ctes): Resolution {
    const parts: Resolution[] = expr.refs.map((ref) => this.ref(ref, scope));
    for (const sub of expr.subqueries) parts.push(...this.query(sub, ctes, scope).columns);
    if (expr.bare) return parts[0]!;
    const merged = merge(parts);
    if (merged.kind === 'unknown' || (merged.kind === 'constant' && !expr.rowStar)) return merged;
    return { kind: 'expression', sources: merged.sources };
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
    if (withColumn.length === 1 && !unknownColumns.length) return this.column(withColumn[0]!, name);
    if (withColumn.length > 1) {
      if (scope.using.has(key)) return merge(withColumn.map((b) => this.column(b, name)));
      return unknownResolution(`"${name}" is in several tables: ${withColumn.map(labelOf).join(', ')}`);
    }
    if (!withColumn.length && unknownColumns.length === 1 && scope.bindings.length === 1) return this.column(unknownColumns[0]!, name);
    if (unknownColumns.length) {
      const candidates = [...withColumn, ...unknownColumns].map(labelOf).join(', ');
      return { ...merge(withColumn.map((b) => this.column(b, name))), kind: 'unknown', note: `"${name}" may come from ${candidates} (columns not known)` };
    }
    const item = scope.items.find((i) => i.name.toLowerCase() === key);
    if (item) return withoutName(item);
    if (scope.parent) return this.unqualified(name, scope.parent);
    return unknownResolution(`"${name}" is not a column of ${scope.bindings.map(labelOf).join(', ') || 'anything in FROM'}`);
  }
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
  return binding.alias === q.at(-1) && !!binding.relation && (binding.relation === q.join('.') || binding.relation.endsWith(`.${q.join('.')}`));
}

function labelOf(binding: Binding): string {
  return binding.alias || binding.relation || 'a subquery';
}

function rename(outputs: Outputs, names: string[]): Outputs {
  return { columns: outputs.columns.map((c, i) => ({ ...c, name: names[i] ?? c.name })), complete: outputs.complete };
}

/** Sources of all parts; the weakest kind wins (unknown > expression > column > constant). */
function merge(parts: Resolution[]): Resolution {
  const sources: ColumnSource[] = [];
  const seen = new Set<string>();
  const notes: string[] = [];
  for (const part of parts) {
    for (const s of part.sources) {
      const key = `${s.relation}\u0000${s.column.toLowerCase()}`;
      if (!seen.has(key)) {
        seen.add(key);
        sources.push(s);
      }
    }
    if (part.note && !notes.includes(part.note)) notes.push(part.note);
  }
  const rank: LineageKind[] = ['constant', 'column', 'expression', 'unknown'];
  const kinds = new Set(parts.map((p) => p.kind));
  let kind = rank.reduce((weakest, k) => (kinds.has(k) ? k : weakest), 'constant');
  // A constant in one branch and a column in another is a computed value, not a copy.
  if (kind === 'column' && kinds.has('constant')) kind = 'expression';
  return { kind, sources, ...(notes.length && kind === 'unknown' ? { note: notes.join('; ') } : {}) };
}

function withoutName(column: ColumnLineage): Resolution {
  return { kind: column.kind, sources: column.sources, ...(column.note ? { note: column.note } : {}) };
}

function unknownResolution(note: string): Resolution {
  return { kind: 'unknown', sources: [], note };
}

function unknown(name: string, note: string): ColumnLineage {
  return { name, ...unknownResolution(note) };
}
