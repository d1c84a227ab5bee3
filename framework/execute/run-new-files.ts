import { ConfigError } from '../errors.js';
import { materialize, type MaterializeContext, type MaterializeResult } from '../materialize/index.js';
import type { ModelNode, SourceNode } from '../project/types.js';
import type { StoredFile } from '../storage/object-store.js';
import { partitionTime, partitionWallTime } from '../storage/partition-time.js';
import type { CompiledNode } from '../template/manifest.js';
import type { LoadedFile } from '../state/file-ledger.js';
import type { FileLedgerStore } from '../state/state-store.js';
import { intervalMs } from './intervals.js';
import type { Discovery } from './results.js';

export interface FileRequest {
  /** --start/--end: only files whose partition path names a time in [start, end). */
  window?: { start?: number; end?: number };
  /** --reconcile-files: list every partition, finding late files older than the lookback. */
  reconcile?: boolean;
  invocationId: string;
}

/**
 * Lists only partitions from the newest loaded one minus this: a day covers a consumer down for
 * hours and a replay staging its partitions out of order, and costs ~100 partitions whatever the
 * history (docs/scale.md).
 */
const DEFAULT_LOOKBACK = '1d';

/**
 * Share of the engine's statement length that one slice's quoted paths may take (the rest is the
 * model's SQL). On DuckDB this makes one slice of everything: each commit of a slice costs a
 * checkpoint, 12 slices of 1M events took 20 s where one takes 9 s.
 */
const PATH_SHARE = 0.25;

/**
 * A new_files model's share of a run (incremental_strategy: new_files): list the files of its
 * external source, load those the ledger does not know — each exactly once, in slices of
 * statements — and report files that changed after they were loaded instead of loading them again.
 * The ledger also records the rows each file holds, counted from the file itself (a changed
 * file's gain included), so the project's books can see a staged row the table never got.
 */
export async function runNewFiles(
  ctx: MaterializeContext,
  node: CompiledNode & ModelNode,
  source: SourceNode,
  ledger: FileLedgerStore,
  request: FileRequest,
): Promise<MaterializeResult & { discovery: Discovery }> {
  const column = node.config.file_column;
  if (!column)
    throw new ConfigError(
      `model "${node.name}" has incremental_strategy: new_files but no file_column (the column holding each row's source file)`,
      { file: node.path },
    );
  const external = source.external!;
  const exists = (await ctx.adapter.introspector.relationType(node.relation)) === 'table';
  // A missing table has loaded nothing, whatever the ledger remembers (it was dropped).
  const rebuild = !exists || (ctx.fullRefresh && node.config.full_refresh !== false);
  if (rebuild) await ledger.forget(node.relation);
  const loaded = rebuild ? new Map<string, LoadedFile>() : await ledger.loaded(node.relation);
  const since =
    request.reconcile || request.window
      ? undefined
      : lookbackStart(loaded, external.time_zone, intervalMs(node.config.discovery_lookback ?? DEFAULT_LOOKBACK));
  const listing = await ctx.adapter.listExternal(external, since);
  const listed = listing.files.filter((f) => inWindow(f, external.time_zone, request.window));
  const discovery: Discovery = {
    listing: since === undefined ? 'full' : 'lookback',
    ...(since === undefined ? {} : { since: new Date(since).toISOString().slice(0, 16) }),
    objects_listed: listing.objects,
    list_calls: listing.calls,
  };
  const changed = listed.filter((f) => loaded.has(f.path) && differs(loaded.get(f.path)!, f));
  let fresh = listed.filter((f) => !loaded.has(f.path));

  // A run that died between a slice's commit and its ledger rows left rows behind: record, don't reload.
  let repaired: LoadedFile[] = [];
  if (fresh.length && !rebuild) {
    const present = await rowsPerFile(ctx, node, column, fresh);
    repaired = fresh.filter((f) => present.has(f.path)).map((f) => ({ ...f, rows: present.get(f.path)! }));
    if (repaired.length)
      await ledger.record(
        node.relation,
        node.uniqueId,
        await withStagedRows(ctx, source, repaired),
        request.invocationId,
      );
    fresh = fresh.filter((f) => !present.has(f.path));
  }
  if (!fresh.length && !exists) {
    throw new ConfigError(`model "${node.name}": no files at ${external.location} to build it from`, {
      file: node.path,
    });
  }

  let rows = 0;
  const queryIds: string[] = [];
  for (const [index, slice] of slices(fresh, ctx.adapter.dialect.maxStatementLength * PATH_SHARE).entries()) {
    const runtime = { files: new Map([[source.uniqueId, slice.map((f) => f.path)]]) };
    // Only the first slice of a rebuild creates the table; later slices append to it.
    const result = await materialize({ ...ctx, fullRefresh: rebuild && index === 0 }, node, runtime);
    const counts = await rowsPerFile(ctx, node, column, slice);
    await ledger.record(
      node.relation,
      node.uniqueId,
      await withStagedRows(
        ctx,
        source,
        slice.map((f) => ({ ...f, rows: counts.get(f.path) ?? 0 })),
      ),
      request.invocationId,
    );
    rows += [...counts.values()].reduce((a, b) => a + b, 0);
    queryIds.push(...result.queryIds);
  }
  // Not loaded again (its first rows are in the table): recorded as it is now, with the staged rows it gained and none loaded.
  if (changed.length) {
    const now = await withStagedRows(
      ctx,
      source,
      changed.map((f) => ({ ...f, rows: 0 })),
    );
    await ledger.record(
      node.relation,
      node.uniqueId,
      now.map((f) => ({
        ...f,
        stagedRows: f.stagedRows === undefined ? undefined : f.stagedRows - loaded.get(f.path)!.stagedRows!,
      })),
      request.invocationId,
    );
  }
  const parts = [`${fresh.length} new file${fresh.length === 1 ? '' : 's'} (${rows} rows)`];
  if (repaired.length) parts.push(`${repaired.length} found loaded by an interrupted run, recorded`);
  if (changed.length)
    parts.push(
      `${changed.length} changed since loaded, NOT reloaded: ${changed
        .slice(0, 3)
        .map((f) => describeChange(loaded.get(f.path)!, f))
        .join('; ')}${changed.length > 3 ? '; …' : ''}`,
    );
  return {
    rowsAffected: rows,
    message: parts.join('; '),
    queryIds,
    discovery,
    ...(changed.length ? { warning: true } : {}),
  };
}

