/**
 * `framework ingest kafka`: a kafkajs consumer group that stages a topic's records as
 * JSON-lines files in the layout of spec §2 (what the original's Kafka Connect S3 sink
 * wrote), committing offsets only after the files holding the records are stored.
 *
 * This module is the consumer loop: batches in, commits out, rebalances, --until-idle and a
 * requested stop. The windows per partition and their flush markers are partition-streams.ts,
 * what is written and committed when is partition-stream.ts, counts and the progress line are
 * staging-progress.ts; signals and exit codes are the CLI's (cli/commands/ingest.ts).
 * docs/ingestion.md has the argument.
 */
import { Partitioners, type Admin, type Consumer, type EachBatchPayload } from 'kafkajs';
import { ExecutionError } from '../errors.js';
import type { ObjectStore } from '../storage/object-store.js';
import { ConfirmedCommits } from './confirmed-commits.js';
import { FlushMarkers } from './flush-marker.js';
import { KAFKA_RETRY, kafkaClient } from './kafka-client.js';
import { parseOffset, totalLag, type PartitionOffsets } from './offsets.js';
import type { StreamIo } from './partition-stream.js';
import { PartitionStreams } from './partition-streams.js';
import { fileBody } from './partition-window.js';
import type { RotationLimits } from './rotation.js';
import type { RecordLayout } from './staged-record.js';
import { stagingKey } from './staging-key.js';
import { StagingProgress, type Report, type StagingSummary } from './staging-progress.js';

export interface StagingSettings {
  brokers: string[];
  topic: string;
  groupId: string;
  /** Which bucket a record is staged in (the project's ingest: block). */
  layout: RecordLayout;
  limits: RotationLimits;
  /** Stop once no record arrived for this long and the group's lag is 0; undefined: run until a signal. */
  untilIdleMs: number | undefined;
  sessionTimeoutMs: number;
  progressMs: number;
  /** Aborted to stop (its reason, e.g. the signal's name, is reported): open windows are flushed and committed first. */
  stop?: AbortSignal;
}

type StopReason = 'idle' | 'signal' | 'fatal';

const TICK_MS = 1_000;
/** How long a stop waits for its flush markers to come back; past it, the open windows are simply read again next time. */
const MARKER_WAIT_MS = 30_000;
/** Crashes kafkajs may restart from (each after its own retries) before a join succeeds again. */
const MAX_RESTARTS_WITHOUT_JOIN = 3;

export function runKafkaStaging(
  settings: StagingSettings,
  store: ObjectStore,
  report: Report,
): Promise<StagingSummary> {
  return new KafkaStaging(settings, store, report).run();
}

class KafkaStaging {
  private readonly consumer: Consumer;
  private readonly admin: Admin;
  private readonly markers: FlushMarkers;
  private readonly streams: PartitionStreams;
  private readonly progress: StagingProgress;
  private joinedOnce = false;
  private restartsWithoutJoin = 0;
  private batch: Promise<void> | undefined;
  private checkingIdle = false;
  /** A stop was asked (idle, signal): no more idle checks or markers for quiet partitions. */
  private closing = false;
  /** Reading stopped. */
  private stopping = false;
  private fatal: unknown;
  private requestStop!: (reason: StopReason) => void;
  private readonly stopRequested = new Promise<StopReason>((resolve) => (this.requestStop = resolve));

