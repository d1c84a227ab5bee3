/** Where a staged file goes: the layout of spec §2 under an optional prefix. */
import { bucketDirectory, stagingBucket, stagingFileName } from '../datagen/layout.js';

/**
 * `<prefix>/<topic>/year=…/minute=mm/<topic>+<partition>+<startOffset>.json`. The name
 * depends only on the topic-partition and the offset of the file's first record, so
 * staging the same records again after a crash overwrites the same object.
 */
export function stagingKey(prefix: string, topic: string, partition: number, bucket: number, startOffset: number): string {
  const path = `${bucketDirectory(stagingBucket(topic, partition, bucket))}/${stagingFileName(topic, partition, startOffset)}`;
  const base = prefix.replace(/^\/+|\/+$/g, '');
  return base ? `${base}/${path}` : path;
}
