import type { Relation } from '../project/types.js';
import type { Dialect } from './adapter.js';

/** Rows of `relation` per value of its file column (`path`, `n`), for the given paths only, and those `where` keeps. */
export function rowsPerFileQuery(
  dialect: Dialect,
  relation: Relation,
  column: string,
  paths: string[],
  where?: string,
): string {
  const col = dialect.quote(column);
  return `select ${col} as path, count(*) as n from ${dialect.relation(relation)} where ${col} in (${paths.map((p) => dialect.literal(p)).join(', ')})${where ? ` and ${where}` : ''} group by ${col}`;
}

/** Rows each file holds (`path`, `n`), read from the files themselves: `files` is the external relation over them. */
export function stagedRowsQuery(files: string): string {
  return `select file_name as path, count(*) as n from ${files} as s group by file_name`;
}
