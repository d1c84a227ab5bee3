import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Adapter } from '../adapters/adapter.js';
import type { CompiledNode, Manifest } from '../template/manifest.js';
import type { TestScope } from '../template/state.js';
import type { TestNode } from '../project/types.js';

/**
 * Tests scoped to what a run wrote (dbt-core #10877): after a run, a row-wise generic test of a
 * model with `written_at` checks only the rows stamped at or after the start of the run that
 * built the model, so a scheduled cycle's tests cost what its window wrote, not the history.
 * Uniqueness tests check the keys those rows have, against the whole table (a new row may repeat
 * an older row's key). Tests of whole tables (row_count, custom and singular tests) and `--full`
 * check every row.
 */
const ROW_WISE = new Set(['not_null', 'accepted_values', 'relationships', 'expression_is_true', 'accepted_range']);

/** When each model was last built (its node's start, ISO), from the run_results.json of the command before this one. */
export function lastBuilds(targetDir: string): Map<string, string> {
  const path = join(targetDir, 'run_results.json');
  const builds = new Map<string, string>();
  if (!existsSync(path)) return builds;
  const previous = JSON.parse(readFileSync(path, 'utf8')) as {
    results?: { unique_id: string; status: string; started_at: string }[];
  };
  for (const r of previous.results ?? []) {
    if (r.unique_id.startsWith('model.') && (r.status === 'success' || r.status === 'warn'))
      builds.set(r.unique_id, r.started_at);
  }
  return builds;
}

/** What the test reads of the tested model, or undefined when it checks the whole table. */
export function testScope(
  adapter: Adapter,
  manifest: Manifest,
  test: CompiledNode,
  builds: Map<string, string>,
): TestScope | undefined {
  if (test.resourceType !== 'test' || test.kind !== 'generic' || !test.attachedTo) return undefined;
  const keys = scopeKeys(test as CompiledNode & TestNode);
  if (!keys && !ROW_WISE.has(test.testName!)) return undefined;
  const column = manifest.nodes[test.attachedTo]?.config.written_at;
  const since = builds.get(test.attachedTo);
  if (!column || !since) return undefined;
  // A time-zone-aware constant: the engine compares the column as stored, so it can prune on it.
  const written = `${adapter.dialect.quote(column)} >= ${adapter.macros.parse_ts!(adapter.dialect.literal(since))}`;
  return keys ? { written, keys: keys.map((k) => adapter.dialect.quote(k)) } : { written };
}

/** The scope as run_results.json shows it. */
export function describeScope(scope: TestScope): string {
  return scope.keys ? `${scope.keys.join(', ')} of the rows where ${scope.written}` : scope.written;
}

/** The key columns of a uniqueness test. */
function scopeKeys(test: CompiledNode & TestNode): string[] | undefined {
  if (test.testName === 'unique' && test.columnName) return [test.columnName];
  const columns = test.args.combination_of_columns;
  if (test.testName === 'unique_combination_of_columns' && Array.isArray(columns) && columns.length)
    return columns.map(String);
  return undefined;
}
