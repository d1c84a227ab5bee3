/**
 * The staging layout of spec §2 — what the Kafka Connect S3 sink wrote:
 * <topic>/year=YYYY/month=MM/day=DD/hour=HH/minute=mm/<topic>+<partition>+<startOffset>.json,
 * one directory per 15-minute bucket of KST event time. project.yml's ingest: block declares the
 * same layout to `framework ingest kafka` (a unit test keeps the two equal).
 */
import {
  bucketIndex as indexIn,
  stagingBucket as bucketIn,
  type StagingBucket,
  type StagingLayout,
} from '../../../framework/ingest/staging-layout.js';
import { KST_OFFSET_MS } from './time.js';

export { bucketDirectory, stagingFileName, type StagingBucket } from '../../../framework/ingest/staging-layout.js';

export const BUCKET_MS = 15 * 60_000;

export const STAGING_LAYOUT: StagingLayout = { bucketMs: BUCKET_MS, offsetMs: KST_OFFSET_MS };

/** Index of the 15-minute bucket holding instant `ms` (KST is a whole number of buckets from UTC). */
export function bucketIndex(ms: number): number {
  return indexIn(ms, STAGING_LAYOUT);
}

export function stagingBucket(topic: string, partition: number, index: number): StagingBucket {
  return bucketIn(topic, partition, index, STAGING_LAYOUT);
}
