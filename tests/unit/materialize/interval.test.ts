import { describe, expect, it } from 'vitest';
import { interval, planIntervals, type IntervalInputs } from '../../../framework/materialize/interval.js';
import { intervalConfig } from '../../../framework/materialize/intervals.js';
import { DoneIntervals } from '../../../framework/state/done-intervals.js';
import type { NodeConfig } from '../../../framework/project/types.js';
import { model } from './fixtures.js';

const H = 3_600_000;
const START = Date.parse('2025-09-01T00:00:00Z');
const config: Partial<NodeConfig> = { materialized: 'incremental', interval: '1h', start: '2025-09-01T00:00:00Z', time_column: 'ts' };
const inputs = (fields: Partial<IntervalInputs> = {}): IntervalInputs => ({ cfg: intervalConfig({ ...model(config).config }, 'm')!, now: START + 5 * H, rebuild: false, done: DoneIntervals.none(), ...fields });
// Hours after START done, each with when its input was looked at.
const hours = (ks: number[], seen?: number) => DoneIntervals.of(ks.map((k) => ({ start: START + k * H, end: START + (k + 1) * H, ...(seen === undefined ? {} : { seen }) })));

describe('interval plan', () => {
  it('processes the complete missing intervals, oldest first, one per statement', () => {
    const plan = planIntervals(inputs({ done: hours([0, 1]) }));
    expect(plan.work.map((i) => (i.start - START) / H)).toEqual([2, 3, 4]);
    expect(plan.batches.map((b) => b.map((i) => (i.start - START) / H))).toEqual([[2], [3], [4]]);
    expect((plan.settledUntil - START) / H).toBe(2);
  });

  it('settled: before the first interval the run touches, a stale or lookback one, and never past a gap', () => {
    const arrivals = { newest: new Map([[START + H, START + 10]]), uncovered: 0, read: 1, readAt: START + 5 * H };
    const late = planIntervals(inputs({ arrivals, done: hours([0, 1, 2, 3], START), bound: { loadedAfter: START, from: START } }));
    expect(late.work.map((i) => (i.start - START) / H)).toEqual([1]);
    expect((late.settledUntil - START) / H).toBe(1);
    const lookback = planIntervals(inputs({ cfg: { ...inputs().cfg, lookback: 2 }, done: hours([0, 1, 2]) }));
    expect(lookback.work.map((i) => (i.start - START) / H)).toEqual([1, 2, 3, 4]);
    expect((lookback.settledUntil - START) / H).toBe(1);
    // A restatement after a gap: the gap bounds it.
    const gap = planIntervals(inputs({ done: hours([0, 2, 3, 4]), restate: { start: START + 3 * H, end: START + 4 * H } }));
    expect((gap.settledUntil - START) / H).toBe(1);
  });

  it('with an input: complete up to its newest interval; intervals without rows cost no statement; late input reprocesses', () => {
    const arrivals = { newest: new Map([[START, START + 10], [START + 2 * H, START + 3 * H]]), uncovered: 0, read: 2, readAt: START + 5 * H };
    const plan = planIntervals(inputs({ arrivals, done: hours([0], START) }));
    expect((plan.end - START) / H).toBe(3);
    expect([...plan.stale]).toEqual([START]);
    expect(plan.batches.map((b) => b.map((i) => (i.start - START) / H))).toEqual([[0], [2]]);
    expect(plan.empty.map((i) => (i.start - START) / H)).toEqual([1]);
  });

  it('a restatement processes its range whatever the state says', () => {
    const done = hours([0, 1, 2, 3, 4]);
    const plan = planIntervals(inputs({ done, restate: { start: START + H, end: START + 3 * H } }));
    expect(plan.work.map((i) => (i.start - START) / H)).toEqual([1, 2]);
  });

  it('validate: the interval settings, and an input that is upstream, with the file', () => {
    const scope = (upstream: string[]) => ({ nodes: {}, byName: new Map([['landed', 'model.p.landed']]), upstream: () => new Set(upstream) });
    const withInput = model({ ...config, interval_input: { ref: 'landed', time_column: 'ts', loaded_at: 'at' } });
    expect(() => interval.validate!(withInput, scope(['model.p.landed']))).not.toThrow();
    expect(() => interval.validate!(withInput, scope([]))).toThrow('interval_input.ref "landed" is not a model upstream of it');
    expect(() => interval.validate!(model({ ...config, start: undefined }), scope([]))).toThrow(expect.objectContaining({ position: { file: 'models/m.sql' } }));
  });
});
