/**
 * How one Kafka record becomes one staged line, and which time bucket it goes to.
 */
import { bucketIndex, parseInstant, type StagingLayout } from './staging-layout.js';

/** Where a record's own time sits and how staged files are bucketed (the project's ingest: block). */
export interface RecordLayout extends StagingLayout {
  /** Top-level JSON field holding the event time. */
  timeField: string;
}

const NULL_LINE = Buffer.from('null');
const CR = 0x0d;
const LF = 0x0a;

/**
 * The record's value as the bytes of one JSON line, kept as the Buffer kafkajs decoded
 * (staged files are built from bytes; holding strings would double the memory of
 * non-ASCII lines). A raw line break would split the record in a JSON-lines file; JSON
 * allows a space wherever a line break is legal, and a line break inside a string was
 * never valid JSON, so replacing them keeps every record whole. A null value (a
 * tombstone) is staged as the JSON literal null rather than dropped.
 */
export function stagedLine(value: Buffer | null): Buffer {
  if (value === null) return NULL_LINE;
  if (!value.includes(LF) && !value.includes(CR)) return value;
  return Buffer.from(value.map((byte) => (byte === LF || byte === CR ? 0x20 : byte)));
}

/** The instant of the event's own time field, or undefined when it cannot be read. */
export function eventTime(line: Buffer | string, layout: RecordLayout): number | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line.toString());
  } catch {
    return undefined;
  }
  const timestamp =
    parsed !== null && typeof parsed === 'object' ? (parsed as Record<string, unknown>)[layout.timeField] : undefined;
  if (typeof timestamp !== 'string') return undefined;
  try {
    return parseInstant(timestamp, layout);
  } catch {
    return undefined;
  }
}

/**
 * The bucket index of a record: the bucket of its event time, or of the
 * Kafka message timestamp when the event's own time is unreadable (malformed records
 * are staged too, never dropped: silver quarantines them with a reason).
 */
export function recordBucket(line: Buffer | string, messageTimestampMs: number, layout: RecordLayout): number {
  return bucketIndex(eventTime(line, layout) ?? messageTimestampMs, layout);
}
