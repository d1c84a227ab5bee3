import { ConfigError } from '../errors.js';
import type { Target } from '../project/types.js';
import type { Adapter } from './adapter.js';
import { duckdb } from './duckdb/index.js';
import type { EnginePlugin } from './plugin.js';
import { trino } from './trino/index.js';

/** Every engine, by the `type:` a profiles.yml target names it with. Adding one: docs/architecture.md. */
export const ENGINES: ReadonlyMap<string, EnginePlugin> = new Map([duckdb, trino].map((e) => [e.name, e]));

export function createAdapter(target: Target, root: string): Promise<Adapter> {
  const engine = ENGINES.get(target.type);
  if (!engine)
    throw new ConfigError(
      `target "${target.name}": unknown engine "${target.type}" (known engines: ${[...ENGINES.keys()].join(', ')})`,
      { file: 'profiles.yml' },
    );
  return engine.create(target, root);
}

/** A throw-away in-memory database of the first in-process engine: where unit tests of models run. */
export function scratchAdapter(root: string): Promise<Adapter> {
  const engine = [...ENGINES.values()].find((e) => e.capabilities.inProcess && e.scratchSettings);
  if (!engine) throw new ConfigError('unit tests need an in-process engine, and none is registered');
  return engine.create(
    {
      name: 'unit',
      type: engine.name,
      schema: engine.defaultSchema,
      threads: 1,
      settings: { ...engine.scratchSettings },
    },
    root,
  );
}

/** Names of the engines that have `capability`, for hints ("… need a target of type: trino"). */
export function enginesWith(capability: 'snapshots'): string[] {
  return [...ENGINES.values()].filter((e) => e.capabilities[capability]).map((e) => e.name);
}
