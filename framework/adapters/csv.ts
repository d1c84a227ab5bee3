/** RFC 4180 CSV (quoted fields, doubled quotes, CRLF) for engines that cannot read a local file themselves. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || row.length) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

/** The narrowest of BIGINT, DOUBLE, BOOLEAN, DATE, VARCHAR that holds every non-empty value. */
export function inferType(values: string[]): string {
  const present = values.filter((v) => v !== '');
  if (!present.length) return 'VARCHAR';
  if (present.every((v) => /^-?\d{1,18}$/.test(v))) return 'BIGINT';
  if (present.every((v) => /^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(v))) return 'DOUBLE';
  if (present.every((v) => /^(true|false)$/i.test(v))) return 'BOOLEAN';
  if (present.every((v) => /^\d{4}-\d{2}-\d{2}$/.test(v))) return 'DATE';
  return 'VARCHAR';
}
