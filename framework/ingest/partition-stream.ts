/**
 * One topic-partition's way from records to committed offsets. Records fill the open
 * window, which is cut where the records say (rotation.ts); a cut hands the window to a
 * strictly ordered chain that writes its files and then commits the offset after its last
 * record. A window is written only after every earlier window of the partition is
 * committed, so every file starts at an offset that was committed before it was written: a
 * consumer restarted from the committed offset rebuilds the same windows, hence the same
 * objects byte for byte (docs/ingestion.md).
 */
import { forEachLimited } from '../for-each-limited.js';
import { PartitionWindow, type StagedFile } from './partition-window.js';
import { rotationByRecordTime, rotationBySize, type RotationLimits } from './rotation.js';

/** A record read from the partition: its staged line, its bucket and its Kafka timestamp. */
export interface ReadRecord {
  line: Buffer;
  bucket: number;
  timestamp: number;
}

export interface StreamIo {
  /** Writes one file durably (resolves only once it is stored). */
  write(partition: number, file: StagedFile): Promise<void>;
  /**
   * Commits `offset` for the partition. False when the group would not take it
   * (rebalancing): nothing after the last committed offset may then be written.
   */
  commit(partition: number, offset: number): Promise<boolean>;
  /** Makes the consumer read the partition again from `offset`. */
  rewind(partition: number, offset: number): void;
  /** A write or commit failed for good: the run must stop. */
  failed(error: unknown): void;
}

/** Files of one window written at once (per partition). */
const WRITE_CONCURRENCY = 8;

export class PartitionStream {
  private window = new PartitionWindow();
  /** Cut windows not yet committed (or skipped), oldest first. */
  private readonly chain: Promise<void>[] = [];
  /** Offset of the first record this stream took. */
  private firstOffset: number | undefined;
  /** Offset after the last record taken: a rejoin re-delivers from the committed offset, and those records are already here. */
  next: number | undefined;
  /** Last offset this stream committed. */
  private committed: number | undefined;
  /** Set when a commit was refused or failed: later windows are never written, and the partition is read again from `committed`. */
  halted = false;

  constructor(
    readonly partition: number,
    private readonly io: StreamIo,
  ) {}

  get open(): PartitionWindow {
    return this.window;
  }

  accepts(offset: number): boolean {
    return !this.halted && (this.next === undefined || offset >= this.next);
  }

  /**
   * Takes the record at `offset` (undefined: a flush marker, which closes the window): cuts
   * before a record past the window's record time and after one that fills a file or the
   * window. `now` only tells a quiet window's age, for asking a marker.
   */
  take(offset: number, record: ReadRecord | undefined, limits: RotationLimits, now: number): void {
    this.firstOffset ??= offset;
    this.next = offset + 1;
    if (!record) {
      this.window.skip(offset);
      this.cut();
      return;
    }
    if (rotationByRecordTime(this.window, record.timestamp, limits)) this.cut();
    this.window.add(offset, record.bucket, record.line, record.timestamp, now);
    if (rotationBySize(this.window, limits)) this.cut();
  }

  /** Closes the open window (if it took anything) and queues it behind the earlier ones. */
  cut(): void {
    if (!this.window.taken) return;
    const window = this.window;
    this.window = new PartitionWindow();
    const previous = this.chain.at(-1) ?? Promise.resolve();
    const done = previous.then(() => this.store(window));
    this.chain.push(done);
    void done.then(() => this.chain.splice(this.chain.indexOf(done), 1));
  }

  /** Waits while `max` windows are queued: bounds memory when writes are slower than reads. */
  async room(max: number): Promise<void> {
    while (this.chain.length >= max) await this.chain[0];
  }

  /** Resolves once every cut window is written and committed (or skipped). */
  async drained(): Promise<void> {
    while (this.chain.length > 0) await this.chain.at(-1);
  }

  /** Stops writing: queued windows are dropped (their records are read again by whoever owns the partition next). */
  halt(): void {
    this.halted = true;
  }

  /** Never rejects: failures halt the stream and are reported through `io.failed`. */
  private async store(window: PartitionWindow): Promise<void> {
    if (this.halted) return;
    try {
      await forEachLimited(window.files(), WRITE_CONCURRENCY, (file) => this.io.write(this.partition, file));
      // Halted meanwhile (partition handed to another member, or the run failing): its owner commits, not us.
      if (this.halted) return;
      if (await this.io.commit(this.partition, window.endOffset)) {
        this.committed = window.endOffset;
        return;
      }
      this.halted = true;
      this.io.rewind(this.partition, this.committed ?? this.firstOffset!);
    } catch (error) {
      this.halted = true;
      this.io.failed(error);
    }
  }
}
