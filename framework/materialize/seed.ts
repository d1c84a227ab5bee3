import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { SeedNode } from '../project/types.js';
import type { CompiledNode } from '../template/manifest.js';
import { hooks } from './context.js';
import type { Strategy } from './strategy.js';

export interface SeedState {
  /** The CSV's size and fingerprint (its bytes and column types); undefined under --empty (no ledger). */
  file?: { size: number; fingerprint: string };
  /** The last load's fingerprint and rows, when the table is there and not --full-refresh. */
  last?: { fingerprint?: string; rows: number };
}

export type SeedPlan = { load: false; rows: number } | { load: true; record?: { size: number; fingerprint: string } };

/**
 * Seeds: loaded when the CSV or column types differ from the last load (or the table is gone, or
 * --full-refresh), otherwise left as they are. A scheduled build every few minutes would otherwise
 * rewrite the same rows each time: on Trino a new Iceberg snapshot and tens of seconds per cycle
 * for a 10,000-row seed. The last load's fingerprint lives in the target's file ledger, so every
 * host running the target sees it; it is recorded after the table is swapped in, so a crash in
 * between only costs one more load. --empty loads the seed and records nothing.
 */
export const seed: Strategy<CompiledNode & SeedNode, SeedState, SeedPlan> = {
  name: 'seed',
  // Run around the load only: a seed left as it is runs none.
  hooks: false,
  writesTable: true,
  async read(ctx, node) {
    if (ctx.empty) return {};
    const csv = readFileSync(node.csvPath);
    const fingerprint = `sha256:${createHash('sha256')
      .update(csv)
      .update(JSON.stringify(node.config.column_types ?? {}))
      .digest('hex')}`;
    const exists = (await ctx.adapter.introspector.relationType(node.relation)) === 'table';
    const last =
      exists && !ctx.fullRefresh ? (await ctx.run.state.files.loaded(node.relation)).get(node.path) : undefined;
    return {
      file: { size: csv.length, fingerprint },
      ...(last ? { last: { rows: last.rows, ...(last.etag ? { fingerprint: last.etag } : {}) } } : {}),
    };
  },
  plan(_node, { file, last }) {
    if (file && last?.fingerprint === file.fingerprint) return { load: false, rows: last.rows };
    return { load: true, ...(file ? { record: file } : {}) };
  },
  async apply(ctx, node, plan) {
    if (!plan.load)
      return {
        rowsAffected: 0,
        message: `unchanged since its last load (${plan.rows} rows); --full-refresh reloads it`,
        queryIds: [],
      };
    await hooks(ctx, node, 'pre_hook');
    const rows = await ctx.adapter.loadSeed(node.relation, node.csvPath, node.config.column_types ?? {});
    await hooks(ctx, node, 'post_hook');
    if (plan.record) {
      const { files } = ctx.run.state;
      await files.forget(node.relation);
      await files.record(
        node.relation,
        node.uniqueId,
        [{ path: node.path, size: plan.record.size, etag: plan.record.fingerprint, modifiedAt: new Date(), rows }],
        ctx.run.invocationId,
      );
    }
    return { rowsAffected: rows, message: `seed loaded (${rows} rows)`, queryIds: [] };
  },
};
