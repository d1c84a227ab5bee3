import type { Target } from '../project/types.js';
import type { Adapter } from './adapter.js';
import { ConfigError } from '../errors.js';

/** Engines load lazily so a DuckDB run never pays for the Trino client and vice versa. */
export async function createAdapter(target: Target, root: string): Promise<Adapter> {
  if (target.type === 'duckdb') {
    const { DuckDbAdapter } = await import('./duckdb/adapter.js');
    return new DuckDbAdapter(target, root);
  }
  throw new ConfigError(`target type "${target.type}" is not supported yet (root ${root})`);
}
