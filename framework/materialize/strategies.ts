import type { ModelNode } from '../project/types.js';
import type { CompiledNode } from '../template/manifest.js';
import { clone } from './clone.js';
import { checkRebuild } from './fingerprint.js';
import { incremental } from './incremental.js';
import { interval } from './interval.js';
import { newFiles } from './new-files.js';
import { seed } from './seed.js';
import { snapshot } from './snapshot.js';
import type { Strategy, ValidationScope } from './strategy.js';
import { table } from './table.js';
import { view } from './view.js';

export { build, type Strategy, type ValidationScope } from './strategy.js';

/** Ephemeral models are inlined where they are used: building one does nothing. */
const ephemeral: Strategy = {
  name: 'ephemeral',
  hooks: false,
  writesTable: false,
  read: async () => undefined,
  plan: () => undefined,
  apply: async () => ({ message: 'ephemeral (inlined where used)', queryIds: [] }),
};

// Each strategy's node type is checked where it is picked (strategyFor), so the registry holds them as any node's.
const STRATEGIES = Object.fromEntries(
  [view, table, incremental, interval, newFiles, seed, snapshot, clone, ephemeral].map((s) => [
    s.name,
    s as unknown as Strategy,
  ]),
);

/** The name of the strategy that builds a node: its materialization, refined by incremental_strategy and interval. */
export function strategyName(node: CompiledNode, clones: boolean): string {
  if (clones) return clone.name;
  if (node.resourceType === 'seed' || node.resourceType === 'snapshot') return node.resourceType;
  const { config } = node as CompiledNode & ModelNode;
  if (config.incremental_strategy === 'new_files') return newFiles.name;
  // `interval` makes a model an interval model whatever else it says (its checks say it must be incremental).
  if (config.interval) return interval.name;
  // A model that names a materialization of another resource (seed, snapshot) builds nothing, as an ephemeral one.
  return [view.name, table.name, incremental.name].includes(config.materialized) ? config.materialized : ephemeral.name;
}

/** A node's config errors, before anything runs: its strategy's checks, and rebuild: on_change on a non-table. */
export function validate(node: CompiledNode, scope: ValidationScope, clones: boolean): void {
  const strategy = strategyFor(node, clones);
  if (!clones && strategy !== table && node.resourceType === 'model')
    checkRebuild(node as CompiledNode & ModelNode, scope, strategy.name);
  strategy.validate?.(node, scope);
}

/** The strategy that builds a node (`clone`: a view over the --state run's relation). */
export function strategyFor(node: CompiledNode, clones = false): Strategy {
  return STRATEGIES[strategyName(node, clones)]!;
}
