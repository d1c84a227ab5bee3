/**
 * The `ingest:` block of project.yml: the Kafka topic, the staging bucket and the staging layout
 * (bucket width, the clock of the directory names, the field holding the event time). Generic
 * defaults where one exists; the topic and bucket have none.
 */
import { ConfigError } from '../errors.js';
import type { YamlFile } from './yaml-file.js';

export interface IngestConfig {
  topic: string | undefined;
  bucket: string | undefined;
  /** Bucket width in ms. */
  bucketMs: number;
  /** The clock of directory names and of offset-less timestamps, from UTC, in ms. */
  offsetMs: number;
  timeField: string;
}

export const DEFAULT_INGEST: IngestConfig = {
  topic: undefined,
  bucket: undefined,
  bucketMs: 3_600_000,
  offsetMs: 0,
  timeField: 'timestamp',
};

/** The block of a project.yml the project schema already accepted. */
export function ingestConfig(yaml: YamlFile): IngestConfig {
  const block = (yaml.data as { ingest?: Record<string, unknown> }).ingest;
  if (!block) return DEFAULT_INGEST;
  const bucketMs = block.bucket_minutes === undefined ? DEFAULT_INGEST.bucketMs : Number(block.bucket_minutes) * 60_000;
  const offsetMs = block.utc_offset === undefined ? 0 : offsetOf(String(block.utc_offset));
  // Buckets are counted from the UTC epoch: with an offset of a whole number of buckets they start
  // on the local clock's boundaries too (+09:00 with 15 minutes; not +05:45 with 30).
  if (offsetMs % bucketMs !== 0) {
    throw new ConfigError(
      `key "ingest.utc_offset" ${String(block.utc_offset)} is not a whole number of ${bucketMs / 60_000}-minute buckets`,
      yaml.locate(['ingest', 'utc_offset']),
      'pick a bucket_minutes that divides the offset',
    );
  }
  return {
    topic: block.topic as string | undefined,
    bucket: block.bucket as string | undefined,
    bucketMs,
    offsetMs,
    timeField: (block.time_field as string | undefined) ?? DEFAULT_INGEST.timeField,
  };
}

function offsetOf(text: string): number {
  if (text === 'Z') return 0;
  const sign = text.startsWith('-') ? -1 : 1;
  return sign * (Number(text.slice(1, 3)) * 60 + Number(text.slice(4, 6))) * 60_000;
}
