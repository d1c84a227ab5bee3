/** The kafkajs client both the producer sink and the staging consumer use. */
import { Kafka, logLevel } from 'kafkajs';
import { ConfigError } from '../errors.js';

/** --brokers a:9092,b:9092, else KAFKA_BROKERS (written by scripts/stack/up.sh). */
export function brokerList(flagValue: string | undefined, env: NodeJS.ProcessEnv): string[] {
  const brokers = (flagValue ?? env.KAFKA_BROKERS ?? '')
    .split(',')
    .map((b) => b.trim())
    .filter(Boolean);
  if (!brokers.length)
    throw new ConfigError(
      'no Kafka brokers: pass --brokers host:port[,host:port] or set KAFKA_BROKERS',
      undefined,
      'the local stack writes KAFKA_BROKERS to .stack/stack.env (bash scripts/stack/up.sh)',
    );
  return brokers;
}

/** --topic, else KAFKA_TOPIC, else the project's ingest.topic. */
export function topicName(
  flagValue: string | undefined,
  env: NodeJS.ProcessEnv,
  projectTopic: string | undefined,
): string {
  const topic = flagValue ?? (env.KAFKA_TOPIC || projectTopic);
  if (!topic) throw new ConfigError('no Kafka topic: pass --topic, set KAFKA_TOPIC or ingest.topic in project.yml');
  return topic;
}

/** Rides out a broker restart (about 40 s of exponential backoff) before an operation fails for good. */
export const KAFKA_RETRY = { initialRetryTime: 300, maxRetryTime: 10_000, retries: 8 };

/** kafkajs logs warnings and errors to stderr. */
export function kafkaClient(brokers: string[], clientId: string, level: logLevel = logLevel.WARN): Kafka {
  return new Kafka({
    clientId,
    brokers,
    logLevel: level,
    retry: KAFKA_RETRY,
  });
}
