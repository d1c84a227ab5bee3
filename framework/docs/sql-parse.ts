import type { Token } from './sql-tokens.js';

/**
 * A shallow parse of a SELECT for column lineage: the query's structure (CTEs, set operations,
 * select lists, FROM items) is parsed; expressions are only scanned for the columns and subqueries
 * they mention. WHERE, GROUP BY and the rest are skipped: they filter rows, they don't make columns.
 */
export interface Query {
  ctes: Cte[];
  body: SetExpr;
}

export interface Cte {
  name: string;
  columns?: string[];
  query: Query;
}

export type SetExpr = { kind: 'select'; select: Select } | { kind: 'set'; left: SetExpr; right: SetExpr } | { kind: 'query'; query: Query };

export interface Select {
  items: SelectItem[];
  from: FromItem[];
  /** Columns of JOIN ... USING: the same value on both sides. */
  using: string[];
}

export type SelectItem = { kind: 'star'; qualifier?: string[]; exclude: string[] } | { kind: 'expr'; expr: Expr; alias?: string };

export interface Expr {
  /** Column references as written: ['col'], ['t', 'col'], ['schema', 'table', 'col']. */
  refs: string[][];
  subqueries: Query[];
  /** A `*` argument (count(*)): the value depends on rows, not on any column. */
  rowStar: boolean;
  /** Set when the whole expression is one column reference. */
  bare?: string[];
  text: string;
}

export type FromItem =
  | { kind: 'table'; parts: string[]; alias: string; columns?: string[] }
  | { kind: 'subquery'; query: Query; alias: string; columns?: string[] }
  | { kind: 'function'; name: string; alias: string; columns?: string[] }
  | { kind: 'values'; alias: string; columns?: string[] };

/** Words that end a select item, an ON condition or a FROM item. */
const CLAUSE_END = new Set(
  'from where group having window qualify order limit offset fetch union intersect except on using join left right inner outer full cross natural semi anti asof positional lateral tablesample pivot unpivot returning into'.split(' '),
);
/** Words that may follow a complete operand inside an expression (so they are not an implicit alias). */
const CONTINUES = new Set('and or is not in like ilike glob similar between collate at over filter within escape isnull notnull then when else end'.split(' '));
/** Words that never name a column in an expression. */
const KEYWORDS = new Set(
  'and or not is case when then else end between in like ilike glob similar to escape distinct all any some exists over partition by order asc desc nulls unbounded preceding following filter where within group ignore respect both leading trailing for from as collate array'.split(' '),
);
const CONSTANTS = new Set('null true false current_date current_time current_timestamp localtime localtimestamp current_user'.split(' '));
const TYPED_LITERALS = new Set('date time timestamp timestamptz interval'.split(' '));
const INTERVAL_UNITS = /^(year|month|week|day|hour|minute|second|millisecond|microsecond|quarter|decade|century)s?$/;
const CLOSERS: Record<string, string> = { '(': ')', '[': ']', '{': '}' };
/** Join keywords that are also functions: `left(name, 3)`. */
const FUNCTION_WORDS = new Set(['left', 'right']);

export function parseQuery(tokens: Token[]): Query {
  const parser = new Parser(tokens);
  const query = parser.query();
  parser.end();
  return query;
}

class Parser {
  private i = 0;

  constructor(private readonly t: Token[]) {}

  end(): void {
    while (this.op(';')) this.i++;
    if (this.i < this.t.length) throw new Error(`unexpected "${this.t[this.i]!.text}" after the query`);
  }

  query(): Query {
    const ctes: Cte[] = [];
    if (this.word('with')) {
      this.i++;
      if (this.word('recursive')) this.i++;
      do {
        const name = this.identifier();
        const columns = this.op('(') ? this.identifierList() : undefined;
        this.expectWord('as');
        if (this.word('not')) this.i++;
        if (this.word('materialized')) this.i++;
        this.expectOp('(');
        const query = this.query();
        this.expectOp(')');
        ctes.push({ name, query, ...(columns ? { columns } : {}) });
      } while (this.op(',') && ++this.i);
    }
    return { ctes, body: this.setExpr() };
  }

  private setExpr(): SetExpr {
    let left = this.term();
    while (this.word('union') || this.word('intersect') || this.word('except')) {
      this.i++;
      if (this.word('all') || this.word('distinct')) this.i++;
      if (this.word('by') && this.word('name', 1)) throw new Error('UNION BY NAME is not supported');
      left = { kind: 'set', left, right: this.term() };
    }
    return left;
  }

