import { ConfigError } from '../errors.js';
import type { CompiledNode } from '../template/manifest.js';

/** The dependency graph of a manifest: parents from ref/source, children derived, checked acyclic. */
export class Graph {
  readonly parents = new Map<string, string[]>();
  readonly children = new Map<string, string[]>();

  constructor(readonly nodes: Record<string, CompiledNode>) {
    for (const id of Object.keys(nodes)) this.children.set(id, []);
    for (const [id, node] of Object.entries(nodes)) {
      const parents = node.dependsOn.filter((p) => p in nodes);
      this.parents.set(id, parents);
      for (const p of parents) this.children.get(p)!.push(id);
    }
    const cycle = this.findCycle();
    if (cycle) {
      const names = cycle.map((id) => nodes[id]!.name);
      throw new ConfigError(
        `dependency cycle: ${names.join(' -> ')}`,
        nodes[cycle[0]!]!.origin,
        'remove one of these refs',
      );
    }
  }

  /** Nodes reachable from any of `starts` (not the starts themselves, unless reached), up to `depth` steps (undefined = unlimited). */
  reach(starts: string | Iterable<string>, direction: 'up' | 'down', depth?: number): Set<string> {
    const edges = direction === 'up' ? this.parents : this.children;
    const out = new Set<string>();
    let frontier = typeof starts === 'string' ? [starts] : [...starts];
    for (let d = 0; frontier.length && (depth === undefined || d < depth); d++) {
      const next: string[] = [];
      for (const id of frontier) {
        for (const n of edges.get(id) ?? []) {
          if (!out.has(n)) {
            out.add(n);
            next.push(n);
          }
        }
      }
      frontier = next;
    }
    return out;
  }

  /** Ids in dependency order (parents first); ties broken by id so runs are reproducible. */
  order(ids: Iterable<string> = Object.keys(this.nodes)): string[] {
    const wanted = new Set(ids);
    const indegree = new Map<string, number>();
    for (const id of wanted) indegree.set(id, (this.parents.get(id) ?? []).filter((p) => wanted.has(p)).length);
    const ready = [...wanted].filter((id) => indegree.get(id) === 0).sort();
    const out: string[] = [];
    while (ready.length) {
      const id = ready.shift()!;
      out.push(id);
      for (const c of this.children.get(id) ?? []) {
        if (!wanted.has(c)) continue;
        const left = indegree.get(c)! - 1;
        indegree.set(c, left);
        if (left === 0) insertSorted(ready, c);
      }
    }
    return out;
  }

  private findCycle(): string[] | undefined {
    const state = new Map<string, 'open' | 'done'>();
    const stack: string[] = [];
    const visit = (id: string): string[] | undefined => {
      state.set(id, 'open');
      stack.push(id);
      for (const p of this.parents.get(id) ?? []) {
        if (state.get(p) === 'open') return [...stack.slice(stack.indexOf(p)), p].reverse();
        if (!state.has(p)) {
          const found = visit(p);
          if (found) return found;
        }
      }
      stack.pop();
      state.set(id, 'done');
      return undefined;
    };
    for (const id of Object.keys(this.nodes).sort()) {
      if (!state.has(id)) {
        const found = visit(id);
        if (found) return found;
      }
    }
    return undefined;
  }
}

function insertSorted(list: string[], item: string): void {
  let i = list.length;
  while (i > 0 && list[i - 1]! > item) i--;
  list.splice(i, 0, item);
}
