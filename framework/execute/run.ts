import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { ConfigError, ExecutionError } from '../errors.js';
import { materialize, type MaterializeContext, type MaterializeResult } from '../materialize/index.js';
import type { SelectionRequest } from '../graph/selector.js';
import type { ModelNode, ResourceType, SourceNode } from '../project/types.js';
import { sqlFilePath, type CompiledNode } from '../template/manifest.js';
import { runTest } from '../testing/run-test.js';
import { lastBuilds, testScope } from '../testing/scope.js';
import { writeJson, writeManifest, writeText, type RunResults } from './artifacts.js';
import type { NodeResult } from './results.js';
import { schedule } from './scheduler.js';
import { IntervalState } from './interval-state.js';
import { intervalConfig } from './intervals.js';
import { runIntervals } from './run-intervals.js';
import { FileLedger } from './file-ledger.js';
import { runNewFiles } from './run-new-files.js';
import type { Session } from './session.js';

export type RunCommand = 'run' | 'build' | 'seed' | 'test';

export interface RunRequest extends SelectionRequest {
  command: RunCommand;
  /** Results produced before the DAG runs (unit tests), kept in run_results.json too. */
  prelude?: NodeResult[];
  /** `test --unit`: nothing from the DAG. */
  skipDag?: boolean;
  /** Interval models: --end bounds "now", --start with it restates a range. */
  intervalEnd?: Date;
  intervalStart?: Date;
  threads?: number;
  failFast?: boolean;
  fullRefresh?: boolean;
  /** `retry`: only these nodes of the selection (what errored, failed or was skipped before). */
  only?: Set<string>;
  /** --empty: models read every ref and source with zero rows; no interval or file state is recorded. */
  empty?: boolean;
  /** The command's flags, recorded in run_results.json for `retry`. */
  args?: Record<string, string[]>;
  /** --full: every data test checks the whole table, not only what the last run wrote (testing/scope.ts). */
  fullTests?: boolean;
}

export interface RunEvents {
  onPlan?(nodes: CompiledNode[]): void;
  onStart?(node: CompiledNode, index: number): void;
  onDone?(node: CompiledNode, result: NodeResult, index: number): void;
}

/** What each command executes, as dbt's resource-type filter. */
const RUNS: Record<RunCommand, ResourceType[]> = {
  run: ['model'],
  seed: ['seed'],
  test: ['test'],
  build: ['model', 'seed', 'test'],
};

