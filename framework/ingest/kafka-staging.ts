/**
 * `framework ingest kafka`: a kafkajs consumer group that stages a topic's records as
 * JSON-lines files in the layout of spec §2 (what the original's Kafka Connect S3 sink
 * wrote), committing offsets only after the files holding the records are stored.
 *
 * Per partition, a PartitionStream collects records into one file per 15-minute bucket
 * and cuts the window where the records say (flush-size, memory, record time, a flush
 * marker); each cut writes and then commits (partition-stream.ts). This module wires that
 * to kafkajs: batches in, commits out, flush markers for quiet partitions, rebalances,
 * --until-idle, a requested stop and progress (signals are the CLI's: cli/commands/ingest.ts).
 * docs/ingestion.md has the argument.
 */
import { Partitioners, type Admin, type Batch, type Consumer, type EachBatchPayload } from 'kafkajs';
import { ExecutionError } from '../errors.js';
import { KAFKA_RETRY, kafkaClient } from './kafka-client.js';
import type { ObjectStore } from '../storage/object-store.js';
import { FlushMarkers, isFlushMarker } from './flush-marker.js';
import { parseOffset, totalLag, type PartitionOffsets } from './offsets.js';
import { PartitionStream, type StreamIo } from './partition-stream.js';
import { fileBody } from './partition-window.js';
import { quietTooLong, type RotationLimits } from './rotation.js';
import { recordBucket, stagedLine, type RecordLayout } from './staged-record.js';
import { stagingKey } from './staging-key.js';

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

export interface StagingSummary {
  stoppedBy: 'idle' | 'signal';
  records: number;
  files: number;
  bytes: number;
  commits: number;
  /** When the last commit the broker confirmed was made (epoch ms), null when none was. */
  lastCommitAt: number | null;
  /** From the first record to the last one read, plus the final flush: the run without start-up and idle waits. */
  activeSeconds: number;
}

export type Report = (message: string, fields: Record<string, unknown>) => void;

type StopReason = 'idle' | 'signal' | 'fatal';

/** Windows per partition queued for writing before reading waits (each ≤ flush-size records per file). */
const MAX_PENDING_WINDOWS = 2;
const TICK_MS = 1_000;
/** How long a stop waits for its flush markers to come back; past it, the open windows are simply read again next time. */
const MARKER_WAIT_MS = 30_000;
/** Crashes kafkajs may restart from (each after its own retries) before a join succeeds again. */
const MAX_RESTARTS_WITHOUT_JOIN = 3;
/** Errors meaning "this member's generation is gone": the commit is refused, the partition read again. */
const REBALANCE_ERRORS = new Set(['REBALANCE_IN_PROGRESS', 'ILLEGAL_GENERATION', 'UNKNOWN_MEMBER_ID', 'FENCED_INSTANCE_ID']);

export function runKafkaStaging(settings: StagingSettings, store: ObjectStore, report: Report): Promise<StagingSummary> {
  return new KafkaStaging(settings, store, report).run();
}

/**
 * Whether a failed commit only means "not now": the group is rebalancing, or the broker
 * is unreachable or moving its coordinator (kafkajs gave up retrying a retriable error).
 * Anything else (authorization, a malformed request) cannot succeed by trying again.
 */
function commitNotNow(error: unknown): boolean {
  const e = error as { type?: string; retriable?: boolean; cause?: { type?: string; retriable?: boolean } };
  return REBALANCE_ERRORS.has(e.type ?? e.cause?.type ?? '') || Boolean(e.retriable || e.cause?.retriable);
}

