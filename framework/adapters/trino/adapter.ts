import { readFileSync } from 'node:fs';
import type { Adapter, ExecResult, QueryResult } from '../adapter.js';
import { ConfigError, ExecutionError } from '../../errors.js';
import type { ExternalLocation, Relation, Target } from '../../project/types.js';
import { informationSchemaIntrospector } from '../information-schema.js';
import { inferType, parseCsv } from '../csv.js';
import { TrinoConnection, type TrinoSettings } from './connection.js';
import { trinoDialect, trinoKysely } from './dialect.js';
import { trinoMacros } from './macros.js';
import { trinoCapabilities } from './capabilities.js';
import { icebergSnapshots } from './snapshots.js';
import { FileTables } from './file-tables.js';
import { retryCommitConflicts } from '../commit-conflicts.js';
import { listFiles, type Listing } from '../../storage/list.js';
import { leaseSettings, type SharedLock } from '../shared-lock.js';
import { SingleFlight } from '../single-flight.js';

/** An external source's S3 prefix, with the trailing slash the Hive connector and listings expect. */
function prefix(external: ExternalLocation, what = 'an external source'): string {
  if (!/^s3a?:\/\//.test(external.location))
    throw new ConfigError(`${what}: on Trino the location must be an s3:// prefix, got "${external.location}"`);
  return external.location.endsWith('/') ? external.location : `${external.location}/`;
}

interface RunLockSettings {
  location?: string;
  lease_seconds?: number;
  heartbeat_seconds?: number;
}

/**
 * The run lock lives in the warehouse every host writes to: run_lock.location, else
 * <location_root>/_framework/locks/<catalog>/<schema>.json (one lock per catalog and schema of
 * the target). Without either, no S3 location is known and the run lock stays a local file.
 */
function runLockLocation(
  s: { catalog: string; location_root?: string; run_lock?: RunLockSettings },
  schema: string,
): string | undefined {
  if (s.run_lock?.location) {
    if (!/^s3a?:\/\/[^/]+\/.+/.test(s.run_lock.location))
      throw new ConfigError(`run_lock.location must be an s3://bucket/key URI, got "${s.run_lock.location}"`, {
        file: 'profiles.yml',
      });
    return s.run_lock.location;
  }
  if (!s.location_root || !/^s3a?:\/\//.test(s.location_root)) return undefined;
  return `${s.location_root.replace(/\/$/, '')}/_framework/locks/${s.catalog}/${schema}.json`;
}

/** How long a run waits for the statements a dead run left on Trino to end. */
const SETTLE_TIMEOUT_MS = 10 * 60_000;

/** Rows per INSERT when loading a seed: keeps statements well under Trino's query size limit. */
const SEED_CHUNK = 500;

/** Trino's error names for a query refused for memory (the message ends with the name). */
const OUT_OF_MEMORY =
  /\[(EXCEEDED_LOCAL_MEMORY_LIMIT|EXCEEDED_GLOBAL_MEMORY_LIMIT|EXCEEDED_SPILL_LIMIT|CLUSTER_OUT_OF_MEMORY)\]$/;

/**
 * Trino with an Iceberg catalog: CTAS as CREATE OR REPLACE (one atomic commit), MERGE for
 * incremental models, external sources registered as Hive tables over their S3 prefix.
 */
export class TrinoAdapter implements Adapter {
  readonly type = 'trino';
  readonly capabilities = trinoCapabilities;
  readonly dialect = trinoDialect;
  readonly macros = trinoMacros;
  readonly introspector;
  readonly snapshots;
  private readonly connection: TrinoConnection;
  private readonly creating = new SingleFlight();
  private readonly catalog: string;
  private readonly locationRoot?: string;
  private readonly hiveCatalog: string;
  private readonly fileTables: FileTables;
  readonly sharedLock?: SharedLock;

  constructor(target: Target, _root: string) {
    const s = target.settings as unknown as TrinoSettings & {
      location_root?: string;
      staging?: { catalog?: string };
      run_lock?: RunLockSettings;
    };
    if (!/^https?:\/\//.test(s.host))
      throw new ConfigError(`trino target "${target.name}": host must be http(s)://host:port, got "${s.host}"`, {
        file: 'profiles.yml',
      });
    this.catalog = s.catalog;
    this.locationRoot = s.location_root?.replace(/\/$/, '');
    this.hiveCatalog = s.staging?.catalog ?? 'hive';
    this.connection = new TrinoConnection({ ...s, schema: target.schema });
    const lock = runLockLocation(s, target.schema);
    if (lock) {
      const lease = leaseSettings(s.run_lock);
      if (typeof lease === 'string')
        throw new ConfigError(`trino target "${target.name}": ${lease}`, { file: 'profiles.yml' });
      this.sharedLock = { location: lock, ...lease };
    }
    this.introspector = informationSchemaIntrospector(
      trinoKysely,
      (sql) => this.query(sql),
      trinoDialect,
      this.catalog,
    );
    this.snapshots = icebergSnapshots(
      trinoDialect,
      (sql) => this.query(sql),
      (sql) => this.execute(sql),
    );
    this.fileTables = new FileTables(
      trinoDialect,
      (sql) => this.execute(sql),
      (sql) => this.query(sql),
    );
  }

  async connect(): Promise<void> {
    await this.query('select 1');
  }

  ensureSchema(schema: string): Promise<void> {
    const location = this.locationRoot ? `${this.locationRoot}/${schema}` : undefined;
    return this.creating.run(
      schema,
      async () => void (await this.execute(this.dialect.createSchema(schema, location))),
    );
  }

  async execute(sql: string): Promise<ExecResult> {
    const result = await this.connection.run(sql);
    return {
      ...(result.updateCount !== undefined ? { rowsAffected: result.updateCount } : {}),
      ...(result.queryId ? { queryId: result.queryId } : {}),
    };
  }

  query(sql: string): Promise<QueryResult> {
    return this.connection.run(sql);
  }

  /** Iceberg commits each statement atomically; there is no multi-statement transaction to use. */
  async atomically(statements: string[]): Promise<ExecResult[]> {
    const results: ExecResult[] = [];
    for (const sql of statements) results.push(await this.execute(sql));
    return results;
  }

  /** Iceberg refused the commit: a concurrent commit to the table won (a conflicting change, or a moved metadata pointer after its own retries). */
  isCommitConflict(error: unknown): boolean {
    return error instanceof ExecutionError && error.message.endsWith('[ICEBERG_COMMIT_ERROR]');
  }

  /** A query over Trino's memory limits (query.max-memory[-per-node], session query_max_memory*). */
  isOutOfMemory(error: unknown): boolean {
    return error instanceof ExecutionError && OUT_OF_MEMORY.test(error.message);
  }

  /**
   * A table created before it was partitioned gets the partitioning, then one UPDATE rewrites its
   * rows into the new partitions: rows left in the unpartitioned files would make every delete
   * there conflict with every other, whatever its partition.
   */
  async partitionBy(rel: Relation, columns: string[]): Promise<void> {
    const table = this.dialect.relation(rel);
    const partitioning = `partitioning = ARRAY[${columns.map((c) => this.dialect.literal(c)).join(', ')}]`;
    if ((await this.createTableText(rel))?.includes(partitioning)) return;
    await this.execute(`alter table ${table} set properties ${partitioning}`);
    const same = columns.map((c) => `${this.dialect.quote(c)} = ${this.dialect.quote(c)}`).join(', ');
    await retryCommitConflicts(this, () => this.execute(`update ${table} set ${same}`));
  }

  externalRelation(source: Relation, external: ExternalLocation, files?: string[]): string {
    const whole = this.externalTable(source);
    const table = this.dialect.relation(files ? this.fileTables.relation(whole, prefix(external), files) : whole);
    // The Hive connector prunes splits on "$path": only the named files are read.
    const only = files ? ` where "$path" in (${files.map((f) => this.dialect.literal(f)).join(', ')})` : '';
    if (external.format === 'lines') return `(select line, "$path" as file_name from ${table}${only})`;
    return only ? `(select * from ${table}${only})` : table;
  }

  listExternal(external: ExternalLocation, since?: number): Promise<Listing> {
    return listFiles(prefix(external), since);
  }

  /**
   * A Hive external table over the source's prefix, created again only when that moved (metadata
   * only); the file tables a dead run left are dropped.
   */
  async prepareExternal(source: Relation, external: ExternalLocation): Promise<void> {
    const location = prefix(external, `external source ${source.schema}.${source.name}`);
    const table = this.externalTable(source);
    if (external.format !== 'lines')
      throw new ConfigError(`external format "${external.format}" on Trino needs declared columns; use format: lines`);
    await this.execute(
      `create schema if not exists ${this.dialect.quote(table.database!)}.${this.dialect.quote(table.schema)}`,
    );
    // Kept when it already points there: a drop and create cost about a second of every run.
    if (!(await this.linesTableAt(table, location))) {
      await this.execute(`drop table if exists ${this.dialect.relation(table)}`);
      await this.execute(
        `create table ${this.dialect.relation(table)} (line varchar) with (external_location = ${this.dialect.literal(location)}, format = 'TEXTFILE')`,
      );
    }
    await this.fileTables.leftovers(table);
  }

  /** Whether `table` is a Hive table of lines over exactly `location`, as prepareExternal creates it. */
  private async linesTableAt(table: Relation, location: string): Promise<boolean> {
    const ddl = await this.createTableText(table);
    if (ddl === undefined) return false;
    const [, columns, properties] =
      /\(([\s\S]*?)\)\s*(?:COMMENT\s+'(?:[^']|'')*'\s*)?WITH\s*\(([\s\S]*)\)\s*$/i.exec(ddl) ?? [];
    const props = Object.fromEntries(
      [...(properties ?? '').matchAll(/(\w+)\s*=\s*'((?:[^']|'')*)'/g)].map(([, k, v]) => [k, v!.replace(/''/g, "'")]),
    );
    return (
      columns?.trim().toLowerCase() === 'line varchar' &&
      Object.keys(props).length === 2 &&
      props.external_location === location &&
      props.format === 'TEXTFILE'
    );
  }

  /** The table's `SHOW CREATE TABLE` text; undefined when it does not exist. */
  private async createTableText(rel: Relation): Promise<string | undefined> {
    try {
      return String((await this.query(`show create table ${this.dialect.relation(rel)}`)).rows[0]?.['Create Table']);
    } catch (error) {
      if (/TABLE_NOT_FOUND|does not exist/i.test((error as Error).message)) return undefined;
      throw error;
    }
  }

  /** Named files are read through a Hive table over their own directory: Trino lists that, not the whole prefix. */
  readingFiles<T>(source: Relation, external: ExternalLocation, files: string[], read: () => Promise<T>): Promise<T> {
    return this.fileTables.reading(this.externalTable(source), prefix(external), files, 'TEXTFILE', read);
  }

  async loadSeed(rel: Relation, csvPath: string, columnTypes: Record<string, string>): Promise<number> {
    const [header, ...rows] = parseCsv(readFileSync(csvPath, 'utf8')).filter((r) => r.length > 1 || r[0] !== '');
    if (!header) throw new ConfigError(`seed ${csvPath} is empty`);
    const types = header.map((name, i) => columnTypes[name] ?? inferType(rows.map((r) => r[i] ?? '')));
    const value = (v: string | undefined, i: number) =>
      v === undefined || v === '' ? `CAST(NULL AS ${types[i]})` : `CAST(${this.dialect.literal(v)} AS ${types[i]})`;
    const columns = header.map((h) => this.dialect.quote(h)).join(', ');
    const chunk = (part: string[][]) =>
      `select * from (values ${part.map((r) => `(${header.map((_, i) => value(r[i], i)).join(', ')})`).join(', ')}) as v(${columns})`;
    // Build aside, then swap in with one CREATE OR REPLACE: readers never see a half-loaded seed.
    const staging: Relation = { schema: rel.schema, name: `${rel.name}__fw_seed` };
    const empty = `select * from (values (${types.map((t) => `CAST(NULL AS ${t})`).join(', ')})) as v(${columns}) where false`;
    await this.execute(this.dialect.replaceTable(staging, rows.length ? chunk(rows.slice(0, SEED_CHUNK)) : empty, {}));
    for (let i = SEED_CHUNK; i < rows.length; i += SEED_CHUNK) {
      await this.execute(this.dialect.insert(staging, header, chunk(rows.slice(i, i + SEED_CHUNK))));
    }
    await this.execute(this.dialect.replaceTable(rel, `select * from ${this.dialect.relation(staging)}`, {}));
    await this.execute(this.dialect.drop(staging, 'table'));
    return rows.length;
  }

  cancel(): Promise<void> {
    return this.connection.cancel();
  }

  get sessionTag(): string {
    return this.connection.tag;
  }

  async settle(tag: string): Promise<string[]> {
    const active = `select query_id from system.runtime.queries where source = ${this.dialect.literal(`framework/${tag}`)} and state not in ('FINISHED', 'FAILED')`;
    const left = (await this.query(active)).rows.map((r) => String(r.query_id));
    for (const id of left) {
      await this.execute(
        `call system.runtime.kill_query(query_id => ${this.dialect.literal(id)}, message => 'left running by a framework run that died')`,
      ).catch(() => undefined);
    }
    // A statement already committing cannot be stopped: wait until it is over either way.
    const deadline = Date.now() + SETTLE_TIMEOUT_MS;
    while ((await this.query(active)).rows.length) {
      if (Date.now() > deadline)
        throw new ExecutionError(
          `statements of a dead run are still active on Trino after ${SETTLE_TIMEOUT_MS / 1000} s: ${left.join(', ')}`,
        );
      await new Promise((r) => setTimeout(r, 500));
    }
    return left;
  }

  async close(): Promise<void> {}

  private externalTable(source: Relation): Relation {
    return { database: this.hiveCatalog, schema: source.schema, name: source.name };
  }
}
