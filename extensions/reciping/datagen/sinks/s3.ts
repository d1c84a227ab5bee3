/**
 * An EventSink that stages generated lines in an S3 bucket with exactly the layout the
 * local-directory sink produces: the lines are laid out by that sink in a temporary
 * directory, and each finished file is uploaded on close (one PutObject per file —
 * files are per partition and 15-minute bucket, small enough for a single request).
 */
import { mkdtempSync } from 'node:fs';
import { readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import { forEachLimited } from '../../../../framework/for-each-limited.js';
import type { ObjectStore } from '../../../../framework/storage/object-store.js';
import { localDirectorySink, type EventSink } from '../sink.js';

const UPLOAD_CONCURRENCY = 16;

export function s3Sink(store: ObjectStore, opts: { topic?: string } = {}): EventSink {
  const dir = mkdtempSync(join(tmpdir(), 'reciping-s3-sink-'));
  const local = localDirectorySink(dir, opts);
  return {
    write: (line, bucket) => local.write(line, bucket),
    async close() {
      try {
        const stats = await local.close();
        const files = (await readdir(dir, { recursive: true })).filter((file) => file.endsWith('.json'));
        await forEachLimited(files, UPLOAD_CONCURRENCY, async (file) =>
          store.put(file.split(sep).join('/'), await readFile(join(dir, file))),
        );
        return stats;
      } finally {
        store.close();
        await rm(dir, { recursive: true, force: true });
      }
    },
  };
}
