import type { Adapter } from '../adapters/adapter.js';

/** What counting a test's rows gives: the count and the query that counted it. */
export interface Count {
  n: number;
  queryId?: string;
}

/** The rows `select` returns, in a query of its own. */
export async function countRows(adapter: Adapter, select: string): Promise<Count> {
  const result = await adapter.query(adapter.dialect.countRows(select));
  return { n: Number(result.rows[0]?.n ?? 0), ...(result.queryId ? { queryId: result.queryId } : {}) };
}

/** One test of a batch: it counts its rows once, or leaves without counting (skipped, errored). */
export interface CountMember {
  count(select: string): Promise<Count>;
  leave(): void;
}

/**
 * The row counts of several tests in one query (a UNION ALL of counts): a model's audit runs
 * tens of tests on a few thousand staged rows, and on Trino each query costs a second of
 * planning and scheduling whatever it reads. The batch runs once every member has asked or left
 * (or `max` wait), so its members must run concurrently. When the combined query fails, each
 * count runs on its own, so an error names its test.
 */
export function countBatch(adapter: Adapter, members: number, max = 50): { member(): CountMember } {
  let open = members;
  let queue: { select: string; resolve(count: Count): void; reject(error: unknown): void }[] = [];

  const flush = (): void => {
    const batch = queue;
    queue = [];
    if (!batch.length) return;
    const one = (q: (typeof batch)[number]) => countRows(adapter, q.select).then(q.resolve, q.reject);
    if (batch.length === 1) return void one(batch[0]!);
    adapter.query(adapter.dialect.countRowsEach(batch.map((q) => q.select))).then(
      (r) => {
        const counts = new Map(r.rows.map((row) => [Number(row.i), Number(row.n)]));
        batch.forEach((q, i) => q.resolve({ n: counts.get(i) ?? 0, ...(r.queryId ? { queryId: r.queryId } : {}) }));
      },
      () => batch.forEach((q) => void one(q)),
    );
  };

  return {
    member() {
      let gone = false;
      const go = () => {
        if (gone) return false;
        gone = true;
        open--;
        return true;
      };
      return {
        count(select) {
          const counted = new Promise<Count>((resolve, reject) => queue.push({ select, resolve, reject }));
          go();
          if (open === 0 || queue.length >= max) flush();
          return counted;
        },
        leave() {
          if (go() && open === 0) flush();
        },
      };
    },
  };
}

/**
 * Runs `run` for each id with a `count` that shares one query with the others'; a run that ends
 * without counting (skipped, errored, settled already) leaves the batch, so it never waits on it.
 */
export function countTogether<T>(
  adapter: Adapter,
  ids: string[],
  run: (id: string, count: CountMember['count']) => Promise<T>,
): Promise<T>[] {
  const batch = countBatch(adapter, ids.length);
  return ids.map(async (id) => {
    const member = batch.member();
    try {
      return await run(id, member.count);
    } finally {
      member.leave();
    }
  });
}
