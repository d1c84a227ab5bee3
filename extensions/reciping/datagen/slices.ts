/**
 * How a run is cut into slices, the units the generator plans and writes one at a time:
 * KST days in bulk mode (with the weekday and hour-of-day weights of spec §1), or
 * 15-minute windows in window mode.
 */
import { BUCKET_MS, bucketIndex } from './layout.js';
import { HOUR_WEIGHTS, WEEKDAY_WEIGHTS, WEEKEND_EVENING, WEEKEND_SESSION_STRETCH } from './model.js';
import { Weighted } from './random.js';
import type { SessionFrame } from './session.js';
import { DAY_MS, HOUR_MS, isWeekend, kstDay, kstDayStart, weekday } from './time.js';

/** One unit of output, planned from its own seeded stream. */
export interface Slice {
  /** Stream coordinate: the KST day number, or the absolute 15-minute window number. */
  key: number;
  /** No event of the slice is earlier than `start`. */
  start: number;
  /** Lines before this instant are written with the slice; later ones wait for the next. */
  end: number;
  quota: number;
  frame: SessionFrame;
}

/** Session start hours: the spec's weights, weekend evenings boosted. */
const HOURS: readonly Weighted<number>[] = [false, true].map(
  (weekend) =>
    new Weighted(
      HOUR_WEIGHTS.map((weight, hour): [number, number] => [
        hour,
        weekend && hour >= WEEKEND_EVENING.fromHour && hour <= WEEKEND_EVENING.toHour
          ? weight * WEEKEND_EVENING.factor
          : weight,
      ]),
    ),
);

/**
 * Bulk mode: whole KST days. Sessions per day follow the weekday weights (that is what
 * makes Saturday's DAU stand out), so a day's share of events is its weight times its
 * mean session stretch. Quotas are rounded cumulatively so they add up to `events`.
 */
export function bulkSlices(startDay: number, endDay: number, events: number): { slices: Slice[]; end: number } {
  const meanStretch = (WEEKEND_SESSION_STRETCH[0] + WEEKEND_SESSION_STRETCH[1]) / 2;
  const days: number[] = [];
  for (let day = startDay; day <= endDay; day++) days.push(day);
  const weights = days.map((day) => WEEKDAY_WEIGHTS[weekday(day)] * (isWeekend(day) ? meanStretch : 1));
  const total = weights.reduce((a, b) => a + b, 0);
  const rangeEnd = kstDayStart(endDay + 1);
  let cumulative = 0;
  const slices = days.map((day, i): Slice => {
    const before = Math.round((events * cumulative) / total);
    cumulative += weights[i];
    const dayStart = kstDayStart(day);
    const hours = HOURS[isWeekend(day) ? 1 : 0];
    return {
      key: day,
      start: dayStart,
      end: dayStart + DAY_MS,
      quota: Math.round((events * cumulative) / total) - before,
      frame: {
        // Sessions may run past midnight into the next day; only the range's end cuts them.
        place: (rng) => dayStart + hours.sample(rng) * HOUR_MS + Math.floor(rng.float() * HOUR_MS),
        limit: rangeEnd,
        weekend: isWeekend(day),
      },
    };
  });
  return { slices, end: rangeEnd };
}

/**
 * Window mode: `events` per 15-minute window, a constant rate as in the September
 * replay. A session is placed so that it fits its window; one longer than the window
 * starts anywhere in it and is cut at the window's end.
 */
export function windowSlices(start: number, windows: number, events: number): { slices: Slice[]; end: number } {
  const slices = Array.from({ length: windows }, (_, k): Slice => {
    const from = start + k * BUCKET_MS;
    const to = from + BUCKET_MS;
    return {
      key: bucketIndex(from),
      start: from,
      end: to,
      quota: events,
      frame: {
        place: (rng, duration) =>
          from + Math.floor(rng.float() * (duration < BUCKET_MS ? BUCKET_MS - duration : BUCKET_MS)),
        limit: to,
        weekend: isWeekend(kstDay(from)),
      },
    };
  });
  return { slices, end: start + windows * BUCKET_MS };
}
