import type { ModelNode, SeedNode, SnapshotNode } from '../project/types.js';
import type { CompiledNode } from '../template/manifest.js';
import type { Runtime } from '../template/state.js';
import { hooks, type MaterializeContext, type MaterializeResult } from './context.js';
import { incremental } from './incremental.js';
import { seed } from './seed.js';
import { snapshot } from './snapshot.js';
import { table } from './table.js';
import { view } from './view.js';

export type { MaterializeContext, MaterializeResult } from './context.js';

/** Build one model, seed or snapshot: pre-hooks, the materialization, post-hooks. */
export async function materialize(
  ctx: MaterializeContext,
  node: CompiledNode,
  runtime: Omit<Runtime, 'isIncremental'> = {},
): Promise<MaterializeResult> {
  await hooks(ctx, node, 'pre_hook');
  let result: MaterializeResult;
  if (node.resourceType === 'seed') result = await seed(ctx, node as CompiledNode & SeedNode);
  else if (node.resourceType === 'snapshot') result = await snapshot(ctx, node as CompiledNode & SnapshotNode);
  else {
    const model = node as CompiledNode & ModelNode;
    switch (model.config.materialized) {
      case 'view':
        result = await view(ctx, model);
        break;
      case 'table':
        result = await table(ctx, model);
        break;
      case 'incremental':
        result = await incremental(ctx, model, runtime);
        break;
      default:
        return { message: 'ephemeral (inlined where used)', queryIds: [] };
    }
  }
  await hooks(ctx, node, 'post_hook');
  return result;
}