/** Select, order and execute nodes; write manifest.json and run_results.json. */
export async function executeRun(session: Session, request: RunRequest, events: RunEvents = {}): Promise<RunResults> {
  const { graph, manifest, adapter, compiler, project, targetDir } = session;
  const types = RUNS[request.command].filter((t) => !request.resourceTypes || request.resourceTypes.includes(t));
  const ids = request.skipDag
    ? []
    : graph.order(session.selector.select({ ...request, resourceTypes: types })).filter((id) => manifest.nodes[id]!.config.materialized !== 'ephemeral' && (!request.only || request.only.has(id)));
  writeManifest(targetDir, manifest);
  const nodes = ids.map((id) => manifest.nodes[id]!);
  events.onPlan?.(nodes);
  const started = Date.now();
  const index = new Map(ids.map((id, i) => [id, i + 1]));
  const schemas = new Map<string, Promise<void>>();
  const intervalState = new IntervalState(adapter);
  const fileLedger = new FileLedger(adapter);
  const invocationId = randomUUID();
  const externals = new Map<string, Promise<void>>();
  // Models' build starts, for scoping their tests: this build's, or a `test`'s previous command's.
  const builds = request.fullTests || request.empty ? undefined : request.command === 'test' ? lastBuilds(targetDir) : new Map<string, string>();

  // Nothing to execute (e.g. `test --unit`): the warehouse is not even opened.
  const touchWarehouse = ids.length > 0;
  if (touchWarehouse) {
    await adapter.connect();
    for (const hook of project.file.onRunStart) await adapter.execute(compiler.renderText(hook, 'project.yml#on-run-start'));
  }

  const prepare = async (node: CompiledNode): Promise<void> => {
    for (const dep of node.dependsOn) {
      const source = manifest.nodes[dep];
      if (source?.resourceType === 'source' && source.external) {
        if (!externals.has(dep)) externals.set(dep, adapter.prepareExternal(source.relation, (source as SourceNode).external!));
        await externals.get(dep);
      }
    }
    if ((node.resourceType === 'model' || node.resourceType === 'seed') && !schemas.has(node.relation.schema)) {
      schemas.set(node.relation.schema, adapter.ensureSchema(node.relation.schema));
    }
    if (node.resourceType === 'model' || node.resourceType === 'seed') await schemas.get(node.relation.schema);
  };

  /** A model or seed: files loaded once each, interval by interval, or in one materialization. */
  const build = (ctx: MaterializeContext, node: CompiledNode): Promise<MaterializeResult> => {
    if (node.resourceType !== 'model') return materialize(ctx, node);
    const model = node as CompiledNode & ModelNode;
    if (request.empty) return emptyBuild(ctx, model);
    const end = (request.intervalEnd ?? new Date()).getTime();
    if (model.config.incremental_strategy === 'new_files') {
      const window = request.intervalStart || request.intervalEnd ? { window: { start: request.intervalStart?.getTime(), end: request.intervalEnd?.getTime() } } : {};
      return runNewFiles(ctx, model, externalSource(session, model), fileLedger, { invocationId, ...window });
    }
    const interval = intervalConfig(model.config, model.name);
    if (interval) {
      if (interval.input) upstreamInput(session, model, interval.input.ref);
      const restate = request.intervalStart ? { restate: { start: request.intervalStart.getTime(), end } } : {};
      return runIntervals(ctx, model, intervalState, { now: end, invocationId, ...restate });
    }
    return materialize(ctx, model);
  };

  const work = async (id: string): Promise<NodeResult> => {
    const node = manifest.nodes[id]!;
    const statements: string[] = [];
    const record = (sql: string) => statements.push(sql);
    const startedAt = new Date();
    const compiledPath = join(project.file.paths.target, 'run', sqlFilePath(node));
    const base = { unique_id: id, started_at: startedAt.toISOString(), compiled_path: compiledPath };
    const finish = (fields: Partial<NodeResult> & Pick<NodeResult, 'status' | 'message'>): NodeResult => {
      if (statements.length) writeText(join(project.file.root, compiledPath), statements.join(';\n\n') + ';\n');
      return { ...base, query_ids: [], ...fields, execution_time: (Date.now() - startedAt.getTime()) / 1000, completed_at: new Date().toISOString() };
    };
    try {
      await prepare(node);
      if (node.resourceType === 'test') {
        const scope = builds && testScope(adapter, manifest, node, builds);
        const outcome = await runTest(adapter, compiler, node, record, `${project.target.schema}_audit`, !!request.empty, scope);
        return finish({ status: outcome.status, message: outcome.message, failures: outcome.failures, query_ids: outcome.queryIds, ...(outcome.sample.length ? { sample: outcome.sample } : {}), ...(scope ? { scope } : {}) });
      }
      // Iceberg: the table's snapshot before and after, so `rollback` can undo exactly this run.
      const isTable = node.resourceType === 'seed' || (node.resourceType === 'model' && ['table', 'incremental'].includes(node.config.materialized));
      const history = isTable ? adapter.snapshots : undefined;
      const previous = history ? await history.current(node.relation) : undefined;
      const ctx = { adapter, compiler, fullRefresh: !!request.fullRefresh, record, ...(request.empty ? { empty: true } : {}) };
      const result = await build(ctx, node);
      const snapshot = history ? await history.current(node.relation) : undefined;
      if (node.resourceType === 'model' && !result.warning) builds?.set(id, base.started_at);
      return finish({
        status: result.warning ? 'warn' : 'success',
        message: result.message,
        query_ids: result.queryIds,
        ...(result.rowsAffected !== undefined ? { rows_affected: result.rowsAffected } : {}),
        ...(snapshot ? { snapshot_id: snapshot } : {}),
        ...(history ? { previous_snapshot_id: previous ?? null } : {}),
      });
    } catch (error) {
      if (error instanceof ConfigError) return finish({ status: 'error', message: error.format() });
      const detail = error instanceof ExecutionError && error.details.queryId ? ` (query ${error.details.queryId})` : '';
      return finish({ status: 'error', message: `${(error as Error).message}${detail}\n  compiled SQL: ${compiledPath}` });
    }
  };

  const results = await schedule(ids, {
    threads: request.threads ?? project.target.threads,
    failFast: !!request.failFast,
    parentsOf: (id) => blockingParents(session, id, new Set(ids)),
    work,
    onStart: (id) => events.onStart?.(manifest.nodes[id]!, index.get(id)!),
    onDone: (r) => events.onDone?.(manifest.nodes[r.unique_id]!, r, index.get(r.unique_id)!),
  });

  if (touchWarehouse) for (const hook of project.file.onRunEnd) await adapter.execute(compiler.renderText(hook, 'project.yml#on-run-end'));
  const runResults: RunResults = {
    metadata: { generatedAt: new Date().toISOString(), command: request.command, target: project.target.name, invocationId, ...(request.args ? { args: request.args } : {}) },
    elapsed_time: (Date.now() - started) / 1000,
    results: [...(request.prelude ?? []), ...results],
  };
  writeJson(join(targetDir, 'run_results.json'), runResults);
  return runResults;
}

