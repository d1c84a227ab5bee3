import { ConfigError } from '../errors.js';
import type { Relation } from '../project/types.js';
import type { CompiledNode } from '../template/manifest.js';
import type { Session } from './session.js';

/**
 * --defer (dbt's): the models and seeds the selected nodes read but that are not selected resolve
 * to their relations in the --state manifest (another target's run, e.g. prod) when this target
 * has not built them, or always with --favor-state. Returns those relations by unique id.
 */
export async function deferredRelations(
  session: Session,
  selected: Set<string>,
  favorState: boolean,
  inputs = inputsOf(session, selected),
): Promise<Map<string, Relation>> {
  const state = stateManifest(session, '--defer');
  const candidates = inputs.filter(
    (id) => !selected.has(id) && builtIn(session.manifest.nodes[id]) && builtIn(state.nodes[id]),
  );
  const deferred = new Map<string, Relation>();
  if (!favorState && candidates.length) await session.adapter.connect();
  for (const id of candidates) {
    const own = (session.manifest.nodes[id] as { relation: Relation }).relation;
    if (favorState || !(await session.adapter.introspector.relationType(own)))
      deferred.set(id, (state.nodes[id] as { relation: Relation }).relation);
  }
  return deferred;
}

/** What the selected nodes read, through ephemerals (inlined, so their inputs are the node's). */
function inputsOf(session: Session, selected: Set<string>): string[] {
  const inputs = new Set<string>();
  const visit = (id: string) => {
    for (const dep of session.manifest.nodes[id]?.dependsOn ?? []) {
      const node = session.manifest.nodes[dep];
      if (inputs.has(dep) || !node) continue;
      inputs.add(dep);
      if (node.resourceType === 'model' && node.config.materialized === 'ephemeral') visit(dep);
    }
  };
  for (const id of selected) visit(id);
  return [...inputs];
}

/** A node the state's run built: a relation that is not inlined. */
function builtIn(node: CompiledNode | undefined): boolean {
  return (
    !!node &&
    (node.resourceType === 'model' || node.resourceType === 'seed') &&
    node.config.materialized !== 'ephemeral'
  );
}

/** The --state manifest, which `flag` (--defer, clone) needs. */
export function stateManifest(session: Session, flag: string): NonNullable<Session['state']['manifest']> {
  if (!session.state.manifest)
    throw new ConfigError(
      `${flag} needs --state <dir> holding the manifest.json of the run to read from (e.g. prod's target/)`,
    );
  return session.state.manifest;
}
