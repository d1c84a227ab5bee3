/** Shared helpers of the generator's tests: in-memory sinks, and reading lines back. */
import {
  EVENT_NAMES, generateEvents, type EventSink, type GenerateOptions, type GenerateStats, type StagingBucket,
} from '../../../extensions/reciping/datagen/index.js';

export const BASE: Omit<GenerateOptions, 'mode' | 'start' | 'events'> = {
  seed: 42,
  duplicateRate: 0.007,
  malformedRate: 0.001,
};

/** Runs the generator into a sink that calls `onLine` for every line and keeps nothing. */
export async function stream(
  opts: GenerateOptions,
  onLine: (line: string, bucket: StagingBucket) => void,
): Promise<GenerateStats> {
  let lines = 0;
  const sink: EventSink = {
    write(line, bucket) {
      lines++;
      onLine(line, bucket);
    },
    async close() {
      return { lines, files: 0, bytes: 0 };
    },
  };
  return generateEvents(opts, sink);
}

export interface Staged {
  line: string;
  bucket: StagingBucket;
}

/** Runs the generator into memory (for runs small enough to keep). */
export async function collect(opts: GenerateOptions): Promise<{ stats: GenerateStats; lines: Staged[] }> {
  const lines: Staged[] = [];
  const stats = await stream(opts, (line, bucket) => lines.push({ line, bucket }));
  return { stats, lines };
}

export interface RawEvent {
  event_name: string;
  event_id: string;
  user_id: string;
  anonymous_id: string;
  session_id: string;
  context: unknown;
  event_properties: unknown;
  timestamp: string;
}

export interface Event extends Omit<RawEvent, 'context' | 'event_properties'> {
  context: Record<string, any>;
  event_properties: Record<string, any>;
  /** Whether context/event_properties came JSON-encoded. */
  encoded: boolean;
  /** Epoch ms of the timestamp. */
  time: number;
}

const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+09:00$/;
const UUID4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/**
 * Parses a line as a silver model would: null when it is not a valid event (unparseable,
 * missing or malformed fields). Both encodings of context/event_properties are accepted.
 */
export function parseEvent(line: string): Event | null {
  let raw: RawEvent;
  try {
    raw = JSON.parse(line) as RawEvent;
  } catch {
    return null;
  }
  if (typeof raw.event_id !== 'string' || !UUID4.test(raw.event_id)) return null;
  if (!(EVENT_NAMES as readonly string[]).includes(raw.event_name)) return null;
  if (typeof raw.user_id !== 'string' || !/^\d+$/.test(raw.user_id)) return null;
  if (typeof raw.timestamp !== 'string' || !TIMESTAMP.test(raw.timestamp)) return null;
  const time = Date.parse(raw.timestamp);
  if (Number.isNaN(time)) return null;
  const encoded = typeof raw.context === 'string';
  const decode = (value: unknown) => (typeof value === 'string' ? JSON.parse(value) : value) as Record<string, any>;
  return { ...raw, context: decode(raw.context), event_properties: decode(raw.event_properties), encoded, time };
}

export function isUuid4(text: unknown): boolean {
  return typeof text === 'string' && UUID4.test(text);
}

/** KST calendar date 'YYYY-MM-DD' and hour of an epoch-ms instant. */
export function kstParts(time: number): { date: string; hour: number; weekday: number } {
  const local = new Date(time + 9 * 3_600_000);
  return { date: local.toISOString().slice(0, 10), hour: local.getUTCHours(), weekday: (local.getUTCDay() + 6) % 7 };
}

/** The staging directory of a bucket, the way the tests expect it. */
export function bucketPath(bucket: StagingBucket): string {
  return `${bucket.year}-${bucket.month}-${bucket.day}T${bucket.hour}:${bucket.minute}`;
}

/** The bucket ('YYYY-MM-DDTHH:mm', mm a quarter) holding a KST instant. */
export function bucketOfTime(time: number): string {
  const local = new Date(time + 9 * 3_600_000).toISOString();
  const minute = Math.floor(Number(local.slice(14, 16)) / 15) * 15;
  return `${local.slice(0, 13)}:${String(minute).padStart(2, '0')}`;
}
