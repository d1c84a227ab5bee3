import type { Adapter, Dialect } from '../adapters/adapter.js';
import { utcMs, utcTimestamp } from '../adapters/timestamp.js';
import type { Relation } from '../project/types.js';
import type { StoredFile } from '../storage/object-store.js';
import { fromWallTime, partitionWallTime } from '../storage/partition-time.js';
import { STATE_SCHEMA, StateTable, tableKey } from './state-table.js';
import type { FileLedgerStore } from './state-store.js';

/** A file a model has loaded: what it looked like then, and how many rows it gave. */
export interface LoadedFile extends StoredFile {
  rows: number;
  /**
   * Rows the file itself held, counted from the file, not from what the model kept: the books
   * compare them with the table, so a staged line that never reached it shows. Undefined where
   * not counted (formats other than lines); rows of older versions stand for what they held.
   */
  stagedRows?: number;
}

const LEDGER = { schema: STATE_SCHEMA, name: 'loaded_files' } as const satisfies Relation;

/**
 * The files each new_files model has loaded (a state table of the target, keyed by the table
 * loaded into). A row is written after the file's rows committed; a crash in between is repaired
 * from the model's table, which names each row's file.
 */
export class FileLedger implements FileLedgerStore {
  private readonly state: StateTable;

  constructor(private readonly adapter: Adapter) {
    this.state = new StateTable(adapter, LEDGER.name, COLUMNS);
  }

  /**
   * Each file as last recorded, with the rows of all its records summed: a file that changed after
   * it was loaded has a second row counting the staged rows it gained (and none loaded).
   */
  async loaded(table: Relation): Promise<Map<string, LoadedFile>> {
    return this.read(table);
  }

  /**
   * What loaded() says of the files a listing from `since` (wall clock) can return: the walk
   * (partition-time.ts) skips every directory wholly before `since`, so a listed file names a time
   * from the start of since's day on (a file directly under a day that straddles `since` names the
   * day), or none. A schedule's run reads a day of the ledger, not every file it ever loaded.
   */
  async loadedSince(table: Relation, since: number): Promise<Map<string, LoadedFile>> {
    return this.read(
      table,
      `(partition_at is null or partition_at >= ${utcTimestamp(this.adapter.macros, dayStart(since))})`,
    );
  }

  /**
   * The newest partition (wall clock) of the table's loaded files that is not after now in `zone`
   * (a partition named after now — a clock gone wrong — would hide every new one); undefined when
   * no loaded path names a time. Rows an older version recorded without their partition get it
   * first, from their paths, once.
   */
  async watermark(table: Relation, zone: string | undefined): Promise<number | undefined> {
    const relation = await this.state.relation();
    await this.fillPartitions(table, relation);
    const now = Date.now();
    // Any zone's wall clock is within a day of UTC's: the SQL bound keeps far-future partitions out, the check below the rest.
    const { rows } = await this.adapter.query(
      `select distinct cast(partition_at as varchar) as p from ${relation} where ${this.state.about(table)} and partition_at <= ${utcTimestamp(this.adapter.macros, now + DAY_MS)} order by p desc limit 100`,
    );
    return rows.map((r) => utcMs(r.p)).find((wall) => fromWallTime(wall, zone) <= now);
  }

  private async fillPartitions(table: Relation, relation: string): Promise<void> {
    const { rows } = await this.adapter.query(
      `select distinct path from ${relation} where ${this.state.about(table)} and partition_at is null`,
    );
    const walls = rows.map((r) => [String(r.path), partitionWallTime(String(r.path))] as const);
    const named = walls.filter((w): w is readonly [string, number] => w[1] !== undefined);
    const { dialect, macros } = this.adapter;
    for (let i = 0; i < named.length; i += 1000) {
      const batch = named.slice(i, i + 1000);
      const cases = batch.map(([path, wall]) => `when ${dialect.literal(path)} then ${utcTimestamp(macros, wall)}`);
      await this.adapter.execute(
        `update ${relation} set partition_at = case path ${cases.join(' ')} end where ${this.state.about(table)} and path in (${batch.map(([path]) => dialect.literal(path)).join(', ')})`,
      );
    }
  }

