/**
 * The consumer's windows per partition, without Kafka: which stream takes a partition's
 * messages after a rebalance or a refused commit, which windows get a flush marker, and that
 * reading the marker back cuts and commits the window it was asked for.
 */
import { describe, expect, it } from 'vitest';
import { FLUSH_MARKER_HEADER } from '../../../framework/ingest/flush-marker.js';
import type { StreamIo } from '../../../framework/ingest/partition-stream.js';
import { PartitionStreams, type ReadMessage } from '../../../framework/ingest/partition-streams.js';
import type { RotationLimits } from '../../../framework/ingest/rotation.js';

const LAYOUT = { bucketMs: 3_600_000, offsetMs: 0, timeField: 'timestamp' };
const ROTATE_MS = 60_000;

const message = (offset: number): ReadMessage => ({
  offset: String(offset),
  timestamp: '0',
  value: Buffer.from(JSON.stringify({ timestamp: '2026-01-01T00:00:00Z', n: offset })),
});
const messages = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => message(from + i));
const marker = (offset: number): ReadMessage => ({ offset: String(offset), timestamp: '0', value: Buffer.alloc(0), headers: { [FLUSH_MARKER_HEADER]: '1' } });

/** Writes and commits in order, per partition; commits can be refused. */
class FakeIo implements StreamIo {
  readonly log: string[] = [];
  refuseCommits = false;
  readonly rewound: string[] = [];

  async write(partition: number, file: { startOffset: number; lines: Buffer[] }): Promise<void> {
    this.log.push(`write ${partition}+${file.startOffset} (${file.lines.length})`);
  }

  async commit(partition: number, offset: number): Promise<boolean> {
    if (this.refuseCommits) return false;
    this.log.push(`commit ${partition}@${offset}`);
    return true;
  }

  rewind(partition: number, offset: number): void {
    this.rewound.push(`${partition}@${offset}`);
  }

  failed(error: unknown): void {
    throw error;
  }
}

function setup(limits: Partial<RotationLimits> = {}) {
  const io = new FakeIo();
  const asked: number[][] = [];
  const markers = { ask: async (open: { partition: number }[]) => (asked.push(open.map((o) => o.partition)), new Map<number, number>()) };
  const streams = new PartitionStreams(io, markers, { flushSize: Infinity, rotateIntervalMs: ROTATE_MS, maxWindowBytes: Infinity, ...limits }, LAYOUT);
  return { io, asked, streams };
}

describe('partition streams', () => {
  it('asks a flush marker only for windows open rotate-interval by the clock; reading it back cuts and commits the window', async () => {
    const { io, asked, streams } = setup();
    expect(streams.take(0, messages(0, 2), 1_000)).toBe(2);
    expect(streams.take(1, messages(0, 1), 30_000)).toBe(1);
    streams.flushQuiet(1_000 + ROTATE_MS - 1);
    expect(asked).toEqual([]);
    streams.flushQuiet(1_000 + ROTATE_MS);
    expect(asked).toEqual([[0]]);

    const open = streams.openWindows();
    expect(open.map(({ stream }) => stream.partition)).toEqual([0, 1]);
    expect(streams.take(0, [marker(2)], 62_000)).toBe(0);
    expect(streams.allCut(open.slice(0, 1))).toBe(true);
    expect(streams.allCut(open)).toBe(false);
    await streams.drain();
    // The marker's offset is committed with the window it closes; partition 1's window stays open.
    expect(io.log).toEqual(['write 0+0 (2)', 'commit 0@3']);
    expect(streams.positions()).toEqual(new Map([[0, 3], [1, 1]]));
  });

  it('skips re-delivered records of a partition it keeps, and reads a partition handed away and back from the committed offset', async () => {
    const { io, streams } = setup({ flushSize: 2 });
    streams.assign([1, 0]);
    expect(streams.assigned).toEqual([0, 1]);
    streams.take(0, messages(0, 3), 0);
    await streams.drain();
    expect(io.log).toEqual(['write 0+0 (2)', 'commit 0@2']);

    // A rejoin keeping partition 0 re-delivers from the committed offset: those records are held already.
    streams.assign([0, 1]);
    expect(streams.take(0, messages(2, 3), 0)).toBe(0);

    // Handed to another member, its open window (offset 2) is dropped; back here, it is read again from offset 2.
    streams.assign([1]);
    streams.assign([0, 1]);
    expect(streams.take(0, messages(2, 4), 0)).toBe(2);
    await streams.drain();
    expect(io.log).toEqual(['write 0+0 (2)', 'commit 0@2', 'write 0+2 (2)', 'commit 0@4']);
  });

  it('replaces a stream halted by a refused commit, so the partition is taken again from where it was rewound', async () => {
    const { io, streams } = setup({ flushSize: 2 });
    io.refuseCommits = true;
    streams.take(0, messages(0, 2), 0);
    await streams.drain();
    expect(io.rewound).toEqual(['0@0']);

    io.refuseCommits = false;
    expect(streams.take(0, messages(0, 2), 0)).toBe(2);
    await streams.drain();
    expect(io.log).toEqual(['write 0+0 (2)', 'write 0+0 (2)', 'commit 0@2']);
  });

  it('counts a window as cut when its stream halts (its records are read again by the next owner)', () => {
    const { streams } = setup();
    streams.take(0, messages(0, 1), 0);
    const open = streams.openWindows();
    expect(streams.allCut(open)).toBe(false);
    streams.haltAll();
    expect(streams.allCut(open)).toBe(true);
  });
});
