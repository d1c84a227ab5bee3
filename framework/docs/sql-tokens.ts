/** Lexical tokens of DuckDB/Trino SQL, enough for column lineage: comments dropped, quoting resolved. */
export type TokenKind = 'word' | 'quoted' | 'string' | 'number' | 'op';

export interface Token {
  kind: TokenKind;
  /** Words lower-cased (SQL folds them); quoted identifiers and strings as written, unescaped. */
  value: string;
  /** Source text, for naming unaliased expressions. */
  text: string;
}

const OPERATORS = ['::', '->>', '->', '||', '<=', '>=', '<>', '!=', ':=', '=>', '**'];

export function tokenize(sql: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const push = (kind: TokenKind, value: string, end: number) => {
    tokens.push({ kind, value, text: sql.slice(i, end) });
    i = end;
  };
  while (i < sql.length) {
    const c = sql[i]!;
    if (/\s/.test(c)) i++;
    else if (sql.startsWith('--', i)) i = lineEnd(sql, i);
    else if (sql.startsWith('/*', i)) {
      const end = sql.indexOf('*/', i + 2);
      if (end < 0) throw new Error('unterminated /* comment');
      i = end + 2;
    } else if (c === "'" || ((c === 'e' || c === 'E') && sql[i + 1] === "'")) {
      const start = c === "'" ? i : i + 1;
      const end = quotedEnd(sql, start, "'");
      push('string', sql.slice(start + 1, end - 1).replaceAll("''", "'"), end);
    } else if (c === '"') {
      const end = quotedEnd(sql, i, '"');
      push('quoted', sql.slice(i + 1, end - 1).replaceAll('""', '"'), end);
    } else if (/[A-Za-z_\u0080-\uffff]/.test(c)) {
      const end = scan(sql, i, /[A-Za-z0-9_$\u0080-\uffff]/);
      push('word', sql.slice(i, end).toLowerCase(), end);
    } else if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(sql[i + 1] ?? ''))) {
      const m = /^(?:[0-9]*\.?[0-9]+|[0-9]+\.)(?:e[+-]?[0-9]+)?/i.exec(sql.slice(i))!;
      push('number', m[0], i + m[0].length);
    } else {
      const op = OPERATORS.find((o) => sql.startsWith(o, i)) ?? c;
      push('op', op, i + op.length);
    }
  }
  return tokens;
}

function lineEnd(sql: string, i: number): number {
  const end = sql.indexOf('\n', i);
  return end < 0 ? sql.length : end + 1;
}

/** End (exclusive) of a quoted run starting at `start`; a doubled quote is an escaped one. */
function quotedEnd(sql: string, start: number, quote: string): number {
  let i = start + 1;
  for (;;) {
    const next = sql.indexOf(quote, i);
    if (next < 0) throw new Error(`unterminated ${quote} quote`);
    if (sql[next + 1] !== quote) return next + 1;
    i = next + 2;
  }
}

function scan(sql: string, i: number, re: RegExp): number {
  let end = i + 1;
  while (end < sql.length && re.test(sql[end]!)) end++;
  return end;
}