class KafkaStaging {
  private readonly consumer: Consumer;
  private readonly admin: Admin;
  private readonly markers: FlushMarkers;
  private readonly streams = new Map<number, PartitionStream>();
  /** Streams replaced after a halt or a lost partition, still finishing a write. */
  private readonly retired = new Set<PartitionStream>();
  /** Offsets kafkajs reported as committed (its COMMIT_OFFSETS event), by partition. */
  private readonly confirmed = new Map<number, number>();
  private joinedOnce = false;
  /** This member's partitions since its last join. */
  private assigned: number[] = [];
  /** Between kafkajs's GROUP_JOIN and STOP events: commits can be made. */
  private running = false;
  private restartsWithoutJoin = 0;
  private readonly stats = { records: 0, files: 0, bytes: 0, commits: 0 };
  private readonly startedAt = Date.now();
  private firstRecordAt: number | undefined;
  private lastRecordAt: number | undefined;
  private lastCommitAt: number | undefined;
  /** When the last flush of everything open began (--until-idle or a signal). */
  private finalFlushAt: number | undefined;
  private batch: Promise<void> | undefined;
  private checkingIdle = false;
  /** A progress line is being made (its admin calls can take long while the broker is down). */
  private progressing = false;
  private lastProgress = { at: Date.now(), records: 0 };
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
    this.markers = new FlushMarkers(kafka.producer({ allowAutoTopicCreation: false, createPartitioner: Partitioners.DefaultPartitioner }), settings.topic);
    this.consumer = kafka.consumer({
      groupId: settings.groupId,
      sessionTimeout: settings.sessionTimeoutMs,
      heartbeatInterval: Math.min(3_000, Math.floor(settings.sessionTimeoutMs / 3)),
      maxWaitTimeInMs: 1_000,
      allowAutoTopicCreation: false,
      // Never restarted once stopping: a consumer restarted after the final disconnect would keep the process alive.
      retry: { ...KAFKA_RETRY, restartOnFailure: async () => !this.stopping && ++this.restartsWithoutJoin <= MAX_RESTARTS_WITHOUT_JOIN },
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
    consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => this.joined(payload.memberAssignment[settings.topic] ?? []));
    consumer.on(consumer.events.COMMIT_OFFSETS, ({ payload }) => {
      for (const { topic, partitions } of payload.topics) {
        if (topic === settings.topic) for (const { partition, offset } of partitions) this.confirmed.set(partition, Number(offset));
      }
    });
    consumer.on(consumer.events.STOP, () => (this.running = false));
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      if (!payload.restart) this.fail(new ExecutionError(`${where}: the consumer stopped: ${payload.error.message}`));
    });
    const removeStopListener = this.onStop(settings.stop);
    const timers = [setInterval(() => this.tick(), TICK_MS), setInterval(() => void this.progress(), settings.progressMs)];
    try {
      await consumer.connect();
      await consumer.subscribe({ topics: [settings.topic], fromBeginning: true });
      await consumer.run({ autoCommit: false, eachBatch: (payload) => this.onBatch(payload) });
      this.report(`staging ${settings.topic} (group ${settings.groupId}) from ${where} to ${this.store.location}`, { event: 'ingest_start', topic: settings.topic, group: settings.groupId });
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
    return this.summary((await this.stopRequested) as 'idle' | 'signal');
  }

  private readonly io: StreamIo = {
    write: async (partition, file) => {
      const body = fileBody(file.lines);
      await this.store.put(stagingKey(this.settings.topic, partition, file.bucket, file.startOffset, this.settings.layout), body);
      this.stats.files++;
      this.stats.bytes += body.length;
    },
    commit: async (partition, offset) => {
      const { topic } = this.settings;
      this.confirmed.delete(partition);
      try {
        await this.consumer.commitOffsets([{ topic, partition, offset: String(offset) }]);
      } catch (error) {
        // Not taken now (or kafkajs is restarting its consumer after a crash): the partition is read again from its committed offset.
        if (this.running && !commitNotNow(error)) {
          throw new ExecutionError(`committing offset ${offset} of ${topic}[${partition}] failed: ${(error as Error).message}`);
        }
      }
      // kafkajs skips a commit without an error while its consumer stops: trust only the broker's answer.
      if (this.confirmed.get(partition) !== offset) {
        this.report(`commit of ${topic}[${partition}] at ${offset} not taken (rebalance, broker unreachable or consumer restart): reading the partition again from its committed offset`, { event: 'commit_refused', partition, offset });
        return false;
      }
      this.stats.commits++;
      this.lastCommitAt = Date.now();
      return true;
    },
    rewind: (partition, offset) => {
      try {
        this.consumer.seek({ topic: this.settings.topic, partition, offset: String(offset) });
      } catch {
        // Not running (kafkajs is restarting the consumer): its rejoin reads from the committed offset anyway.
      }
    },
    failed: (error) => this.fail(error),
  };

  private async onBatch({ batch, heartbeat, isStale }: EachBatchPayload): Promise<void> {
    // A stale batch was fetched before its partition was rewound (seek): its records come again.
    if (this.stopping || isStale()) return;
    this.batch = this.consume(batch);
    try {
      await this.batch;
    } finally {
      this.batch = undefined;
    }
    await heartbeat();
  }

  private async consume(batch: Batch): Promise<void> {
    const { limits } = this.settings;
    const stream = this.stream(batch.partition);
    const now = Date.now();
    let taken = 0;
    for (const message of batch.messages) {
      const offset = Number(message.offset);
      if (!stream.accepts(offset)) continue;
      if (isFlushMarker(message.headers)) {
        stream.take(offset, undefined, limits, now);
        continue;
      }
      const line = stagedLine(message.value);
      const timestamp = Number(message.timestamp);
      stream.take(offset, { line, bucket: recordBucket(line, timestamp, this.settings.layout), timestamp }, limits, now);
      taken++;
    }
    if (taken > 0) {
      this.stats.records += taken;
      this.firstRecordAt ??= now;
      this.lastRecordAt = now;
    }
    await stream.room(MAX_PENDING_WINDOWS);
  }

  /** The partition's stream; a halted one is replaced, its records now arriving again from the committed offset. */
  private stream(partition: number): PartitionStream {
    const current = this.streams.get(partition);
    if (current && !current.halted) return current;
    if (current) this.retire(current);
    const fresh = new PartitionStream(partition, this.io);
    this.streams.set(partition, fresh);
    return fresh;
  }

  private retire(stream: PartitionStream): void {
    stream.halt();
    this.retired.add(stream);
    void stream.drained().then(() => this.retired.delete(stream));
  }

  /**
   * After every (re)join kafkajs reads each assigned partition from the group's committed
   * offset: kept streams skip what they already hold; streams of partitions now owned by
   * another member stop (that member reads them from the committed offset).
   */
  private joined(partitions: number[]): void {
    this.joinedOnce = this.running = true;
    this.restartsWithoutJoin = 0;
    this.assigned = [...partitions].sort((a, b) => a - b);
    const assigned = new Set(partitions);
    for (const [partition, stream] of this.streams) {
      if (assigned.has(partition)) continue;
      this.streams.delete(partition);
      this.retire(stream);
    }
  }

  private tick(): void {
    if (this.stopping || this.closing) return;
    const now = Date.now();
    const quiet = [...this.streams.values()].filter((stream) => quietTooLong(stream.open, now, this.settings.limits));
    if (quiet.length) void this.askMarkers(quiet).catch(() => {});
    const idleMs = this.settings.untilIdleMs;
    if (idleMs === undefined || this.checkingIdle || !this.joinedOnce || now - (this.lastRecordAt ?? this.startedAt) < idleMs) return;
    this.checkingIdle = true;
    this.checkIdle()
      .catch((error) => this.report(`idle check failed (will retry): ${(error as Error).message}`, { event: 'idle_check_failed' }))
      .finally(() => (this.checkingIdle = false));
  }

  /**
   * --until-idle: when this consumer has read up to every high watermark, close the open
   * windows with flush markers (read back by later checks, which then see no open window);
   * with none open, wait for the writes and stop if the group's committed offsets reach the
   * high watermarks (lag 0). Records arriving meanwhile just make a later check try again.
   */
  private async checkIdle(): Promise<void> {
    if (totalLag(await this.partitionOffsets(), this.positions()) > 0) return;
    const open = [...this.streams.values()].filter((stream) => stream.open.records > 0);
    if (open.length) {
      this.finalFlushAt = Date.now();
      await this.askMarkers(open);
      return;
    }
    await this.drain();
    if (!this.closing && totalLag(await this.partitionOffsets()) === 0) {
      this.closing = true;
      this.requestStop('idle');
    }
  }

  /** A flush marker for each open window not asked for yet; a failure is reported, and the windows asked again later. */
  private async askMarkers(streams: PartitionStream[]): Promise<Map<number, number>> {
    try {
      return await this.markers.ask(streams.map((stream) => ({ partition: stream.partition, window: stream.open })));
    } catch (error) {
      this.report(`appending flush markers to ${this.settings.topic} failed (will retry): ${(error as Error).message}`, { event: 'flush_marker_failed' });
      throw error;
    }
  }

  private async partitionOffsets(): Promise<PartitionOffsets[]> {
    const { topic, groupId } = this.settings;
    const [topicOffsets, groupOffsets] = await Promise.all([this.admin.fetchTopicOffsets(topic), this.admin.fetchOffsets({ groupId, topics: [topic] })]);
    const committed = new Map((groupOffsets.find((t) => t.topic === topic)?.partitions ?? []).map((p) => [p.partition, parseOffset(p.offset)]));
    return topicOffsets.map((p) => ({ partition: p.partition, low: Number(p.low), high: Number(p.high), committed: committed.get(p.partition) }));
  }

  /** This consumer's read position per partition it reads. */
  private positions(): Map<number, number> {
    const positions = new Map<number, number>();
    for (const [partition, stream] of this.streams) if (stream.next !== undefined) positions.set(partition, stream.next);
    return positions;
  }

  private async progress(): Promise<void> {
    if (this.stopping || this.progressing) return;
    this.progressing = true;
    try {
      await this.reportProgress();
    } finally {
      this.progressing = false;
    }
  }

  private async reportProgress(): Promise<void> {
    const now = Date.now();
    const { records, files, commits } = this.stats;
    const rate = Math.round(((records - this.lastProgress.records) * 1000) / Math.max(1, now - this.lastProgress.at));
    this.lastProgress = { at: now, records };
    const lag = await this.partitionOffsets().then((offsets) => totalLag(offsets, this.positions()), () => undefined);
    if (this.stopping) return;
    this.report(`${records} records (${rate}/s), lag ${lag ?? '? (Kafka not answering)'}, ${files} files written, ${commits} commits`, {
      event: 'progress', records, eventsPerSecond: rate, lag: lag ?? null, files, commits, partitions: this.assigned, lastCommitAt: this.lastCommitAt ?? null,
    });
  }

  /** The caller asked to stop (a signal, in the CLI): close the open windows, commit, return. */
  private onStop(signal: AbortSignal | undefined): () => void {
    if (!signal) return () => {};
    const stop = (): void => {
      this.report(`${String(signal.reason ?? 'stop')}: flushing open files and committing`, { event: 'signal', signal: String(signal.reason ?? 'stop') });
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
    for (const stream of this.streams.values()) stream.halt();
    this.requestStop('fatal');
  }

  /** Unless failing, close every open window with a flush marker; then stop reading, let the batch in hand finish, and write and commit every closed window. */
  private async shutdown(flush: boolean): Promise<void> {
    if (flush) await this.closeOpenWindows();
    this.stopping = true;
    this.pause(true);
    await this.batch;
    await this.drain();
  }

  /** A flush marker into every partition with an open window, reading on until each of those windows is cut. */
  private async closeOpenWindows(): Promise<void> {
    const open = [...this.streams.values()].filter((stream) => stream.open.records > 0);
    if (!open.length) return;
    this.finalFlushAt = Date.now();
    await this.askMarkers(open).catch(() => {});
    const windows = new Map(open.map((stream) => [stream, stream.open]));
    const allCut = () => [...windows].every(([stream, window]) => stream.halted || stream.open !== window);
    const deadline = Date.now() + MARKER_WAIT_MS;
    while (!allCut() && !this.fatal && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  }

  /** kafkajs refuses pause/resume while it restarts its consumer; a restarted consumer reads nothing once stopping anyway. */
  private pause(paused: boolean): void {
    const topics = [{ topic: this.settings.topic }];
    try {
      if (paused) this.consumer.pause(topics);
      else this.consumer.resume(topics);
    } catch {
      // not running
    }
  }

  private async drain(): Promise<void> {
    await Promise.all([...this.streams.values(), ...this.retired].map((stream) => stream.drained()));
  }

  private summary(stoppedBy: 'idle' | 'signal'): StagingSummary {
    const { firstRecordAt, lastRecordAt, lastCommitAt, finalFlushAt } = this;
    const readMs = firstRecordAt !== undefined && lastRecordAt !== undefined ? lastRecordAt - firstRecordAt : 0;
    const flushMs = finalFlushAt !== undefined && lastCommitAt !== undefined ? Math.max(0, lastCommitAt - finalFlushAt) : 0;
    return { stoppedBy, ...this.stats, lastCommitAt: lastCommitAt ?? null, activeSeconds: (readMs + flushMs) / 1000 };
  }
}
