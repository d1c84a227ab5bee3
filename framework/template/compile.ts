import { createHash } from 'node:crypto';
import type { Adapter } from '../adapters/adapter.js';
import { ConfigError } from '../errors.js';
import { mergeConfig, normalizeConfig } from '../project/config.js';
import type { ModelNode, Node, NodeConfig, Project, TestNode } from '../project/types.js';
import { validate } from '../project/validate.js';
import { didYouMean } from '../project/suggest.js';
import { TemplateEnvironment } from './environment.js';
import type { CompiledNode, Manifest } from './manifest.js';
import { positionOf } from './position.js';
import type { RenderState, Runtime } from './state.js';
import { withCtes } from './ctes.js';
import type { ModuleMacro } from './macros.js';

const FULL_BUILD: Runtime = { isIncremental: false };
export const FRAMEWORK_VERSION = '0.1.0';

/**
 * Renders the project: captures in-file config and dependencies, computes relations, produces the
 * manifest; renders single nodes again at run time with the warehouse's state.
 */
export class Compiler {
  readonly env: TemplateEnvironment;
  private nodes = new Map<string, CompiledNode>();

  constructor(
    readonly project: Project,
    readonly adapter: Adapter,
    modules: Map<string, Record<string, ModuleMacro>> = new Map(),
  ) {
    this.env = new TemplateEnvironment(project, adapter, modules);
  }

  compile(): Manifest {
    // Pass 1: config and dependencies. Relations are not final yet (in-file config may set schema/alias).
    const staged = new Map<string, CompiledNode>();
    for (const node of this.project.nodes.values()) {
      const state = this.renderState(node, FULL_BUILD, () => '__pending__');
      if (node.resourceType === 'model' || node.resourceType === 'test') this.renderTemplate(node, state);
      const config = this.finalConfig(node, state);
      const compiled = { ...node, config, dependsOn: [...state.dependsOn], checksum: checksum(node, config) } as CompiledNode;
      if (compiled.resourceType === 'source' && compiled.external) {
        // Locations differ per target (local glob vs. S3 prefix): they may use {{var}} and {{target}}.
        const location = this.env.compile(compiled.external.location, node.path)(this.contextFor(node, state), { data: { render: state } });
        compiled.external = { ...compiled.external, location };
      }
      staged.set(node.uniqueId, compiled);
    }
    for (const node of staged.values()) this.setRelation(node);
    this.nodes = this.enabledOnly(staged);
    // Pass 2: SQL with the final relations.
    for (const node of this.nodes.values()) {
      if (node.resourceType === 'model' || node.resourceType === 'test') node.compiledSql = this.render(node, FULL_BUILD);
    }
    return {
      metadata: {
        project: this.project.file.name,
        target: { name: this.project.target.name, type: this.project.target.type },
        generatedAt: new Date().toISOString(),
        frameworkVersion: FRAMEWORK_VERSION,
      },
      nodes: Object.fromEntries(this.nodes),
    };
  }

  /** Render a model or test for execution: final SQL with ephemeral models inlined as CTEs. */
  render(node: CompiledNode, runtime: Runtime): string {
    const state = this.renderState(node, runtime, (id) => this.relationText(id, state));
    const sql = this.renderTemplate(node, state);
    return withCtes(sql, this.ephemeralCtes(state.ephemerals, runtime));
  }

