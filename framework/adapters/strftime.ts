/**
 * Templates write date formats in strftime (%Y-%m-%d %H:%M); Trino's date_format uses MySQL letters,
 * which differ for minutes, seconds and month names.
 */
const MYSQL: Record<string, string> = { '%M': '%i', '%S': '%s', '%B': '%M', '%A': '%W' };

export function translateStrftime(format: string, to: 'strftime' | 'mysql'): string {
  if (to === 'strftime') return format.replace(/'/g, "''");
  return format.replace(/%[A-Za-z]/g, (spec) => MYSQL[spec] ?? spec).replace(/'/g, "''");
}
