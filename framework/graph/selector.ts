import { ConfigError } from '../errors.js';
import { didYouMean } from '../project/suggest.js';
import type { NamedSelector } from '../project/types.js';
import type { CompiledNode, Manifest } from '../template/manifest.js';
import type { Graph } from './dag.js';

/** Previous artifacts for state: and result: methods (`--state <dir>`). */
export interface PreviousState {
  manifest?: Manifest;
  results?: Map<string, string>;
}

export interface SelectionRequest {
  select?: string[];
  exclude?: string[];
  selector?: string;
  /** Add tests whose parents are selected (test and build). */
  withTests?: boolean;
}

interface Atom {
  parents?: number | 'all';
  children?: number | 'all';
  at: boolean;
  method: string;
  value: string;
}

const METHODS = ['fqn', 'tag', 'path', 'source', 'resource_type', 'state', 'result', 'test_type', 'test_name', 'config'];

/** dbt's selection grammar: space = union, comma = intersection, graph operators, methods, --exclude. */
export class Selector {
  constructor(
    private readonly graph: Graph,
    private readonly selectors: NamedSelector[] = [],
    private readonly previous: PreviousState = {},
  ) {}

  select(request: SelectionRequest): Set<string> {
    let { select, exclude } = request;
    const named = request.selector ?? (!select?.length ? this.selectors.find((s) => s.default)?.name : undefined);
    if (named) {
      const def = this.selectors.find((s) => s.name === named);
      if (!def) throw new ConfigError(`selector "${named}" is not defined in selectors.yml`, undefined, didYouMean(named, this.selectors.map((s) => s.name)));
      select = [...(select ?? []), def.select];
      if (def.exclude) exclude = [...(exclude ?? []), def.exclude];
    }
    const all = Object.keys(this.graph.nodes);
    let chosen = select?.length ? this.union(select) : new Set(all.filter((id) => this.graph.nodes[id]!.resourceType !== 'test' || request.withTests));
    if (request.withTests) chosen = this.addTests(chosen);
    if (exclude?.length) for (const id of this.union(exclude)) chosen.delete(id);
    return chosen;
  }

  private union(expressions: string[]): Set<string> {
    const out = new Set<string>();
    for (const term of expressions.flatMap((e) => e.trim().split(/\s+/)).filter(Boolean)) {
      const parts = term.split(',').map((a) => this.atom(parseAtom(a)));
      for (const id of parts[0]!) if (parts.every((p) => p.has(id))) out.add(id);
    }
    return out;
  }

  private atom(atom: Atom): Set<string> {
    const glob = globRegex(atom.value);
    const base = new Set(Object.keys(this.graph.nodes).filter((id) => this.matches(this.graph.nodes[id]!, atom, glob)));
    const out = new Set(base);
    for (const id of base) {
      if (atom.at) {
        for (const d of this.graph.reach(id, 'down')) {
          out.add(d);
          for (const a of this.graph.reach(d, 'up')) out.add(a);
        }
        for (const a of this.graph.reach(id, 'up')) out.add(a);
      }
      if (atom.parents !== undefined) for (const a of this.graph.reach(id, 'up', depth(atom.parents))) out.add(a);
      if (atom.children !== undefined) for (const d of this.graph.reach(id, 'down', depth(atom.children))) out.add(d);
    }
    return out;
  }

  private matches(node: CompiledNode, { method, value }: Atom, glob: RegExp): boolean {
    switch (method) {
      case 'fqn':
        return glob.test(node.name) || glob.test(node.fqn.join('.')) || glob.test(node.fqn.slice(1).join('.')) || (node.resourceType !== 'source' && glob.test(node.path));
      case 'tag':
        return node.config.tags.some((t) => glob.test(t));
      case 'path':
        return node.path === value || node.path.startsWith(value.replace(/\/?$/, '/')) || glob.test(node.path);
      case 'source':
        return node.resourceType === 'source' && (glob.test(node.sourceName) || glob.test(`${node.sourceName}.${node.tableName}`));
      case 'resource_type':
        return node.resourceType === value;
      case 'test_type':
        return node.resourceType === 'test' && node.kind === value;
      case 'test_name':
        return node.resourceType === 'test' && glob.test(node.testName ?? node.name);
      case 'state':
        return this.stateMatches(node, value);
      case 'result':
        if (!this.previous.results) throw new ConfigError('result: selection needs --state <dir> with a previous run_results.json');
        return this.previous.results.get(node.uniqueId) === value;
      default: {
        const key = method.slice('config.'.length);
        const actual = node.config[key];
        return Array.isArray(actual) ? actual.some((v) => glob.test(String(v))) : actual !== undefined && glob.test(String(actual));
      }
    }
  }

  private stateMatches(node: CompiledNode, value: string): boolean {
    const previous = this.previous.manifest;
    if (!previous) throw new ConfigError('state: selection needs --state <dir> with a previous manifest.json');
    const before = previous.nodes[node.uniqueId];
    switch (value) {
      case 'new':
        return !before;
      case 'modified':
        return !before || before.checksum !== node.checksum;
      case 'modified.body':
        return !before || ('rawSql' in before && 'rawSql' in node && before.rawSql !== node.rawSql);
      case 'modified.configs':
        return !before || JSON.stringify(before.config) !== JSON.stringify(node.config);
      case 'unmodified':
        return !!before && before.checksum === node.checksum;
      default:
        throw new ConfigError(`unknown state selector "state:${value}"`, undefined, didYouMean(value, ['new', 'modified', 'modified.body', 'modified.configs', 'unmodified']));
    }
  }

  /** Eager indirect selection: a test comes along when any of the nodes it tests is selected. */
  private addTests(chosen: Set<string>): Set<string> {
    const out = new Set(chosen);
    for (const [id, node] of Object.entries(this.graph.nodes)) {
      if (node.resourceType === 'test' && (this.graph.parents.get(id) ?? []).some((p) => chosen.has(p))) out.add(id);
    }
    return out;
  }
}

function parseAtom(text: string): Atom {
  const m = /^(@)?(?:(\d*)\+)?(.+?)(?:\+(\d*))?$/.exec(text);
  if (!m || !m[3]) throw new ConfigError(`invalid selector "${text}"`);
  const [, at, up, body, down] = m;
  const colon = body.indexOf(':');
  const method = colon > 0 ? body.slice(0, colon) : 'fqn';
  const value = colon > 0 ? body.slice(colon + 1) : body;
  if (!METHODS.includes(method) && !method.startsWith('config.')) {
    throw new ConfigError(`unknown selector method "${method}:"`, undefined, didYouMean(method, METHODS) ?? `methods: ${METHODS.join(', ')}, config.<key>`);
  }
  if (at && up !== undefined) throw new ConfigError(`"@" and "+" cannot both prefix "${text}"`);
  return {
    at: !!at,
    method,
    value,
    ...(text.match(/^@?\d*\+/) ? { parents: up ? Number(up) : 'all' } : {}),
    ...(text.match(/\+\d*$/) ? { children: down ? Number(down) : 'all' } : {}),
  } as Atom;
}

function depth(d: number | 'all'): number | undefined {
  return d === 'all' ? undefined : d;
}

function globRegex(pattern: string): RegExp {
  const escaped = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${escaped}$`);
}
