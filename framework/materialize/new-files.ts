import { ConfigError } from '../errors.js';
import type { ModelNode, SourceNode } from '../project/types.js';
import type { LoadedFile } from '../state/file-ledger.js';
import type { StoredFile } from '../storage/object-store.js';
import type { CompiledNode } from '../template/manifest.js';
import type { BuildContext, Discovery, MaterializeResult } from './context.js';
import { describeChange, differs, inWindow, slices } from './file-listing.js';
import { PATH_SHARE, rowsPerFile, withStagedRows } from './file-rows.js';
import { incremental } from './incremental.js';
import { intervalMs } from './intervals.js';
import { build, configAt, type Strategy } from './strategy.js';

type Model = CompiledNode & ModelNode;

/**
 * Lists only partitions from the newest loaded one minus this: a day covers a consumer down for
 * hours and a replay staging its partitions out of order, and costs ~100 partitions whatever the
 * history (docs/scale.md).
 */
const DEFAULT_LOOKBACK = '1d';

/** What the ledger and the listing say, read before planning. */
export interface FilesState {
  source: SourceNode;
  exists: boolean;
  /** The table is absent or --full-refresh: built again from every file. */
  rebuild: boolean;
  /** What the ledger remembers (nothing on a rebuild). */
  loaded: Map<string, LoadedFile>;
  /** The listed files in the run's window. */
  listed: StoredFile[];
  discovery: Discovery;
  /** Rows the table already holds of files the ledger does not know (a run died before recording them). */
  present: Map<string, number>;
}

export interface FilesPlan {
  source: SourceNode;
  rebuild: boolean;
  loaded: Map<string, LoadedFile>;
  discovery: Discovery;
  /** Files found loaded by an interrupted run: recorded, not loaded again. */
  repaired: LoadedFile[];
  /** New files, one statement per slice. */
  slices: StoredFile[][];
  fresh: number;
  /** Files that changed after they were loaded: recorded as they are now, NOT loaded again. */
  changed: StoredFile[];
}

/** --empty: one build of the model with no files, nothing recorded. */
type EmptyRun = { empty: true };

/**
 * incremental_strategy: new_files: list the files of the model's external source, load those the
 * ledger does not know — each exactly once, in slices of statements — and report files that
 * changed after they were loaded instead of loading them again. The ledger also records the rows
 * each file holds, counted from the file itself (a changed file's gain included), so the project's
 * books can see a staged row the table never got.
 */