/**
 * Wall-clock start of the partitions a run lists: the newest loaded partition (the watermark; one
 * named after now — a clock gone wrong — would hide every new one) minus the lookback; undefined
 * (list everything) when nothing loaded names a time.
 */
function lookbackStart(
  loaded: Map<string, LoadedFile>,
  zone: string | undefined,
  lookback: number,
): number | undefined {
  const now = Date.now();
  let newest: number | undefined;
  for (const path of loaded.keys()) {
    const at = partitionTime(path, zone);
    if (at === undefined || at > now) continue;
    const wall = partitionWallTime(path)!;
    if (newest === undefined || wall > newest) newest = wall;
  }
  return newest === undefined ? undefined : newest - lookback;
}

function inWindow(file: StoredFile, zone: string | undefined, window: FileRequest['window']): boolean {
  if (!window) return true;
  const at = partitionTime(file.path, zone);
  if (at === undefined) return true;
  return (window.start === undefined || at >= window.start) && (window.end === undefined || at < window.end);
}

/** Same size and (S3) ETag or (local) modification second: the file is the one that was loaded. */
function differs(before: LoadedFile, now: StoredFile): boolean {
  if (before.size !== now.size) return true;
  if (before.etag || now.etag) return before.etag !== now.etag;
  return Math.floor(before.modifiedAt.getTime() / 1000) !== Math.floor(now.modifiedAt.getTime() / 1000);
}

function describeChange(before: LoadedFile, now: StoredFile): string {
  const what =
    before.size !== now.size
      ? `size ${before.size} → ${now.size}`
      : before.etag || now.etag
        ? `etag ${before.etag ?? '-'} → ${now.etag ?? '-'}`
        : `modified ${before.modifiedAt.toISOString()} → ${now.modifiedAt.toISOString()}`;
  return `${now.path} (${what})`;
}

/** Consecutive files whose quoted paths fit the budget (characters). */
function slices(files: StoredFile[], budget: number): StoredFile[][] {
  const out: StoredFile[][] = [];
  let size = budget;
  for (const f of files) {
    if (size + f.path.length + 4 > budget) {
      out.push([]);
      size = 0;
    }
    out[out.length - 1]!.push(f);
    size += f.path.length + 4;
  }
  return out;
}

/** Rows of the model's table per file, for the given files (those with none are absent). */
async function rowsPerFile(
  ctx: MaterializeContext,
  node: CompiledNode & ModelNode,
  column: string,
  files: StoredFile[],
): Promise<Map<string, number>> {
  const { dialect } = ctx.adapter;
  const counts = new Map<string, number>();
  const col = dialect.quote(column);
  for (const slice of slices(files, dialect.maxStatementLength * PATH_SHARE)) {
    const sql = `select ${col} as path, count(*) as n from ${dialect.relation(node.relation)} where ${col} in (${slice.map((f) => dialect.literal(f.path)).join(', ')}) group by ${col}`;
    ctx.record(sql);
    for (const r of (await ctx.adapter.query(sql)).rows) counts.set(String(r.path), Number(r.n));
  }
  return counts;
}

/** The files with the rows each holds, counted from the file itself (format lines: its lines). */
async function withStagedRows(ctx: MaterializeContext, source: SourceNode, files: LoadedFile[]): Promise<LoadedFile[]> {
  const external = source.external!;
  if (external.format !== 'lines') return files;
  const counts = new Map<string, number>();
  for (const slice of slices(files, ctx.adapter.dialect.maxStatementLength * PATH_SHARE)) {
    const sql = `select file_name as path, count(*) as n from ${ctx.adapter.externalRelation(
      source.relation,
      external,
      slice.map((f) => f.path),
    )} as s group by file_name`;
    ctx.record(sql);
    for (const r of (await ctx.adapter.query(sql)).rows) counts.set(String(r.path), Number(r.n));
  }
  return files.map((f) => ({ ...f, stagedRows: counts.get(f.path) ?? 0 }));
}
