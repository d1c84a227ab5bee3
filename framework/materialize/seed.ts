import { readFileSync } from 'node:fs';
import type { SeedNode } from '../project/types.js';
import type { CompiledNode } from '../template/manifest.js';
import { fingerprint, lastBuilt, recordBuilt, type Built } from './fingerprint.js';
import type { Strategy } from './strategy.js';

export interface SeedState {
  /** The CSV's size and fingerprint (its bytes and column types); undefined under --empty (no ledger). */
  file?: { size: number; fingerprint: string };
  /** The last load's fingerprint and rows, when the table is there and not --full-refresh. */
  last?: Built;
}

export type SeedPlan = { load: false; rows: number } | { load: true; record?: { size: number; fingerprint: string } };

/**
 * Seeds: loaded when the CSV or column types differ from the last load (or the table is gone, or
 * --full-refresh), otherwise left as they are. A scheduled build every few minutes would otherwise
 * rewrite the same rows each time: on Trino a new Iceberg snapshot and tens of seconds per cycle
 * for a 10,000-row seed (fingerprint.ts). --empty loads the seed and records nothing.
 */
export const seed: Strategy<CompiledNode & SeedNode, SeedState, SeedPlan> = {
  name: 'seed',
  hooks: true,
  writesTable: true,
  async read(ctx, node) {
    if (ctx.empty) return {};
    const csv = readFileSync(node.csvPath);
    const file = {
      size: csv.length,
      fingerprint: fingerprint(csv, JSON.stringify(node.config.column_types ?? {})),
    };
    const exists = (await ctx.adapter.introspector.relationType(node.relation)) === 'table';
    const last = exists && !ctx.fullRefresh ? await lastBuilt(ctx, node) : undefined;
    return { file, ...(last ? { last } : {}) };
  },
  plan(_node, { file, last }) {
    if (file && last?.fingerprint === file.fingerprint) return { load: false, rows: last.rows };
    return { load: true, ...(file ? { record: file } : {}) };
  },
  unchanged: (plan) =>
    plan.load
      ? undefined
      : {
          rowsAffected: 0,
          message: `unchanged since its last load (${plan.rows} rows); --full-refresh reloads it`,
          queryIds: [],
          unchanged: true,
        },
  async apply(ctx, node, plan) {
    if (!plan.load) throw new Error(`seed "${node.name}" is unchanged: nothing to apply`);
    const rows = await ctx.adapter.loadSeed(node.relation, node.csvPath, node.config.column_types ?? {});
    if (plan.record) await recordBuilt(ctx, node, { ...plan.record, rows });
    return { rowsAffected: rows, message: `seed loaded (${rows} rows)`, queryIds: [] };
  },
};
