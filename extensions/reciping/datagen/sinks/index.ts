/** The destinations of `framework generate events --to local|s3|kafka`. */
import { ConfigError } from '../../../../framework/errors.js';
import { brokerList } from '../../../../framework/ingest/kafka-client.js';
import { s3Settings, s3Store } from '../../../../framework/storage/s3-store.js';
import { localDirectorySink, type EventSink } from '../sink.js';
import { kafkaSink } from './kafka.js';
import { s3Sink } from './s3.js';

export interface SinkChoice {
  to: string;
  /** local: the staging directory. */
  out: string;
  topic: string;
  /** kafka: host:port list (else KAFKA_BROKERS). */
  brokers?: string | undefined;
  /** s3: bucket (else S3_STAGING_BUCKET, else the project's ingest.bucket) and key prefix. */
  bucket?: string | undefined;
  projectBucket?: string | undefined;
  prefix?: string | undefined;
}

/** The sink and a description of where it writes, for the closing message. */
export async function openEventSink(
  choice: SinkChoice,
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ sink: EventSink; where: string }> {
  const { to, out, topic } = choice;
  switch (to) {
    case 'local':
      return { sink: localDirectorySink(out, { topic }), where: out };
    case 's3': {
      const store = s3Store(s3Settings(env, { bucket: choice.bucket }, choice.projectBucket), choice.prefix ?? '');
      return { sink: s3Sink(store, { topic }), where: store.location };
    }
    case 'kafka': {
      const brokers = brokerList(choice.brokers, env);
      return { sink: kafkaSink({ brokers, topic }), where: `Kafka topic ${topic} at ${brokers.join(',')}` };
    }
    default:
      throw new ConfigError(`--to must be local, s3 or kafka, got "${to}"`);
  }
}