  private async read(table: Relation, where?: string): Promise<Map<string, LoadedFile>> {
    const { rows } = await this.adapter.query(
      `select path, size, etag, cast(modified_at as varchar) as modified_at, row_count, staged_rows from ${await this.state.relation()} where ${this.state.about(table)}${where ? ` and ${where}` : ''} order by loaded_at`,
    );
    const files = new Map<string, LoadedFile>();
    for (const r of rows) {
      const path = String(r.path);
      const before = files.get(path);
      // Rows of older versions, never counted from their file, stand for what it held.
      const staged =
        r.staged_rows === null || r.staged_rows === undefined ? Number(r.row_count) : Number(r.staged_rows);
      files.set(path, {
        path,
        size: Number(r.size),
        ...(r.etag ? { etag: String(r.etag) } : {}),
        modifiedAt: new Date(utcMs(r.modified_at)),
        rows: (before?.rows ?? 0) + Number(r.row_count),
        stagedRows: (before?.stagedRows ?? 0) + staged,
      });
    }
    return files;
  }

  /**
   * Record files as loaded, 1,000 rows per INSERT … VALUES of plain literals (typed by the table's
   * columns: CAST-wrapped rows made DuckDB 4× slower to bind, 4 s for 22,500 files).
   */
  async record(table: Relation, modelId: string, files: LoadedFile[], invocationId: string): Promise<void> {
    const relation = await this.state.relation();
    const { dialect, macros } = this.adapter;
    const columns = this.state.columns.map((c) => dialect.quote(c.name)).join(', ');
    for (let i = 0; i < files.length; i += 1000) {
      const rows = files
        .slice(i, i + 1000)
        .map(
          (f) =>
            `(${[...this.state.keyValues(table, modelId), dialect.literal(f.path), f.size, f.etag ? dialect.literal(f.etag) : 'NULL', utcTimestamp(macros, f.modifiedAt), f.rows, f.stagedRows ?? 'NULL', macros.now!(), dialect.literal(invocationId), partitionAt(macros, f.path)].join(', ')})`,
        )
        .join(', ');
      await this.adapter.execute(`insert into ${relation} (${columns}) values ${rows}`);
    }
  }

  /** The table is rebuilt from every file (--full-refresh, or it is gone): it has loaded none yet. */
  async forget(table: Relation): Promise<void> {
    await this.adapter.execute(`delete from ${await this.state.relation()} where ${this.state.about(table)}`);
  }
}

const COLUMNS = [
  { name: 'path', type: 'varchar' },
  { name: 'size', type: 'bigint' },
  { name: 'etag', type: 'varchar' },
  { name: 'modified_at', type: 'timestamp' },
  { name: 'row_count', type: 'bigint' },
  { name: 'staged_rows', type: 'bigint' },
  { name: 'loaded_at', type: 'timestamp with time zone' },
  { name: 'invocation_id', type: 'varchar' },
  /** The wall-clock time the file's path names (partition-time.ts), NULL where it names none: bounds a lookback's read. */
  { name: 'partition_at', type: 'timestamp' },
];

const DAY_MS = 86_400_000;

/** The start of the day of a wall-clock time: no path naming a time is coarser than a day (partition-time.ts). */
function dayStart(wall: number): number {
  return wall - (((wall % DAY_MS) + DAY_MS) % DAY_MS);
}

function partitionAt(macros: Adapter['macros'], path: string): string {
  const wall = partitionWallTime(path);
  return wall === undefined ? 'NULL' : utcTimestamp(macros, wall);
}

/**
 * The ledger's rows about a table, as a relation for the project's SQL (the `loaded_files`
 * helper): path, row_count (rows the table got) and staged_rows (rows counted from the file).
 */
export function ledgerRows(dialect: Dialect, table: Relation): string {
  return `(select path, row_count, coalesce(staged_rows, row_count) as staged_rows from ${dialect.relation(LEDGER)} where model_table = ${dialect.literal(tableKey(table))})`;
}
