import { resolve } from 'node:path';
import type { Adapter, ExecResult, QueryResult } from '../adapter.js';
import type { ExternalLocation, Relation, Target } from '../../project/types.js';
import { ExecutionError } from '../../errors.js';
import { DuckDbConnection } from './connection.js';
import { duckdbDialect, duckdbKysely } from './dialect.js';
import { informationSchemaIntrospector } from '../information-schema.js';
import { duckdbMacros } from './macros.js';
import { duckdbCapabilities } from './capabilities.js';
import { listFiles, type Listing } from '../../storage/list.js';
import { SingleFlight } from '../single-flight.js';

/** The embedded default target: a DuckDB file, no server. */
export class DuckDbAdapter implements Adapter {
  readonly type = 'duckdb';
  readonly capabilities = duckdbCapabilities;
  readonly dialect = duckdbDialect;
  readonly macros = duckdbMacros;
  readonly introspector = informationSchemaIntrospector(duckdbKysely, (sql) => this.query(sql), duckdbDialect);
  private readonly connection: DuckDbConnection;
  private readonly creating = new SingleFlight();

  constructor(
    target: Target,
    private readonly root: string,
  ) {
    const path = String(target.settings.path ?? 'target/dev.duckdb');
    const settings = (target.settings.settings ?? {}) as Record<string, unknown>;
    this.connection = new DuckDbConnection(path === ':memory:' ? path : resolve(root, path), settings);
  }

  connect(): Promise<void> {
    return this.connection.open();
  }

  ensureSchema(schema: string): Promise<void> {
    return this.creating.run(schema, async () => void (await this.execute(this.dialect.createSchema(schema))));
  }

  async execute(sql: string): Promise<ExecResult> {
    const result = await this.query(sql);
    return { rowsAffected: rowCount(result) };
  }

  query(sql: string): Promise<QueryResult> {
    return this.connection.with((c) => this.connection.run(c, sql));
  }

  /** Over memory_limit, where DuckDB could not spill what it needed to disk. */
  isOutOfMemory(error: unknown): boolean {
    return error instanceof ExecutionError && error.message.startsWith('Out of Memory Error');
  }

  atomically(statements: string[]): Promise<ExecResult[]> {
    return this.connection.with(async (c) => {
      await this.connection.run(c, 'begin transaction');
      try {
        const results: ExecResult[] = [];
        for (const sql of statements) results.push({ rowsAffected: rowCount(await this.connection.run(c, sql)) });
        await this.connection.run(c, 'commit');
        return results;
      } catch (error) {
        await this.connection.run(c, 'rollback').catch(() => undefined);
        throw error;
      }
    });
  }

  async prepareExternal(): Promise<void> {}

  /** DuckDB reads the named files themselves: nothing to prepare. */
  readingFiles<T>(
    _source: Relation,
    _external: ExternalLocation,
    _files: string[],
    read: () => Promise<T>,
  ): Promise<T> {
    return read();
  }

  externalRelation(_source: Relation, external: ExternalLocation, files?: string[]): string {
    const location = files
      ? `[${files.map((f) => this.dialect.literal(f)).join(', ')}]`
      : this.dialect.literal(this.location(external));
    switch (external.format) {
      case 'lines':
        // One VARCHAR per line, whatever it holds: a delimiter and quote that never occur keep lines whole.
        return `(select line, filename as file_name from read_csv(${location}, columns = {'line': 'VARCHAR'}, header = false, delim = '\\x1F', quote = '', escape = '', filename = true, ignore_errors = false, union_by_name = false))`;
      case 'json':
        return `read_json_auto(${location}, filename = true)`;
      case 'csv':
        return `read_csv_auto(${location}, filename = true)`;
      case 'parquet':
        return `read_parquet(${location}, filename = true)`;
    }
  }

  listExternal(external: ExternalLocation, since?: number): Promise<Listing> {
    return listFiles(this.location(external), since);
  }

  /** Relative locations belong to the project, wherever the command runs from. */
  private location(external: ExternalLocation): string {
    return /^[a-z0-9]+:\/\//i.test(external.location) ? external.location : resolve(this.root, external.location);
  }

  async loadSeed(rel: Relation, csvPath: string, columnTypes: Record<string, string>): Promise<number> {
    const types = Object.entries(columnTypes)
      .map(([k, v]) => `${this.dialect.literal(k)}: ${this.dialect.literal(v)}`)
      .join(', ');
    const reader = `read_csv(${this.dialect.literal(csvPath)}, header = true, auto_detect = true${types ? `, types = {${types}}` : ''})`;
    const [result] = await this.atomically([this.dialect.replaceTable(rel, `select * from ${reader}`, {})]);
    return result!.rowsAffected ?? 0;
  }

  /** DuckDB keeps no snapshots and compacts its file as it checkpoints. */
  async checkpoint(): Promise<void> {
    await this.execute('checkpoint');
  }

  async cancel(): Promise<void> {
    this.connection.interrupt();
  }

  async close(): Promise<void> {
    this.connection.close();
  }
}

/** DuckDB reports DML and CTAS row counts as a single "Count" column. */
function rowCount(result: QueryResult): number | undefined {
  if (result.columns.length === 1 && result.columns[0]!.name === 'Count') return Number(result.rows[0]?.Count ?? 0);
  return undefined;
}
