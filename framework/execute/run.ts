import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { ConfigError, ExecutionError } from '../errors.js';
import type { Column } from '../adapters/adapter.js';
import type { BuildContext, RunInputs } from '../materialize/context.js';
import { build, strategyFor, validate, type ValidationScope } from '../materialize/strategies.js';
import type { SelectionRequest } from '../graph/selector.js';
import type { ModelNode, Relation, ResourceType, SourceNode } from '../project/types.js';
import { targetState } from '../state/target-state.js';
import { sqlFilePath, type CompiledNode } from '../template/manifest.js';
import { AuditFailed, auditOf, planAudits, type AuditRunner } from './audit.js';
import { builtParents } from './built-parents.js';
import { countTogether } from './count-batch.js';
import type { DataTests, TestOptions } from './data-tests.js';
import { writeJson, writeManifest, writeText, type RunResults } from './artifacts.js';
import { skippedResult, type NodeResult } from './results.js';
import { runSnapshots } from './run-snapshots.js';
import { schedule } from './scheduler.js';
import type { Session } from './session.js';
import { deferredRelations, stateManifest } from './defer.js';

export type RunCommand = 'run' | 'build' | 'seed' | 'test' | 'clone' | 'snapshot';

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
  /** --defer: refs to nodes outside the selection read the --state run's relations where this target lacks them (or always: favorState). */
  defer?: { favorState: boolean };
  /** The command's flags, recorded in run_results.json for `retry`. */
  args?: Record<string, string[]>;
  /** --full: every data test checks the whole table, not only what the last run wrote (testing/scope.ts). */
  fullTests?: boolean;
  /** Runs the data tests of the selection (testing/, passed in by cli/). */
  tests: DataTests;
  /** --reconcile-files: new_files models list every partition, not only the lookback's. */
  reconcileFiles?: boolean;
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
  snapshot: ['snapshot'],
  build: ['model', 'seed', 'snapshot', 'test'],
  clone: ['model', 'seed'],
};

