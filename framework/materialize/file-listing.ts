import type { LoadedFile } from '../state/file-ledger.js';
import type { StoredFile } from '../storage/object-store.js';
import { partitionTime } from '../storage/partition-time.js';

/** The file's partition names a time in [start, end) (a file naming none is in every window). */
export function inWindow(
  file: StoredFile,
  zone: string | undefined,
  window?: { start?: number; end?: number },
): boolean {
  if (!window) return true;
  const at = partitionTime(file.path, zone);
  if (at === undefined) return true;
  return (window.start === undefined || at >= window.start) && (window.end === undefined || at < window.end);
}

/** Same size and (S3) ETag or (local) modification second: the file is the one that was loaded. */
export function differs(before: LoadedFile, now: StoredFile): boolean {
  if (before.size !== now.size) return true;
  if (before.etag || now.etag) return before.etag !== now.etag;
  return Math.floor(before.modifiedAt.getTime() / 1000) !== Math.floor(now.modifiedAt.getTime() / 1000);
}

export function describeChange(before: LoadedFile, now: StoredFile): string {
  const what =
    before.size !== now.size
      ? `size ${before.size} → ${now.size}`
      : before.etag || now.etag
        ? `etag ${before.etag ?? '-'} → ${now.etag ?? '-'}`
        : `modified ${before.modifiedAt.toISOString()} → ${now.modifiedAt.toISOString()}`;
  return `${now.path} (${what})`;
}

/** Consecutive files whose quoted paths fit the budget (characters). */
export function slices<F extends StoredFile>(files: F[], budget: number): F[][] {
  const out: F[][] = [];
  let size = budget;
  for (const f of files) {
    if (size + f.path.length + 4 > budget) {
      out.push([]);
      size = 0;
    }
    out[out.length - 1]!.push(f);
    size += f.path.length + 4;
  }
  return out;
}
