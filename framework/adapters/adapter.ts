import type { ExternalLocation, Relation } from '../project/types.js';
import type { Listing } from '../storage/list.js';
import type { EngineCapabilities } from '../project/engine.js';
import type { SharedLock } from './shared-lock.js';

/** The engine-neutral contract: materializations, tests and commands talk to engines only through this. */
export interface Column {
  name: string;
  type: string;
}

/** A column created from a contract: the query's type, NOT NULL where a constraint says so. */
export interface TypedColumn extends Column {
  notNull: boolean;
}

export interface ExecResult {
  rowsAffected?: number;
  /** Engine query id (Trino), for logs and run_results. */
  queryId?: string;
}

export interface QueryResult {
  columns: Column[];
  rows: Record<string, unknown>[];
  queryId?: string;
}

/**
 * A test's failing rows as a condition: the rows of `from` where `where` holds, or with `distinct`,
 * the distinct values of that expression among them.
 */
export interface RowCount {
  from: string;
  where: string;
  distinct?: string;
}

/** Statements the framework composes itself; every identifier and value is quoted here, never by callers. */
export interface Dialect {
  /** The longest statement the engine accepts, in characters (bounds IN lists the framework builds). */
  readonly maxStatementLength: number;
  quote(identifier: string): string;
  relation(rel: Relation): string;
  literal(value: unknown): string;
  createSchema(schema: string, location?: string): string;
  createView(rel: Relation, select: string): string;
  /** Atomic create-or-replace: readers see the old table or the new one, never neither. */
  replaceTable(rel: Relation, select: string, properties: Record<string, unknown>): string;
  createTable(rel: Relation, select: string, properties: Record<string, unknown>): string;
  /**
   * Replace a table by one created with explicit columns and CHECKs, filled from `select` (an
   * enforced contract with constraints), so the engine refuses rows that break them. The old table
   * stays when it does (a transaction on DuckDB; on Iceberg the rows go to a side table first,
   * which `cleanup` drops when a statement fails).
   */
  replaceTableTyped(
    rel: Relation,
    columns: TypedColumn[],
    checks: string[],
    select: string,
    properties: Record<string, unknown>,
  ): { statements: string[]; cleanup?: string };
  /** Contracts: whether a declared data_type is the type the engine reports, in any of its spellings. */
  sameType(declared: string, actual: string): boolean;
  /**
   * CREATE TABLE IF NOT EXISTS with explicit columns (the framework's own state tables), identity
   * partitioned by `partitionBy` where the engine partitions tables (Iceberg).
   */
  createTableColumns(rel: Relation, columns: Column[], partitionBy?: string[]): string;
  insert(rel: Relation, columns: string[], select: string): string;
  merge(rel: Relation, select: string, uniqueKey: string[], columns: string[]): string;
  deleteMatching(rel: Relation, select: string, uniqueKey: string[]): string;
  /**
   * Replace the rows with `from <= column < to` (SQL expressions) by the rows of `select`: the
   * intervals an interval model processes. Run through `atomically`: all or nothing.
   */
  replaceRange(rel: Relation, column: string, from: string, to: string, columns: string[], select: string): string[];
  drop(rel: Relation, kind: 'table' | 'view'): string;
  addColumn(rel: Relation, column: Column): string;
  dropColumn(rel: Relation, column: string): string;
  /** `select * from (<sql>) limit n` for previews and column discovery. */
  limit(select: string, n: number): string;
  /** `select * from <from>`: a relation, or a table expression such as a snapshot read. */
  selectAll(from: string): string;
  /** `select * from <from> as m where <predicate>`: a relation's rows that a predicate keeps. */
  filter(from: string, predicate: string): string;
  /**
   * `select`'s rows as a write should store them for config cluster_by: ordered by `columns` where
   * the engine keeps the order rows are written in, so its per-block min/max statistics prune range
   * filters on them (DuckDB's row groups); unchanged where the table's own layout does that
   * (Iceberg: partitioning and sorted_by properties).
   */
  clustered(select: string, columns: string[]): string;
  /**
   * The distinct non-null values of `column` in `select`'s rows, ordered: each as text (`v`) with
   * the name of its type as the engine gives it (`t`), to be cast back into constants.
   */
  distinctTyped(select: string, column: string): string;
  /** The number of rows `select` returns, as column `n` of one row (data tests, catalog stats). */
  countRows(select: string): string;
  /**
   * The rows each of `counts` returns, in one query: a row per count, its index as `i`, its count
   * as `n`. A group of row counts on one relation is one scan of it, a conditional count each.
   */
  countRowsEach(counts: (string | RowCount[])[]): string;
  /**
   * A query of literal rows with typed columns (each value CAST to its column's type; NULL for
   * null or undefined): a relation standing in for a model's input in unit tests.
   */
  values(columns: Column[], rows: unknown[][]): string;
  /** A query of one row, to check the connection. */
  ping(): string;
}

/** Cross-database SQL snippets used by templates ({{json_str ...}}, {{hash_key ...}}): one model file, every engine. */
export type MacroSet = Record<string, (...args: string[]) => string>;

