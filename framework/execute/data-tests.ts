import type { Adapter, Column } from '../adapters/adapter.js';
import type { CountMember } from './count-batch.js';
import type { Relation } from '../project/types.js';
import type { Compiler } from '../template/compile.js';
import type { TestScope } from '../template/state.js';
import type { CompiledNode, Manifest } from '../template/manifest.js';

export interface TestOutcome {
  status: 'pass' | 'warn' | 'fail';
  failures: number;
  message: string;
  sample: Record<string, unknown>[];
  queryIds: string[];
}

export interface TestOptions {
  /** --empty: the test sees flags.empty. */
  empty?: boolean;
  /**
   * Write–audit–publish: SQL standing in for a model (`id`) not yet published, the staged
   * `relation` holding its new rows; the rows of a blocking failure are then stored whatever
   * store_failures says.
   */
  standIn?: { id: string; sql: string; relation: Relation };
  /** What the test reads of the model: what the last run wrote (testing/scope.ts). */
  scope?: TestScope;
  /** A relation's columns, looked up once per run (a test runs after its model is built, which happens once). */
  columns?: (relation: Relation) => Promise<Column[]>;
  /** A singular test: the rows each model's last run wrote, which its {{written "model"}} reads. */
  written?: Map<string, string>;
  /** Counts the test's rows, in one query with other tests' (execute/count-batch.ts); else a query of its own. */
  count?: CountMember['count'];
}

export interface ScopeContext {
  adapter: Adapter;
  compiler: Compiler;
  manifest: Manifest;
  /** When each model was last built (ISO start): the rows it wrote are stamped at or after it. */
  builds: Map<string, string>;
  /** An audit: SQL standing in for the model (`id`) whose new rows are not published yet. */
  standIn?: { id: string; sql: string };
}

/**
 * A scheduled run's test checks the `scope` of the tested rows, or (a singular test) the rows its
 * models' last runs wrote (`written`, by unique id), or is skipped (`skip` says why); undefined: the whole table.
 */
export type ScopeDecision = { scope: TestScope } | { written: Map<string, string> } | { skip: string } | undefined;

/**
 * What a run needs of the data tests it executes. testing/ implements it and cli/ passes it in,
 * so execute/ (below the features) never imports testing/.
 */
export interface DataTests {
  /** Run one data test; `auditSchema` holds its failing rows when they are stored. */
  run(
    adapter: Adapter,
    compiler: Compiler,
    node: CompiledNode,
    record: (sql: string) => void,
    auditSchema: string,
    options?: TestOptions,
  ): Promise<TestOutcome>;
  /** When each model was last built (its node's start, ISO), from the previous command's run_results.json. */
  lastBuilds(targetDir: string): Map<string, string>;
  /** What the test checks on a scheduled run: a scope on the tested model's rows, a skip (full-table test), or undefined (the whole table). */
  scope(ctx: ScopeContext, test: CompiledNode): Promise<ScopeDecision>;
  /** The scope as run_results.json shows it. */
  describeScope(decision: Exclude<ScopeDecision, { skip: string } | undefined>): string;
}
