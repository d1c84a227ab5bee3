// Which captured statements the raw baselines replay. Everything the nodes ran (a statement of
// target/run/, or a test's count query wrapped around one) and everything that changes the warehouse
// (schemas, seeds, external tables, transaction control) is replayed in the framework's order; the
// framework's read-only bookkeeping (catalog introspection, snapshot ids) is not, so its cost counts
// as framework overhead.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Captured } from './capture.js';
import { runCommand } from './measure.js';

/** Run `framework <args>` once in `project` through capture.ts (untimed); every statement it sent. */
export function capture(project: string, args: string[], env?: NodeJS.ProcessEnv): Captured[] {
  const out = join(project, 'captured.json');
  runCommand('node', ['--import', 'tsx', join(import.meta.dirname, 'capture.ts'), out, ...args], project, env);
  return JSON.parse(readFileSync(out, 'utf8')) as Captured[];
}

/** The statements of every target/run/**\/*.sql file (written joined by ";\n\n", ending in ";\n"). */
function recordedStatements(project: string): string[] {
  const dir = join(project, 'target/run');
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.sql'))
    .flatMap((e) => readFileSync(join(e.parentPath, e.name), 'utf8').replace(/;\n$/, '').split(';\n\n'));
}

const READ_ONLY = /^\s*(select|with|show|describe|explain)\b/i;

export interface Replay {
  statements: Captured[];
  counts: { captured: number; replayed: number; fromTargetRun: number; skippedBookkeeping: number };
}

/** The rule above for one project: `ran` = a node's statement, `replayed` = what the baseline sends. */
export function replayRule(project: string): { ran: (sql: string) => boolean; replayed: (sql: string) => boolean } {
  const recorded = recordedStatements(project);
  const ran = (sql: string) => recorded.some((r) => sql.includes(r));
  return { ran, replayed: (sql) => ran(sql) || !READ_ONLY.test(sql) };
}

export function replayOf(project: string, captured: Captured[]): Replay {
  const { ran, replayed } = replayRule(project);
  const statements = captured.filter((s) => replayed(s.sql));
  const fromTargetRun = captured.filter((s) => ran(s.sql)).length;
  return { statements, counts: { captured: captured.length, replayed: statements.length, fromTargetRun, skippedBookkeeping: captured.length - statements.length } };
}
