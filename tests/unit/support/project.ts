import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { plainRows } from '../../../framework/adapters/duckdb/values.js';
import { main } from '../../../framework/cli/main.js';

// A full unit run makes about 100 of these; cleanup.ts removes them after each test file.
const made: string[] = [];

/** A temporary directory that is removed when the test file ends (see cleanup.ts). */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

export function removeTempDirs(): void {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** Write a throw-away project: { 'models/a.sql': '...', ... } plus a DuckDB profile unless given. */
export function tempProject(files: Record<string, string>): string {
  const root = tempDir('fw-test-');
  const all: Record<string, string> = {
    'project.yml': 'name: t\n',
    'profiles.yml': 'default_target: dev\ntargets:\n  dev: {type: duckdb, path: target/dev.duckdb, threads: 2}\n',
    ...files,
  };
  for (const [path, text] of Object.entries(all)) writeFile(root, path, text);
  return root;
}

export function writeFile(root: string, path: string, text: string): void {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), text);
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Run the CLI in-process (same code path as bin/framework.js) and capture what it prints. */
export async function cli(root: string, ...args: string[]): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const out = process.stdout.write.bind(process.stdout);
  const err = process.stderr.write.bind(process.stderr);
  process.stdout.write = ((chunk: string) => ((stdout += chunk), true)) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string) => ((stderr += chunk), true)) as typeof process.stderr.write;
  try {
    const code = await main([...args, '--project-dir', root]);
    return { code, stdout, stderr };
  } finally {
    process.stdout.write = out;
    process.stderr.write = err;
  }
}

/** Query the project's DuckDB file after a run (the CLI has closed it). */
export async function query(root: string, sql: string): Promise<Record<string, unknown>[]> {
  const instance = await DuckDBInstance.create(join(root, 'target/dev.duckdb'));
  const connection = await instance.connect();
  try {
    const reader = await connection.runAndReadAll(sql);
    return plainRows(reader);
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}
