/** Lag: what --until-idle and the progress line wait on. */
import { describe, expect, it } from 'vitest';
import { parseOffset, partitionLag, totalLag } from '../../../framework/ingest/offsets.js';

describe('lag', () => {
  it('counts from the read position, else the committed offset, else the log start', () => {
    const p = { partition: 0, low: 0, high: 100, committed: 40 };
    expect(partitionLag(p, 90)).toBe(10);
    expect(partitionLag(p)).toBe(60);
    expect(partitionLag({ ...p, committed: undefined })).toBe(100);
  });

  it('is 0 for an empty partition without a committed offset', () => {
    expect(partitionLag({ partition: 0, low: 0, high: 0, committed: undefined })).toBe(0);
  });

  it('ignores offsets deleted by retention', () => {
    expect(partitionLag({ partition: 0, low: 500, high: 600, committed: 10 })).toBe(100);
  });

  it('sums partitions, using positions where this consumer reads', () => {
    const partitions = [
      { partition: 0, low: 0, high: 100, committed: 100 },
      { partition: 1, low: 0, high: 50, committed: 20 },
      { partition: 2, low: 0, high: 70, committed: undefined },
    ];
    expect(totalLag(partitions)).toBe(30 + 70);
    expect(totalLag(partitions, new Map([[1, 50], [2, 70]]))).toBe(0);
  });

  it("reads kafkajs offsets, '-1' and '' meaning none", () => {
    expect(parseOffset('42')).toBe(42);
    expect(parseOffset('-1')).toBeUndefined();
    expect(parseOffset('')).toBeUndefined();
    expect(parseOffset(undefined)).toBeUndefined();
  });
});
