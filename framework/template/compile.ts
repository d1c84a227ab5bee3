import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Adapter, RowCount } from '../adapters/adapter.js';
import { utcTimestamp } from '../adapters/timestamp.js';
import { ConfigError, type SourcePosition } from '../errors.js';
import { mergeConfig, normalizeConfig } from '../project/config.js';
import { checkContract } from '../project/contract.js';
import type { ModelNode, Node, NodeConfig, Project, Relation, TestNode } from '../project/types.js';
import { snapshotConfig } from '../project/snapshot-config.js';
import { validate } from '../project/validate.js';
import { didYouMean } from '../project/suggest.js';
import { TemplateEnvironment } from './environment.js';
import type { CompiledNode, Manifest } from './manifest.js';
import { positionOf } from './position.js';
import { staticConfig } from './static-config.js';
import type { RenderState, Runtime, TestScope } from './state.js';
import { withCtes } from './ctes.js';
import { builtinTestDefaults } from './builtins/tests.js';
import type { ModuleMacro } from './macros.js';
import type { Template } from './interpreter.js';

const FULL_BUILD: Runtime = { isIncremental: false };
/** The version in package.json (two folders up from both framework/template and dist/template). */
export const FRAMEWORK_VERSION: string = JSON.parse(
  readFileSync(new URL('../../package.json', import.meta.url), 'utf8'),
).version;

/**
 * Renders the project: captures in-file config and dependencies, computes relations, produces the
 * manifest; renders single nodes again at run time with the warehouse's state.
 */
export class Compiler {
  readonly env: TemplateEnvironment;
  private nodes = new Map<string, CompiledNode>();
  /** Quoted relation per node: computed once, used by every ref to it. */
  private readonly relations = new Map<string, string>();
  /** --defer: nodes read from another target's relations instead of this one's. */
  private deferred = new Map<string, string>();

  constructor(
    readonly project: Project,
    readonly adapter: Adapter,
    modules: Map<string, Record<string, ModuleMacro>> = new Map(),
  ) {
    this.env = new TemplateEnvironment(project, adapter, modules);
  }

  compile(): Manifest {
    // Config first (read statically from {{config}}), so every relation is final before any SQL renders.
    const staged = new Map<string, CompiledNode>();
    for (const node of this.project.nodes.values()) {
      const { config, where } = this.finalConfig(node);
      const compiled = { ...node, config, dependsOn: [], checksum: checksum(node, config) } as CompiledNode;
      // Strategies' config errors point at the {{config}} that set it (materialize/strategy.ts).
      if (where && compiled.resourceType === 'model') compiled.configOrigin = where;
      this.setRelation(compiled);
      // The YAML's contract was checked on load; this catches one enabled by {{config}} in the SQL file.
      if (compiled.resourceType === 'model') checkContract(compiled, () => ({ file: compiled.path }));
      if (compiled.config.enabled !== false) staged.set(node.uniqueId, compiled);
    }
    this.nodes = staged;
    this.relations.clear();
    // External locations first: every model reading a source needs its final location.
    for (const node of staged.values()) {
      if (node.resourceType === 'source' && node.external) {
        // Locations differ per target (local glob vs. S3 prefix): they may use {{var}} and {{target}}.
        const state = this.renderState(node, FULL_BUILD, (id) => this.relationText(id, state));
        const location = this.env.compile(node.external.location, node.path)(this.contextFor(node, state), {
          data: { render: state },
        });
        node.external = { ...node.external, location };
      }
    }
    for (const node of staged.values()) {
      if (node.resourceType === 'model' || node.resourceType === 'test' || node.resourceType === 'snapshot') {
        const { sql, state } = this.renderWithState(node, FULL_BUILD);
        node.compiledSql = sql;
        node.dependsOn = [...state.dependsOn];
      }
    }
    return {
      metadata: {
        project: this.project.file.name,
        target: { name: this.project.target.name, type: this.project.target.type },
        generatedAt: new Date().toISOString(),
        frameworkVersion: FRAMEWORK_VERSION,
      },
      nodes: Object.fromEntries(staged),
    };
  }

  /** Take over a manifest compiled earlier from identical inputs (the compile cache). */
  adopt(manifest: Manifest): Manifest {
    this.nodes = new Map(Object.entries(manifest.nodes));
    this.relations.clear();
    return manifest;
  }

  /** From now on, refs to these nodes read these relations (--defer). */
  defer(relations: Map<string, Relation>): void {
    this.deferred = new Map([...relations].map(([id, rel]) => [id, this.adapter.dialect.relation(rel)]));
  }

  nodeById(id: string): CompiledNode | undefined {
    return this.nodes.get(id);
  }

  /** Render a model or test for execution: final SQL with ephemeral models inlined as CTEs. */
  render(node: CompiledNode, runtime: Runtime): string {
    return this.renderWithState(node, runtime).sql;
  }

