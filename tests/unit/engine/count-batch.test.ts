import { describe, expect, it, vi } from 'vitest';
import type { Adapter } from '../../../framework/adapters/adapter.js';
import { DuckDbAdapter } from '../../../framework/adapters/duckdb/adapter.js';
import { countBatch } from '../../../framework/execute/count-batch.js';

const duckdb = (): Adapter =>
  new DuckDbAdapter(
    { name: 'dev', type: 'duckdb', schema: 'main', threads: 1, settings: { type: 'duckdb', path: ':memory:' } },
    '/tmp',
  );

describe('count batch', () => {
  it('counts every member in one query once each has asked or left', async () => {
    const adapter = duckdb();
    const query = vi.spyOn(adapter, 'query');
    const batch = countBatch(adapter, 4);
    const [a, b, c, d] = [batch.member(), batch.member(), batch.member(), batch.member()];
    const counts = [
      a.count('select * from range(3)'),
      b.count('select * from range(0)'),
      c.count('select 1 as x where false'),
    ];
    expect(query).not.toHaveBeenCalled();
    d.leave();
    expect((await Promise.all(counts)).map((x) => x.n)).toEqual([3, 0, 0]);
    expect(query).toHaveBeenCalledTimes(1);
    // Leaving after counting changes nothing.
    a.leave();
    await adapter.close();
  });

  it("counts on their own when the combined query fails, so the error is its test's", async () => {
    const adapter = duckdb();
    const query = vi.spyOn(adapter, 'query');
    const batch = countBatch(adapter, 3);
    const [good, bad, other] = [batch.member(), batch.member(), batch.member()];
    const counts = [
      good.count('select * from range(2)'),
      bad.count('select * from no_such_table'),
      other.count('select * from range(5)'),
    ];
    const settled = await Promise.allSettled(counts);
    expect(settled.map((s) => (s.status === 'fulfilled' ? s.value.n : String(s.reason)))).toEqual([
      2,
      expect.stringMatching(/no_such_table/),
      5,
    ]);
    expect(query).toHaveBeenCalledTimes(4);
    await adapter.close();
  });

  it('runs a full batch without waiting for the rest', async () => {
    const adapter = duckdb();
    const batch = countBatch(adapter, 5, 2);
    const counts = [batch.member().count('select * from range(1)'), batch.member().count('select * from range(2)')];
    expect((await Promise.all(counts)).map((x) => x.n)).toEqual([1, 2]);
    await adapter.close();
  });
});
