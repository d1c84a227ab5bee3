/**
 * Where staged files are written: an S3 bucket (s3-store.ts) or a local directory.
 * A put resolves only once the object is durably stored, because the offsets of its
 * records are committed right after.
 */
import { mkdir, open, readFile, rename, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';

/** A stored file as a listing reports it: enough to tell later whether it changed since it was read. */
export interface StoredFile {
  /** Full path or s3:// URI, the form engines report for the file they read (DuckDB filename, Trino $path). */
  path: string;
  size: number;
  /** S3 ETag; local files have none (their modification time stands in). */
  etag?: string;
  modifiedAt: Date;
}

export interface ObjectStore {
  /** Human-readable location, e.g. s3://bucket/prefix or a directory. */
  readonly location: string;
  /** Writes (or overwrites) the object at `key`, relative to the store's root. */
  put(key: string, body: Buffer): Promise<void>;
  close(): void;
}

/**
 * A directory: each file is written to a temporary name, fsynced, then renamed into place. An
 * object already there with the same bytes is left alone: a replay (a restarted consumer, or a
 * rebalance's new owner writing what the old one wrote) keeps its modification time, which stands
 * in for S3's ETag when the loader asks whether a loaded file changed.
 */
export function localStore(dir: string): ObjectStore {
  const root = resolve(dir);
  const made = new Set<string>();
  return {
    location: root,
    async put(key, body) {
      const path = join(root, key);
      const directory = dirname(path);
      if (!made.has(directory)) {
        await mkdir(directory, { recursive: true });
        made.add(directory);
      }
      if (await sameBytes(path, body)) return;
      const temporary = `${path}.${process.pid}.tmp`;
      const file = await open(temporary, 'w');
      try {
        await file.writeFile(body);
        await file.datasync();
      } finally {
        await file.close();
      }
      await rename(temporary, path);
    },
    close() {},
  };
}

async function sameBytes(path: string, body: Buffer): Promise<boolean> {
  try {
    return (await stat(path)).size === body.length && body.equals(await readFile(path));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}