export interface Introspector {
  relationType(rel: Relation): Promise<'table' | 'view' | undefined>;
  /**
   * A run's start (dbt's relation cache): one catalog query for the types of `relations` (the
   * run's nodes), so each node's first relationType costs no query (one per node was 38 queries,
   * 2.9 s of Trino time, in a window's run). Each listed answer is given once, to the first ask:
   * only the relation's own node changes it, and that node asks before it writes. Later asks, and
   * asks after forgetRelationType (the node has run), query the catalog.
   */
  listRelationTypes(relations: Relation[]): Promise<void>;
  forgetRelationType(rel: Relation): void;
  columns(rel: Relation): Promise<Column[]>;
  /** Output columns of a query without materializing it. */
  queryColumns(select: string): Promise<Column[]>;
  /**
   * Every table and view of `schemas` with its columns in order, read in bulk (two queries), of
   * `database` where given, else of the target's: the catalog of a whole project.
   */
  listRelations(schemas: string[], database?: string): Promise<ListedRelation[]>;
}

export interface ListedRelation {
  schema: string;
  name: string;
  type: 'table' | 'view';
  columns: Column[];
}

/** Iceberg's table history: what run_results records, and time travel, rollback and maintenance. */
export interface Snapshots {
  /** Each table's latest snapshot id, or undefined where it does not exist: one query for all. */
  current(rels: Relation[]): Promise<(string | undefined)[]>;
  /** SQL reading `rel` as of a snapshot id or a timestamp. */
  asOf(rel: Relation, version: { snapshot: string } | { timestamp: string }): string;
  rollback(rel: Relation, snapshot: string): Promise<ExecResult>;
  /**
   * Run the maintenance procedures named in `config` (optimize, expire_snapshots,
   * remove_orphan_files); `where` (SQL on partition columns) limits what optimize rewrites.
   */
  maintain(
    rel: Relation,
    config: MaintenanceConfig,
    where?: string,
  ): Promise<{ procedure: string; queryId?: string }[]>;
  /** Snapshots in the table's metadata and data files of its current snapshot: what maintenance bounds. */
  health(rel: Relation): Promise<{ snapshots: number; dataFiles: number }>;
}

/** Table procedure → its arguments (or true: defaults, false: off), as in `maintenance:` of project.yml. */
export type MaintenanceConfig = Record<string, Record<string, unknown> | boolean>;

export interface Adapter {
  /** The engine's name (the target's `type`): macros/<name>/ folders dispatch on it. */
  readonly type: string;
  /** What the engine can do; the layers above read these, never the engine's name. */
  readonly capabilities: EngineCapabilities;
  readonly dialect: Dialect;
  readonly macros: MacroSet;
  readonly introspector: Introspector;
  /** SQL that reads an external source in place (only `files` of it when given); `external` sources render to this instead of a table. */
  externalRelation(source: Relation, external: ExternalLocation, files?: string[]): string;
  /**
   * The files an external source reads, paths as the engine reports them (its file-name column),
   * and what listing them cost; with `since` (wall clock) only partitions from then on.
   */
  listExternal(external: ExternalLocation, since?: number): Promise<Listing>;
  /** Make an external source readable before models use it (Trino registers a Hive table). */
  prepareExternal(source: Relation, external: ExternalLocation): Promise<void>;
  /**
   * Runs `read`, whose SQL reads `files` of the source (externalRelation with files), with what
   * the engine needs for that in place: Trino reads them through a Hive table over their own
   * directory, so the read lists that directory, not every file ever staged under the prefix.
   */
  readingFiles<T>(source: Relation, external: ExternalLocation, files: string[], read: () => Promise<T>): Promise<T>;
  connect(): Promise<void>;
  /** Create the schema if missing (Trino: with a location under the target's location_root). */
  ensureSchema(schema: string): Promise<void>;
  execute(sql: string): Promise<ExecResult>;
  query(sql: string): Promise<QueryResult>;
  /** Run statements so that either all take effect or none (a transaction where the engine has one). */
  atomically(statements: string[]): Promise<ExecResult[]>;
  /**
   * Whether `error` is a commit the engine refused because a concurrent commit to the same table won
   * (Iceberg's commit conflicts). Engines without such conflicts leave it out.
   */
  isCommitConflict?(error: unknown): boolean;
  /**
   * Whether `error` is a statement that ran out of the memory the engine allows one query: the
   * same work in smaller pieces may fit (interval batches are split and run again).
   */
  isOutOfMemory(error: unknown): boolean;
  /**
   * Make an existing table identity-partitioned by `columns` and move its rows into those
   * partitions (a table created before it was partitioned). Engines without partitions leave it out.
   */
  partitionBy?(rel: Relation, columns: string[]): Promise<void>;
  loadSeed(rel: Relation, csvPath: string, columnTypes: Record<string, string>): Promise<number>;
  /** Table versions (Iceberg); absent on engines without snapshots. */
  readonly snapshots?: Snapshots;
  /**
   * Engines without snapshots that compact their storage on demand (DuckDB's CHECKPOINT): what
   * `maintain` runs on them. Engines with nothing of the kind leave it out.
   */
  checkpoint?(): Promise<void>;
  /** Cancel whatever is running (Ctrl-C). */
  cancel(): Promise<void>;
  /**
   * Engines whose statements outlive a killed client (Trino): `sessionTag` marks this process's
   * statements, and `settle(tag)` stops those a dead process left and waits until none is active,
   * so a run taking over its lock sees only committed work. Returns the statements found.
   */
  readonly sessionTag?: string;
  settle?(tag: string): Promise<string[]>;
  /**
   * Engines whose storage every host shares (Trino's S3 warehouse): the s3:// object where the run
   * lock of the target lives, and its lease, so that runs from any host exclude each other.
   * Engines left without it are locked by a file of one host (state/run-lock.ts).
   */
  readonly sharedLock?: SharedLock;
  close(): Promise<void>;
}
