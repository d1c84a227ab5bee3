/** File naming: the object key is a function of topic, partition, bucket and start offset only. */
import { describe, expect, it } from 'vitest';
import { stagingKey as keyIn } from '../../../framework/ingest/staging-key.js';
import { bucketIndex } from '../../../framework/ingest/staging-layout.js';
import { RECIPING_INGEST } from '../support/reciping-ingest.js';

const bucket = (instant: string) => bucketIndex(Date.parse(instant), RECIPING_INGEST);
const stagingKey = (topic: string, partition: number, index: number, startOffset: number) => keyIn(topic, partition, index, startOffset, RECIPING_INGEST);

describe('staging key', () => {
  it('lays files out as the Kafka Connect S3 sink did, named by the first record offset', () => {
    expect(stagingKey('replay-user-events', 2, bucket('2025-09-01T00:07:00+09:00'), 12345)).toBe(
      'replay-user-events/year=2025/month=09/day=01/hour=00/minute=00/replay-user-events+2+0000012345.json',
    );
  });

  it('zero-pads the start offset to 10 digits and keeps longer offsets whole', () => {
    expect(stagingKey('t', 0, bucket('2025-08-03T21:44:59+09:00'), 0)).toBe('t/year=2025/month=08/day=03/hour=21/minute=30/t+0+0000000000.json');
    expect(stagingKey('t', 0, bucket('2025-08-03T21:44:59+09:00'), 12_345_678_901)).toMatch(/\/t\+0\+12345678901\.json$/);
  });

  it('is the same for the same inputs (a replay overwrites) and differs by partition and offset', () => {
    const b = bucket('2025-08-03T21:04:32+09:00');
    expect(stagingKey('t', 1, b, 500)).toBe(stagingKey('t', 1, b, 500));
    expect(new Set([stagingKey('t', 1, b, 500), stagingKey('t', 2, b, 500), stagingKey('t', 1, b, 501)]).size).toBe(3);
  });
});
