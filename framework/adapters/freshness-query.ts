import type { MacroSet } from './adapter.js';

/**
 * `source freshness`: the newest `field` (max_loaded_at), the engine's clock (snapshotted_at), both
 * as text, and the age in seconds computed by the engine, so client clocks don't matter.
 * `relation` is the source as rendered; `filter` a predicate on its rows.
 */
export function freshnessQuery(macros: MacroSet, relation: string, field: string, filter?: string): string {
  const where = filter ? ` where ${filter}` : '';
  return `select cast(max(${field}) as varchar) as max_loaded_at, cast(current_timestamp as varchar) as snapshotted_at, ${macros.seconds_between!(`max(${field})`, 'current_timestamp')} as age_seconds from ${relation}${where}`;
}
