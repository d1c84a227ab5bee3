import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../errors.js';
import type { ScopeDecision } from '../execute/data-tests.js';
import type { CompiledNode } from '../template/manifest.js';
import type { TestNode } from '../project/types.js';
import { periodConfig, periodPredicate, writtenPredicate, type PeriodContext } from './period-scope.js';

/**
 * Tests scoped to what a run wrote (dbt-core #10877), so a scheduled cycle's tests cost what its
 * window wrote, not the history. After a run, without --full:
 * - a row-wise generic test of a model with `written_at` checks only the rows stamped at or after
 *   the start of the run that built the model; a uniqueness test checks the keys those rows have,
 *   against the whole table (a new row may repeat an older row's key), or against the rows of the
 *   written rows' periods when the model declares test_scope {column} (rows sharing a key share it);
 * - a generic test of a model with test_scope {column, input} (a view whose rows follow its
 *   input's time) checks only the rows whose `column` the input's written rows touch
 *   (period-scope.ts); a test it cannot scope that way (row_count, a key without `column`) is a
 *   full-table test;
 * - tests of a model with test_scope `full`, and tests with test_scope `full`, are full-table
 *   tests: skipped, and run by `test --full` (a nightly schedule);
 * - every other test (test_scope `whole`, singular tests, tables without written_at) checks the
 *   whole table, as it does under --full.
 */
const ROW_WISE = new Set(['not_null', 'accepted_values', 'relationships', 'expression_is_true', 'accepted_range']);

/** A full-table test on a scheduled run: skipped, with the reason in run_results.json. */
const FULL_ONLY = { skip: 'skipped: full-table test, run with --full' };

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

/** What the test reads of the tested model: a scope, a skip (full-table), or undefined (the whole table). */
export async function testScope(ctx: PeriodContext, test: CompiledNode): Promise<ScopeDecision> {
  const own = test.config.test_scope;
  if (own === 'whole') return undefined;
  if (own === 'full') return FULL_ONLY;
  if (test.resourceType === 'test' && test.kind !== 'generic') return singularScope(ctx, test);
  if (test.resourceType !== 'test' || !test.attachedTo) return undefined;
  const tested = ctx.manifest.nodes[test.attachedTo];
  if (!tested) return undefined;
  const modelScope = tested.config.test_scope;
  if (modelScope === 'whole') return undefined;
  if (modelScope === 'full') return FULL_ONLY;
  const keys = scopeKeys(test as CompiledNode & TestNode);
  const rowWise = ROW_WISE.has(test.testName!);
  const period = periodConfig(tested);
  if (period?.input) {
    // A key without the period column may repeat in another period: only a whole-table check sees that.
    const byPeriod = rowWise || keys?.some((k) => k.toLowerCase() === period.column.toLowerCase());
    if (!byPeriod) return FULL_ONLY;
    const written = await periodPredicate(ctx, tested);
    return written === undefined ? undefined : { scope: { written } };
  }
  const column = tested.config.written_at;
  if (period && !column)
    throw new ConfigError(
      `model "${tested.name}": test_scope {column} without input needs written_at`,
      { file: tested.path },
      'name the input its rows follow, or give it written_at',
    );
  if (!keys && !rowWise) return undefined;
  const since = ctx.builds.get(test.attachedTo);
  if (!column || !since) return undefined;
  const written = writtenPredicate(ctx, column, since);
  if (!keys) return { scope: { written } };
  // test_scope {column}: a key's repeats share its period, so only the written rows' periods are read.
  const inPeriod = period ? await periodPredicate(ctx, tested) : undefined;
  return {
    scope: { written, keys: keys.map((k) => ctx.adapter.dialect.quote(k)), ...(inPeriod ? { period: inPeriod } : {}) },
  };
}

/**
 * A singular test reading `{{written "model"}}` checks the rows those models' last runs wrote;
 * one whose models' writes are unknown, or that reads none that way, checks everything.
 */
function singularScope(ctx: PeriodContext, test: CompiledNode): ScopeDecision {
  const raw = 'rawSql' in test ? String(test.rawSql) : '';
  const written = new Map<string, string>();
  for (const [, name] of raw.matchAll(/\{\{\s*written\s+["']([^"']+)["']/g)) {
    const node = Object.values(ctx.manifest.nodes).find((n) => n.resourceType === 'model' && n.name === name);
    const since = node && ctx.builds.get(node.uniqueId);
    if (!node?.config.written_at || !since) return undefined;
    written.set(node.uniqueId, writtenPredicate(ctx, node.config.written_at, since));
  }
  return written.size ? { written } : undefined;
}

/** The scope as run_results.json shows it. */
export function describeScope(decision: Exclude<ScopeDecision, { skip: string } | undefined>): string {
  if ('written' in decision)
    return [...decision.written].map(([id, where]) => `${id.split('.').at(-1)} where ${where}`).join('; ');
  const { scope } = decision;
  if (!scope.keys) return scope.written;
  return `${scope.keys.join(', ')} of the rows where ${scope.written}${scope.period ? `, among the rows where ${scope.period}` : ''}`;
}

/** The key columns of a uniqueness test. */
function scopeKeys(test: CompiledNode & TestNode): string[] | undefined {
  if (test.testName === 'unique' && test.columnName) return [test.columnName];
  const columns = test.args.combination_of_columns;
  if (test.testName === 'unique_combination_of_columns' && Array.isArray(columns) && columns.length)
    return columns.map(String);
  return undefined;
}