  constructor(
    private readonly settings: StagingSettings,
    private readonly store: ObjectStore,
    private readonly report: Report,
  ) {
    const kafka = kafkaClient(settings.brokers, 'framework-ingest');
    this.admin = kafka.admin();
    // Markers name their partition: the partitioner is never asked (given only to silence kafkajs's warning about its default).
    this.markers = new FlushMarkers(
      kafka.producer({ allowAutoTopicCreation: false, createPartitioner: Partitioners.DefaultPartitioner }),
      settings.topic,
    );
    this.consumer = kafka.consumer({
      groupId: settings.groupId,
      sessionTimeout: settings.sessionTimeoutMs,
      heartbeatInterval: Math.min(3_000, Math.floor(settings.sessionTimeoutMs / 3)),
      maxWaitTimeInMs: 1_000,
      allowAutoTopicCreation: false,
      // Never restarted once stopping: a consumer restarted after the final disconnect would keep the process alive.
      retry: {
        ...KAFKA_RETRY,
        restartOnFailure: async () => !this.stopping && ++this.restartsWithoutJoin <= MAX_RESTARTS_WITHOUT_JOIN,
      },
    });
    const markers: Pick<FlushMarkers, 'ask'> = {
      ask: (open) =>
        this.markers.ask(open).catch((error: Error) => {
          report(`appending flush markers to ${settings.topic} failed (will retry): ${error.message}`, {
            event: 'flush_marker_failed',
          });
          throw error;
        }),
    };
    this.streams = new PartitionStreams(
      this.storeAndCommit(new ConfirmedCommits(this.consumer, settings.topic)),
      markers,
      settings.limits,
      settings.layout,
    );
    this.progress = new StagingProgress(report, {
      stopped: () => this.stopping,
      lag: async () => totalLag(await this.partitionOffsets(), this.streams.positions()),
      partitions: () => this.streams.assigned,
    });
  }

