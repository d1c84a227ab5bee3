import type { Adapter, RowCount } from '../adapters/adapter.js';

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

/**
 * One test of a batch: it counts its rows once, or leaves without counting (skipped, errored). A
 * test whose rows are a condition on a relation (`rows`) may count them in one scan with the other
 * such tests of the same rows; its `select` is what it counts on its own.
 */
export interface CountMember {
  count(select: string, rows?: RowCount): Promise<Count>;
  leave(): void;
}

/**
 * The row counts of several tests in one query (a UNION ALL of counts): a model's audit runs
 * tens of tests on a few thousand staged rows, and on Trino each query costs a second of
 * planning and scheduling whatever it reads. The batch runs once every member has asked or left
 * (or `max` wait), so its members must run concurrently. Row tests of the same rows (a model's
 * not_null, accepted_values, accepted_range) count in one scan of them. When the combined query
 * fails, each count runs on its own, so an error names its test.
 */
export function countBatch(adapter: Adapter, members: number, max = 50): { member(): CountMember } {
  let open = members;
  let queue: Asked[] = [];

  const flush = (): void => {
    const asked = queue;
    queue = [];
    if (!asked.length) return;
    const one = (q: Asked) => countRows(adapter, q.select).then(q.resolve, q.reject);
    if (asked.length === 1) return void one(asked[0]!);
    const groups = sharedScans(asked);
    const batch = groups.flat();
    const counts = groups.map((g) => (g.length > 1 ? g.map((q) => q.rows!) : g[0]!.select));
    adapter.query(adapter.dialect.countRowsEach(counts)).then(
      (r) => {
        const n = new Map(r.rows.map((row) => [Number(row.i), Number(row.n)]));
        batch.forEach((q, i) => q.resolve({ n: n.get(i) ?? 0, ...(r.queryId ? { queryId: r.queryId } : {}) }));
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
        count(select, rows) {
          const counted = new Promise<Count>((resolve, reject) =>
            queue.push({ select, ...(rows ? { rows } : {}), resolve, reject }),
          );
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

interface Asked {
  select: string;
  rows?: RowCount;
  resolve(count: Count): void;
  reject(error: unknown): void;
}

/** The counts in the order they are asked, those of rows read from the same relation text together (one scan). */
function sharedScans(asked: Asked[]): Asked[][] {
  const groups: Asked[][] = [];
  const byFrom = new Map<string, Asked[]>();
  for (const q of asked) {
    const from = q.rows?.from;
    const same = from === undefined ? undefined : byFrom.get(from);
    if (same) {
      same.push(q);
      continue;
    }
    const group = [q];
    groups.push(group);
    if (from !== undefined) byFrom.set(from, group);
  }
  return groups;
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
