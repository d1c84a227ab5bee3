/** Where the ingestion and the generator's sinks take their settings from, and how produced lines are keyed. */
import { describe, expect, it } from 'vitest';
import { userIdOf } from '../../../extensions/reciping/datagen/sinks/kafka.js';
import { ConfigError } from '../../../framework/errors.js';
import { brokerList, topicName } from '../../../framework/ingest/kafka-client.js';
import { s3Configured, s3Settings } from '../../../framework/storage/s3-store.js';
import { RECIPING_INGEST } from '../support/reciping-ingest.js';

describe('settings', () => {
  it('takes brokers from --brokers, else KAFKA_BROKERS, and says how to get them otherwise', () => {
    expect(brokerList('a:1, b:2', { KAFKA_BROKERS: 'c:3' })).toEqual(['a:1', 'b:2']);
    expect(brokerList(undefined, { KAFKA_BROKERS: 'c:3' })).toEqual(['c:3']);
    expect(() => brokerList(undefined, {})).toThrow(ConfigError);
  });

  it("takes the topic from --topic, else KAFKA_TOPIC, else the project's ingest.topic, and says where to set one", () => {
    expect(topicName('t', { KAFKA_TOPIC: 'u' }, RECIPING_INGEST.topic)).toBe('t');
    expect(topicName(undefined, { KAFKA_TOPIC: 'u' }, RECIPING_INGEST.topic)).toBe('u');
    expect(topicName(undefined, {}, RECIPING_INGEST.topic)).toBe('replay-user-events');
    expect(() => topicName(undefined, {}, undefined)).toThrow(/--topic, set KAFKA_TOPIC or ingest.topic in project.yml/);
  });

  it('reads S3 from the stack environment, --bucket winning, and keeps credentials out of the settings', () => {
    const env = { S3_ENDPOINT: 'http://127.0.0.1:19000', S3_REGION: 'us-east-1', S3_STAGING_BUCKET: 'staging', S3_SECRET_ACCESS_KEY: 'very-secret' };
    expect(s3Settings(env)).toEqual({ endpoint: 'http://127.0.0.1:19000', region: 'us-east-1', bucket: 'staging', maxAttempts: 6 });
    expect(s3Settings(env, { bucket: 'other', maxAttempts: 2 })).toMatchObject({ bucket: 'other', maxAttempts: 2 });
    expect(s3Settings({}, {}, RECIPING_INGEST.bucket)).toEqual({ endpoint: undefined, region: 'us-east-1', bucket: 'reciping-user-event-logs', maxAttempts: 6 });
    expect(() => s3Settings({})).toThrow(/--bucket, set S3_STAGING_BUCKET or ingest.bucket in project.yml/);
    expect(JSON.stringify(s3Settings(env))).not.toContain('very-secret');
    expect(s3Configured(env)).toBe(true);
    expect(s3Configured({})).toBe(false);
  });
});

describe('kafka sink key', () => {
  it('is the user_id of a generated line, or none when the line has none', () => {
    expect(userIdOf('{"event_name":"view_page","event_id":"e","user_id":"710847","context":{"user_id":"x"}}')).toBe('710847');
    expect(userIdOf('{"event_name":"view_page","event_id":"e","user_id":"user_710847"}')).toBe('user_710847');
    expect(userIdOf('{"event_name":"view_page","event_id":"e","us')).toBeNull();
    expect(userIdOf('{"event_name":"view_page","user_id":"7108')).toBeNull();
  });
});
