import { describe, expect, it } from 'vitest';
import type { NodeResult } from '../../../framework/execute/results.js';
import { schedule } from '../../../framework/execute/scheduler.js';

const result = (id: string, status: NodeResult['status'] = 'pass'): NodeResult => ({
  unique_id: id,
  status,
  message: status,
  started_at: '',
  completed_at: '',
  execution_time: 0,
  query_ids: [],
});

describe('scheduler: nodes that run together', () => {
  // m1 <- a1, a2, a3 (tests of m1); m2 <- b1, b2; c has no key.
  const parents: Record<string, string[]> = { m1: [], m2: [], a1: ['m1'], a2: ['m1'], a3: ['m1'], b1: ['m2'], b2: ['m2'], c: ['m1'] };
  const key = (id: string) => ({ a: 'tests of m1', b: 'tests of m2' })[id[0]!];

  it('ready nodes with one key take one thread together; each result is reported on its own', async () => {
    const slots: string[][] = [];
    let busy = 0;
    let most = 0;
    const occupy = async <T>(ids: string[], body: () => T): Promise<T> => {
      slots.push(ids);
      most = Math.max(most, ++busy);
      await new Promise((r) => setTimeout(r, 5));
      busy--;
      return body();
    };
    const done: string[] = [];
    const results = await schedule(Object.keys(parents), {
      threads: 1,
      failFast: false,
      parentsOf: (id) => parents[id]!,
      work: (id) => occupy([id], () => result(id, id === 'c' ? 'fail' : 'pass')),
      together: key,
      workTogether: (ids) => {
        const slot = occupy(ids, () => ids.map((id) => result(id, id === 'a2' ? 'fail' : 'pass')));
        return ids.map((_, i) => slot.then((r) => r[i]!));
      },
      onDone: (r) => done.push(r.unique_id),
    });
    expect(most).toBe(1);
    expect(slots).toEqual([['m1'], ['m2'], ['a1', 'a2', 'a3'], ['b1', 'b2'], ['c']]);
    expect(results.map((r) => [r.unique_id, r.status])).toEqual([
      ['m1', 'pass'],
      ['m2', 'pass'],
      ['a1', 'pass'],
      ['a2', 'fail'],
      ['a3', 'pass'],
      ['b1', 'pass'],
      ['b2', 'pass'],
      ['c', 'fail'],
    ]);
    expect(done.sort()).toEqual(Object.keys(parents).sort());
  });

  it('a node alone under its key runs through work, and --fail-fast stops what has not started', async () => {
    const worked: string[] = [];
    const results = await schedule(['m1', 'a1', 'm2', 'b1', 'b2'], {
      threads: 1,
      failFast: true,
      parentsOf: (id) => parents[id]!,
      work: async (id) => (worked.push(id), result(id, id === 'a1' ? 'fail' : 'pass')),
      together: key,
      workTogether: (ids) => ids.map(async (id) => (worked.push(id), result(id))),
    });
    expect(worked).toEqual(['m1', 'a1']);
    expect(results.map((r) => r.status)).toEqual(['pass', 'fail', 'skipped', 'skipped', 'skipped']);
  });
});