  /** Render free text (hooks, `show --inline`); `{{this}}` is `node`'s relation when given. */
  renderText(text: string, file: string, node?: CompiledNode): string {
    const relation = node && 'relation' in node ? { relation: node.relation } : {};
    const pseudo = { uniqueId: `inline.${file}`, path: file, rawSql: text, resourceType: 'model', ...relation } as unknown as CompiledNode;
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
      config: {},
      relationOf,
    };
  }

  private renderTemplate(node: Node, state: RenderState): string {
    const context = this.contextFor(node, state);
    const template =
      node.resourceType === 'test' && node.kind === 'generic' ? this.testTemplate(node) : this.env.compile(state.source, node.path);
    try {
      return template(context, { data: { render: state } }).trim();
    } catch (error) {
      if (error instanceof ConfigError) throw error;
      const message = (error as Error).message;
      const where = / - (\d+):(\d+)$/.exec(message);
      const position = where ? { file: node.path, line: Number(where[1]), column: Number(where[2]) + 1 } : { file: node.path };
      // Strict mode reports unknown helpers and unknown variables alike as "x" not defined.
      const missing = /^"([^"]+)" not defined/.exec(message);
      if (missing) {
        const known = [...Object.keys(this.env.hb.helpers), ...Object.keys(context)];
        throw new ConfigError(`"${missing[1]}" is not a known variable, macro or helper`, position, didYouMean(missing[1]!, known));
      }
      throw new ConfigError(`cannot render ${node.resourceType} "${node.name}": ${message.replace(/ - \d+:\d+$/, '')}`, position);
    }
  }

  private contextFor(node: Node, state: RenderState): Record<string, unknown> {
    const self = 'relation' in node && node.relation?.schema ? this.adapter.dialect.relation(node.relation) : '';
    const { intervalStart, intervalEnd } = state.runtime;
    const context: Record<string, unknown> = {
      // `{{this}}` prints the context itself: make that the node's own relation, as in dbt.
      toString: () => self,
      target: { name: this.project.target.name, type: this.project.target.type, schema: this.project.target.schema },
      interval_start: intervalStart ? this.adapter.macros.ts_literal!(isoNoZone(intervalStart)) : undefined,
      interval_end: intervalEnd ? this.adapter.macros.ts_literal!(isoNoZone(intervalEnd)) : undefined,
    };
    if (node.resourceType === 'test' && node.kind === 'generic') {
      state.dependsOn.add(node.attachedTo!);
      const tested = state.relationOf(node.attachedTo!);
      const where = node.config.where;
      Object.assign(context, node.args, {
        model: where ? `(select * from ${tested} where ${where})` : tested,
        column_name: node.columnName,
      });
    }
    return context;
  }

  private testTemplate(node: TestNode): HandlebarsTemplateDelegate {
    const template = this.env.testTemplates.get(node.testName!);
    if (!template) {
      throw new ConfigError(`unknown test "${node.testName}"`, node.origin, didYouMean(node.testName!, this.env.testTemplates.keys()) ?? 'define it as macros/test_<name>.sql');
    }
    return template;
  }

  private finalConfig(node: Node, state: RenderState): NodeConfig {
    if (!Object.keys(state.config).length) return node.config;
    const where = positionOf(state, 'config');
    validate('config', { path: node.path, data: state.config, locate: () => where }, state.config);
    return mergeConfig(node.config, normalizeConfig(state.config as Record<string, unknown>));
  }

  private setRelation(node: CompiledNode): void {
    if (node.resourceType !== 'model' && node.resourceType !== 'seed') return;
    node.relation = { schema: node.config.schema ?? this.project.target.schema, name: node.config.alias ?? node.name };
  }

  private enabledOnly(staged: Map<string, CompiledNode>): Map<string, CompiledNode> {
    const enabled = new Map([...staged].filter(([, n]) => n.config.enabled !== false));
    for (const node of enabled.values()) {
      for (const dep of node.dependsOn) {
        if (!enabled.has(dep) && node.resourceType !== 'test') {
          throw new ConfigError(`${node.resourceType} "${node.name}" depends on "${dep.split('.').pop()}", which is disabled`, node.origin);
        }
      }
    }
    // A test of a disabled node is dropped with it.
    for (const [id, node] of enabled) if (node.dependsOn.some((d) => !enabled.has(d))) enabled.delete(id);
    return enabled;
  }

  private relationText(id: string, state: RenderState): string {
    const node = this.nodes.get(id);
    if (!node) throw new ConfigError(`"${id}" is not part of the compiled project`, { file: state.file });
    if (node.resourceType === 'model' && node.config.materialized === 'ephemeral') {
      state.ephemerals.add(id);
      return cteName(node);
    }
    if (node.resourceType === 'source' && node.external) return this.adapter.externalRelation(node.relation, node.external);
    return this.adapter.dialect.relation((node as ModelNode).relation);
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

/** 'YYYY-MM-DD HH:MM:SS' in UTC: interval bounds are instants, engines compare them as UTC timestamps. */
function isoNoZone(d: Date): string {
  return d.toISOString().replace('T', ' ').replace(/\.\d+Z$/, '');
}
