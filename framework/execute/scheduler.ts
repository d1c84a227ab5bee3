import type { NodeResult } from './results.js';
import { isFailure, skippedResult } from './results.js';

export interface ScheduleOptions {
  threads: number;
  failFast: boolean;
  /** Parents of a node among the scheduled ones (graph edges plus, in build, blocking tests). */
  parentsOf(id: string): string[];
  /** Nodes that must finish first, whatever their outcome (an audit reading them): never a reason to skip. */
  after?(id: string): string[];
  /** A node's result known before it runs (a test run by its model's audit): reported instead of a skip. */
  settled?(id: string): NodeResult | undefined;
  work(id: string): Promise<NodeResult>;
  /**
   * Ready nodes with the same key run together, in one of the `threads`, through `workTogether`
   * (a model's tests: their row counts are one query).
   */
  together?(id: string): string | undefined;
  workTogether?(ids: string[]): Promise<NodeResult>[];
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
  const followers = new Map<string, string[]>(ids.map((id) => [id, []]));
  for (const id of ids) {
    for (const p of options.after?.(id) ?? []) {
      if (!wanted.has(p)) continue;
      waiting.get(id)!.add(p);
      followers.get(p)!.push(id);
    }
  }
  const results = new Map<string, NodeResult>();
  const running = new Set<Promise<void>>();
  let stopped = false;

  const release = (id: string): void => {
    for (const c of [...childrenOf.get(id)!, ...followers.get(id)!]) waiting.get(c)?.delete(id);
  };

  const skip = (id: string, reason: string): void => {
    if (results.has(id)) return;
    const known = options.settled?.(id);
    if (known) {
      waiting.delete(id);
      finish(known);
      return;
    }
    const result = skippedResult(id, reason);
    results.set(id, result);
    waiting.delete(id);
    options.onDone?.(result);
    for (const c of childrenOf.get(id)!) skip(c, reason);
    release(id);
  };

  const finish = (result: NodeResult): void => {
    results.set(result.unique_id, result);
    options.onDone?.(result);
    if (isFailure(result.status)) {
      const name = result.unique_id.split('.').pop();
      for (const c of childrenOf.get(result.unique_id)!)
        skip(c, `skipped: upstream ${name} ${result.status === 'fail' ? 'failed its tests' : 'errored'}`);
      if (options.failFast) stopped = true;
    }
    release(result.unique_id);
  };

  const ready = (id: string): boolean => waiting.get(id)?.size === 0;
  // Each node's key once, and the nodes of each key: a group is found without a scan of every node.
  const keys = new Map(ids.map((id) => [id, options.workTogether && options.together?.(id)]));
  const members = new Map<string, string[]>();
  for (const [id, key] of keys) if (key) (members.get(key) ?? members.set(key, []).get(key)!).push(id);
  const launch = (): void => {
    for (const id of ids) {
      if (stopped || running.size >= options.threads) break;
      if (!ready(id)) continue;
      const key = keys.get(id);
      const group = key ? members.get(key)!.filter(ready) : [id];
      for (const g of group) {
        waiting.delete(g);
        options.onStart?.(g);
      }
      const works = group.length > 1 ? options.workTogether!(group) : [options.work(id)];
      // Each result is reported as it comes; the thread is free once all are in.
      const task: Promise<void> = Promise.all(works.map((w) => w.then(finish))).then(() => {
        running.delete(task);
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
