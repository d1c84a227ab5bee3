import { listGlob } from './glob.js';
import type { StoredFile } from './object-store.js';

/**
 * The files at a location: an s3:// prefix, or an absolute local glob or directory. The S3 client
 * loads only for S3 locations: importing the SDK alone takes a tenth of a second.
 */
export async function listFiles(location: string, env: NodeJS.ProcessEnv = process.env): Promise<StoredFile[]> {
  return /^s3a?:\/\//.test(location) ? (await import('./s3-store.js')).listS3(location, env) : listGlob(location);
}
