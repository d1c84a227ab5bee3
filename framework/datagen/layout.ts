/**
 * The staging layout of spec §2 — what the Kafka Connect S3 sink wrote:
 * <topic>/year=YYYY/month=MM/day=DD/hour=HH/minute=mm/<topic>+<partition>+<startOffset>.json,
 * one directory per 15-minute bucket of KST event time.
 */
import { KST_OFFSET_MS, formatKstDate, kstDay, pad2, DAY_MS } from './time.js';

export interface StagingBucket {
  topic: string;
  partition: number;
  year: string;
  month: string;
  day: string;
  hour: string;
  /** 00, 15, 30 or 45. */
  minute: string;
}

export const BUCKET_MS = 15 * 60_000;

/**
 * Index of the 15-minute bucket holding instant `ms`. KST is UTC+9 h, a whole number
 * of buckets, so buckets counted from the UTC epoch are aligned to KST quarter hours.
 */
export function bucketIndex(ms: number): number {
  return Math.floor(ms / BUCKET_MS);
}

export function stagingBucket(topic: string, partition: number, index: number): StagingBucket {
  const start = index * BUCKET_MS;
  const day = kstDay(start);
  const date = formatKstDate(day);
  const minuteOfDay = (start + KST_OFFSET_MS - day * DAY_MS) / 60_000;
  return {
    topic,
    partition,
    year: date.slice(0, 4),
    month: date.slice(5, 7),
    day: date.slice(8, 10),
    hour: pad2(Math.floor(minuteOfDay / 60)),
    minute: pad2(minuteOfDay % 60),
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
