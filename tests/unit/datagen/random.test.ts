import { describe, expect, it } from 'vitest';
import { Rng, Weighted, deriveSeed } from '../../../extensions/reciping/datagen/random.js';
import { isUuid4 } from './helpers.js';

describe('Rng', () => {
  it('repeats its sequence for a seed and differs across seeds', () => {
    const draw = (seed: number) => {
      const rng = new Rng(seed);
      return Array.from({ length: 1000 }, () => rng.next());
    };
    expect(draw(42)).toEqual(draw(42));
    expect(draw(43)).not.toEqual(draw(42));
  });

  it('derives distinct seeds for distinct stream coordinates', () => {
    const seeds = new Set<number>();
    for (let day = 20_000; day < 20_400; day++) seeds.add(deriveSeed(42, 2, day));
    for (let day = 20_000; day < 20_400; day++) seeds.add(deriveSeed(43, 2, day));
    expect(seeds.size).toBe(800);
    expect(deriveSeed(42, 1, 5)).not.toBe(deriveSeed(42, 5, 1));
  });

  it('draws integers over the whole inclusive range, uniformly', () => {
    const rng = new Rng(1);
    const counts = new Array<number>(6).fill(0);
    for (let i = 0; i < 60_000; i++) counts[rng.int(5, 10) - 5]++;
    // Each face expects 10,000 (sd ≈ 91); 5 sd either way.
    for (const count of counts) expect(Math.abs(count - 10_000)).toBeLessThan(460);
    for (let i = 0; i < 10_000; i++) {
      const x = rng.float();
      expect(x >= 0 && x < 1).toBe(true);
    }
  });

  it('makes version-4 UUIDs that do not repeat', () => {
    const rng = new Rng(7);
    const ids = new Set<string>();
    for (let i = 0; i < 100_000; i++) {
      const id = rng.uuid();
      if (i < 1000) expect(isUuid4(id)).toBe(true);
      ids.add(id);
    }
    expect(ids.size).toBe(100_000);
  });
});

describe('Weighted', () => {
  it('samples in proportion to the weights', () => {
    const weighted = new Weighted([['a', 0.142], ['b', 0.5], ['c', 0.358], ['never', 0]] as const);
    const rng = new Rng(3);
    const counts: Record<string, number> = { a: 0, b: 0, c: 0, never: 0 };
    const n = 200_000;
    for (let i = 0; i < n; i++) counts[weighted.sample(rng)]++;
    expect(counts.never).toBe(0);
    for (const [value, p] of [['a', 0.142], ['b', 0.5], ['c', 0.358]] as const) {
      const sd = Math.sqrt(p * (1 - p) * n);
      expect(Math.abs(counts[value] - p * n)).toBeLessThan(5 * sd);
    }
  });

  it('rejects unusable weights', () => {
    expect(() => new Weighted([])).toThrow();
    expect(() => new Weighted([['a', 0]])).toThrow();
    expect(() => new Weighted([['a', -1]])).toThrow();
  });
});
