/** A plain text table for terminal previews. */
export function printTable(columns: string[], rows: Record<string, unknown>[]): void {
  const cell = (v: unknown) =>
    v === null || v === undefined ? 'NULL' : typeof v === 'object' ? JSON.stringify(v) : String(v);
  const widths = columns.map((c) => Math.min(40, Math.max(c.length, ...rows.map((r) => cell(r[c]).length))));
  const line = (values: string[]) =>
    '| ' + values.map((v, i) => v.slice(0, widths[i]).padEnd(widths[i]!)).join(' | ') + ' |';
  const rule = '+' + widths.map((w) => '-'.repeat(w + 2)).join('+') + '+';
  const out = [
    rule,
    line(columns),
    rule,
    ...rows.map((r) => line(columns.map((c) => cell(r[c])))),
    rule,
    `${rows.length} row${rows.length === 1 ? '' : 's'}`,
  ];
  process.stdout.write(out.join('\n') + '\n');
}
