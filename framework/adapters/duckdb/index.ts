import type { EnginePlugin } from '../plugin.js';
import { duckdbCapabilities } from './capabilities.js';
import { duckdbSettings } from './settings.js';

/** The embedded default engine: a DuckDB file, no server. */
export const duckdb: EnginePlugin = {
  name: 'duckdb',
  settings: duckdbSettings,
  defaultSchema: 'main',
  capabilities: duckdbCapabilities,
  scratchSettings: { path: ':memory:' },
  async create(target, root) {
    const { DuckDbAdapter } = await import('./adapter.js');
    return new DuckDbAdapter(target, root);
  },
};
