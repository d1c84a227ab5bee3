import type { EngineSettingsSchema } from '../../project/engine.js';

/** A DuckDB target's keys in profiles.yml. */
export const duckdbSettings: EngineSettingsSchema = {
  properties: {
    path: { type: 'string', description: "database file; ':memory:' for an in-memory database" },
    settings: { type: 'object', description: 'DuckDB SET options (memory_limit, threads, ...)' },
  },
};
