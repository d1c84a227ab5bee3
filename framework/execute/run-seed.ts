import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { materialize, type MaterializeContext, type MaterializeResult } from '../materialize/index.js';
import type { SeedNode } from '../project/types.js';
import type { CompiledNode } from '../template/manifest.js';
import type { FileLedgerStore } from '../state/state-store.js';

/**
 * A seed's share of a run: loaded when its CSV or column types differ from its last load (or the
 * table is gone, or --full-refresh), otherwise left as it is. A scheduled build every few minutes
 * would otherwise rewrite the same rows each time: on Trino a new Iceberg snapshot and tens of
 * seconds per cycle for a 10,000-row seed. The last load's fingerprint lives in the target's file
 * ledger, so every host running the target sees it; it is recorded after the table is swapped in,
 * so a crash in between only costs one more load.
 */
export async function runSeed(
  ctx: MaterializeContext,
  node: CompiledNode & SeedNode,
  ledger: FileLedgerStore,
  invocationId: string,
): Promise<MaterializeResult> {
  const csv = readFileSync(node.csvPath);
  const fingerprint = `sha256:${createHash('sha256')
    .update(csv)
    .update(JSON.stringify(node.config.column_types ?? {}))
    .digest('hex')}`;
  const exists = (await ctx.adapter.introspector.relationType(node.relation)) === 'table';
  const last = exists && !ctx.fullRefresh ? (await ledger.loaded(node.relation)).get(node.path) : undefined;
  if (last?.etag === fingerprint)
    return {
      rowsAffected: 0,
      message: `unchanged since its last load (${last.rows} rows); --full-refresh reloads it`,
      queryIds: [],
    };
  const result = await materialize(ctx, node);
  await ledger.forget(node.relation);
  await ledger.record(
    node.relation,
    node.uniqueId,
    [{ path: node.path, size: csv.length, etag: fingerprint, modifiedAt: new Date(), rows: result.rowsAffected ?? 0 }],
    invocationId,
  );
  return result;
}
