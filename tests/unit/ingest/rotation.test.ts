/** When a partition's open window is cut. */
import { describe, expect, it } from 'vitest';
import { PartitionWindow, fileBody } from '../../../framework/ingest/partition-window.js';
import { FLUSH_MARKER_HEADER, isFlushMarker } from '../../../framework/ingest/flush-marker.js';
import { quietTooLong, rotationByRecordTime, rotationBySize, type RotationLimits } from '../../../framework/ingest/rotation.js';

const LIMITS: RotationLimits = { flushSize: 3, rotateIntervalMs: 60_000, maxWindowBytes: 1_000 };

function windowOf(buckets: number[], timestamp = 0, text = 'x', now = 0): PartitionWindow {
  const line = Buffer.from(text);
  const window = new PartitionWindow();
  buckets.forEach((bucket, i) => window.add(100 + i, bucket, line, timestamp, now));
  return window;
}

describe('rotation', () => {
  it('cuts when one file reaches flush-size records, counted per bucket', () => {
    expect(rotationBySize(windowOf([7, 7]), LIMITS)).toBeUndefined();
    expect(rotationBySize(windowOf([7, 7, 7]), LIMITS)).toBe('count');
    // Five records over two buckets: no file holds three.
    expect(rotationBySize(windowOf([7, 8, 7, 8, 9]), LIMITS)).toBeUndefined();
    expect(rotationBySize(windowOf([7, 8, 7, 8, 8]), LIMITS)).toBe('count');
  });

  it('cuts when the window holds too many bytes, however its files are split', () => {
    expect(rotationBySize(windowOf([1, 2], 0, 'x'.repeat(498)), LIMITS)).toBeUndefined();
    expect(rotationBySize(windowOf([1, 2], 0, 'x'.repeat(499)), LIMITS)).toBe('size');
  });

  it('cuts before a record whose Kafka timestamp is rotate-interval past the window’s first record', () => {
    const window = windowOf([7], 1_000);
    window.add(101, 7, Buffer.from('x'), 50_000, 0); // later records do not move the window's start
    expect(rotationByRecordTime(window, 60_999, LIMITS)).toBeUndefined();
    expect(rotationByRecordTime(window, 61_000, LIMITS)).toBe('time');
    expect(rotationByRecordTime(window, 500, LIMITS), 'an older timestamp stays in the window').toBeUndefined();
  });

  it('asks a flush marker for a window open rotate-interval by the clock, whatever its record times', () => {
    const window = windowOf([7], 0, 'x', 1_000);
    expect(quietTooLong(window, 60_999, LIMITS)).toBe(false);
    expect(quietTooLong(window, 61_000, LIMITS)).toBe(true);
    expect(quietTooLong(new PartitionWindow(), 10 ** 12, LIMITS)).toBe(false);
  });

  it('never cuts an empty window', () => {
    expect(rotationByRecordTime(new PartitionWindow(), 10 ** 12, LIMITS)).toBeUndefined();
    expect(rotationBySize(new PartitionWindow(), { ...LIMITS, flushSize: 1, maxWindowBytes: 1 })).toBeUndefined();
  });

  it('keeps one file per bucket starting at its first record, and the offset to commit', () => {
    const window = windowOf([7, 8, 7]);
    expect(window.files().map((f) => ({ ...f, lines: f.lines.map(String) }))).toEqual([
      { bucket: 7, startOffset: 100, lines: ['x', 'x'] },
      { bucket: 8, startOffset: 101, lines: ['x'] },
    ]);
    expect(window.endOffset).toBe(103);
  });

  it('writes a file as its lines, each ended by a newline', () => {
    expect(fileBody([Buffer.from('{"a":1}'), Buffer.from('{"b":"치킨"}')]).toString()).toBe('{"a":1}\n{"b":"치킨"}\n');
    expect(fileBody([])).toHaveLength(0);
  });

  it('knows a flush marker by its header alone, whatever the value', () => {
    expect(isFlushMarker({ [FLUSH_MARKER_HEADER]: Buffer.from('1') })).toBe(true);
    expect(isFlushMarker({ other: Buffer.from('1') })).toBe(false);
    expect(isFlushMarker(undefined)).toBe(false);
  });
});