  /**
   * A built-in row test's count as a condition on the rows it reads, so it can share their scan
   * with other tests' (execute/count-batch.ts); undefined for a test that counts its own query.
   */
  rowCount(node: CompiledNode, runtime: Runtime): RowCount | undefined {
    if (node.resourceType !== 'test' || node.kind !== 'generic') return undefined;
    const test = this.env.rowTests.get(node.testName!);
    if (!test) return undefined;
    const state = this.renderState(node, runtime, (id) => this.relationText(id, state));
    const context = this.contextFor(node, state);
    const file = `<builtin test ${node.testName}>`;
    const render = (text: string) =>
      this.env
        .compile(text, file)(context, { data: { render: state } })
        .trim();
    const where = render(test.where);
    const distinct = test.distinct && render(test.distinct);
    // An ephemeral's CTE would have to come along: such a test counts its own query.
    if (state.ephemerals.size) return undefined;
    return { from: String(context.model), where, ...(distinct ? { distinct } : {}) };
  }

  private renderWithState(node: CompiledNode, runtime: Runtime): { sql: string; state: RenderState } {
    const state = this.renderState(node, runtime, (id) => this.relationText(id, state));
    const sql = this.renderTemplate(node, state);
    return { sql: withCtes(sql, this.ephemeralCtes(state.ephemerals, runtime)), state };
  }

  /** Render free text (hooks, `show --inline`); `{{this}}` is `node`'s relation when given. */
  renderText(text: string, file: string, node?: CompiledNode): string {
    const relation = node && 'relation' in node ? { relation: node.relation } : {};
    const pseudo = {
      uniqueId: `inline.${file}`,
      path: file,
      rawSql: text,
      resourceType: 'model',
      ...relation,
    } as unknown as CompiledNode;
    return this.render(pseudo, FULL_BUILD);
  }

  private renderState(node: Node, runtime: Runtime, relationOf: (id: string) => string): RenderState {
    return {
      project: this.project,
      adapter: this.adapter,
      nodeId: node.uniqueId,
      file: node.path,
      source: 'rawSql' in node ? node.rawSql : '',
      runtime,
      dependsOn: new Set(),
      ephemerals: new Set(),
      relationOf,
      nodeOf: (id) => this.nodes.get(id),
    };
  }

  private renderTemplate(node: Node, state: RenderState): string {
    const context = this.contextFor(node, state);
    const template =
      node.resourceType === 'test' && node.kind === 'generic'
        ? this.testTemplate(node)
        : this.env.compile(state.source, node.path);
    return template(context, { data: { render: state } }).trim();
  }

  private contextFor(node: Node, state: RenderState): Record<string, unknown> {
    const self =
      state.runtime.self ??
      ('relation' in node && node.relation?.schema ? this.adapter.dialect.relation(node.relation) : '');
    const { intervalStart, intervalEnd } = state.runtime;
    const context: Record<string, unknown> = {
      // `{{this}}` prints the context itself: make that the node's own relation, as in dbt.
      toString: () => self,
      target: { name: this.project.target.name, type: this.project.target.type, schema: this.project.target.schema },
      // dbt's flags.EMPTY: lets a test that asserts rows exist (row_count min) hold off on an empty build.
      flags: { empty: !!state.runtime.empty },
      interval_start: intervalStart ? utcTimestamp(this.adapter.macros, intervalStart) : undefined,
      interval_end: intervalEnd ? utcTimestamp(this.adapter.macros, intervalEnd) : undefined,
    };
    if (node.resourceType === 'test' && node.kind === 'generic') {
      state.dependsOn.add(node.attachedTo!);
      const tested = state.relationOf(node.attachedTo!);
      const where = [node.config.where, scopeFilter(tested, state.runtime.testScope)]
        .filter(Boolean)
        .map((w) => `(${w})`)
        .join(' and ');
      Object.assign(context, builtinTestDefaults[node.testName!], node.args, {
        model: where ? `(select * from ${tested} as tested_row where ${where})` : tested,
        column_name: node.columnName,
      });
    }
    return context;
  }

  private testTemplate(node: TestNode): Template {
    const template = this.env.testTemplates.get(node.testName!);
    if (!template) {
      throw new ConfigError(
        `unknown test "${node.testName}"`,
        node.origin,
        didYouMean(node.testName!, this.env.testTemplates.keys()) ?? 'define it as macros/test_<name>.sql',
      );
    }
    return template;
  }

  /** Folder and YAML config, then the template's own {{config}} (read from its syntax tree). */
  private finalConfig(node: Node): { config: NodeConfig; where?: SourcePosition } {
    const config = this.withInFileConfig(node);
    // Snapshot keys are checked now, so a missing one stops the command before anything runs.
    if (node.resourceType === 'snapshot' && config.config.enabled !== false)
      snapshotConfig(node.name, config.config, config.where ?? node.configOrigin ?? node.origin);
    return config;
  }

