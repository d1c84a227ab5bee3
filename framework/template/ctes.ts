/**
 * Prepend CTEs to a query. A query that already starts with WITH gets ours added to its list, so
 * the result stays one statement both engines accept.
 */
export function withCtes(sql: string, ctes: { name: string; sql: string }[]): string {
  if (!ctes.length) return sql;
  const defs = ctes.map((c) => `${c.name} as (\n${c.sql}\n)`).join(',\n');
  const leading = /^(\s*(?:--[^\n]*\n\s*|\/\*[\s\S]*?\*\/\s*)*)with(\s+recursive)?\s/i.exec(sql);
  if (leading) {
    const head = leading[0];
    return `${head}${defs},\n${sql.slice(head.length)}`;
  }
  return `with ${defs}\n${sql}`;
}
