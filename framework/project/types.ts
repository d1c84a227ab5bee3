/** The plain objects every later layer consumes: what the project declares, before any SQL is rendered. */
import type { IngestConfig } from './ingest.js';

export type ResourceType = 'model' | 'seed' | 'source' | 'test' | 'snapshot';
export type Materialization = 'view' | 'table' | 'incremental' | 'ephemeral' | 'seed' | 'test' | 'snapshot';

export interface NodeConfig {
  enabled: boolean;
  materialized: Materialization;
  schema?: string;
  alias?: string;
  tags: string[];
  meta: Record<string, unknown>;
  unique_key?: string[];
  incremental_strategy?: 'merge' | 'append' | 'delete+insert' | 'new_files';
  /** new_files: the model's column holding each row's source file path. */
  file_column?: string;
  /** new_files: how far before the newest loaded partition each run lists again (15m, 2h, 1d; default 1d). */
  discovery_lookback?: string;
  /** The column a run stamps on the rows it writes (at or after its start): scopes the model's tests (testing/scope.ts). */
  written_at?: string;
  /**
   * What a scheduled `test` (no --full) checks: a model's rows following `input`'s time by `column`
   * (its tests check the values the input's last written rows produce; no input: the model's own
   * written rows, and rows sharing a key share `column`), `full` (only under --full) or `whole`
   * (every row, every run). testing/scope.ts.
   */
  test_scope?: 'full' | 'whole' | { column: string; input?: string };
  on_schema_change: 'ignore' | 'fail' | 'append_new_columns' | 'sync_all_columns';
  full_refresh?: boolean | null;
  pre_hook: string[];
  post_hook: string[];
  properties: Record<string, unknown>;
  /** Columns the rows of each write are ordered by, so reads filtering on them prune (Dialect.clustered). */
  cluster_by?: string[];
  column_types?: Record<string, string>;
  interval?: string;
  time_column?: string;
  start?: string;
  lookback?: number;
  batch_size?: number;
  /** Interval models: the upstream that drives completeness and reprocessing (materialize/interval.ts). */
  interval_input?: { ref: string; time_column: string; loaded_at: string };
  maintenance?: Record<string, unknown>;
  /** Table models: rebuilt every run, or only when their SQL, config or inputs changed (materialize/fingerprint.ts). */
  rebuild?: 'always' | 'on_change';
  /** build: test the model's new data before publishing it (default) or after (execute/audit.ts). */
  audit?: 'before' | 'after';
  severity?: 'warn' | 'error';
  warn_if?: string;
  error_if?: string;
  where?: string;
  limit?: number;
  store_failures?: boolean;
  /** dbt's model contract: declared columns and types are checked before anything is replaced. */
  contract?: { enforced?: boolean };
  /** Snapshots (dbt's names): how a changed row is detected, and what a row missing from the query means. */
  strategy?: 'timestamp' | 'check';
  updated_at?: string;
  check_cols?: 'all' | string[];
  hard_deletes?: 'ignore' | 'invalidate' | 'new_record';
  /** dbt's older spelling of hard_deletes: invalidate. */
  invalidate_hard_deletes?: boolean;
  /** SQL expression stored in dbt_valid_to of current rows instead of NULL. */
  dbt_valid_to_current?: string;
  [key: string]: unknown;
}

export interface ColumnDef {
  name: string;
  description?: string;
  data_type?: string;
  meta?: Record<string, unknown>;
  constraints?: Constraint[];
}

/** dbt's constraint: on a column (`columns` implied) or on the model (`columns` named). */
export interface Constraint {
  type: 'not_null' | 'unique' | 'primary_key' | 'check';
  name?: string;
  expression?: string;
  columns?: string[];
}

/** Where in the user's files a node was declared, for error messages. */
export interface Origin {
  file: string;
  line?: number;
  column?: number;
}

export interface Relation {
  database?: string;
  schema: string;
  name: string;
}

interface BaseNode {
  uniqueId: string;
  resourceType: ResourceType;
  name: string;
  /** Path relative to the project root. */
  path: string;
  fqn: string[];
  description: string;
  columns: ColumnDef[];
  config: NodeConfig;
  origin: Origin;
  /** YAML file that documents the node, if any. */
  patchPath?: string;
}

export interface ModelNode extends BaseNode {
  resourceType: 'model';
  rawSql: string;
  relation: Relation;
  /** Model-level constraints (several columns, or a check over the row). */
  constraints?: Constraint[];
  /** Where its config is set (its {{config}}, else its YAML's config:), for errors about it. */
  configOrigin?: Origin;
}

/** An SCD type 2 history of a query's rows (dbt's snapshot): a .sql file, or YAML naming a relation. */
export interface SnapshotNode extends BaseNode {
  resourceType: 'snapshot';
  rawSql: string;
  relation: Relation;
  /** Where its YAML config sits, for errors about it (the SQL file's {{config}} is located at compile time). */
  configOrigin?: Origin;
}

