// Every statement a framework command sends to its engine, in the order sent: the command runs
// in-process from dist/ (as bin/framework.js does) with the engine connections' `run` wrapped.
// Untimed; the benchmarks replay its output directly through the engine.
//   node --import tsx bench/compare/capture.ts <out.json> <framework args...>    (cwd: the project)
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { DuckDBConnection } from '@duckdb/node-api';
import { ROOT } from './paths.js';

export interface Captured {
  sql: string;
  /** Which pooled DuckDB connection ran it (0, 1, ...); absent on Trino. */
  connection?: number;
  queryId?: string;
}

const dist = async <T>(path: string): Promise<T> => (await import(pathToFileURL(join(ROOT, 'dist', path)).href)) as T;
const { DuckDbConnection } = await dist<typeof import('../../framework/adapters/duckdb/connection.js')>('adapters/duckdb/connection.js');
const { TrinoConnection } = await dist<typeof import('../../framework/adapters/trino/connection.js')>('adapters/trino/connection.js');
const { main } = await dist<typeof import('../../framework/cli/main.js')>('cli/main.js');

const [out, ...args] = process.argv.slice(2);
if (!out || !args.length) throw new Error('usage: capture.ts <out.json> <framework args...>');
const statements: Captured[] = [];

const connections = new Map<DuckDBConnection, number>();
const duckdbRun = DuckDbConnection.prototype.run;
DuckDbConnection.prototype.run = function (c, sql) {
  if (!connections.has(c)) connections.set(c, connections.size);
  statements.push({ sql, connection: connections.get(c)! });
  return duckdbRun.call(this, c, sql);
};
const trinoRun = TrinoConnection.prototype.run;
TrinoConnection.prototype.run = async function (sql) {
  const entry: Captured = { sql };
  statements.push(entry);
  const result = await trinoRun.call(this, sql);
  if (result.queryId) entry.queryId = result.queryId;
  return result;
};

const code = await main(args);
writeFileSync(out, JSON.stringify(statements, null, 1));
process.exitCode = code;
