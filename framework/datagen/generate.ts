/**
 * The public entry point: generate Reciping's user events into an EventSink.
 *
 * Output is produced one slice at a time — a KST day in bulk mode, a 15-minute window in
 * window mode. A slice is first planned (sessions, event names and times, as numbers;
 * see session.ts), then its events are put in time order and rendered to lines one by
 * one straight into the sink, so memory stays flat however many events are asked for.
 * Lines that belong to a later slice (a session running past midnight, a re-delivery
 * staged in the next bucket) wait in a small queue.
 */
import { MALFORMED_KINDS, malformedLine, redeliveryTime, type MalformedKind } from './bad-input.js';
import { BUCKET_MS, bucketIndex, stagingBucket, type StagingBucket } from './layout.js';
import {
  AB_DEFAULT_END, AB_DEFAULT_START, EVENT_NAMES, HOUR_WEIGHTS, VIEWED_PAGES, WEEKDAY_WEIGHTS, WEEKEND_EVENING, WEEKEND_SESSION_STRETCH,
} from './model.js';
import { Rng, Weighted, deriveSeed } from './random.js';
import { RecipePicker } from './recipe-picker.js';
import { recipeMaster } from './recipes.js';
import { EventRenderer, SessionState } from './render.js';
import { SlicePlan, type AbWindow, type SessionFrame } from './session.js';
import type { EventSink } from './sink.js';
import { DAY_MS, HOUR_MS, formatKst, isWeekend, kstDay, kstDayStart, parseInstant, parseKstDate, weekday } from './time.js';
import { UserPool } from './users.js';

export interface GenerateOptions {
  seed: number;
  mode: 'bulk' | 'window';
  /** bulk: first KST day 'YYYY-MM-DD'; window: first window's start instant, on a quarter hour. */
  start: string;
  /** bulk: last KST day, inclusive (default: `start`). Unused in window mode. */
  end?: string;
  /** bulk: valid events over the whole range; window: valid events in each window. */
  events: number;
  /** window mode: consecutive 15-minute windows (default 1). */
  windows?: number;
  /** Fraction of lines that are re-deliveries of an earlier line. */
  duplicateRate: number;
  /** Fraction of lines that are malformed. */
  malformedRate: number;
  /** Fraction of events whose context and event_properties are JSON-encoded strings (default 0.5). */
  encodedRate?: number;
  /** The A/B test's first and last KST day (default 2025-08-08 .. 2025-08-22). */
  abStart?: string;
  abEnd?: string;
  /** Size of the user population per 10,000 events (per window in window mode); default 2000. */
  usersPerTenThousandEvents?: number;
  topic?: string;
}

export interface GenerateStats {
  /** Valid, distinct events. */
  events: number;
  duplicates: number;
  malformed: number;
  malformedByKind: Record<string, number>;
  /** Lines handed to the sink: events + duplicates + malformed. */
  lines: number;
  files: number;
  /** KST timestamps of the earliest and latest valid event ('' when there are none). */
  firstEventTime: string;
  lastEventTime: string;
}

/** Defaults for every option but mode, start and events (the original's figures). */
export const GENERATE_DEFAULTS = {
  seed: 42,
  duplicateRate: 0.007,
  malformedRate: 0.001,
  encodedRate: 0.5,
  windows: 1,
  abStart: AB_DEFAULT_START,
  abEnd: AB_DEFAULT_END,
  usersPerTenThousandEvents: 2000,
  topic: 'replay-user-events',
} as const;

/** One unit of output, planned from its own seeded stream. */
interface Slice {
  /** Stream coordinate: the KST day number, or the absolute 15-minute window number. */
  key: number;
  /** No event of the slice is earlier than `start`. */
  start: number;
  /** Lines before this instant are written with the slice; later ones wait for the next. */
  end: number;
  quota: number;
  frame: SessionFrame;
}

const SLICE_STREAM = 2;
/** Events are ordered by one sorted Float64Array of (time offset · 2^24 + plan index). */
const INDEX_BITS = 2 ** 24;

function checkRate(name: string, value: number): void {
  if (!(value >= 0 && value < 1)) throw new Error(`${name} must be in [0, 1), got ${value}`);
}

