/**
 * An EventSink that produces every generated line to a Kafka topic, keyed by user_id
 * (Kafka's default partitioner then puts one user's events in one partition, as the
 * generator's own partitioning assumes). Lines are sent in batches with acks=all by an
 * idempotent producer; one batch is on the wire while the next fills, and write()
 * returns the in-flight send so the generator waits when Kafka is the slower side.
 * kafkajs logs errors only: limiting an idempotent producer's retries logs a warning
 * we accept, and a failed send is reported by the sink itself.
 */
import { Partitioners, logLevel, type Message, type Producer } from 'kafkajs';
import { ExecutionError } from '../../../../framework/errors.js';
import { KAFKA_RETRY, kafkaClient } from '../../../../framework/ingest/kafka-client.js';
import type { EventSink, SinkStats } from '../sink.js';

export interface KafkaSinkOptions {
  brokers: string[];
  topic: string;
}

/** Messages per send: few enough sends to keep the producer busy, small enough to keep memory flat. */
const BATCH_MESSAGES = 3_000;
/**
 * Characters of values per send (≈ bytes: the lines are mostly ASCII). kafkajs sends one
 * record batch per partition and does not split it, and the broker refuses batches over
 * message.max.bytes (1 MiB by default), so a send stays below that even when the topic
 * has a single partition.
 */
const MAX_BATCH_BYTES = 768 * 1024;

/** The user_id of a generated line; the generator writes it near the start, before any nested object. */
export function userIdOf(line: string): string | null {
  const start = line.indexOf('"user_id":"');
  if (start < 0) return null;
  const from = start + 11;
  const end = line.indexOf('"', from);
  return end < 0 ? null : line.slice(from, end);
}

class KafkaSink implements EventSink {
  private batch: Message[] = [];
  private batchBytes = 0;
  /** The last send queued; undefined until the first batch, which also connects (so a run that fails before writing opens nothing). */
  private sending: Promise<void> | undefined;
  private readonly stats: SinkStats = { lines: 0, files: 0, bytes: 0 };

  constructor(
    private readonly producer: Producer,
    private readonly options: KafkaSinkOptions,
  ) {}

  write(line: string): void | Promise<void> {
    this.batch.push({ key: userIdOf(line), value: line });
    this.batchBytes += line.length;
    this.stats.lines++;
    this.stats.bytes += line.length + 1;
    if (this.batch.length >= BATCH_MESSAGES || this.batchBytes >= MAX_BATCH_BYTES) return this.send();
  }

  async close(): Promise<SinkStats> {
    if (this.batch.length) void this.send();
    await this.sending;
    await this.producer.disconnect();
    return { ...this.stats };
  }

  /** Queues the filled batch behind the one in flight and returns the one in flight. */
  private send(): Promise<void> {
    const messages = this.batch;
    this.batch = [];
    this.batchBytes = 0;
    const previous = this.sending ?? this.deliver(() => this.producer.connect(), 'connecting to');
    this.sending = previous.then(() =>
      this.deliver(() => this.producer.send({ topic: this.options.topic, acks: -1, messages }), 'producing to'),
    );
    this.sending.catch(() => {}); // observed by the next write() or by close()
    return previous;
  }

  private async deliver(action: () => Promise<unknown>, what: string): Promise<void> {
    try {
      await action();
    } catch (error) {
      // Nothing else closes the producer once the generator stops on this error.
      await this.producer.disconnect().catch(() => {});
      const { topic, brokers } = this.options;
      throw new ExecutionError(
        `${what} Kafka topic ${topic} at ${brokers.join(',')} failed: ${(error as Error).message}`,
      );
    }
  }
}

export function kafkaSink(options: KafkaSinkOptions): EventSink {
  const producer = kafkaClient(options.brokers, 'framework-generate', logLevel.ERROR).producer({
    idempotent: true,
    maxInFlightRequests: 1,
    createPartitioner: Partitioners.DefaultPartitioner,
    // An idempotent producer retries forever unless told otherwise; a dead broker must end the run.
    retry: KAFKA_RETRY,
  });
  return new KafkaSink(producer, options);
}
