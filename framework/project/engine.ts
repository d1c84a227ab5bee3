/**
 * What the layers above know of an engine, declared by its plugin (adapters/<engine>/index.ts,
 * collected by adapters/registry.ts). project/ imports no adapter: loading a project receives
 * the engines as `Engines`.
 */
export interface EngineCapabilities {
  /** `atomically` runs its statements in one transaction: a failing statement undoes those before it. */
  readonly atomicMultiStatement: boolean;
  /** MERGE INTO … USING … WHEN MATCHED / NOT MATCHED (incremental merge). */
  readonly merge: boolean;
  /** Tables keep versions: time travel, rollback and snapshot maintenance (the adapter's `snapshots`). */
  readonly snapshots: boolean;
  /** A commit can lose a race with a concurrent commit to the same table, and is worth retrying (`isCommitConflict`). */
  readonly commitConflicts: boolean;
  /** Constraints the engine itself refuses rows for, in a table created from an enforced contract. */
  readonly enforcedConstraints: readonly ('not_null' | 'check')[];
  /** Runs inside this process with no server: unit tests of models run on such an engine. */
  readonly inProcess: boolean;
}

/** The JSON schema of an engine's own keys in a profiles.yml target (type, schema, threads and vars are every engine's). */
export interface EngineSettingsSchema {
  readonly properties: Record<string, object>;
  readonly required?: readonly string[];
}

export interface EngineSpec {
  readonly name: string;
  readonly settings: EngineSettingsSchema;
  /** The schema of a target that names none. */
  readonly defaultSchema: string;
  readonly capabilities: EngineCapabilities;
}

/** Every known engine by its `type:` name. */
export type Engines = ReadonlyMap<string, EngineSpec>;