/**
 * --empty: one materialization with zero-row inputs. Interval models get an empty range (so an
 * existing table loses no rows) and new_files models no files; neither records state, since
 * nothing was processed and the next real run must still do it all.
 */
function emptyBuild(ctx: MaterializeContext, model: CompiledNode & ModelNode): Promise<MaterializeResult> {
  const interval = intervalConfig(model.config, model.name);
  const at = interval ? new Date(interval.start) : undefined;
  return materialize(ctx, model, at ? { intervalStart: at, intervalEnd: at } : {});
}

/**
 * Graph parents, plus in build the tests of a node's parents: a model waits for its inputs' tests
 * and is skipped when they fail. A test never blocks a node it (transitively) reads from.
 */
function blockingParents(session: Session, id: string, scheduled: Set<string>): string[] {
  const { graph, manifest } = session;
  const parents = builtParents(session, id);
  if (manifest.nodes[id]!.resourceType === 'test') return parents;
  const upstream = new Set(parents);
  const downstream = graph.reach(id, 'down');
  const tests = parents.flatMap((p) =>
    (graph.children.get(p) ?? []).filter((t) => {
      const test = manifest.nodes[t]!;
      return test.resourceType === 'test' && scheduled.has(t) && (graph.parents.get(t) ?? []).every((tp) => tp !== id && !downstream.has(tp)) && upstream.has(p);
    }),
  );
  return [...parents, ...tests];
}

/** interval_input must name a model upstream of the interval model, so it is built first. */
function upstreamInput(session: Session, node: CompiledNode, name: string): void {
  const id = session.project.byName.get(name);
  if (!id?.startsWith('model.') || !session.graph.reach(node.uniqueId, 'up').has(id)) {
    throw new ConfigError(`model "${node.name}": interval_input.ref "${name}" is not a model upstream of it`, { file: node.path }, 'name a model it refs (directly or through ephemeral models)');
  }
}

/** The one external source a new_files model loads from. */
function externalSource(session: Session, node: CompiledNode): SourceNode {
  const sources = node.dependsOn.map((id) => session.manifest.nodes[id]!).filter((n): n is CompiledNode & SourceNode => n.resourceType === 'source' && !!(n as SourceNode).external);
  if (sources.length !== 1) {
    throw new ConfigError(`model "${node.name}" has incremental_strategy: new_files, so it must read exactly one external source; it reads ${sources.length}`, { file: node.path });
  }
  return sources[0]!;
}

/** Parents that exist in the warehouse: an ephemeral parent is replaced by what it reads from. */
function builtParents(session: Session, id: string): string[] {
  const out = new Set<string>();
  for (const p of session.graph.parents.get(id) ?? []) {
    const parent = session.manifest.nodes[p]!;
    if (parent.resourceType === 'model' && parent.config.materialized === 'ephemeral') for (const q of builtParents(session, p)) out.add(q);
    else out.add(p);
  }
  return [...out];
}
