import type { Session } from './session.js';

/** Parents that exist in the warehouse: an ephemeral parent is replaced by what it reads from. */
export function builtParents(session: Session, id: string): string[] {
  const out = new Set<string>();
  for (const p of session.graph.parents.get(id) ?? []) {
    const parent = session.manifest.nodes[p]!;
    if (parent.resourceType === 'model' && parent.config.materialized === 'ephemeral')
      for (const q of builtParents(session, p)) out.add(q);
    else out.add(p);
  }
  return [...out];
}
