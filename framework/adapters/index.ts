import type { Target } from '../project/types.js';
import type { Adapter } from './adapter.js';

/** Engines load lazily so a DuckDB run never pays for the Trino client and vice versa. */
export async function createAdapter(target: Target, root: string): Promise<Adapter> {
  if (target.type === 'duckdb') {
    const { DuckDbAdapter } = await import('./duckdb/adapter.js');
    return new DuckDbAdapter(target, root);
  }
  const { TrinoAdapter } = await import('./trino/adapter.js');
  return new TrinoAdapter(target, root);
}
