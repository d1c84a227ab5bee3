/** Where a staged file goes, relative to the store's root or prefix. */
import { bucketDirectory, stagingBucket, stagingFileName, type StagingLayout } from './staging-layout.js';

/**
 * `<topic>/year=…/minute=mm/<topic>+<partition>+<startOffset>.json`. The name depends
 * only on the topic-partition and the offset of the file's first record, so staging the
 * same records again after a crash overwrites the same object.
 */
export function stagingKey(
  topic: string,
  partition: number,
  bucket: number,
  startOffset: number,
  layout: StagingLayout,
): string {
  return `${bucketDirectory(stagingBucket(topic, partition, bucket, layout))}/${stagingFileName(topic, partition, startOffset)}`;
}
