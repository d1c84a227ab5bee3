/** Which 15-minute bucket a Kafka record is staged in, and how its value becomes one line. */
import { describe, expect, it } from 'vitest';
import { eventTime as timeIn, recordBucket as bucketIn, stagedLine } from '../../../framework/ingest/staged-record.js';
import { bucketIndex as indexIn, stagingBucket as bucketAt } from '../../../framework/ingest/staging-layout.js';
import { RECIPING_INGEST } from '../support/reciping-ingest.js';

// The project's layout: 15-minute KST buckets of the `timestamp` field.
const bucketIndex = (ms: number) => indexIn(ms, RECIPING_INGEST);
const stagingBucket = (topic: string, partition: number, index: number) => bucketAt(topic, partition, index, RECIPING_INGEST);
const recordBucket = (line: string, kafkaTime: number) => bucketIn(line, kafkaTime, RECIPING_INGEST);
const eventTime = (line: string) => timeIn(line, RECIPING_INGEST);

const event = (timestamp: unknown) => JSON.stringify({ event_id: 'e1', user_id: '710847', context: { page: { name: 'main' } }, timestamp });
const bucketOf = (instant: string) => bucketIndex(Date.parse(instant));
/** A Kafka message timestamp far from every event time, so a fallback is visible. */
const KAFKA_TIME = Date.parse('2026-11-24T12:07:00+09:00');

describe('record bucket', () => {
  it('is the KST quarter hour of the event timestamp, not of the Kafka time', () => {
    expect(recordBucket(event('2025-08-03T21:04:32.000+09:00'), KAFKA_TIME)).toBe(bucketOf('2025-08-03T21:00:00+09:00'));
    expect(recordBucket(event('2025-08-03T21:14:59.999+09:00'), KAFKA_TIME)).toBe(bucketOf('2025-08-03T21:00:00+09:00'));
    expect(recordBucket(event('2025-08-03T21:15:00.000+09:00'), KAFKA_TIME)).toBe(bucketOf('2025-08-03T21:15:00+09:00'));
  });

  it('uses the KST calendar: 23:50 KST stays on its KST day, a UTC instant lands on the KST day', () => {
    const lateNight = stagingBucket('t', 0, recordBucket(event('2025-08-31T23:50:00.000+09:00'), KAFKA_TIME));
    expect(lateNight).toMatchObject({ month: '08', day: '31', hour: '23', minute: '45' });
    const utc = stagingBucket('t', 0, recordBucket(event('2025-08-31T23:30:00.000Z'), KAFKA_TIME));
    expect(utc).toMatchObject({ month: '09', day: '01', hour: '08', minute: '30' });
  });

  it('reads a timestamp without an offset as KST', () => {
    expect(eventTime(event('2025-09-01T00:00:00.000'))).toBe(Date.parse('2025-09-01T00:00:00.000+09:00'));
  });

  it('falls back to the Kafka message time when the event time cannot be read', () => {
    const fallback = bucketIndex(KAFKA_TIME);
    for (const line of [
      event('2025-08-03T25:04:32.000+09:00'), // hour 25
      event('2025-13-03T21:04:32.000+09:00'), // month 13
      event('N/A'),
      event(1754222672000), // not a string
      JSON.stringify({ event_id: 'e1' }), // no timestamp
      '{"event_id":"e1","timestamp":"2025-08-03T21:0', // truncated JSON
      '"2025-08-03T21:04:32.000+09:00"', // JSON, but not an object
      'null',
      '',
    ]) {
      expect(recordBucket(line, KAFKA_TIME), line).toBe(fallback);
    }
  });

  it('reads only the top-level timestamp', () => {
    const nested = JSON.stringify({ context: { timestamp: '2025-01-01T00:00:00+09:00' }, timestamp: '2025-08-03T21:04:32.000+09:00' });
    expect(recordBucket(nested, KAFKA_TIME)).toBe(bucketOf('2025-08-03T21:00:00+09:00'));
  });
});

describe('staged line', () => {
  it('keeps a value as it is', () => {
    const value = Buffer.from(event('2025-08-03T21:04:32.000+09:00'));
    expect(stagedLine(value)).toBe(value);
    expect(String(stagedLine(Buffer.from('{"search_keyword":"치킨"}')))).toBe('{"search_keyword":"치킨"}');
  });

  it('keeps a multi-line value on one line, still the same JSON', () => {
    const pretty = JSON.stringify({ event_id: 'e1', timestamp: '2025-08-03T21:04:32.000+09:00' }, null, 2).replace(/\n/g, '\r\n');
    const line = String(stagedLine(Buffer.from(pretty)));
    expect(line).not.toMatch(/[\r\n]/);
    expect(JSON.parse(line)).toEqual(JSON.parse(pretty));
  });

  it('stages a tombstone as null instead of dropping it', () => {
    expect(String(stagedLine(null))).toBe('null');
  });
});