function checkCount(name: string, value: number): void {
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer, got ${value}`);
}

/** Session start hours: the spec's weights, weekend evenings boosted. */
const HOURS: readonly Weighted<number>[] = [false, true].map(
  (weekend) =>
    new Weighted(
      HOUR_WEIGHTS.map((weight, hour): [number, number] => [
        hour,
        weekend && hour >= WEEKEND_EVENING.fromHour && hour <= WEEKEND_EVENING.toHour ? weight * WEEKEND_EVENING.factor : weight,
      ]),
    ),
);

/**
 * Bulk mode: whole KST days. Sessions per day follow the weekday weights (that is what
 * makes Saturday's DAU stand out), so a day's share of events is its weight times its
 * mean session stretch. Quotas are rounded cumulatively so they add up to `events`.
 */
function bulkSlices(startDay: number, endDay: number, events: number): { slices: Slice[]; end: number } {
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
 * replay. A session is placed so that it fits its window; one longer than the window is
 * cut at the window's end.
 */
function windowSlices(start: number, windows: number, events: number): { slices: Slice[]; end: number } {
  const slices = Array.from({ length: windows }, (_, k): Slice => {
    const from = start + k * BUCKET_MS;
    const to = from + BUCKET_MS;
    return {
      key: bucketIndex(from),
      start: from,
      end: to,
      quota: events,
      frame: {
        place: (rng, duration) => from + Math.floor(rng.float() * Math.max(1, BUCKET_MS - duration)),
        limit: to,
        weekend: isWeekend(kstDay(from)),
      },
    };
  });
  return { slices, end: start + windows * BUCKET_MS };
}

/** A line made out of order (a re-delivery, a malformed copy, an event of the next slice), waiting for its time. */
interface PendingLine {
  time: number;
  partition: number;
  line: string;
}

/** Lines waiting to be written, kept sorted by time; equal times keep insertion order. */
class PendingLines {
  private readonly lines: PendingLine[] = [];

  add(pending: PendingLine): void {
    let i = this.lines.length;
    while (i > 0 && this.lines[i - 1].time > pending.time) i--;
    this.lines.splice(i, 0, pending);
  }

  /** True when a line is due before `limit`. */
  due(limit: number): boolean {
    return this.lines.length > 0 && this.lines[0].time < limit;
  }

  take(): PendingLine {
    return this.lines.shift()!;
  }
}

/** Hands lines to the sink in time order, with one bucket object per bucket and partition. */
class StagingWriter {
  lines = 0;
  private bucket = NaN;
  private buckets: StagingBucket[] = [];

  constructor(private readonly sink: EventSink, private readonly topic: string) {}

  write(time: number, partition: number, line: string): void | Promise<void> {
    const index = bucketIndex(time);
    if (index !== this.bucket) {
      this.bucket = index;
      this.buckets = [];
    }
    this.lines++;
    return this.sink.write(line, (this.buckets[partition] ??= stagingBucket(this.topic, partition, index)));
  }

  /** Writes the pending lines due before `limit`. */
  async drain(pending: PendingLines, limit: number): Promise<void> {
    while (pending.due(limit)) {
      const { time, partition, line } = pending.take();
      const wait = this.write(time, partition, line);
      if (wait !== undefined) await wait;
    }
  }
}

/**
 * Generates events into `sink` and closes it. Same options, same output, byte for byte.
 */
export async function generateEvents(opts: GenerateOptions, sink: EventSink): Promise<GenerateStats> {
  const seed = opts.seed;
  const topic = opts.topic ?? GENERATE_DEFAULTS.topic;
  const encodedRate = opts.encodedRate ?? GENERATE_DEFAULTS.encodedRate;
  const usersRatio = opts.usersPerTenThousandEvents ?? GENERATE_DEFAULTS.usersPerTenThousandEvents;
  if (!Number.isInteger(seed)) throw new Error(`seed must be an integer, got ${seed}`);
  checkCount('events', opts.events);
  if (opts.events >= INDEX_BITS) throw new Error(`at most ${INDEX_BITS - 1} events per run or window`);
  checkRate('duplicateRate', opts.duplicateRate);
  checkRate('malformedRate', opts.malformedRate);
  if (opts.duplicateRate + opts.malformedRate >= 1) throw new Error('duplicateRate + malformedRate must be below 1');
  if (!(encodedRate >= 0 && encodedRate <= 1)) throw new Error(`encodedRate must be in [0, 1], got ${encodedRate}`);
  if (!(usersRatio > 0)) throw new Error(`usersPerTenThousandEvents must be positive, got ${usersRatio}`);

  let plan: { slices: Slice[]; end: number };
  if (opts.mode === 'bulk') {
    const startDay = parseKstDate(opts.start);
    const endDay = parseKstDate(opts.end ?? opts.start);
    if (endDay < startDay) throw new Error(`end ${opts.end} is before start ${opts.start}`);
    plan = bulkSlices(startDay, endDay, opts.events);
  } else if (opts.mode === 'window') {
    const start = parseInstant(opts.start);
    if (start % BUCKET_MS !== 0) throw new Error(`window start must be on a quarter hour, got ${opts.start}`);
    const windows = opts.windows ?? GENERATE_DEFAULTS.windows;
    checkCount('windows', windows);
    plan = windowSlices(start, windows, opts.events);
  } else {
    throw new Error(`unknown mode '${String(opts.mode)}'`);
  }

  const abStart = opts.abStart ?? GENERATE_DEFAULTS.abStart;
  const abEnd = opts.abEnd ?? GENERATE_DEFAULTS.abEnd;
  const ab: AbWindow = { from: kstDayStart(parseKstDate(abStart)), to: kstDayStart(parseKstDate(abEnd) + 1), startDate: abStart, endDate: abEnd };
  const users = new UserPool(seed, Math.max(1, Math.round((opts.events * usersRatio) / 10_000)));
  const renderer = new EventRenderer(new RecipePicker(recipeMaster()), ab, encodedRate);

  // Bad lines per valid event, so that they make up the requested fractions of all lines.
  const validShare = 1 - opts.duplicateRate - opts.malformedRate;
  const duplicatesPerEvent = opts.duplicateRate / validShare;
  const malformedPerEvent = opts.malformedRate / validShare;

  const stats: GenerateStats = {
    events: 0, duplicates: 0, malformed: 0, malformedByKind: Object.fromEntries(MALFORMED_KINDS.map((kind) => [kind, 0])),
    lines: 0, files: 0, firstEventTime: '', lastEventTime: '',
  };
  let first = Infinity;
  let last = -Infinity;
  const writer = new StagingWriter(sink, topic);
  const pending = new PendingLines();
  const events = new SlicePlan();

  for (const slice of plan.slices) {
    const rng = new Rng(deriveSeed(seed, SLICE_STREAM, slice.key));
    events.clear();
    while (events.size < slice.quota) {
      events.addSession(rng, users.get(rng.int(0, users.size - 1)), slice.frame, ab, slice.quota - events.size);
    }
    const n = events.size;
    const { times, sessionOf, names, pages } = events;

    // Which events get re-delivered or copied into malformed lines. Cumulative rounding
    // keeps the totals on target whatever the slice sizes.
    const before = stats.events;
    stats.events += n;
    const duplicates = Math.round(stats.events * duplicatesPerEvent) - Math.round(before * duplicatesPerEvent);
    const malformed = Math.round(stats.events * malformedPerEvent) - Math.round(before * malformedPerEvent);
    const copies = new Map<number, number>();
    for (let i = 0; i < duplicates; i++) {
      const source = rng.int(0, n - 1);
      copies.set(source, (copies.get(source) ?? 0) + 1);
    }
    const broken = new Map<number, MalformedKind[]>();
    for (let i = 0; i < malformed; i++) {
      const source = rng.int(0, n - 1);
      const kind = rng.pick(MALFORMED_KINDS);
      stats.malformedByKind[kind]++;
      broken.set(source, [...(broken.get(source) ?? []), kind]);
    }
    stats.duplicates += duplicates;
    stats.malformed += malformed;

    const order = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      order[i] = (times[i] - slice.start) * INDEX_BITS + i;
      if (times[i] < first) first = times[i];
      if (times[i] > last) last = times[i];
    }
    order.sort();

    const sessions: SessionState[] = [];
    for (let k = 0; k < n; k++) {
      const i = order[k] % INDEX_BITS;
      const time = times[i];
      const s = sessionOf[i];
      const session = (sessions[s] ??= new SessionState(events.users[s], events.renderSeeds[s]));
      const line = renderer.render(session, EVENT_NAMES[names[i]], pages[i] < 0 ? undefined : VIEWED_PAGES.values[pages[i]], time);
      const partition = session.user.partition;
      if (time < slice.end) {
        if (pending.due(time + 1)) await writer.drain(pending, time + 1);
        const wait = writer.write(time, partition, line);
        if (wait !== undefined) await wait;
      } else {
        pending.add({ time, partition, line });
      }
      for (let c = copies.get(i) ?? 0; c > 0; c--) {
        pending.add({ time: redeliveryTime(rng, time, plan.end), partition, line });
      }
      for (const kind of broken.get(i) ?? []) {
        pending.add({ time, partition, line: malformedLine(kind, line, rng) });
      }
    }
    await writer.drain(pending, slice.end);
  }
  await writer.drain(pending, Infinity);

  stats.lines = writer.lines;
  stats.files = (await sink.close()).files;
  if (stats.events > 0) {
    stats.firstEventTime = formatKst(first);
    stats.lastEventTime = formatKst(last);
  }
  return stats;
}
