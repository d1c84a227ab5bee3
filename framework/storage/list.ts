import { listGlob } from './glob.js';
import type { StoredFile } from './object-store.js';
import { listS3 } from './s3-store.js';

/** The files at a location: an s3:// prefix, or an absolute local glob or directory. */
export function listFiles(location: string, env: NodeJS.ProcessEnv = process.env): Promise<StoredFile[]> {
  return /^s3a?:\/\//.test(location) ? listS3(location, env) : Promise.resolve(listGlob(location));
}