  private term(): SetExpr {
    if (this.op('(')) {
      this.i++;
      const query = this.query();
      this.expectOp(')');
      this.skipClauses();
      return { kind: 'query', query };
    }
    if (this.word('select')) return { kind: 'select', select: this.select() };
    throw new Error(`expected SELECT, found "${this.peek()?.text ?? 'end of text'}"`);
  }

  private select(): Select {
    this.expectWord('select');
    if (this.word('distinct')) {
      this.i++;
      if (this.word('on')) {
        this.i++;
        this.skipGroup();
      }
    } else if (this.word('all')) this.i++;
    const select: Select = { items: [this.selectItem()], from: [], using: [] };
    while (this.op(',')) {
      this.i++;
      if (this.word('from') || this.endOfQuery()) break; // DuckDB allows a trailing comma
      select.items.push(this.selectItem());
    }
    if (this.word('from')) {
      this.i++;
      this.fromList(select);
      if (this.word('pivot') || this.word('unpivot')) throw new Error(`${this.peek()!.value.toUpperCase()} is not supported`);
    }
    this.skipClauses();
    return select;
  }

  private selectItem(): SelectItem {
    const star = this.starQualifier();
    if (star) {
      const exclude: string[] = [];
      if (this.word('exclude')) {
        this.i++;
        exclude.push(...(this.op('(') ? this.identifierList() : [this.identifier()]));
      }
      if (this.word('replace') || this.word('rename')) throw new Error(`* ${this.peek()!.value.toUpperCase()} is not supported`);
      return { kind: 'star', exclude, ...(star.length ? { qualifier: star } : {}) };
    }
    const expr = this.expr();
    if (this.word('as')) {
      this.i++;
      return { kind: 'expr', expr, alias: this.identifier() };
    }
    const next = this.peek();
    if (next && (next.kind === 'quoted' || (next.kind === 'word' && !CLAUSE_END.has(next.value)))) return { kind: 'expr', expr, alias: this.identifier() };
    return { kind: 'expr', expr };
  }

  /** `*` → [], `t.*` → ['t']; undefined (nothing consumed) when the item is not a star. */
  private starQualifier(): string[] | undefined {
    if (this.op('*')) {
      this.i++;
      return [];
    }
    const parts: string[] = [];
    let j = this.i;
    while (this.isName(this.t[j]) && this.t[j + 1]?.value === '.' && this.t[j + 1]?.kind === 'op') {
      parts.push(this.t[j]!.value);
      j += 2;
      if (this.t[j]?.kind === 'op' && this.t[j]!.value === '*') {
        this.i = j + 1;
        return parts;
      }
    }
    return undefined;
  }

  private fromList(select: Select): void {
    select.from.push(...this.fromItem());
    for (;;) {
      if (this.op(',')) {
        this.i++;
        select.from.push(...this.fromItem());
        continue;
      }
      if (!this.joinKeywords()) return;
      select.from.push(...this.fromItem());
      if (this.word('on')) {
        this.i++;
        this.expr();
      } else if (this.word('using')) {
        this.i++;
        select.using.push(...this.identifierList());
      }
    }
  }

  /** Consume `[natural] [left|right|full|inner|cross|semi|anti|asof|positional] [outer] join`. */
  private joinKeywords(): boolean {
    let j = this.i;
    while (['natural', 'left', 'right', 'full', 'inner', 'cross', 'semi', 'anti', 'asof', 'positional', 'outer'].includes(this.t[j]?.kind === 'word' ? this.t[j]!.value : '')) j++;
    if (this.t[j]?.kind !== 'word' || this.t[j]!.value !== 'join') return false;
    this.i = j + 1;
    return true;
  }

  private fromItem(): FromItem[] {
    if (this.word('lateral')) this.i++;
    if (this.op('(')) {
      this.i++;
      if (this.startsQuery()) {
        const query = this.query();
        this.expectOp(')');
        return [{ kind: 'subquery', query, ...this.aliasClause('') }];
      }
      // A parenthesised join: its items join the enclosing FROM.
      const inner: Select = { items: [], from: [], using: [] };
      this.fromList(inner);
      this.expectOp(')');
      this.aliasClause('');
      return inner.from;
    }
    if (this.word('values')) {
      this.i++;
      do this.skipGroup();
      while (this.op(',') && ++this.i);
      return [{ kind: 'values', ...this.aliasClause('values') }];
    }
    const parts = this.qualifiedName();
    if (this.op('(')) {
      this.skipGroup();
      return [{ kind: 'function', name: parts.join('.'), ...this.aliasClause(parts.at(-1)!) }];
    }
    return [{ kind: 'table', parts, ...this.aliasClause(parts.at(-1)!) }];
  }

