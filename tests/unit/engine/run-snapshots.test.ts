/**
 * A run's snapshot ids (execute/run-snapshots.ts): one read of every written table before the run,
 * one after the last of them is built, each id on its own table's result; a read that fails is
 * said on the results instead of failing the run. The snapshots here are an in-process table
 * history: Trino's $snapshots reads are tested on the real stack (conformance, trino-adapter).
 */
import { describe, expect, it } from 'vitest';
import type { Snapshots } from '../../../framework/adapters/adapter.js';
import { runSnapshots } from '../../../framework/execute/run-snapshots.js';
import { skippedResult, type NodeResult } from '../../../framework/execute/results.js';
import type { Relation } from '../../../framework/project/types.js';

const node = (name: string) => ({ uniqueId: `model.p.${name}`, relation: { schema: 's', name } }) as never;
const ok = (name: string, status: NodeResult['status'] = 'success'): NodeResult => ({ ...skippedResult(`model.p.${name}`, 'built'), status });

/** Table name → its snapshot ids, newest last; every read of `current` logged. */
function history(tables: Record<string, string[]>, fail?: (read: number) => boolean) {
  const reads: string[][] = [];
  const snapshots = {
    current: async (rels: Relation[]) => {
      reads.push(rels.map((r) => r.name));
      if (fail?.(reads.length)) throw new Error('metadata unavailable');
      return rels.map((r) => tables[r.name]?.at(-1));
    },
  } as unknown as Snapshots;
  return { snapshots, reads, commit: (name: string, id: string) => (tables[name] ??= []).push(id) };
}

describe('a run’s snapshot ids', () => {
  it('reads all tables once before and once after the last is built; each result gets its own', async () => {
    const h = history({ a: ['1'], b: ['7'], c: ['4'] });
    const s = runSnapshots(h.snapshots, [node('a'), node('b'), node('c')]);
    await s.before;
    const [a, b, c] = [ok('a'), ok('b', 'error'), ok('c')];
    h.commit('a', '2');
    s.done(a);
    h.commit('c', '5');
    s.done(c);
    expect(h.reads).toEqual([['a', 'b', 'c']]);
    // The last written node is done: the read after starts now, of the built tables only.
    s.done(b);
    expect(h.reads).toEqual([['a', 'b', 'c'], ['a', 'c']]);
    await s.record();
    expect(h.reads).toHaveLength(2);
    // The objects given to done() are the run's results: the ids are put on them.
    expect([a, c].map((r) => [r.previous_snapshot_id, r.snapshot_id])).toEqual([
      ['1', '2'],
      ['4', '5'],
    ]);
    expect([b.previous_snapshot_id, b.snapshot_id]).toEqual([undefined, undefined]);
  });

  it('a table the run created has no previous snapshot; a run ended early reads after at the end', async () => {
    const h = history({});
    const s = runSnapshots(h.snapshots, [node('new'), node('never')]);
    await s.before;
    h.commit('new', '5');
    const created = ok('new');
    s.done(created);
    expect(h.reads).toHaveLength(1);
    await s.record();
    expect(h.reads).toEqual([['new', 'never'], ['new']]);
    expect(created).toMatchObject({ snapshot_id: '5', previous_snapshot_id: null });
  });

  it('a failed read leaves the results written, each saying rollback cannot undo it', async () => {
    const h = history({ a: ['1'] }, (read) => read === 2);
    const s = runSnapshots(h.snapshots, [node('a')]);
    await s.before;
    const a = ok('a');
    s.done(a);
    await expect(s.record()).resolves.toBeUndefined();
    expect(a.snapshot_id).toBeUndefined();
    expect(a.message).toBe('built; snapshot ids not read, `rollback` cannot undo this build: metadata unavailable');
  });
});
