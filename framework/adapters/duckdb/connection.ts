import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import type { Column, QueryResult } from '../adapter.js';
import { ExecutionError } from '../../errors.js';
import { plainRows } from './values.js';

/** One DuckDB database file, a small pool of connections over it (one per thread). */
export class DuckDbConnection {
  private instance?: DuckDBInstance;
  private readonly idle: DuckDBConnection[] = [];
  private readonly busy = new Set<DuckDBConnection>();

  constructor(
    private readonly path: string,
    private readonly settings: Record<string, unknown>,
  ) {}

  async open(): Promise<void> {
    if (this.instance) return;
    if (this.path !== ':memory:') mkdirSync(dirname(this.path), { recursive: true });
    const options = Object.fromEntries(Object.entries(this.settings).map(([k, v]) => [k, String(v)]));
    // Loaded on first connect: commands that never query (compile, ls) skip the native module.
    const { DuckDBInstance } = await import('@duckdb/node-api');
    try {
      this.instance = await DuckDBInstance.create(this.path, options);
    } catch (error) {
      throw new ExecutionError(`cannot open DuckDB database ${this.path}: ${(error as Error).message}`);
    }
  }

  /** Borrow a connection for `fn`; statements inside share a session (transactions, temp tables). */
  async with<T>(fn: (c: DuckDBConnection) => Promise<T>): Promise<T> {
    await this.open();
    const connection = this.idle.pop() ?? (await this.instance!.connect());
    this.busy.add(connection);
    try {
      return await fn(connection);
    } finally {
      this.busy.delete(connection);
      this.idle.push(connection);
    }
  }

  async run(c: DuckDBConnection, sql: string): Promise<QueryResult> {
    try {
      const reader = await c.runAndReadAll(sql);
      const names = reader.columnNames();
      const types = reader.columnTypes();
      const columns: Column[] = names.map((name, i) => ({ name, type: types[i]!.toString() }));
      return { columns, rows: plainRows(reader) };
    } catch (error) {
      throw new ExecutionError((error as Error).message, { sql });
    }
  }

  interrupt(): void {
    for (const c of this.busy) c.interrupt();
  }

  close(): void {
    for (const c of [...this.idle, ...this.busy]) c.closeSync();
    this.idle.length = 0;
    this.instance?.closeSync();
    this.instance = undefined;
  }
}