  private aliasClause(fallback: string): { alias: string; columns?: string[] } {
    let alias = fallback;
    const next = this.peek();
    const named = this.word('as') || (!!next && (next.kind === 'quoted' || (next.kind === 'word' && !CLAUSE_END.has(next.value))));
    if (named) {
      if (this.word('as')) this.i++;
      alias = this.identifier();
    }
    const columns = named && this.op('(') ? this.identifierList() : undefined;
    return { alias, ...(columns ? { columns } : {}) };
  }

  /** A select item or ON condition: stops at a comma, an alias, a clause word or a closing bracket. */
  private expr(): Expr {
    const start = this.i;
    const expr: Expr = { refs: [], subqueries: [], rowStar: false, text: '' };
    let operand = false;
    for (;;) {
      const t = this.peek();
      if (!t || (t.kind === 'op' && [',', ';', ')', ']', '}'].includes(t.value))) break;
      if (t.kind === 'word' && (t.value === 'as' || (CLAUSE_END.has(t.value) && !(FUNCTION_WORDS.has(t.value) && this.op('(', 1))))) break;
      if (operand && (t.kind === 'quoted' || (t.kind === 'word' && !CONTINUES.has(t.value)))) break;
      operand = this.atom(expr);
    }
    if (this.i === start) throw new Error(`expected an expression, found "${this.peek()?.text ?? 'end of text'}"`);
    const only = expr.refs[0];
    if (expr.refs.length === 1 && !expr.subqueries.length && this.i - start === only!.length * 2 - 1) expr.bare = only;
    expr.text = this.t
      .slice(start, this.i)
      .map((t) => t.text)
      .join(' ');
    return expr;
  }

  /** Everything up to the bracket closing the current group (function arguments, OVER, CASE in parentheses). */
  private nested(expr: Expr): void {
    for (;;) {
      const t = this.peek();
      if (!t) throw new Error('unbalanced brackets');
      if (t.kind === 'op' && [')', ']', '}'].includes(t.value)) return;
      if (t.kind === 'word' && t.value === 'as') {
        // cast(x AS type): the rest of the group is a type name.
        this.skipUntilCloser();
        return;
      }
      this.atom(expr);
    }
  }

  /** One operand or operator; returns whether it completed an operand. */
  private atom(expr: Expr): boolean {
    const t = this.peek()!;
    if (t.kind === 'string' || t.kind === 'number') {
      this.i++;
      return true;
    }
    if (t.kind === 'op') {
      this.i++;
      if (t.value in CLOSERS) {
        if (t.value === '(' && this.startsQuery()) expr.subqueries.push(this.query());
        else this.nested(expr);
        this.expectOp(CLOSERS[t.value]!);
        return true;
      }
      if (t.value === '::') {
        this.typeName();
        return true;
      }
      if (t.value === '*' && !this.previousEndsOperand()) {
        expr.rowStar = true;
        return true;
      }
      return false;
    }
    if (t.kind === 'word') {
      const next = this.peek(1);
      if (TYPED_LITERALS.has(t.value) && (next?.kind === 'string' || (t.value === 'interval' && next?.kind === 'number'))) {
        this.i += 2;
        if (t.value === 'interval' && this.peek()?.kind === 'word' && INTERVAL_UNITS.test(this.peek()!.value)) this.i++;
        return true;
      }
      if (t.value === 'extract' && next?.value === '(') {
        this.i += 2;
        if (this.word('from', 1)) this.i++; // the date part: extract(year from ts)
        this.nested(expr);
        this.expectOp(')');
        return true;
      }
      if (t.value === 'at' && this.word('time', 1) && this.word('zone', 2)) {
        this.i += 3;
        return false;
      }
      if (t.value === 'over' && next?.kind === 'word') {
        this.i += 2; // a named window: OVER w
        return true;
      }
      if (CONSTANTS.has(t.value)) {
        this.i++;
        return true;
      }
      if (this.windowWord()) {
        this.i++;
        return false;
      }
      if (KEYWORDS.has(t.value)) {
        this.i++;
        return t.value === 'end';
      }
    }
    return this.nameOrCall(expr);
  }

  private nameOrCall(expr: Expr): boolean {
    const start = this.i;
    const parts = this.qualifiedName(true);
    if (this.op('(')) return this.atom(expr); // a function call: the name is not a column
    if (this.op(':=') || this.op('=>')) return false; // a named argument
    if (parts.at(-1) === '*') expr.rowStar = true;
    else expr.refs.push(parts);
    return this.i > start;
  }