  private withInFileConfig(node: Node): { config: NodeConfig; where?: SourcePosition } {
    if (node.resourceType !== 'model' && node.resourceType !== 'test' && node.resourceType !== 'snapshot')
      return { config: node.config };
    if (!('rawSql' in node) || !node.rawSql.includes('config')) return { config: node.config };
    const inFile = staticConfig(this.env.parse(node.rawSql, node.path), node.path, this.project.vars);
    if (!Object.keys(inFile).length) return { config: node.config };
    const state = this.renderState(node, FULL_BUILD, () => '');
    const where = positionOf(state, 'config');
    validate('config', { path: node.path, data: inFile, locate: () => where }, inFile);
    return { config: mergeConfig(node.config, normalizeConfig(inFile)), where };
  }

  private setRelation(node: CompiledNode): void {
    if (node.resourceType !== 'model' && node.resourceType !== 'seed' && node.resourceType !== 'snapshot') return;
    node.relation = { schema: node.config.schema ?? this.project.target.schema, name: node.config.alias ?? node.name };
  }

  private relationText(id: string, state: RenderState): string {
    const text = this.inputRelation(id, state);
    const node = this.nodes.get(id);
    // An ephemeral's CTE renders with the same runtime, so its own inputs are the empty ones.
    const ephemeral = node?.resourceType === 'model' && node.config.materialized === 'ephemeral';
    if (!state.runtime.empty || ephemeral || this.nodes.get(state.nodeId)?.resourceType === 'test') return text;
    // No alias: the model's own alias (`from {{ref 'x'}} as e`) must still follow it.
    return `(select * from ${text} limit 0)`;
  }

  private inputRelation(id: string, state: RenderState): string {
    const standIn = state.runtime.relations?.get(id);
    if (standIn !== undefined) return standIn;
    const deferred = this.deferred.get(id);
    if (deferred !== undefined) return deferred;
    const node = this.nodes.get(id);
    if (!node) {
      const name = this.project.nodes.get(id)?.name ?? id;
      throw new ConfigError(`"${name}" is disabled (enabled: false) but ${state.file} uses it`, { file: state.file });
    }
    if (node.resourceType === 'model' && node.config.materialized === 'ephemeral') {
      state.ephemerals.add(id);
      return cteName(node);
    }
    const files = state.runtime.files?.get(id);
    if (files && node.resourceType === 'source' && node.external)
      return this.adapter.externalRelation(node.relation, node.external, files);
    let text = this.relations.get(id);
    if (text === undefined) {
      text =
        node.resourceType === 'source' && node.external
          ? this.adapter.externalRelation(node.relation, node.external)
          : this.adapter.dialect.relation((node as ModelNode).relation);
      this.relations.set(id, text);
    }
    return text;
  }

  /** Ephemeral models used (directly or through other ephemerals), in dependency order. */
  private ephemeralCtes(ids: Set<string>, runtime: Runtime): { name: string; sql: string }[] {
    const ordered: { name: string; sql: string }[] = [];
    const seen = new Set<string>();
    const visit = (id: string): void => {
      if (seen.has(id)) return;
      seen.add(id);
      const node = this.nodes.get(id)!;
      const state = this.renderState(node, runtime, (dep) => this.relationText(dep, state));
      const sql = this.renderTemplate(node, state);
      for (const inner of state.ephemerals) visit(inner);
      ordered.push({ name: cteName(node), sql });
    };
    for (const id of ids) visit(id);
    return ordered;
  }
}

function cteName(node: CompiledNode): string {
  return `__cte__${node.name}`;
}

function checksum(node: Node, config: NodeConfig): string {
  const body = 'rawSql' in node ? node.rawSql : JSON.stringify(node);
  return createHash('sha256').update(body).update(JSON.stringify(config)).digest('hex');
}

/**
 * A scoped test's filter on the tested model's rows: those the last run wrote, or (`keys`) every
 * row whose key one of them has — a semi-join, so a new row repeating an old row's key is seen
 * while only the new keys' rows are read — within the written rows' periods when declared.
 */
function scopeFilter(tested: string, scope: TestScope | undefined): string | undefined {
  if (!scope?.keys) return scope?.written;
  const repeats =
    scope.keys.length === 1
      ? `${scope.keys[0]} in (select ${scope.keys[0]} from ${tested} where ${scope.written})`
      : `exists (select 1 from ${tested} as written where (${scope.written}) and ${scope.keys.map((k) => `written.${k} = tested_row.${k}`).join(' and ')})`;
  // Constants the engine prunes on before it reads the keys.
  return scope.period ? `(${scope.period}) and ${repeats}` : repeats;
}
