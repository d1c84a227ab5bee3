/**
 * One topic-partition's way from records to committed offsets. Records fill the open
 * window; a cut hands the window to a strictly ordered chain that writes its files and
 * then commits the offset after its last record. A window is written only after every
 * earlier window of the partition is committed, so every file starts at an offset that
 * was committed before it was written: a consumer restarted from the committed offset
 * rebuilds the same first records, hence the same file names (docs/ingestion.md).
 */
import { forEachLimited } from './for-each-limited.js';
import { PartitionWindow, type StagedFile } from './partition-window.js';

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

  add(offset: number, bucket: number, line: Buffer, now: number): void {
    this.firstOffset ??= offset;
    this.window.add(offset, bucket, line, now);
    this.next = offset + 1;
  }

  /** Closes the open window (if it holds anything) and queues it behind the earlier ones. */
  cut(): void {
    if (this.window.records === 0) return;
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