/** Select, order and execute nodes; write manifest.json and run_results.json. */
export async function executeRun(session: Session, request: RunRequest, events: RunEvents = {}): Promise<RunResults> {
  const { graph, manifest, adapter, compiler, project, targetDir } = session;
  const types = RUNS[request.command].filter((t) => !request.resourceTypes || request.resourceTypes.includes(t));
  const ids = request.skipDag
    ? []
    : graph
        .order(session.selector.select({ ...request, resourceTypes: types }))
        .filter(
          (id) => manifest.nodes[id]!.config.materialized !== 'ephemeral' && (!request.only || request.only.has(id)),
        );
  writeManifest(targetDir, manifest);
  const nodes = ids.map((id) => manifest.nodes[id]!);
  events.onPlan?.(nodes);
  const started = Date.now();
  const index = new Map(ids.map((id, i) => [id, i + 1]));
  const schemas = new Map<string, Promise<void>>();
  const invocationId = randomUUID();
  const externals = new Map<string, Promise<void>>();
  // build: each model's error-severity tests run on its new data before it is published (write–audit–publish).
  const audits = request.command === 'build' && !request.empty ? planAudits(session, ids) : undefined;
  const finished = new Map<string, NodeResult>();
  const auditSchema = `${project.target.schema}_audit`;
  // Models' build starts, for scoping their tests: this build's, or a `test`'s previous command's.
  const builds =
    request.fullTests || request.empty
      ? undefined
      : request.command === 'test'
        ? request.tests.lastBuilds(targetDir)
        : new Map<string, string>();

  // Nothing to execute (e.g. `test --unit`): the warehouse is not even opened.
  const touchWarehouse = ids.length > 0;
  if (touchWarehouse) {
    await adapter.connect();
    await adapter.introspector.listRelationTypes(nodes.filter((n) => n.resourceType !== 'test').map((n) => n.relation));
    if (request.defer) compiler.defer(await deferredRelations(session, new Set(ids), request.defer.favorState));
    if (request.command === 'clone') stateManifest(session, 'clone');
    for (const hook of project.file.onRunStart)
      await adapter.execute(compiler.renderText(hook, 'project.yml#on-run-start'));
  }
  const history = adapter.snapshots;
  const written = history
    ? nodes
        .filter((n) => n.resourceType !== 'test')
        .filter((n) => strategyFor(n, request.command === 'clone').writesTable)
    : [];
  const snapshots = written.length ? runSnapshots(history!, written) : undefined;

  const ensureSchema = (schema: string): Promise<void> => {
    if (!schemas.has(schema)) schemas.set(schema, adapter.ensureSchema(schema));
    return schemas.get(schema)!;
  };

  const prepare = async (node: CompiledNode): Promise<void> => {
    for (const dep of node.dependsOn) {
      const source = manifest.nodes[dep];
      if (source?.resourceType === 'source' && source.external) {
        if (!externals.has(dep))
          externals.set(dep, adapter.prepareExternal(source.relation, (source as SourceNode).external!));
        await externals.get(dep);
      }
    }
    if (node.resourceType === 'model' || node.resourceType === 'seed' || node.resourceType === 'snapshot')
      await ensureSchema(node.relation.schema);
  };

  // Every node's config checks run before any node does: a node that fails them errors without touching the warehouse.
  const invalid = configErrors(session, ids, request.command === 'clone');
  const inputs: Omit<RunInputs, 'now'> = {
    invocationId,
    state: targetState(adapter, { dir: targetDir, name: project.target.name }),
    nodes: manifest.nodes,
    ...(request.intervalStart ? { restateFrom: request.intervalStart.getTime() } : {}),
    ...(request.intervalStart || request.intervalEnd
      ? { window: { start: request.intervalStart?.getTime(), end: request.intervalEnd?.getTime() } }
      : {}),
    ...(request.reconcileFiles ? { reconcileFiles: true } : {}),
    ...(request.command === 'clone' && session.state.manifest ? { previous: session.state.manifest.nodes } : {}),
  };

  /** Run one node's body, recording its statements (target/run/) and timing; errors become its result. */
  const runNode = async (
    id: string,
    body: (record: (sql: string) => void) => Promise<Partial<NodeResult> & Pick<NodeResult, 'status' | 'message'>>,
  ): Promise<NodeResult> => {
    const node = manifest.nodes[id]!;
    const statements: string[] = [];
    const record = (sql: string) => statements.push(sql);
    const startedAt = new Date();
    const compiledPath = join(project.file.paths.target, 'run', sqlFilePath(node));
    const base = { unique_id: id, started_at: startedAt.toISOString(), compiled_path: compiledPath };
    const finish = (fields: Partial<NodeResult> & Pick<NodeResult, 'status' | 'message'>): NodeResult => {
      if (statements.length) writeText(join(project.file.root, compiledPath), statements.join(';\n\n') + ';\n');
      return {
        ...base,
        query_ids: [],
        ...fields,
        execution_time: (Date.now() - startedAt.getTime()) / 1000,
        completed_at: new Date().toISOString(),
      };
    };
    try {
      return finish(await body(record));
    } catch (error) {
      if (error instanceof ConfigError) return finish({ status: 'error', message: error.format() });
      if (error instanceof AuditFailed) return finish({ status: 'error', message: error.message });
      const detail =
        error instanceof ExecutionError && error.details.queryId ? ` (query ${error.details.queryId})` : '';
      return finish({
        status: 'error',
        message: `${(error as Error).message}${detail}\n  compiled SQL: ${compiledPath}`,
      });
    }
  };

  const columnsSeen = new Map<string, Promise<Column[]>>();
  const columns = (relation: Relation) => {
    const key = adapter.dialect.relation(relation);
    if (!columnsSeen.has(key)) columnsSeen.set(key, adapter.introspector.columns(relation));
    return columnsSeen.get(key)!;
  };
  const test = (id: string, options: TestOptions = {}): Promise<NodeResult> =>
    runNode(id, async (record) => {
      const node = manifest.nodes[id]!;
      await prepare(node);
      const stored = options.standIn?.relation.schema ?? auditSchema;
      // A row-wise test (an audit too: the rows it sees carry this build's stamps) checks what the run wrote.
      const decision = builds
        ? await request.tests.scope(
            { adapter, compiler, manifest, builds, ...(options.standIn ? { standIn: options.standIn } : {}) },
            node,
          )
        : undefined;
      if (decision && 'skip' in decision) return { status: 'skipped', message: decision.skip };
      const outcome = await request.tests.run(adapter, compiler, node, record, stored, {
        ...options,
        columns,
        ...(request.empty ? { empty: true } : {}),
        ...decision,
      });
      return {
        status: outcome.status,
        message: outcome.message,
        failures: outcome.failures,
        query_ids: outcome.queryIds,
        ...(outcome.sample.length ? { sample: outcome.sample } : {}),
        ...(decision ? { scope: request.tests.describeScope(decision) } : {}),
      };
    });

  const auditRunner: AuditRunner = {
    runTest: (node, standIn, count) => test(node.uniqueId, { standIn, count }),
    succeeded: (id) => !index.has(id) || ['success', 'warn', 'pass'].includes(finished.get(id)?.status ?? ''),
    outcomes: new Map(),
  };

  const unchanged = new Set<string>();
  const work = async (id: string): Promise<NodeResult> => {
    const node = manifest.nodes[id]!;
    // Already run on the model's new data before it was published.
    const audited = auditRunner.outcomes.get(id);
    if (audited) return audited;
    if (node.resourceType === 'test') return test(id);
    const result = await runNode(id, async (record) => {
      const invalidConfig = invalid.get(id);
      if (invalidConfig) throw invalidConfig;
      // Rows the build writes are stamped at or after this instant: its tests, audits included, are scoped by it.
      if (node.resourceType === 'model') builds?.set(id, new Date().toISOString());
      await prepare(node);
      const strategy = strategyFor(node, request.command === 'clone');
      const tests = audits?.tests.get(id);
      const audit = tests ? { audit: auditOf(session, node as CompiledNode & ModelNode, tests, auditRunner) } : {};
      if (audit.audit) await ensureSchema(audit.audit.relation.schema);
      // Interval models: intervals ending after now (--end, else the node's start) are not complete yet.
      const run = { ...inputs, now: request.intervalEnd?.getTime() ?? Date.now() };
      const ctx: BuildContext = {
        adapter,
        compiler,
        fullRefresh: !!request.fullRefresh,
        record,
        run,
        ...(request.empty ? { empty: true } : {}),
        ...audit,
      };
      if (strategy.writesTable) await snapshots?.before;
      const result = await build(strategy, ctx, node);
      // Unchanged since a build whose audit passed: the audit tests reading nothing else that
      // changed would check the same rows.
      if (result.unchanged) {
        unchanged.add(id);
        for (const t of tests ?? [])
          if (builtParents(session, t).every((p) => unchanged.has(p)))
            auditRunner.outcomes.set(
              t,
              skippedResult(
                t,
                `skipped: ${node.name} is unchanged since its last build, whose audit ran this test; \`test\` runs it again`,
              ),
            );
      }
      if (result.warning) builds?.delete(id);
      return {
        status: result.warning ? 'warn' : 'success',
        message: result.message,
        query_ids: result.queryIds,
        ...(result.rowsAffected !== undefined ? { rows_affected: result.rowsAffected } : {}),
        ...(result.discovery ? { discovery: result.discovery } : {}),
      };
    });
    adapter.introspector.forgetRelationType(node.relation);
    return result;
  };

  const results = await schedule(ids, {
    threads: request.threads ?? project.target.threads,
    failFast: !!request.failFast,
    parentsOf: (id) => blockingParents(session, id, new Set(ids)),
    after: (id) => audits?.after.get(id) ?? [],
    settled: (id) => auditRunner.outcomes.get(id),
    work,
    // A `test` command's (or a model's published) tests start together: one query counts their rows.
    together: (id) => {
      const node = manifest.nodes[id]!;
      return node.resourceType === 'test'
        ? `tests of ${node.attachedTo ?? builtParents(session, id).join(' ')}`
        : undefined;
    },
    workTogether: (ids) =>
      countTogether(adapter, ids, async (id, count) => auditRunner.outcomes.get(id) ?? test(id, { count })),
    onStart: (id) => events.onStart?.(manifest.nodes[id]!, index.get(id)!),
    onDone: (r) => {
      finished.set(r.unique_id, r);
      snapshots?.done(r);
      events.onDone?.(manifest.nodes[r.unique_id]!, r, index.get(r.unique_id)!);
    },
  });

  await snapshots?.record();
  if (touchWarehouse) await adapter.introspector.listRelationTypes([]);
  if (touchWarehouse)
    for (const hook of project.file.onRunEnd)
      await adapter.execute(compiler.renderText(hook, 'project.yml#on-run-end'));
  const runResults: RunResults = {
    metadata: {
      generatedAt: new Date().toISOString(),
      command: request.command,
      target: project.target.name,
      invocationId,
      ...(request.args ? { args: request.args } : {}),
    },
    elapsed_time: (Date.now() - started) / 1000,
    results: [...(request.prelude ?? []), ...results],
  };
  writeJson(join(targetDir, 'run_results.json'), runResults);
  return runResults;
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
      return (
        test.resourceType === 'test' &&
        scheduled.has(t) &&
        (graph.parents.get(t) ?? []).every((tp) => tp !== id && !downstream.has(tp)) &&
        upstream.has(p)
      );
    }),
  );
  return [...parents, ...tests];
}

/** The config errors of the nodes' strategies (checked before anything runs), by node. */
function configErrors(session: Session, ids: string[], clones: boolean): Map<string, ConfigError> {
  const { manifest, graph, project } = session;
  const scope: ValidationScope = {
    nodes: manifest.nodes,
    upstream: (id) => graph.reach(id, 'up'),
    byName: project.byName,
  };
  const errors = new Map<string, ConfigError>();
  for (const id of ids) {
    const node = manifest.nodes[id]!;
    if (node.resourceType === 'test') continue;
    try {
      validate(node, scope, clones);
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      errors.set(id, error);
    }
  }
  return errors;
}
