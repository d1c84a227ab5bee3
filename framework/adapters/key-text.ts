/** The text hash_key and md5_hex hash, the same on every engine: NULL-safe, '|' between parts. */
export function keyText(exprs: string[]): string {
  return exprs.map((e) => `coalesce(CAST(${e} AS VARCHAR), '')`).join(` || '|' || `);
}
