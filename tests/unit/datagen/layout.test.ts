import { Partitioners } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { STAGING_LAYOUT, bucketDirectory, bucketIndex, stagingBucket, stagingFileName } from '../../../extensions/reciping/datagen/layout.js';
import { kafkaPartition } from '../../../extensions/reciping/datagen/partition.js';
import { Rng } from '../../../extensions/reciping/datagen/random.js';
import { RECIPING_INGEST } from '../support/reciping-ingest.js';

const bucketAt = (instant: string) => stagingBucket('replay-user-events', 1, bucketIndex(Date.parse(instant)));

describe('staging layout', () => {
  it('buckets by KST event time in quarter hours', () => {
    expect(bucketAt('2025-08-03T21:04:32.000+09:00')).toEqual({
      topic: 'replay-user-events', partition: 1, year: '2025', month: '08', day: '03', hour: '21', minute: '00',
    });
    expect(bucketAt('2025-08-03T21:15:00.000+09:00').minute).toBe('15');
    expect(bucketAt('2025-08-03T21:44:59.999+09:00').minute).toBe('30');
    // 23:59 KST is 14:59 UTC: the KST date and hour are used, not UTC's.
    expect(bucketAt('2025-08-31T23:59:59.999+09:00')).toMatchObject({ month: '08', day: '31', hour: '23', minute: '45' });
    // 08:30 KST on Sept 1 is still Aug 31 in UTC.
    expect(bucketAt('2025-08-31T23:30:00.000Z')).toMatchObject({ month: '09', day: '01', hour: '08', minute: '30' });
  });

  it('names directories and files as the Kafka Connect S3 sink did', () => {
    const bucket = bucketAt('2025-09-01T00:07:00+09:00');
    expect(bucketDirectory(bucket)).toBe('replay-user-events/year=2025/month=09/day=01/hour=00/minute=00');
    expect(bucketDirectory(bucket, 'other')).toBe('other/year=2025/month=09/day=01/hour=00/minute=00');
    expect(stagingFileName('replay-user-events', 2, 12345)).toBe('replay-user-events+2+0000012345.json');
  });

  it("is the layout project.yml's ingest: block gives `framework ingest kafka`", () => {
    expect({ bucketMs: RECIPING_INGEST.bucketMs, offsetMs: RECIPING_INGEST.offsetMs }).toEqual(STAGING_LAYOUT);
  });
});

describe('partitioning', () => {
  it("matches Kafka's default partitioner keyed by user_id", () => {
    const partitioner = Partitioners.DefaultPartitioner();
    const partitionMetadata = [0, 1, 2].map((partitionId) => ({ partitionId, leader: 0, partitionErrorCode: 0, replicas: [0], isr: [0] }));
    const rng = new Rng(9);
    // Every key length modulo 4 (murmur2's tail cases), and typical six-digit ids.
    const keys = ['', '7', '71', '710', '7108', '71084', '710847', 'user_710847'];
    for (let i = 0; i < 2000; i++) keys.push(String(rng.int(100_000, 999_999)));
    for (const key of keys) {
      const expected = partitioner({ topic: 'replay-user-events', partitionMetadata, message: { key, value: null } });
      expect(kafkaPartition(key, 3), key).toBe(expected);
    }
  });
});
