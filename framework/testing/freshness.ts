import type { Adapter } from '../adapters/adapter.js';
import { freshnessQuery } from '../adapters/freshness-query.js';
import type { NodeResult } from '../execute/results.js';
import type { Freshness, SourceNode } from '../project/types.js';
import type { Compiler } from '../template/compile.js';

export interface FreshnessResult extends NodeResult {
  max_loaded_at?: string;
  snapshotted_at?: string;
  age_seconds?: number;
  criteria: Freshness;
}

const SECONDS = { minute: 60, hour: 3600, day: 86400 };

/**
 * `source freshness`: the newest loaded_at_field of each source table against warn_after /
 * error_after. Ages are computed by the engine (now minus max), so client clocks don't matter.
 */
export async function checkFreshness(
  adapter: Adapter,
  compiler: Compiler,
  source: SourceNode,
): Promise<FreshnessResult> {
  const started = new Date();
  const criteria = source.freshness!;
  const relation = compiler.renderText(`{{source "${source.sourceName}" "${source.tableName}"}}`, source.path);
  const field = source.loadedAtField!;
  const sql = freshnessQuery(adapter.macros, relation, field, criteria.filter);
  const base = { unique_id: source.uniqueId, started_at: started.toISOString(), query_ids: [] as string[], criteria };
  const finish = (
    status: NodeResult['status'],
    message: string,
    extra: Partial<FreshnessResult> = {},
  ): FreshnessResult => ({
    ...base,
    status,
    message,
    execution_time: (Date.now() - started.getTime()) / 1000,
    completed_at: new Date().toISOString(),
    ...extra,
  });
  try {
    const result = await adapter.query(sql);
    const row = result.rows[0] ?? {};
    const age = row.age_seconds === null || row.age_seconds === undefined ? undefined : Number(row.age_seconds);
    const extra = {
      max_loaded_at: row.max_loaded_at as string,
      snapshotted_at: row.snapshotted_at as string,
      ...(age !== undefined ? { age_seconds: age } : {}),
      query_ids: result.queryId ? [result.queryId] : [],
    };
    if (age === undefined) return finish('error', `no rows in ${source.name}: cannot tell freshness`, extra);
    const limit = (p?: Freshness['warn_after']) => (p ? p.count * SECONDS[p.period] : Infinity);
    const human = `${formatAge(age)} old`;
    if (age > limit(criteria.error_after))
      return finish(
        'error',
        `${human} (error after ${criteria.error_after!.count} ${criteria.error_after!.period}s)`,
        extra,
      );
    if (age > limit(criteria.warn_after))
      return finish(
        'warn',
        `${human} (warn after ${criteria.warn_after!.count} ${criteria.warn_after!.period}s)`,
        extra,
      );
    return finish('pass', human, extra);
  } catch (error) {
    return finish('error', (error as Error).message);
  }
}

function formatAge(seconds: number): string {
  if (seconds < 120) return `${Math.round(seconds)}s`;
  if (seconds < 7200) return `${Math.round(seconds / 60)}m`;
  if (seconds < 172800) return `${(seconds / 3600).toFixed(1)}h`;
  return `${(seconds / 86400).toFixed(1)}d`;
}