export interface SeedNode extends BaseNode {
  resourceType: 'seed';
  csvPath: string;
  relation: Relation;
}

export interface ExternalLocation {
  location: string;
  format: 'lines' | 'json' | 'csv' | 'parquet';
  /** Zone of the times in Hive-style partition paths (year=/month=/day=/hour=/minute=); default UTC. */
  time_zone?: string;
}

export interface Freshness {
  warn_after?: { count: number; period: 'minute' | 'hour' | 'day' };
  error_after?: { count: number; period: 'minute' | 'hour' | 'day' };
  filter?: string;
}

export interface SourceNode extends BaseNode {
  resourceType: 'source';
  sourceName: string;
  tableName: string;
  relation: Relation;
  external?: ExternalLocation;
  loadedAtField?: string;
  freshness?: Freshness;
}

/** A data test: generic (declared in YAML, rendered from a test macro) or singular (a SQL file). */
export interface TestNode extends BaseNode {
  resourceType: 'test';
  kind: 'generic' | 'singular';
  /** Generic tests: the test's name and arguments as written in YAML. */
  testName?: string;
  args: Record<string, unknown>;
  columnName?: string;
  /** The node the test is declared on (generic) — its first parent. */
  attachedTo?: string;
  rawSql: string;
}

/** Rows given to or expected from a unit test: inline objects, CSV text, or a CSV file. */
export interface UnitRows {
  format?: 'dict' | 'csv';
  rows?: Record<string, unknown>[] | string;
  file?: string;
}

/** A unit test of one model: fixed input rows per ref/source (or this), expected output rows. */
export interface UnitTest {
  name: string;
  model: string;
  description?: string;
  given: (UnitRows & { input: string })[];
  expect: UnitRows;
  overrides: {
    vars?: Record<string, unknown>;
    is_incremental?: boolean;
    interval?: { start: string; end: string };
    env_vars?: Record<string, string>;
  };
  origin: Origin;
}

export type Node = ModelNode | SeedNode | SourceNode | TestNode | SnapshotNode;
export type BuildableNode = ModelNode | SeedNode | SnapshotNode;

export interface ProjectFile {
  name: string;
  root: string;
  paths: {
    models: string;
    sources: string;
    macros: string;
    seeds: string;
    tests: string;
    snapshots: string;
    target: string;
    dashboards: string;
  };
  vars: Record<string, unknown>;
  onRunStart: string[];
  onRunEnd: string[];
  schedules: ScheduleDef[];
  services: ServiceDef[];
  ingest: IngestConfig;
  /** Project code the CLI loads (paths relative to the root). */
  extensions: string[];
  /** Iceberg maintenance for tables without their own config, and the state tables (execute/maintenance.ts). */
  maintenance?: Record<string, Record<string, unknown> | boolean>;
}

/** A long-running command installed as a systemd service next to the schedules' timers. */
export interface ServiceDef {
  name: string;
  command: 'ingest kafka';
  /** Flags after the command, e.g. [--to, s3, --group, sink]. */
  args?: string[];
  /** Consumers of one group on this host (default 1). */
  instances?: number;
  environment_file?: string;
}

export interface ScheduleDef {
  name: string;
  every: string;
  command: 'run' | 'build' | 'test' | 'maintain';
  /** --full: tests check whole tables (a nightly schedule), not only what the last run wrote. */
  full?: boolean;
  /** --reconcile-files: new_files models list every partition (a nightly run finding late files older than the lookback). */
  reconcile_files?: boolean;
  select?: string;
  exclude?: string;
  target?: string;
  environment_file?: string;
}

export interface Target {
  name: string;
  /** The engine's name in adapters/registry.ts. */
  type: string;
  schema: string;
  threads: number;
  /** Everything else from profiles.yml, env_var already applied. Never serialised: it may hold secrets. */
  settings: Record<string, unknown>;
}

export interface MacroFile {
  name: string;
  /** Adapter this file is dispatched for, or undefined for the default implementation. */
  adapter?: string;
  path: string;
  kind: 'template' | 'module';
  body?: string;
}

export interface NamedSelector {
  name: string;
  /** dbt's form (graph/selector-definition.ts); `select`/`exclude` strings are the shorthand. */
  definition?: unknown;
  select?: string;
  exclude?: string;
  default?: boolean;
  description?: string;
}

/** Everything read from disk; no SQL rendered yet. */
export interface Project {
  file: ProjectFile;
  target: Target;
  nodes: Map<string, Node>;
  /** Model, seed and snapshot names → unique ids (what ref() resolves). */
  byName: Map<string, string>;
  macros: MacroFile[];
  selectors: NamedSelector[];
  unitTests: UnitTest[];
  /** Raw CLI --vars merged over project vars. */
  vars: Record<string, unknown>;
}