  /** Frame words of a window (ROWS BETWEEN ... CURRENT ROW) that are also plausible column names. */
  private windowWord(): boolean {
    const t = this.peek()!;
    const next = this.peek(1);
    const previous = this.t[this.i - 1];
    if (['rows', 'range', 'groups'].includes(t.value)) return !!next && (next.kind === 'number' || ['between', 'unbounded', 'current'].includes(next.value));
    if (t.value === 'current') return next?.value === 'row';
    if (t.value === 'row') return previous?.value === 'current';
    if (t.value === 'first' || t.value === 'last') return previous?.value === 'nulls';
    return false;
  }

  private previousEndsOperand(): boolean {
    const p = this.t[this.i - 2];
    if (!p) return false;
    if (p.kind === 'op') return [')', ']', '}'].includes(p.value);
    return p.kind !== 'word' || !KEYWORDS.has(p.value) || p.value === 'end';
  }

  /** A type after `::`: a name (a few are several words), (precision), [] suffixes. */
  private typeName(): void {
    this.identifier();
    while (['precision', 'varying', 'with', 'without', 'time', 'zone'].includes(this.peek()?.kind === 'word' ? this.peek()!.value : '')) this.i++;
    if (this.op('(')) this.skipGroup();
    while (this.op('[') && this.op(']', 1)) this.i += 2;
  }

  private qualifiedName(allowStar = false): string[] {
    const parts = [this.identifier()];
    while (this.op('.')) {
      this.i++;
      if (allowStar && this.op('*')) {
        this.i++;
        parts.push('*');
        break;
      }
      parts.push(this.identifier());
    }
    return parts;
  }

  /** Skip WHERE ... LIMIT: up to a set operation, a closing bracket or the end. */
  private skipClauses(): void {
    for (;;) {
      const t = this.peek();
      if (!t || this.endOfQuery()) return;
      if (t.kind === 'op' && t.value in CLOSERS) this.skipGroup();
      else this.i++;
    }
  }

  private endOfQuery(): boolean {
    const t = this.peek();
    if (!t) return true;
    if (t.kind === 'op') return [')', ';'].includes(t.value);
    return t.kind === 'word' && ['union', 'intersect', 'except'].includes(t.value);
  }

  /** Skip one bracketed group, nested brackets included. */
  private skipGroup(): void {
    const open = this.peek()!;
    if (open.kind !== 'op' || !(open.value in CLOSERS)) throw new Error(`expected "(", found "${open.text}"`);
    this.i++;
    this.skipUntilCloser();
    this.expectOp(CLOSERS[open.value]!);
  }

  private skipUntilCloser(): void {
    for (;;) {
      const t = this.peek();
      if (!t) throw new Error('unbalanced brackets');
      if (t.kind === 'op' && [')', ']', '}'].includes(t.value)) return;
      if (t.kind === 'op' && t.value in CLOSERS) this.skipGroup();
      else this.i++;
    }
  }

  private startsQuery(): boolean {
    let j = this.i;
    while (this.t[j]?.kind === 'op' && this.t[j]!.value === '(') j++;
    const t = this.t[j];
    return t?.kind === 'word' && (t.value === 'select' || t.value === 'with');
  }

  private identifierList(): string[] {
    this.expectOp('(');
    const names = [this.identifier()];
    while (this.op(',')) {
      this.i++;
      names.push(this.identifier());
    }
    this.expectOp(')');
    return names;
  }

  private identifier(): string {
    const t = this.peek();
    if (!this.isName(t)) throw new Error(`expected a name, found "${t?.text ?? 'end of text'}"`);
    this.i++;
    return t!.value;
  }

  private isName(t: Token | undefined): boolean {
    return t?.kind === 'word' || t?.kind === 'quoted';
  }

  private peek(offset = 0): Token | undefined {
    return this.t[this.i + offset];
  }

  private word(value: string, offset = 0): boolean {
    const t = this.peek(offset);
    return t?.kind === 'word' && t.value === value;
  }

  private op(value: string, offset = 0): boolean {
    const t = this.peek(offset);
    return t?.kind === 'op' && t.value === value;
  }

  private expectWord(value: string): void {
    if (!this.word(value)) throw new Error(`expected ${value.toUpperCase()}, found "${this.peek()?.text ?? 'end of text'}"`);
    this.i++;
  }

  private expectOp(value: string): void {
    if (!this.op(value)) throw new Error(`expected "${value}", found "${this.peek()?.text ?? 'end of text'}"`);
    this.i++;
  }
}
