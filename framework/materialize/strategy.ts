import type { Adapter } from '../adapters/adapter.js';
import type { SourcePosition } from '../errors.js';
import type { ModelNode } from '../project/types.js';
import type { CompiledNode } from '../template/manifest.js';
import type { Runtime } from '../template/state.js';
import { hooks, type BuildContext, type MaterializeResult } from './context.js';

/** What a plan may use of the engine: compile-only members, nothing that runs SQL. */
export type Engine = Pick<Adapter, 'dialect' | 'macros' | 'capabilities'>;

/** What one build renders with beyond the node: an interval's range, a slice of files. */
export type BatchRuntime = Omit<Runtime, 'isIncremental'>;

/** What a strategy's config checks may look at besides the node (before anything runs). */
export interface ValidationScope {
  nodes: Record<string, CompiledNode>;
  /** Every node the given one reads from, transitively (through ephemeral models too). */
  upstream(id: string): Set<string>;
  /** A name's unique id (models, seeds, snapshots). */
  byName: Map<string, string>;
}

/**
 * One way of building a node (materialize/strategies.ts maps names to them). `read` gathers what
 * the plan depends on from the warehouse and the state store; `plan` is pure, so it is tested
 * without a warehouse; `apply` runs the plan's statements and records state. execute/ only
 * orders nodes and calls `build`.
 */
export interface Strategy<N extends CompiledNode = CompiledNode, State = unknown, Plan = unknown> {
  readonly name: string;
  /** Pre- and post-hooks run around it (loaders, which build in several steps, run them per step). */
  readonly hooks: boolean;
  /** It writes a table (whose snapshot ids the run records, for `rollback`). */
  readonly writesTable: boolean;
  /** Config checks before anything runs: throws a ConfigError naming the file. */
  validate?(node: N, scope: ValidationScope): void;
  read(ctx: BuildContext, node: N, runtime: BatchRuntime): Promise<State>;
  plan(node: N, state: State, engine: Engine): Plan;
  /** A plan that builds nothing (the node already is what it would make): this result, and no hooks run. */
  unchanged?(plan: Plan): MaterializeResult | undefined;
  apply(ctx: BuildContext, node: N, plan: Plan): Promise<MaterializeResult>;
}

/** Where a model's config errors point: its {{config}}, else its YAML's config:, else its file. */
export function configAt(node: CompiledNode & ModelNode): SourcePosition {
  return node.configOrigin ?? node.origin;
}

/**
 * read → plan → apply, with the node's hooks around the apply where the strategy has them (as
 * dbt's materializations run pre-hooks after looking up the existing relation).
 */
export async function build<N extends CompiledNode, State, Plan>(
  strategy: Strategy<N, State, Plan>,
  ctx: BuildContext,
  node: N,
  runtime: BatchRuntime = {},
): Promise<MaterializeResult> {
  const state = await strategy.read(ctx, node, runtime);
  const plan = strategy.plan(node, state, ctx.adapter);
  const unchanged = strategy.unchanged?.(plan);
  if (unchanged) return unchanged;
  if (strategy.hooks) await hooks(ctx, node, 'pre_hook');
  const result = await strategy.apply(ctx, node, plan);
  if (strategy.hooks) await hooks(ctx, node, 'post_hook');
  return result;
}
