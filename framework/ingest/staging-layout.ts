/**
 * The staging layout the Kafka Connect S3 sink's time-based partitioner writes:
 * <topic>/year=YYYY/month=MM/day=DD/hour=HH/minute=mm/<topic>+<partition>+<startOffset>.json,
 * one directory per time bucket of event time read in a fixed UTC offset. Width and offset are
 * the project's (ingest: in project.yml).
 */
export interface StagingLayout {
  /** Bucket width; divides an hour. */
  bucketMs: number;
  /** The wall clock of the directory names, as an offset from UTC; a whole number of buckets. */
  offsetMs: number;
}

export interface StagingBucket {
  topic: string;
  partition: number;
  year: string;
  month: string;
  day: string;
  hour: string;
  minute: string;
}

const DAY_MS = 86_400_000;
const OFFSET_RE = /(Z|[+-]\d{2}:\d{2})$/;

/**
 * Index of the bucket holding instant `ms`. The offset is a whole number of buckets, so buckets
 * counted from the UTC epoch are aligned to the local clock's bucket boundaries too.
 */
export function bucketIndex(ms: number, layout: StagingLayout): number {
  return Math.floor(ms / layout.bucketMs);
}

export function stagingBucket(topic: string, partition: number, index: number, layout: StagingLayout): StagingBucket {
  const local = index * layout.bucketMs + layout.offsetMs;
  const date = new Date(Math.floor(local / DAY_MS) * DAY_MS).toISOString();
  const minuteOfDay = (((local % DAY_MS) + DAY_MS) % DAY_MS) / 60_000;
  return {
    topic,
    partition,
    year: date.slice(0, 4),
    month: date.slice(5, 7),
    day: date.slice(8, 10),
    hour: String(Math.floor(minuteOfDay / 60)).padStart(2, '0'),
    minute: String(minuteOfDay % 60).padStart(2, '0'),
  };
}

/** The bucket's directory relative to the staging prefix; `topic` overrides the bucket's. */
export function bucketDirectory(bucket: StagingBucket, topic: string = bucket.topic): string {
  return `${topic}/year=${bucket.year}/month=${bucket.month}/day=${bucket.day}/hour=${bucket.hour}/minute=${bucket.minute}`;
}

/** File name of a staged file: its partition and the Kafka offset of its first line. */
export function stagingFileName(topic: string, partition: number, startOffset: number): string {
  return `${topic}+${partition}+${String(startOffset).padStart(10, '0')}.json`;
}

/** Parses an ISO-8601 instant; one written without an offset is read in the layout's offset. */
export function parseInstant(text: string, layout: StagingLayout): number {
  const ms = Date.parse(OFFSET_RE.test(text) ? text : `${text}Z`);
  if (Number.isNaN(ms)) throw new Error(`not an ISO-8601 instant: '${text}'`);
  return OFFSET_RE.test(text) ? ms : ms - layout.offsetMs;
}