export const newFiles: Strategy<Model, FilesState | EmptyRun, FilesPlan | EmptyRun> = {
  name: 'new_files',
  hooks: false,
  writesTable: true,
  validate(node, scope) {
    if (!node.config.file_column)
      throw new ConfigError(
        `model "${node.name}" has incremental_strategy: new_files but no file_column (the column holding each row's source file)`,
        configAt(node),
      );
    externalSource(scope.nodes, node);
    if (node.config.discovery_lookback) intervalMs(node.config.discovery_lookback, configAt(node));
  },
  async read(ctx, node) {
    if (ctx.empty) return { empty: true };
    const { run } = ctx;
    const source = externalSource(run.nodes, node);
    const external = source.external!;
    const exists = (await ctx.adapter.introspector.relationType(node.relation)) === 'table';
    // A missing table has loaded nothing, whatever the ledger remembers (it was dropped).
    const rebuild = !exists || (ctx.fullRefresh && node.config.full_refresh !== false);
    const ledger = run.state.files;
    const newest =
      rebuild || run.reconcileFiles || run.window
        ? undefined
        : await ledger.watermark(node.relation, external.time_zone);
    const since =
      newest === undefined ? undefined : newest - intervalMs(node.config.discovery_lookback ?? DEFAULT_LOOKBACK);
    const listing = await ctx.adapter.listExternal(external, since);
    const listed = listing.files.filter((f) => inWindow(f, external.time_zone, run.window));
    // A lookback reads the ledger rows of what it can list, not every file ever loaded.
    const loaded = rebuild
      ? new Map<string, LoadedFile>()
      : since === undefined
        ? await ledger.loaded(node.relation)
        : await ledger.loadedSince(node.relation, since);
    const discovery: Discovery = {
      listing: since === undefined ? 'full' : 'lookback',
      ...(since === undefined ? {} : { since: new Date(since).toISOString().slice(0, 16) }),
      objects_listed: listing.objects,
      list_calls: listing.calls,
      ledger_files_read: loaded.size,
    };
    const unknown = listed.filter((f) => !loaded.has(f.path));
    // A file's rows were written after it was staged: with written_at, only rows stamped since the
    // oldest unknown file's modification time (less the skew) are counted. A staged object is
    // written once (its key names its offsets); one rewritten after an interrupted run loaded it
    // is reloaded.
    const stagedSince = unknown.reduce((min, f) => Math.min(min, f.modifiedAt.getTime()), Infinity);
    const present =
      unknown.length && !rebuild
        ? await rowsPerFile(ctx, node, node.config.file_column!, unknown, stagedSince)
        : new Map<string, number>();
    return { source, exists, rebuild, loaded, listed, discovery, present };
  },
  plan(node, state, engine) {
    if ('empty' in state) return state;
    const { loaded, present } = state;
    const changed = state.listed.filter((f) => loaded.has(f.path) && differs(loaded.get(f.path)!, f));
    const unknown = state.listed.filter((f) => !loaded.has(f.path));
    const repaired = unknown.filter((f) => present.has(f.path)).map((f) => ({ ...f, rows: present.get(f.path)! }));
    const fresh = unknown.filter((f) => !present.has(f.path));
    if (!fresh.length && !state.exists) {
      throw new ConfigError(`model "${node.name}": no files at ${state.source.external!.location} to build it from`, {
        file: node.path,
      });
    }
    const { source, rebuild, discovery } = state;
    return {
      source,
      rebuild,
      loaded,
      discovery,
      repaired,
      changed,
      fresh: fresh.length,
      slices: slices(fresh, engine.dialect.maxStatementLength * PATH_SHARE),
    };
  },
  apply: (ctx, node, plan) => ('empty' in plan ? build(incremental, ctx, node) : loadFiles(ctx, node, plan)),
};

async function loadFiles(ctx: BuildContext, node: Model, plan: FilesPlan): Promise<MaterializeResult> {
  const { source, loaded, repaired, changed } = plan;
  const ledger = ctx.run.state.files;
  const { invocationId } = ctx.run;
  const column = node.config.file_column!;
  if (plan.rebuild) await ledger.forget(node.relation);
  // A run that died between a slice's commit and its ledger rows left rows behind: record, don't reload.
  if (repaired.length)
    await ledger.record(node.relation, node.uniqueId, await withStagedRows(ctx, source, repaired), invocationId);
  let rows = 0;
  const queryIds: string[] = [];
  for (const [index, slice] of plan.slices.entries()) {
    const paths = slice.map((f) => f.path);
    const runtime = { files: new Map([[source.uniqueId, paths]]) };
    // Only the first slice of a rebuild creates the table; later slices append to it.
    const loadedAfter = Date.now();
    // The slice's load and its staged-row count read its files through one file table.
    const { result, counts } = await ctx.adapter.readingFiles(source.relation, source.external!, paths, async () => {
      const result = await build(incremental, { ...ctx, fullRefresh: plan.rebuild && index === 0 }, node, runtime);
      const counts = await rowsPerFile(ctx, node, column, slice, loadedAfter);
      await ledger.record(
        node.relation,
        node.uniqueId,
        await withStagedRows(
          ctx,
          source,
          slice.map((f) => ({ ...f, rows: counts.get(f.path) ?? 0 })),
        ),
        invocationId,
      );
      return { result, counts };
    });
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
      invocationId,
    );
  }
  const parts = [`${plan.fresh} new file${plan.fresh === 1 ? '' : 's'} (${rows} rows)`];
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
    discovery: plan.discovery,
    ...(changed.length ? { warning: true } : {}),
  };
}

/** The one external source a new_files model loads from. */
function externalSource(nodes: Record<string, CompiledNode>, node: Model): SourceNode {
  const sources = node.dependsOn
    .map((id) => nodes[id]!)
    .filter((n): n is CompiledNode & SourceNode => n.resourceType === 'source' && !!(n as SourceNode).external);
  if (sources.length !== 1) {
    throw new ConfigError(
      `model "${node.name}" has incremental_strategy: new_files, so it must read exactly one external source; it reads ${sources.length}`,
      configAt(node),
    );
  }
  return sources[0]!;
}
