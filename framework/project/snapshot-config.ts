import { ConfigError, type SourcePosition } from '../errors.js';
import type { NodeConfig } from './types.js';

/** A snapshot's config after every layer, checked as dbt does before anything runs. */
export interface SnapshotConfig {
  uniqueKey: string[];
  strategy: 'timestamp' | 'check';
  /** timestamp: required; check: optional (the run's time otherwise). */
  updatedAt?: string;
  checkCols?: 'all' | string[];
  hardDeletes: 'ignore' | 'invalidate' | 'new_record';
  validToCurrent?: string;
}

/** The settings a snapshot runs with; a missing or contradictory key is a ConfigError at `where`. */
export function snapshotConfig(name: string, config: NodeConfig, where: SourcePosition): SnapshotConfig {
  const fail = (key: string, why: string) =>
    new ConfigError(`snapshot "${name}": ${key} ${why}`, where, 'see README "Snapshots" for the keys a snapshot needs');
  if (!config.unique_key?.length) throw fail('unique_key', 'is required (the column(s) identifying a row across runs)');
  if (!config.strategy) throw fail('strategy', 'is required: timestamp (with updated_at) or check (with check_cols)');
  if (config.strategy === 'timestamp' && !config.updated_at)
    throw fail('updated_at', 'is required by strategy: timestamp');
  if (config.strategy === 'check' && !config.check_cols)
    throw fail('check_cols', 'is required by strategy: check (a list of columns, or all)');
  if (config.hard_deletes && config.invalidate_hard_deletes && config.hard_deletes !== 'invalidate') {
    throw fail('hard_deletes', `is ${config.hard_deletes} but invalidate_hard_deletes is true: keep one`);
  }
  return {
    uniqueKey: config.unique_key,
    strategy: config.strategy,
    ...(config.updated_at ? { updatedAt: config.updated_at } : {}),
    ...(config.strategy === 'check' ? { checkCols: config.check_cols! } : {}),
    hardDeletes: config.hard_deletes ?? (config.invalidate_hard_deletes ? 'invalidate' : 'ignore'),
    ...(config.dbt_valid_to_current ? { validToCurrent: config.dbt_valid_to_current } : {}),
  };
}
