/**
 * A staging run's counts, progress line and summary, without Kafka: the active time leaves out
 * start-up and idle waits, and a line says when Kafka did not answer the lag query.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { StagingProgress, type ProgressSource } from '../../../framework/ingest/staging-progress.js';

function progressWith(source: Partial<ProgressSource>) {
  const lines: Record<string, unknown>[] = [];
  const progress = new StagingProgress((_message, fields) => lines.push(fields), { stopped: () => false, lag: async () => 0, partitions: () => [0, 1], ...source }, 0);
  return { progress, lines };
}

describe('staging progress', () => {
  afterEach(() => vi.useRealTimers());

  it('sums reading from the first record to the last and the final flush to its last commit, not the waits around them', () => {
    const { progress } = progressWith({});
    progress.recordsRead(0, 500); // an empty batch is no record read
    progress.recordsRead(10, 2_000);
    progress.fileWritten(100);
    progress.committed(2_500);
    progress.recordsRead(5, 4_000);
    expect(progress.quietFor(9_000)).toBe(5_000);
    progress.finalFlush(9_000);
    progress.fileWritten(50);
    progress.committed(10_500);
    expect(progress.summary('idle')).toEqual({ stoppedBy: 'idle', records: 15, files: 2, bytes: 150, commits: 2, lastCommitAt: 10_500, activeSeconds: 3.5 });
  });

  it('waits from the start for --until-idle when nothing was read', () => {
    expect(progressWith({}).progress.quietFor(7_000)).toBe(7_000);
  });

  it('reports the rate since the last line, and a lag of null when Kafka does not answer', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(0);
    const { progress, lines } = progressWith({ lag: () => Promise.reject(new Error('broker down')) });
    progress.recordsRead(500, 1_000);
    progress.committed(1_500);
    vi.setSystemTime(2_000);
    await progress.line();
    expect(lines).toEqual([{ event: 'progress', records: 500, eventsPerSecond: 250, lag: null, files: 0, commits: 1, partitions: [0, 1], lastCommitAt: 1_500 }]);
  });

  it('reports nothing once reading stopped, even when the stop came during the lag query', async () => {
    let stopped = false;
    const { progress, lines } = progressWith({ stopped: () => stopped, lag: async () => ((stopped = true), 3) });
    await progress.line();
    await progress.line();
    expect(lines).toEqual([]);
  });
});
