/**
 * The consumer's windows, one PartitionStream per partition it reads: which stream takes a
 * partition's records (a halted one is replaced, one of a partition handed to another member is
 * retired), which open windows get a flush marker (quiet ones on a timer; every open one at
 * --until-idle and at a stop) and whether those windows were cut since. Needs no broker: the
 * consumer loop (kafka-staging.ts) hands it messages and assignments, so it is tested alone.
 */
import type { IHeaders } from 'kafkajs';
import { isFlushMarker, type FlushMarkers } from './flush-marker.js';
import { PartitionStream, type StreamIo } from './partition-stream.js';
import type { PartitionWindow } from './partition-window.js';
import { quietTooLong, type RotationLimits } from './rotation.js';
import { recordBucket, stagedLine, type RecordLayout } from './staged-record.js';

/** The parts of a kafkajs message staging reads. */
export interface ReadMessage {
  offset: string;
  timestamp: string;
  value: Buffer | null;
  headers?: IHeaders;
}

/** A partition's window open when a flush was asked: cut once its stream holds another window. */
export interface OpenWindow {
  stream: PartitionStream;
  window: PartitionWindow;
}

/** Windows per partition queued for writing before reading waits (each ≤ flush-size records per file). */
const MAX_PENDING_WINDOWS = 2;

export class PartitionStreams {
  private readonly streams = new Map<number, PartitionStream>();
  /** Streams replaced after a halt or a lost partition, still finishing a write. */
  private readonly retired = new Set<PartitionStream>();
  private owned: number[] = [];

  constructor(
    private readonly io: StreamIo,
    private readonly markers: Pick<FlushMarkers, 'ask'>,
    private readonly limits: RotationLimits,
    private readonly layout: RecordLayout,
  ) {}

  /** This member's partitions since its last join. */
  get assigned(): readonly number[] {
    return this.owned;
  }

  /** Takes one partition's messages (those its stream does not hold yet); returns how many records (not markers) were taken. */
  take(partition: number, messages: readonly ReadMessage[], now: number): number {
    const stream = this.stream(partition);
    let taken = 0;
    for (const message of messages) {
      const offset = Number(message.offset);
      if (!stream.accepts(offset)) continue;
      if (isFlushMarker(message.headers)) {
        stream.take(offset, undefined, this.limits, now);
        continue;
      }
      const line = stagedLine(message.value);
      const timestamp = Number(message.timestamp);
      stream.take(offset, { line, bucket: recordBucket(line, timestamp, this.layout), timestamp }, this.limits, now);
      taken++;
    }
    return taken;
  }

  /** Waits while the partition has too many windows queued for writing: bounds memory when writes are slower than reads. */
  async room(partition: number): Promise<void> {
    await this.streams.get(partition)?.room(MAX_PENDING_WINDOWS);
  }

  /**
   * After every (re)join kafkajs reads each assigned partition from the group's committed
   * offset: kept streams skip what they already hold; streams of partitions now owned by
   * another member stop (that member reads them from the committed offset).
   */
  assign(partitions: readonly number[]): void {
    this.owned = [...partitions].sort((a, b) => a - b);
    const assigned = new Set(partitions);
    for (const [partition, stream] of this.streams) {
      if (assigned.has(partition)) continue;
      this.streams.delete(partition);
      this.retire(stream);
    }
  }

  /** Asks a flush marker for each window open longer than rotate-interval by the clock; a failure is retried at a later call. */
  flushQuiet(now: number): void {
    const quiet = [...this.streams.values()].filter((stream) => quietTooLong(stream.open, now, this.limits));
    if (quiet.length) void this.askMarkers(quiet.map((stream) => ({ stream, window: stream.open }))).catch(() => {});
  }

  /** Every window holding records now. */
  openWindows(): OpenWindow[] {
    return [...this.streams.values()]
      .filter((stream) => stream.open.records > 0)
      .map((stream) => ({ stream, window: stream.open }));
  }

  /** A flush marker for each window not asked for yet (flush-marker.ts asks once per window). */
  async askMarkers(windows: readonly OpenWindow[]): Promise<void> {
    await this.markers.ask(windows.map(({ stream, window }) => ({ partition: stream.partition, window })));
  }

  /** Whether each of these windows was cut (or its stream halted, its records to be read again). */
  allCut(windows: readonly OpenWindow[]): boolean {
    return windows.every(({ stream, window }) => stream.halted || stream.open !== window);
  }

  /** This consumer's read position per partition it reads. */
  positions(): Map<number, number> {
    const positions = new Map<number, number>();
    for (const [partition, stream] of this.streams)
      if (stream.next !== undefined) positions.set(partition, stream.next);
    return positions;
  }

  /** The run is failing: nothing more is written or committed. */
  haltAll(): void {
    for (const stream of this.streams.values()) stream.halt();
  }

  /** Resolves once every cut window is written and committed (or dropped by a halt). */
  async drain(): Promise<void> {
    await Promise.all([...this.streams.values(), ...this.retired].map((stream) => stream.drained()));
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
}
