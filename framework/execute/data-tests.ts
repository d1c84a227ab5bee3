import type { Adapter, Column } from '../adapters/adapter.js';
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
}

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
  /** The predicate on the tested model's rows, or undefined when the test checks the whole table. */
  scope(adapter: Adapter, manifest: Manifest, test: CompiledNode, builds: Map<string, string>): TestScope | undefined;
  /** The scope as run_results.json shows it. */
  describeScope(scope: TestScope): string;
}
