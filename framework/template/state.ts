import type { Adapter } from '../adapters/adapter.js';
import type { Node, Project } from '../project/types.js';

/** Runtime facts a render depends on; absent at compile time (full-build form). */
export interface Runtime {
  isIncremental: boolean;
  intervalStart?: Date;
  intervalEnd?: Date;
  /** new_files models: the only files of an external source (by unique id) this render reads. */
  files?: Map<string, string[]>;
  /** Unit tests: SQL standing in for refs/sources (by unique id) and for {{this}}. */
  relations?: Map<string, string>;
  self?: string;
  /**
   * --empty: a model reads each ref and source as a zero-row subquery ({{this}} stays the table);
   * a test reads the (empty) tables as they are and sees {{flags.empty}}.
   */
  empty?: boolean;
  /** Unit tests: vars over the project's. */
  vars?: Record<string, unknown>;
  /** A generic test scoped to what the last run wrote (testing/scope.ts). */
  testScope?: TestScope;
  /** A singular test on a scheduled run: per model (unique id), the predicate on the rows its last run wrote ({{written}}). */
  written?: Map<string, string>;
}

/**
 * What a scoped test reads of the tested model: the rows `written` (a predicate) by the last run,
 * or with `keys` (quoted columns) every row whose key one of those rows has, in `period` if given.
 */
export interface TestScope {
  written: string;
  keys?: string[];
  /** With `keys`: the periods of the written rows, where a repeat of their keys can be (test_scope {column}). */
  period?: string;
}

/**
 * What one render of one node needs and what it learns: the refs and sources it used, the
 * in-file config, ephemerals to inline. Passed to helpers through handlebars' `data` so renders
 * never share state.
 */
export interface RenderState {
  project: Project;
  adapter: Adapter;
  nodeId: string;
  file: string;
  source: string;
  runtime: Runtime;
  dependsOn: Set<string>;
  ephemerals: Set<string>;
  /** Resolves a node to the relation text (or CTE name for ephemerals); set by the compiler. */
  relationOf(uniqueId: string): string;
  /** A node with its final config and relation; set by the compiler. */
  nodeOf(uniqueId: string): Node | undefined;
}
