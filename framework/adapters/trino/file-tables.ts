import { createHash } from 'node:crypto';
import type { Dialect } from '../adapter.js';
import type { Relation } from '../../project/types.js';

/**
 * Hive tables over the one directory that holds the files a statement reads. A Hive table over a
 * source's whole prefix lists every object under it before reading any (split generation: 0.9–1.2 s
 * per read at 24,000 staged files, and growing with every window staged); over the files' common
 * directory it lists a window's few. Named by that directory, so the same files always name the
 * same table; held while reads use it and dropped after the last, and a table a dead run left is
 * dropped when the source is next prepared (`leftovers`).
 */
export class FileTables {
  private readonly held = new Map<string, { users: number; ready: Promise<void>; dropped?: Promise<void> }>();

  constructor(
    private readonly dialect: Dialect,
    private readonly execute: (sql: string) => Promise<unknown>,
    private readonly query: (sql: string) => Promise<{ rows: Record<string, unknown>[] }>,
  ) {}

  /** The table `files` of `table` (the source's Hive table) are read through: under the same schema, named by their directory. */
  relation(table: Relation, prefix: string, files: string[]): Relation {
    const hash = createHash('sha256').update(directoryOf(files, prefix)).digest('hex').slice(0, 12);
    return { ...table, name: `${table.name}${MARK}${hash}` };
  }

  /** Runs `read` with the file table of `files` in place; `prefix` is the source's, which the table never reaches above. */
  async reading<T>(
    table: Relation,
    prefix: string,
    files: string[],
    format: string,
    read: () => Promise<T>,
  ): Promise<T> {
    const key = this.dialect.relation(this.relation(table, prefix, files));
    // A table being dropped by the read that held it last is created again after the drop, not before.
    for (let held = this.held.get(key); held?.dropped; held = this.held.get(key)) await held.dropped.catch(() => {});
    let entry = this.held.get(key);
    if (!entry) {
      const location = this.dialect.literal(directoryOf(files, prefix));
      const ready = this.execute(
        `create table if not exists ${key} (line varchar) with (external_location = ${location}, format = ${this.dialect.literal(format)})`,
      ).then(() => undefined);
      entry = { users: 0, ready };
      this.held.set(key, entry);
    }
    entry.users++;
    try {
      await entry.ready;
      return await read();
    } finally {
      if (--entry.users === 0) {
        entry.dropped = this.execute(`drop table if exists ${key}`).then(() => undefined);
        try {
          await entry.dropped;
        } finally {
          this.held.delete(key);
        }
      }
    }
  }

  /** Drops the file tables of `table` that no read of this process holds: what a dead run left. */
  async leftovers(table: Relation): Promise<void> {
    const schema = `${this.dialect.quote(table.database!)}.${this.dialect.quote(table.schema)}`;
    const pattern = `${`${table.name}${MARK}`.replace(/[\\_%]/g, (c) => `\\${c}`)}%`;
    const { rows } = await this.query(`show tables from ${schema} like ${this.dialect.literal(pattern)} escape '\\'`);
    for (const row of rows) {
      const relation = { ...table, name: String(Object.values(row)[0]) };
      if (!this.held.has(this.dialect.relation(relation)))
        await this.execute(`drop table if exists ${this.dialect.relation(relation)}`);
    }
  }
}

/** Between a source's table name and a file table's directory hash. */
const MARK = '__f_';

/** The longest directory (ending in '/') under `prefix` that holds every one of `files`; `prefix` when there is none. */
export function directoryOf(files: string[], prefix: string): string {
  const dirs = files.map((f) => f.slice(0, f.lastIndexOf('/') + 1));
  let common = dirs[0] ?? prefix;
  for (const dir of dirs.slice(1))
    while (!dir.startsWith(common)) common = common.slice(0, common.slice(0, -1).lastIndexOf('/') + 1);
  return common.startsWith(prefix) ? common : prefix;
}
