import type { EnginePlugin } from '../plugin.js';
import { trinoCapabilities } from './capabilities.js';
import { trinoSettings } from './settings.js';

/** The lakehouse engine: Trino with an Iceberg catalog, external sources through its Hive catalog. */
export const trino: EnginePlugin = {
  name: 'trino',
  settings: trinoSettings,
  defaultSchema: 'default',
  capabilities: trinoCapabilities,
  async create(target, root) {
    const { TrinoAdapter } = await import('./adapter.js');
    return new TrinoAdapter(target, root);
  },
};
