import { walkGlob, type Listing } from './glob.js';

export type { Listing } from './glob.js';

/**
 * The files at a location: an s3:// prefix, or an absolute local glob or directory; with `since`
 * (wall clock, partition-time.ts) only those in partitions from then on. The S3 client loads only
 * for S3 locations: importing the SDK alone takes a tenth of a second.
 */
export async function listFiles(
  location: string,
  since?: number,
  env: NodeJS.ProcessEnv = process.env,
): Promise<Listing> {
  return /^s3a?:\/\//.test(location)
    ? (await import('./s3-store.js')).listS3(location, since, env)
    : walkGlob(location, since);
}
