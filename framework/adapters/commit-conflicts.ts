import type { Adapter } from './adapter.js';

/** Waits before each new attempt after a lost commit race, ms (plus up to half again, so racing writers part). */
const BACKOFF_MS = [500, 1000, 2000, 4000, 8000];

/**
 * Run `work` again while it fails with a commit conflict (a concurrent commit to the same table
 * won), waiting longer each time; any other failure, or the last conflict, is thrown. Only for
 * work that is safe to repeat, whether or not the failed attempt took effect.
 */
export async function retryCommitConflicts<T>(
  adapter: Pick<Adapter, 'isCommitConflict'>,
  work: () => Promise<T>,
  onRetry?: (error: Error) => void,
  backoffMs = BACKOFF_MS,
): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      const wait = backoffMs[attempt];
      if (wait === undefined || !adapter.isCommitConflict?.(error)) throw error;
      onRetry?.(error as Error);
      await new Promise((r) => setTimeout(r, wait * (1 + Math.random() / 2)));
    }
  }
}
