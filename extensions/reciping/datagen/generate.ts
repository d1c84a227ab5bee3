/**
 * The public entry point: generate Reciping's user events into an EventSink.
 *
 * Output is produced one slice at a time — a KST day in bulk mode, a 15-minute window in
 * window mode. A slice is first planned (sessions, event names and times, as numbers;
 * see session.ts), then its events are put in time order and rendered to lines one by
 * one straight into the sink, so memory stays flat however many events are asked for.
 * Lines that belong to a later slice (a session running past midnight, a re-delivery
 * staged in the next bucket) wait in a small queue (writer.ts).
 */
import { BadInput, MALFORMED_KINDS, malformedLine, redeliveryTime } from './bad-input.js';
import { BUCKET_MS } from './layout.js';
import { AB_DEFAULT_END, AB_DEFAULT_START, EVENT_NAMES, VIEWED_PAGES } from './model.js';
import { Rng, deriveSeed } from './random.js';
import { RecipePicker } from './recipe-picker.js';
import { recipeMaster } from './recipes.js';
import { EventRenderer, SessionState } from './render.js';
import { SlicePlan, type AbWindow } from './session.js';
import type { EventSink } from './sink.js';
import { bulkSlices, windowSlices, type Slice } from './slices.js';
import { formatKst, kstDayStart, parseInstant, parseKstDate } from './time.js';
import { UserPool } from './users.js';
import { PendingLines, StagingWriter } from './writer.js';

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
  /** KST timestamps of the earliest and latest valid event. */
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

const SLICE_STREAM = 2;
/** Events are ordered by one sorted Float64Array of (time offset · 2^24 + plan index). */
const INDEX_BITS = 2 ** 24;

function checkRate(name: string, value: number): void {
  if (!(value >= 0 && value < 1)) throw new Error(`${name} must be in [0, 1), got ${value}`);
}

function checkCount(name: string, value: number): void {
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer, got ${value}`);
}

/** Validated options, with defaults applied and dates resolved. */
interface Run {
  seed: number;
  slices: Slice[];
  /** End of the run: nothing is staged at or after it. */
  end: number;
  ab: AbWindow;
  topic: string;
  encodedRate: number;
  users: number;
  /** Bad lines per valid event, so that they make up the requested fractions of all lines. */
  duplicatesPerEvent: number;
  malformedPerEvent: number;
}

function resolve(opts: GenerateOptions): Run {
  const encodedRate = opts.encodedRate ?? GENERATE_DEFAULTS.encodedRate;
  const usersRatio = opts.usersPerTenThousandEvents ?? GENERATE_DEFAULTS.usersPerTenThousandEvents;
  if (!Number.isInteger(opts.seed)) throw new Error(`seed must be an integer, got ${opts.seed}`);
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
  const validShare = 1 - opts.duplicateRate - opts.malformedRate;
  return {
    seed: opts.seed,
    ...plan,
    ab: {
      from: kstDayStart(parseKstDate(abStart)),
      to: kstDayStart(parseKstDate(abEnd) + 1),
      startDate: abStart,
      endDate: abEnd,
    },
    topic: opts.topic ?? GENERATE_DEFAULTS.topic,
    encodedRate,
    // Window mode: the pool is sized per window, so every window of a replay shares it.
    users: Math.max(1, Math.round((opts.events * usersRatio) / 10_000)),
    duplicatesPerEvent: opts.duplicateRate / validShare,
    malformedPerEvent: opts.malformedRate / validShare,
  };
}

/**
 * Generates events into `sink` and closes it. Same options, same output, byte for byte.
 */
export async function generateEvents(opts: GenerateOptions, sink: EventSink): Promise<GenerateStats> {
  const run = resolve(opts);
  const users = new UserPool(run.seed, run.users);
  const renderer = new EventRenderer(new RecipePicker(recipeMaster()), run.ab, run.encodedRate);
  const stats: GenerateStats = {
    events: 0,
    duplicates: 0,
    malformed: 0,
    malformedByKind: Object.fromEntries(MALFORMED_KINDS.map((kind) => [kind, 0])),
    lines: 0,
    files: 0,
    firstEventTime: '',
    lastEventTime: '',
  };
  let first = Infinity;
  let last = -Infinity;
  const writer = new StagingWriter(sink, run.topic);
  const pending = new PendingLines();
  const events = new SlicePlan();

  for (const slice of run.slices) {
    const rng = new Rng(deriveSeed(run.seed, SLICE_STREAM, slice.key));
    events.clear();
    while (events.size < slice.quota) {
      events.addSession(rng, users.get(rng.int(0, users.size - 1)), slice.frame, run.ab, slice.quota - events.size);
    }
    const n = events.size;
    const { times, sessionOf, names, pages } = events;

    // Cumulative rounding keeps the bad-input totals on target whatever the slice sizes.
    const before = stats.events;
    stats.events += n;
    const bad = new BadInput(
      rng,
      n,
      Math.round(stats.events * run.duplicatesPerEvent) - Math.round(before * run.duplicatesPerEvent),
      Math.round(stats.events * run.malformedPerEvent) - Math.round(before * run.malformedPerEvent),
    );
    stats.duplicates += bad.duplicates;
    stats.malformed += bad.malformed;
    for (const kinds of bad.malformedKinds.values()) for (const kind of kinds) stats.malformedByKind[kind]++;

    const order = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      order[i] = (times[i] - slice.start) * INDEX_BITS + i;
      if (times[i] < first) first = times[i];
      if (times[i] > last) last = times[i];
    }
    order.sort();

    // Render in time order straight into the sink; sessions render from their own streams.
    const sessions: SessionState[] = [];
    for (let k = 0; k < n; k++) {
      const i = order[k] % INDEX_BITS;
      const time = times[i];
      const s = sessionOf[i];
      const session = (sessions[s] ??= new SessionState(events.users[s], events.renderSeeds[s]));
      const line = renderer.render(
        session,
        EVENT_NAMES[names[i]],
        pages[i] < 0 ? undefined : VIEWED_PAGES.values[pages[i]],
        time,
      );
      const partition = session.user.partition;
      if (time < slice.end) {
        if (pending.due(time + 1)) await writer.drain(pending, time + 1);
        const wait = writer.write(time, partition, line);
        if (wait !== undefined) await wait;
      } else {
        pending.add({ time, partition, line });
      }
      if (bad.touches(i)) {
        for (let c = bad.copies.get(i) ?? 0; c > 0; c--)
          pending.add({ time: redeliveryTime(rng, time, run.end), partition, line });
        for (const kind of bad.malformedKinds.get(i) ?? [])
          pending.add({ time, partition, line: malformedLine(kind, line, rng) });
      }
    }
    await writer.drain(pending, slice.end);
  }
  await writer.drain(pending, Infinity);

  stats.lines = writer.lines;
  stats.files = (await sink.close()).files;
  stats.firstEventTime = formatKst(first);
  stats.lastEventTime = formatKst(last);
  return stats;
}
