/** The plain objects every later layer consumes: what the project declares, before any SQL is rendered. */
export type ResourceType = 'model' | 'seed' | 'source' | 'test';
export type Materialization = 'view' | 'table' | 'incremental' | 'ephemeral' | 'seed' | 'test';

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
  /** The column a run stamps on the rows it writes (at or after its start): scopes the model's tests (testing/scope.ts). */
  written_at?: string;
  on_schema_change: 'ignore' | 'fail' | 'append_new_columns' | 'sync_all_columns';
  full_refresh?: boolean | null;
  pre_hook: string[];
  post_hook: string[];
  properties: Record<string, unknown>;
  column_types?: Record<string, string>;
  interval?: string;
  time_column?: string;
  start?: string;
  lookback?: number;
  batch_size?: number;
  /** Interval models: the upstream that drives completeness and reprocessing (execute/intervals.ts). */
  interval_input?: { ref: string; time_column: string; loaded_at: string };
  maintenance?: Record<string, unknown>;
  severity?: 'warn' | 'error';
  warn_if?: string;
  error_if?: string;
  where?: string;
  limit?: number;
  store_failures?: boolean;
  [key: string]: unknown;
}

export interface ColumnDef {
  name: string;
  description?: string;
  data_type?: string;
  meta?: Record<string, unknown>;
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
  overrides: { vars?: Record<string, unknown>; is_incremental?: boolean; interval?: { start: string; end: string }; env_vars?: Record<string, string> };
  origin: Origin;
}

export type Node = ModelNode | SeedNode | SourceNode | TestNode;
export type BuildableNode = ModelNode | SeedNode;

export interface ProjectFile {
  name: string;
  root: string;
  paths: { models: string; sources: string; macros: string; seeds: string; tests: string; target: string };
  vars: Record<string, unknown>;
  onRunStart: string[];
  onRunEnd: string[];
  schedules: ScheduleDef[];
}

export interface ScheduleDef {
  name: string;
  every: string;
  command: 'run' | 'build' | 'test';
  /** --full: tests check whole tables (a nightly schedule), not only what the last run wrote. */
  full?: boolean;
  select?: string;
  exclude?: string;
  target?: string;
  environment_file?: string;
}

export interface Target {
  name: string;
  type: 'duckdb' | 'trino';
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
  /** Model and seed names → unique ids (what ref() resolves). */
  byName: Map<string, string>;
  macros: MacroFile[];
  selectors: NamedSelector[];
  unitTests: UnitTest[];
  /** Raw CLI --vars merged over project vars. */
  vars: Record<string, unknown>;
}
