/**
 * Bad input, so that the pipeline's defences get exercised: at-least-once re-deliveries
 * (the original measured 0.69% duplicate event_ids) and malformed lines of the kinds a
 * real producer or transport lets through.
 */
import { BUCKET_MS, bucketIndex } from './layout.js';
import type { Rng } from './random.js';

export const MALFORMED_KINDS = [
  'truncated_json',
  'missing_event_id',
  'bad_timestamp',
  'unknown_event_name',
  'non_numeric_user_id',
] as const;
export type MalformedKind = (typeof MALFORMED_KINDS)[number];

const UNKNOWN_EVENT_NAMES: readonly string[] = ['view_pgae', 'clickRecipe', 'purchase_complete', 'app_crash'];

/** Timestamps no ISO-8601 parser accepts: hour 25, month 13, or a placeholder. */
const BAD_TIMESTAMPS: readonly ((valid: string) => string)[] = [
  (valid) => valid.slice(0, 11) + '25' + valid.slice(13),
  (valid) => valid.slice(0, 5) + '13' + valid.slice(7),
  () => 'N/A',
];

const NON_NUMERIC_USER_IDS: readonly ((valid: string) => string)[] = [
  (valid) => 'user_' + valid,
  (valid) => valid.slice(0, 2) + 'O' + valid.slice(3),
  () => 'undefined',
];

/**
 * A malformed line made from a valid one. It gets its own event_id so that it can never
 * be mistaken for (or deduplicated against) the valid event it was made from. Bad lines
 * are rare, so re-parsing the valid line costs nothing worth avoiding, and
 * JSON.stringify gives back the same layout the line was built with.
 */
export function malformedLine(kind: MalformedKind, validLine: string, rng: Rng): string {
  const event = JSON.parse(validLine) as Record<string, unknown> & {
    event_name: string;
    user_id: string;
    timestamp: string;
  };
  event.event_id = rng.uuid();
  switch (kind) {
    case 'truncated_json': {
      // Any strict prefix of a JSON object is unparseable: the outer brace never closes.
      const line = JSON.stringify(event);
      return line.slice(0, rng.int(Math.min(10, line.length - 1), line.length - 1));
    }
    case 'missing_event_id':
      delete event.event_id;
      break;
    case 'bad_timestamp':
      event.timestamp = rng.pick(BAD_TIMESTAMPS)(event.timestamp);
      break;
    case 'unknown_event_name':
      event.event_name = rng.pick(UNKNOWN_EVENT_NAMES);
      break;
    case 'non_numeric_user_id':
      event.user_id = rng.pick(NON_NUMERIC_USER_IDS)(event.user_id);
      break;
  }
  return JSON.stringify(event);
}

/**
 * Which events of a slice (by plan index) are re-delivered, and which are copied into
 * malformed lines of which kinds; drawn before the slice is rendered.
 */
export class BadInput {
  readonly copies = new Map<number, number>();
  readonly malformedKinds = new Map<number, MalformedKind[]>();
  private readonly marked: Uint8Array;

  constructor(
    rng: Rng,
    events: number,
    readonly duplicates: number,
    readonly malformed: number,
  ) {
    this.marked = new Uint8Array(events);
    for (let i = 0; i < duplicates; i++) {
      const source = rng.int(0, events - 1);
      this.copies.set(source, (this.copies.get(source) ?? 0) + 1);
      this.marked[source] = 1;
    }
    for (let i = 0; i < malformed; i++) {
      const source = rng.int(0, events - 1);
      const kinds = this.malformedKinds.get(source) ?? [];
      kinds.push(rng.pick(MALFORMED_KINDS));
      this.malformedKinds.set(source, kinds);
      this.marked[source] = 1;
    }
  }

  /** Whether event `i` has any re-delivery or malformed copy (a cheap check for the common case). */
  touches(i: number): boolean {
    return this.marked[i] === 1;
  }
}

/**
 * When a re-delivery of an event at `t` is staged: later in the same bucket, or in the
 * next bucket when that one is still before `end` (a retry that landed in the next
 * flush). Returns the instant used to order it among the staged lines.
 */
export function redeliveryTime(rng: Rng, t: number, end: number): number {
  const next = (bucketIndex(t) + 1) * BUCKET_MS;
  if (next < end && rng.chance(0.5)) return next + Math.floor(rng.float() * BUCKET_MS);
  return t + Math.floor(rng.float() * (next - t));
}
