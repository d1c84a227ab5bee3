import { createHash } from 'node:crypto';
import { ConfigError } from '../errors.js';
import type { ModelNode, Relation } from '../project/types.js';
import type { CompiledNode } from '../template/manifest.js';
import type { BuildContext } from './context.js';
import { configAt, type ValidationScope } from './strategy.js';

/**
 * What a build was made from, recorded in the target's file ledger under the node's relation and
 * file, so every host running the target sees it: a seed's CSV and column types, a `rebuild:
 * on_change` table's SQL and its inputs' fingerprints. A build whose fingerprint matches the last
 * one would write the same rows, so it is left as it is: a scheduled build every few minutes
 * would otherwise rewrite static tables each cycle (on Trino a new Iceberg snapshot and seconds
 * per table). Recorded after the table is swapped in: a crash in between costs one more build.
 */
export interface Built {
  fingerprint?: string;
  rows: number;
  /** The build's new data passed its audit before it was published (write–audit–publish). */
  audited?: boolean;
}

/** Appended to a recorded fingerprint whose build was audited. */
const AUDITED = '+audited';

/** A node that writes a relation. */
type Stored = CompiledNode & { relation: Relation };

export function fingerprint(...parts: (string | Buffer)[]): string {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part).update('\0');
  return `sha256:${hash.digest('hex')}`;
}

/** The node's last recorded build; undefined when none is recorded (or the ledger has no row for its file). */
export async function lastBuilt(ctx: BuildContext, node: Stored): Promise<Built | undefined> {
  const last = (await ctx.run.state.files.loaded(node.relation)).get(node.path);
  if (!last?.etag) return last && { rows: last.rows };
  const audited = last.etag.endsWith(AUDITED);
  return {
    rows: last.rows,
    fingerprint: audited ? last.etag.slice(0, -AUDITED.length) : last.etag,
    ...(audited ? { audited } : {}),
  };
}

export async function recordBuilt(
  ctx: BuildContext,
  node: Stored,
  built: { fingerprint: string; size: number; rows: number; audited?: boolean },
): Promise<void> {
  const { files } = ctx.run.state;
  await files.forget(node.relation);
  await files.record(
    node.relation,
    node.uniqueId,
    [
      {
        path: node.path,
        size: built.size,
        etag: built.fingerprint + (built.audited ? AUDITED : ''),
        modifiedAt: new Date(),
        rows: built.rows,
      },
    ],
    ctx.run.invocationId,
  );
}

/** Nodes a `rebuild: on_change` table may read: their builds are fingerprinted too. */
function fingerprinted(node: CompiledNode): boolean {
  return node.resourceType === 'seed' || (node.config.materialized === 'table' && node.config.rebuild === 'on_change');
}

/** The nodes whose fingerprints make up a table's: its inputs, through ephemeral models (inlined in its SQL). */
export function fingerprintInputs(node: CompiledNode, nodes: Record<string, CompiledNode>): CompiledNode[] {
  return node.dependsOn.flatMap((id) => {
    const input = nodes[id]!;
    return input.config.materialized === 'ephemeral' ? fingerprintInputs(input, nodes) : [input];
  });
}

/**
 * `rebuild: on_change` is for tables whose every input's changes the framework tracks: seeds and
 * other such tables. A source, view or incremental model can change without a build it knows of.
 */
export function checkRebuild(node: CompiledNode & ModelNode, scope: ValidationScope, strategy: string): void {
  if (node.config.rebuild !== 'on_change') return;
  if (strategy !== 'table')
    throw new ConfigError(
      `model "${node.name}": rebuild: on_change applies to table models only`,
      configAt(node),
      'remove rebuild, or materialize it as a table',
    );
  const untracked = fingerprintInputs(node, scope.nodes).filter((input) => !fingerprinted(input));
  if (untracked.length)
    throw new ConfigError(
      `model "${node.name}": rebuild: on_change, but it reads ${untracked.map((n) => `${n.resourceType} "${n.name}"`).join(', ')}, whose changes are not tracked`,
      configAt(node),
      'a rebuild: on_change table may read only seeds and other rebuild: on_change tables; use rebuild: always',
    );
}