  async run(): Promise<StagingSummary> {
    const { consumer, settings } = this;
    const where = `Kafka at ${settings.brokers.join(',')}`;
    try {
      await this.admin.connect();
      await this.admin.fetchTopicMetadata({ topics: [settings.topic] });
    } catch (error) {
      await this.admin.disconnect().catch(() => {});
      throw new ExecutionError(`${where}, topic ${settings.topic}: ${(error as Error).message}`);
    }
    consumer.on(consumer.events.GROUP_JOIN, ({ payload }) =>
      this.joined(payload.memberAssignment[settings.topic] ?? []),
    );
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      if (!payload.restart) this.fail(new ExecutionError(`${where}: the consumer stopped: ${payload.error.message}`));
    });
    const removeStopListener = this.onStop(settings.stop);
    const timers = [
      setInterval(() => this.tick(), TICK_MS),
      setInterval(() => void this.progress.line(), settings.progressMs),
    ];
    try {
      await consumer.connect();
      await consumer.subscribe({ topics: [settings.topic], fromBeginning: true });
      await consumer.run({ autoCommit: false, eachBatch: (payload) => this.onBatch(payload) });
      this.report(`staging ${settings.topic} (group ${settings.groupId}) from ${where} to ${this.store.location}`, {
        event: 'ingest_start',
        topic: settings.topic,
        group: settings.groupId,
      });
      const reason = await this.stopRequested;
      await this.shutdown(reason !== 'fatal');
    } catch (error) {
      this.fail(error instanceof ExecutionError ? error : new ExecutionError(`${where}: ${(error as Error).message}`));
    } finally {
      timers.forEach(clearInterval);
      removeStopListener();
      await consumer.disconnect().catch(() => {});
      await this.markers.disconnect().catch(() => {});
      await this.admin.disconnect().catch(() => {});
      this.store.close();
    }
    if (this.fatal) throw this.fatal;
    return this.progress.summary((await this.stopRequested) as 'idle' | 'signal');
  }

  /** A cut window's way out: its files into the store, then its offset to the broker. */
  private storeAndCommit(commits: ConfirmedCommits): StreamIo {
    const { topic, layout } = this.settings;
    return {
      write: async (partition, file) => {
        const body = fileBody(file.lines);
        await this.store.put(stagingKey(topic, partition, file.bucket, file.startOffset, layout), body);
        this.progress.fileWritten(body.length);
      },
      commit: async (partition, offset) => {
        if (!(await commits.commit(partition, offset))) {
          this.report(
            `commit of ${topic}[${partition}] at ${offset} not taken (rebalance, broker unreachable or consumer restart): reading the partition again from its committed offset`,
            { event: 'commit_refused', partition, offset },
          );
          return false;
        }
        this.progress.committed(Date.now());
        return true;
      },
      rewind: (partition, offset) => {
        try {
          this.consumer.seek({ topic, partition, offset: String(offset) });
        } catch {
          // Not running (kafkajs is restarting the consumer): its rejoin reads from the committed offset anyway.
        }
      },
      failed: (error) => this.fail(error),
    };
  }

  private async onBatch({ batch, heartbeat, isStale }: EachBatchPayload): Promise<void> {
    // A stale batch was fetched before its partition was rewound (seek): its records come again.
    if (this.stopping || isStale()) return;
    const now = Date.now();
    this.progress.recordsRead(this.streams.take(batch.partition, batch.messages, now), now);
    this.batch = this.streams.room(batch.partition);
    try {
      await this.batch;
    } finally {
      this.batch = undefined;
    }
    await heartbeat();
  }

  private joined(partitions: number[]): void {
    this.joinedOnce = true;
    this.restartsWithoutJoin = 0;
    this.streams.assign(partitions);
  }

  private tick(): void {
    if (this.stopping || this.closing) return;
    const now = Date.now();
    this.streams.flushQuiet(now);
    const idleMs = this.settings.untilIdleMs;
    if (idleMs === undefined || this.checkingIdle || !this.joinedOnce || this.progress.quietFor(now) < idleMs) return;
    this.checkingIdle = true;
    this.checkIdle()
      .catch((error) =>
        this.report(`idle check failed (will retry): ${(error as Error).message}`, { event: 'idle_check_failed' }),
      )
      .finally(() => (this.checkingIdle = false));
  }

  /**
   * --until-idle: when this consumer has read up to every high watermark, close the open
   * windows with flush markers (read back by later checks, which then see no open window);
   * with none open, wait for the writes and stop if the group's committed offsets reach the
   * high watermarks (lag 0). Records arriving meanwhile just make a later check try again.
   */
  private async checkIdle(): Promise<void> {
    if (totalLag(await this.partitionOffsets(), this.streams.positions()) > 0) return;
    const open = this.streams.openWindows();
    if (open.length) {
      this.progress.finalFlush(Date.now());
      await this.streams.askMarkers(open);
      return;
    }
    await this.streams.drain();
    if (!this.closing && totalLag(await this.partitionOffsets()) === 0) {
      this.closing = true;
      this.requestStop('idle');
    }
  }

  private async partitionOffsets(): Promise<PartitionOffsets[]> {
    const { topic, groupId } = this.settings;
    const [topicOffsets, groupOffsets] = await Promise.all([
      this.admin.fetchTopicOffsets(topic),
      this.admin.fetchOffsets({ groupId, topics: [topic] }),
    ]);
    const committed = new Map(
      (groupOffsets.find((t) => t.topic === topic)?.partitions ?? []).map((p) => [p.partition, parseOffset(p.offset)]),
    );
    return topicOffsets.map((p) => ({
      partition: p.partition,
      low: Number(p.low),
      high: Number(p.high),
      committed: committed.get(p.partition),
    }));
  }

  /** The caller asked to stop (a signal, in the CLI): close the open windows, commit, return. */
  private onStop(signal: AbortSignal | undefined): () => void {
    if (!signal) return () => {};
    const stop = (): void => {
      this.report(`${String(signal.reason ?? 'stop')}: flushing open files and committing`, {
        event: 'signal',
        signal: String(signal.reason ?? 'stop'),
      });
      this.closing = true;
      this.requestStop('signal');
    };
    if (signal.aborted) stop();
    else signal.addEventListener('abort', stop, { once: true });
    return () => signal.removeEventListener('abort', stop);
  }

  private fail(error: unknown): void {
    if (this.fatal) return;
    this.fatal = error;
    this.stopping = this.closing = true;
    this.streams.haltAll();
    this.requestStop('fatal');
  }

  /** Unless failing, close every open window with a flush marker; then stop reading, let the batch in hand finish, and write and commit every closed window. */
  private async shutdown(flush: boolean): Promise<void> {
    if (flush) await this.closeOpenWindows();
    this.stopping = true;
    this.pause();
    await this.batch;
    await this.streams.drain();
  }

  /** A flush marker into every partition with an open window, reading on until each of those windows is cut. */
  private async closeOpenWindows(): Promise<void> {
    const open = this.streams.openWindows();
    if (!open.length) return;
    this.progress.finalFlush(Date.now());
    await this.streams.askMarkers(open).catch(() => {});
    const deadline = Date.now() + MARKER_WAIT_MS;
    while (!this.streams.allCut(open) && !this.fatal && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 50));
  }

  /** kafkajs refuses pause while it restarts its consumer; a restarted consumer reads nothing once stopping anyway. */
  private pause(): void {
    try {
      this.consumer.pause([{ topic: this.settings.topic }]);
    } catch {
      // not running
    }
  }
}
