import type { NodeResult } from './results.js';
import { isFailure } from './results.js';

export interface ScheduleOptions {
  threads: number;
  failFast: boolean;
  /** Parents of a node among the scheduled ones (graph edges plus, in build, blocking tests). */
  parentsOf(id: string): string[];
  work(id: string): Promise<NodeResult>;
  onStart?(id: string): void;
  onDone?(result: NodeResult): void;
}

/**
 * Run nodes as soon as their parents finished, up to `threads` at once. A failure skips every node
 * downstream of it while independent branches go on; --fail-fast skips everything not yet started.
 */
export async function schedule(ids: string[], options: ScheduleOptions): Promise<NodeResult[]> {
  const wanted = new Set(ids);
  const waiting = new Map(ids.map((id) => [id, new Set(options.parentsOf(id).filter((p) => wanted.has(p)))]));
  const childrenOf = new Map<string, string[]>(ids.map((id) => [id, []]));
  for (const [id, parents] of waiting) for (const p of parents) childrenOf.get(p)!.push(id);
  const results = new Map<string, NodeResult>();
  const running = new Set<Promise<void>>();
  let stopped = false;

  const skip = (id: string, reason: string): void => {
    if (results.has(id)) return;
    const now = new Date().toISOString();
    const result: NodeResult = { unique_id: id, status: 'skipped', message: reason, execution_time: 0, started_at: now, completed_at: now, query_ids: [] };
    results.set(id, result);
    waiting.delete(id);
    options.onDone?.(result);
    for (const c of childrenOf.get(id)!) skip(c, reason);
  };

  const finish = (result: NodeResult): void => {
    results.set(result.unique_id, result);
    options.onDone?.(result);
    if (isFailure(result.status)) {
      const name = result.unique_id.split('.').pop();
      for (const c of childrenOf.get(result.unique_id)!) skip(c, `skipped: upstream ${name} ${result.status === 'fail' ? 'failed its tests' : 'errored'}`);
      if (options.failFast) stopped = true;
    }
    for (const c of childrenOf.get(result.unique_id)!) waiting.get(c)?.delete(result.unique_id);
  };

  const launch = (): void => {
    for (const id of ids) {
      if (stopped || running.size >= options.threads) break;
      const parents = waiting.get(id);
      if (!parents || parents.size) continue;
      waiting.delete(id);
      options.onStart?.(id);
      const task: Promise<void> = options.work(id).then((result) => {
        running.delete(task);
        finish(result);
      });
      running.add(task);
    }
  };

  launch();
  while (running.size) {
    await Promise.race(running);
    launch();
  }
  for (const id of ids) if (!results.has(id)) skip(id, 'skipped: --fail-fast after an earlier failure');
  return ids.map((id) => results.get(id)!);
}
