import type { Snapshots } from '../adapters/adapter.js';
import type { Relation } from '../project/types.js';
import type { CompiledNode } from '../template/manifest.js';
import type { NodeResult } from './results.js';

type Written = CompiledNode & { relation: Relation };

/**
 * Iceberg: each table a run writes, its snapshot before the run and after it, on its result, so
 * `rollback` can undo exactly this run. One query for all tables on each side (a query per table
 * and side was 20 round trips of a 15-minute window), neither waited for by the run's nodes: the
 * first while the run starts (a node awaits it before it writes), the second once the last of
 * those tables is built (while the views above them are replaced). The run holds the target's
 * lock, so no other writer commits in between.
 */
export function runSnapshots(history: Snapshots, written: Written[]) {
  const before = history.current(written.map((n) => n.relation));
  // Awaited by each node before it writes, and at the end: a failure is reported there.
  before.catch(() => undefined);
  const pending = new Set(written.map((n) => n.uniqueId));
  const finished = new Map<string, NodeResult>();
  let after: { built: number[]; ids: Promise<(string | undefined)[]> } | undefined;
  const readAfter = () => {
    const built = written.flatMap((n, i) =>
      ['success', 'warn'].includes(finished.get(n.uniqueId)?.status ?? '') ? [i] : [],
    );
    const ids = history.current(built.map((i) => written[i]!.relation));
    ids.catch(() => undefined);
    return { built, ids };
  };
  return {
    /** Resolves once the snapshots before the run are read. */
    before,
    done(result: NodeResult): void {
      if (!pending.delete(result.unique_id)) return;
      finished.set(result.unique_id, result);
      if (!pending.size) after = readAfter();
    },
    /**
     * Puts both snapshots on each built table's result. A failed read does not fail the run, whose
     * data is written and whose results must be too: each built table's message says `rollback`
     * cannot undo it (a node that writes waited for the first read, so it failed on that already).
     */
    async record(): Promise<void> {
      const { built, ids } = (after ??= readAfter());
      const results = built.map((i) => finished.get(written[i]!.uniqueId)!);
      try {
        const [previous, now] = await Promise.all([before, ids]);
        results.forEach((result, k) => {
          if (now[k]) result.snapshot_id = now[k];
          result.previous_snapshot_id = previous[built[k]!] ?? null;
        });
      } catch (error) {
        for (const result of results)
          result.message = `${result.message}; snapshot ids not read, \`rollback\` cannot undo this build: ${(error as Error).message}`;
      }
    },
  };
}
