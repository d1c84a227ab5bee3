/**
 * Contracts compare a declared data_type with the type the engine reports for the query. Each
 * engine spells a type several ways (int, int4, integer, INTEGER; timestamptz), so a type is reduced
 * to its engine's canonical base name plus its parameters: `varchar(20)` is base `varchar`,
 * parameters `(20)`; `timestamp(6) with time zone` is base `timestamp with time zone`,
 * parameters `(6)`. A declared type without parameters accepts any (`varchar` takes the
 * `varchar(5)` of a literal, `timestamp` any precision); declared parameters must match exactly.
 */
export function typeMatcher(aliases: Record<string, string>): (declared: string, actual: string) => boolean {
  const parse = (type: string) => {
    const text = type.toLowerCase().replace(/\s+/g, ' ').trim();
    const params = topLevelParens(text);
    const base = params
      .reduce((t, p) => t.replace(p, ''), text)
      .replace(/\s+/g, ' ')
      .trim();
    return { base: aliases[base] ?? base, params: params.join('').replace(/\s+/g, '') };
  };
  return (declared, actual) => {
    const d = parse(declared);
    const a = parse(actual);
    return d.base === a.base && (!d.params || d.params === a.params);
  };
}

/** The `( ... )` groups at nesting depth 0, as written. */
function topLevelParens(text: string): string[] {
  const groups: string[] = [];
  let depth = 0;
  let start = -1;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '(' && depth++ === 0) start = i;
    else if (text[i] === ')' && --depth === 0) groups.push(text.slice(start, i + 1));
  }
  return groups;
}

/** Names every engine understands for the same thing (Iceberg's and Arrow's among them). */
export const COMMON_TYPE_ALIASES: Record<string, string> = {
  int: 'integer',
  int4: 'integer',
  int32: 'integer',
  int8: 'bigint',
  int64: 'bigint',
  long: 'bigint',
  int2: 'smallint',
  int16: 'smallint',
  int1: 'tinyint',
  bool: 'boolean',
  numeric: 'decimal',
  float8: 'double',
  'double precision': 'double',
  string: 'varchar',
  text: 'varchar',
  timestamptz: 'timestamp with time zone',
  'timestamp without time zone': 'timestamp',
};
