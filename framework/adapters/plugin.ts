import type { EngineSpec } from '../project/engine.js';
import type { Target } from '../project/types.js';
import type { Adapter } from './adapter.js';

/**
 * An engine as the registry knows it: what loading a project checks (name, settings schema,
 * capabilities) and a factory that loads the engine's code only when a target uses it.
 */
export interface EnginePlugin extends EngineSpec {
  create(target: Target, root: string): Promise<Adapter>;
  /** Settings of a throw-away database of this engine (in-process engines: unit tests of models run there). */
  readonly scratchSettings?: Record<string, unknown>;
}
