/**
 * The headline insights of spec §4 must show in the raw events: the A/B lift on ad
 * clicks (the original's defect), the evening peak, Saturday's DAU, and FEMALE_40_PLUS
 * as the largest segment.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { BASE, kstParts, parseEvent, stream } from './helpers.js';

describe('the A/B test on ads (1,000,000 events during 2025-08-08 .. 2025-08-22)', () => {
  const counts = { treatment: { views: 0, clicks: 0 }, control: { views: 0, clicks: 0 } };
  const seen = new Set<string>();

  beforeAll(async () => {
    await stream({ ...BASE, mode: 'bulk', start: '2025-08-08', end: '2025-08-22', events: 1_000_000 }, (line) => {
      if (!line.includes('_ads')) return; // Every view_ads and click_ads line has it; skip parsing the rest.
      const event = parseEvent(line);
      if (event === null || seen.has(event.event_id)) return;
      seen.add(event.event_id);
      const group = event.context.ab_test.group as 'treatment' | 'control';
      if (event.event_name === 'view_ads') counts[group].views++;
      if (event.event_name === 'click_ads') counts[group].clicks++;
    });
  });

  it('splits users into groups of about equal size', () => {
    const share = counts.treatment.views / (counts.treatment.views + counts.control.views);
    expect(Math.abs(share - 0.5)).toBeLessThan(0.02);
    expect(counts.control.views).toBeGreaterThan(50_000);
  });

  it('measures the configured click-through rates, and treatment about +22% over control', () => {
    const ctr = (g: keyof typeof counts) => counts[g].clicks / counts[g].views;
    const lift = ctr('treatment') / ctr('control') - 1;
    // Binomial noise of the ratio: sd(lift) ≈ (1 + lift)·sqrt(1/clicks_t + 1/clicks_c) ≈ 0.045 here.
    const sd = (1 + lift) * Math.sqrt(1 / counts.treatment.clicks + 1 / counts.control.clicks);
    expect(sd).toBeLessThan(0.06);
    expect(Math.abs(lift - 0.22)).toBeLessThan(2.5 * sd);
    // A generator whose clicks ignore the group (the original) sits ~4 sd below.
    expect(lift / sd).toBeGreaterThan(2);
    for (const [group, rate] of [['control', 0.018], ['treatment', 0.022]] as const) {
      const sdRate = Math.sqrt((rate * (1 - rate)) / counts[group].views);
      expect(Math.abs(ctr(group) - rate), group).toBeLessThan(3 * sdRate);
    }
  });
});

describe('activity patterns (bulk June–August, 300,000 events)', () => {
  const perHour = new Array<number>(24).fill(0);
  const dailyUsers = new Map<string, Set<string>>();
  const segmentOf = new Map<string, string>();
  const seen = new Set<string>();

  beforeAll(async () => {
    await stream({ ...BASE, mode: 'bulk', start: '2025-06-01', end: '2025-08-31', events: 300_000 }, (line) => {
      const event = parseEvent(line);
      if (event === null || seen.has(event.event_id)) return;
      seen.add(event.event_id);
      const { date, hour } = kstParts(event.time);
      perHour[hour]++;
      let users = dailyUsers.get(date);
      if (!users) dailyUsers.set(date, (users = new Set()));
      users.add(event.user_id);
      segmentOf.set(event.user_id, event.context.user_segment);
    });
  });

  it('peaks in the evening, 18–21 h', () => {
    const peak = perHour.indexOf(Math.max(...perHour));
    expect(peak).toBeGreaterThanOrEqual(18);
    expect(peak).toBeLessThanOrEqual(21);
    const mean = (from: number, to: number) => perHour.slice(from, to + 1).reduce((a, b) => a + b, 0) / (to - from + 1);
    expect(mean(18, 21)).toBeGreaterThan(mean(11, 14));
    expect(mean(2, 4)).toBeLessThan(mean(18, 21) / 20);
  });

  it('has about 30% more daily users on Saturdays than on weekdays', () => {
    const byWeekday: number[][] = Array.from({ length: 7 }, () => []);
    for (const [date, users] of dailyUsers) byWeekday[kstParts(Date.parse(`${date}T12:00:00+09:00`)).weekday].push(users.size);
    const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
    const saturday = mean(byWeekday[5]);
    const weekdays = byWeekday.slice(0, 5).map(mean);
    // Weekday weights .8 .9 .95 1.0 1.1 against Saturday's 1.3: +37% over the weekday mean.
    const uplift = saturday / mean(weekdays) - 1;
    expect(uplift).toBeGreaterThan(0.25);
    expect(uplift).toBeLessThan(0.5);
    for (const weekday of weekdays) expect(saturday).toBeGreaterThan(weekday);
  });

  it('has FEMALE_40_PLUS as the largest segment, about 36% of users', () => {
    const counts = new Map<string, number>();
    for (const segment of segmentOf.values()) counts.set(segment, (counts.get(segment) ?? 0) + 1);
    const ranked = [...counts].sort((a, b) => b[1] - a[1]);
    expect(ranked[0][0]).toBe('FEMALE_40_PLUS');
    expect(Math.abs(ranked[0][1] / segmentOf.size - 0.356)).toBeLessThan(0.015);
  });
});
