import { rowsPerFileQuery, stagedRowsQuery } from '../adapters/file-counts-query.js';
import { utcInstant } from '../adapters/timestamp.js';
import type { ModelNode, SourceNode } from '../project/types.js';
import type { LoadedFile } from '../state/file-ledger.js';
import type { StoredFile } from '../storage/object-store.js';
import type { CompiledNode } from '../template/manifest.js';
import type { MaterializeContext } from './context.js';
import { slices } from './file-listing.js';
import { READ_SKEW_MS } from './interval-input.js';

/**
 * Share of the engine's statement length that one slice's quoted paths may take (the rest is the
 * model's SQL). On DuckDB this makes one slice of everything: each commit of a slice costs a
 * checkpoint, 12 slices of 1M events took 20 s where one takes 9 s.
 */
export const PATH_SHARE = 0.25;

/**
 * Rows of the model's table per file, for the given files (those with none are absent). With
 * `writtenSince` (epoch ms: the files' rows were written after it) and the model's `written_at`,
 * only rows stamped from 15 minutes before it (clock skew between this host, the store and the
 * engine) are counted: the engine skips the older data by its min/max of that column, so counting
 * what a run just loaded costs what it loaded, not the whole table's file column.
 */
export async function rowsPerFile(
  ctx: MaterializeContext,
  node: CompiledNode & ModelNode,
  column: string,
  files: StoredFile[],
  writtenSince?: number,
): Promise<Map<string, number>> {
  const { dialect, macros } = ctx.adapter;
  const writtenAt = node.config.written_at;
  const where =
    writtenSince !== undefined && writtenAt
      ? `${dialect.quote(writtenAt)} >= ${utcInstant(macros, writtenSince - READ_SKEW_MS)}`
      : undefined;
  const counts = new Map<string, number>();
  for (const slice of slices(files, dialect.maxStatementLength * PATH_SHARE)) {
    const sql = rowsPerFileQuery(
      dialect,
      node.relation,
      column,
      slice.map((f) => f.path),
      where,
    );
    ctx.record(sql);
    for (const r of (await ctx.adapter.query(sql)).rows) counts.set(String(r.path), Number(r.n));
  }
  return counts;
}

/** The files with the rows each holds, counted from the file itself (format lines: its lines). */
export async function withStagedRows(
  ctx: MaterializeContext,
  source: SourceNode,
  files: LoadedFile[],
): Promise<LoadedFile[]> {
  const external = source.external!;
  if (external.format !== 'lines') return files;
  const counts = new Map<string, number>();
  for (const slice of slices(files, ctx.adapter.dialect.maxStatementLength * PATH_SHARE)) {
    const paths = slice.map((f) => f.path);
    const sql = stagedRowsQuery(ctx.adapter.externalRelation(source.relation, external, paths));
    ctx.record(sql);
    const { rows } = await ctx.adapter.readingFiles(source.relation, external, paths, () => ctx.adapter.query(sql));
    for (const r of rows) counts.set(String(r.path), Number(r.n));
  }
  return files.map((f) => ({ ...f, stagedRows: counts.get(f.path) ?? 0 }));
}
