import type { SeedNode } from '../project/types.js';
import type { CompiledNode } from '../template/manifest.js';
import type { MaterializeContext, MaterializeResult } from './context.js';

export async function seed(ctx: MaterializeContext, node: CompiledNode & SeedNode): Promise<MaterializeResult> {
  const rows = await ctx.adapter.loadSeed(node.relation, node.csvPath, node.config.column_types ?? {});
  return { rowsAffected: rows, message: `seed loaded (${rows} rows)`, queryIds: [] };
}
