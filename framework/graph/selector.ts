import { ConfigError } from '../errors.js';
import { didYouMean } from '../project/suggest.js';
import type { NamedSelector, ResourceType } from '../project/types.js';
import type { Graph } from './dag.js';
import { namedSelectorSpec } from './selector-definition.js';
import { matchCriteria, type MethodContext, type PreviousState } from './selector-methods.js';
import {
  ALL,
  INDIRECT_MODES,
  parseDifference,
  type Criteria,
  type IndirectSelection,
  type Spec,
} from './selector-spec.js';

export type { PreviousState } from './selector-methods.js';
export type { IndirectSelection } from './selector-spec.js';

export interface SelectionRequest {
  select?: string[];
  exclude?: string[];
  selector?: string;
  indirectSelection?: IndirectSelection;
  /** Keep only these resource types (the command's own, `ls --resource-type`, `-m`). */
  resourceTypes?: ResourceType[];
  /** Told once per term that matched nothing, and when the whole selection is empty. */
  onWarning?: (message: string) => void;
}

interface Selected {
  direct: Set<string>;
  indirect: Set<string>;
}

/**
 * dbt-core's node selection: each term selects nodes (then graph operators); tests whose parents
 * were selected join by the indirect-selection mode; union, intersection and difference combine
 * both the direct and the indirect sets; the command's resource types filter the result.
 */
export class Selector {
  private readonly context: MethodContext;

  constructor(
    private readonly graph: Graph,
    private readonly selectors: NamedSelector[],
    previous: PreviousState,
    /** The project's name (package:, fqn) and root folder (path:). */
    where: { project: string; root: string },
  ) {
    this.context = { nodes: Object.values(graph.nodes), previous, ...where };
  }

  select(request: SelectionRequest): Set<string> {
    const indirect = request.indirectSelection ?? 'eager';
    if (!INDIRECT_MODES.includes(indirect))
      throw new ConfigError(`--indirect-selection must be one of ${INDIRECT_MODES.join(', ')}, got "${indirect}"`);
    const warn = request.onWarning ?? (() => {});
    const { direct } = this.evaluate(this.spec(request, indirect, warn), warn);
    const types = request.resourceTypes;
    const out = new Set([...direct].filter((id) => !types || types.includes(this.graph.nodes[id]!.resourceType)));
    if (!out.size) warn(`nothing selected${types ? ` (of ${types.join(', ')})` : ''}: no node matches this selection`);
    return out;
  }

  /** dbt: --selector alone; else --select/--exclude; else the `default: true` selector; else everything. */
  private spec(request: SelectionRequest, indirect: IndirectSelection, warn: (m: string) => void): Spec {
    const named =
      request.selector ??
      (!request.select?.length && !request.exclude?.length ? this.selectors.find((s) => s.default)?.name : undefined);
    if (!named) return parseDifference(request.select, request.exclude, indirect);
    if (request.selector && (request.select?.length || request.exclude?.length))
      warn(`--selector ${request.selector} is used alone: --select and --exclude are ignored (as in dbt)`);
    return namedSelectorSpec(this.named(named), this.selectors, indirect);
  }

  private named(name: string): NamedSelector {
    const found = this.selectors.find((s) => s.name === name);
    if (!found)
      throw new ConfigError(
        `selector "${name}" is not defined in selectors.yml`,
        undefined,
        didYouMean(
          name,
          this.selectors.map((s) => s.name),
        ),
      );
    return found;
  }

  private evaluate(spec: Spec, warn: (m: string) => void): Selected {
    if (spec.kind === 'criteria') return this.criteria(spec);
    const parts = spec.components.map((c) => this.evaluate(c, warn));
    const indirect = combineSets(
      spec.kind,
      parts.map((p) => new Set([...p.direct, ...p.indirect])),
    );
    const direct = this.incorporate(
      combineSets(
        spec.kind,
        parts.map((p) => p.direct),
      ),
      indirect,
      spec.indirect,
    );
    if (spec.expectExists && !direct.size)
      warn(`the selection criterion "${spec.raw}" does not match any enabled node`);
    return { direct, indirect };
  }

  private criteria(criteria: Criteria): Selected {
    if (criteria.method === 'selector')
      return this.evaluate(namedSelectorSpec(this.named(criteria.value), this.selectors, criteria.indirect), () => {});
    const matched = matchCriteria(criteria, this.context);
    const selected = new Set([...matched, ...this.neighbours(matched, criteria)]);
    if (criteria.indirect === 'empty') return { direct: selected, indirect: new Set() };
    return this.expand(selected, criteria.indirect);
  }

  /** Graph operators: `n+` parents, `+n` children, `@` children and all their parents. */
  private neighbours(ids: Set<string>, c: Criteria): Set<string> {
    const out = new Set<string>();
    const add = (more: Iterable<string>) => {
      for (const n of more) out.add(n);
    };
    if (c.childrensParents) {
      const down = this.graph.reach(ids, 'down');
      add(down);
      add(this.graph.reach([...ids, ...down], 'up'));
    }
    if (c.parents !== undefined) add(this.graph.reach(ids, 'up', depth(c.parents)));
    if (c.children !== undefined) add(this.graph.reach(ids, 'down', depth(c.children)));
    return out;
  }

  /** Tests directly downstream of the selection: eager takes any, cautious those whose parents are all selected, buildable also counts ancestors. */
  private expand(selected: Set<string>, mode: IndirectSelection): Selected {
    const direct = new Set(selected);
    const indirect = new Set<string>();
    const buildable = mode === 'buildable' ? this.withAncestors(selected) : undefined;
    for (const id of selected) {
      for (const child of this.graph.children.get(id) ?? []) {
        if (this.graph.nodes[child]!.resourceType !== 'test') continue;
        const parents = this.graph.parents.get(child) ?? [];
        if (
          mode === 'eager' ||
          parents.every((p) => selected.has(p)) ||
          (buildable && parents.every((p) => buildable.has(p)))
        )
          direct.add(child);
        else indirect.add(child);
      }
    }
    return { direct, indirect };
  }

  /** After combining: a test held back (cautious/buildable) joins when its parents are now all there. */
  private incorporate(direct: Set<string>, indirect: Set<string>, mode: IndirectSelection): Set<string> {
    if (mode !== 'cautious' && mode !== 'buildable') return direct;
    const out = new Set(direct);
    const allowed = mode === 'buildable' ? this.withAncestors(direct) : direct;
    for (const id of indirect) {
      if (out.has(id) || this.graph.nodes[id]!.resourceType !== 'test') continue;
      if ((this.graph.parents.get(id) ?? []).every((p) => allowed.has(p))) out.add(id);
    }
    return out;
  }

  private withAncestors(ids: Set<string>): Set<string> {
    const out = new Set([...ids, ...this.graph.reach(ids, 'up')]);
    for (const node of this.context.nodes) if (node.resourceType === 'source') out.add(node.uniqueId);
    return out;
  }
}

function combineSets(kind: 'union' | 'intersection' | 'difference', sets: Set<string>[]): Set<string> {
  if (!sets.length) return new Set();
  const [first, ...rest] = sets as [Set<string>, ...Set<string>[]];
  if (kind === 'union') return new Set(sets.flatMap((s) => [...s]));
  if (kind === 'intersection') return new Set([...first].filter((id) => rest.every((s) => s.has(id))));
  return new Set([...first].filter((id) => !rest.some((s) => s.has(id))));
}

function depth(d: number): number | undefined {
  return d === ALL ? undefined : d;
}
