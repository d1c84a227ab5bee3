/** Where a staged file goes, relative to the store's root or prefix: the layout of spec §2. */
import { bucketDirectory, stagingBucket, stagingFileName } from '../datagen/layout.js';

/**
 * `<topic>/year=…/minute=mm/<topic>+<partition>+<startOffset>.json`. The name depends
 * only on the topic-partition and the offset of the file's first record, so staging the
 * same records again after a crash overwrites the same object.
 */
export function stagingKey(topic: string, partition: number, bucket: number, startOffset: number): string {
  return `${bucketDirectory(stagingBucket(topic, partition, bucket))}/${stagingFileName(topic, partition, startOffset)}`;
}
