import { describe, expect, it } from 'vitest';
import {
  ACTIVITY_LEVELS, COOKING_STYLES, HOUR_WEIGHTS, SEGMENTS, WEEKDAY_WEIGHTS, clickRates,
} from '../../../extensions/reciping/datagen/model.js';
import { Rng } from '../../../extensions/reciping/datagen/random.js';

describe('behaviour model constants (spec §1)', () => {
  it('draws every segment, activity level and cooking style, and has the weekday and hour weights', () => {
    for (const distribution of [SEGMENTS, ACTIVITY_LEVELS, COOKING_STYLES]) {
      const rng = new Rng(5);
      const counts = new Map<string, number>();
      for (let i = 0; i < 100_000; i++) {
        const value = distribution.sample(rng);
        counts.set(value, (counts.get(value) ?? 0) + 1);
      }
      expect(counts.size).toBe(distribution.values.length);
    }
    expect(HOUR_WEIGHTS).toHaveLength(24);
    expect(WEEKDAY_WEIGHTS).toEqual([0.8, 0.9, 0.95, 1.0, 1.1, 1.3, 1.2]);
  });

  it('gives the configured click-through rates, with the four segment overrides', () => {
    expect(clickRates('FEMALE_20S', 'ACTIVE_EXPLORER', 'COMFORT_FOOD')).toEqual({ control: 0.018, treatment: 0.022 });
    expect(clickRates('FEMALE_30S', 'POWER_USER', 'DESSERT_FOCUSED')).toEqual({ control: 0.021, treatment: 0.028 });
    expect(clickRates('MALE_20S', 'ACTIVE_EXPLORER', 'QUICK_CONVENIENT')).toEqual({ control: 0.015, treatment: 0.019 });
    expect(clickRates('FEMALE_40_PLUS', 'ACTIVE_EXPLORER', 'HEALTHY_CONSCIOUS')).toEqual({ control: 0.018, treatment: 0.023 });
    expect(clickRates('MALE_30S', 'PASSIVE_BROWSER', 'DIVERSE_EXPLORER')).toEqual({ control: 0.014, treatment: 0.017 });
    // An override applies only to its exact combination.
    expect(clickRates('MALE_30S', 'PASSIVE_BROWSER', 'COMFORT_FOOD')).toEqual({ control: 0.018, treatment: 0.022 });
  });
});
