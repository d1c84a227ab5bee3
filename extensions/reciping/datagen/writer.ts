/**
 * Hands lines to the sink in time order. Events arrive already sorted; the lines made
 * out of order (re-deliveries, malformed copies, events of the next slice) wait in a
 * small sorted queue until their time comes.
 */
import { bucketIndex, stagingBucket, type StagingBucket } from './layout.js';
import type { EventSink } from './sink.js';

/** A line made out of order (a re-delivery, a malformed copy, an event of the next slice), waiting for its time. */
interface PendingLine {
  time: number;
  partition: number;
  line: string;
}

/** Lines waiting to be written, kept sorted by time; equal times keep insertion order. */
export class PendingLines {
  private readonly lines: PendingLine[] = [];

  add(pending: PendingLine): void {
    let i = this.lines.length;
    while (i > 0 && this.lines[i - 1].time > pending.time) i--;
    this.lines.splice(i, 0, pending);
  }

  /** True when a line is due before `limit`. */
  due(limit: number): boolean {
    return this.lines.length > 0 && this.lines[0].time < limit;
  }

  take(): PendingLine {
    return this.lines.shift()!;
  }
}

/** Hands lines to the sink in time order, with one bucket object per bucket and partition. */
export class StagingWriter {
  lines = 0;
  private bucket = NaN;
  private buckets: StagingBucket[] = [];

  constructor(
    private readonly sink: EventSink,
    private readonly topic: string,
  ) {}

  write(time: number, partition: number, line: string): void | Promise<void> {
    const index = bucketIndex(time);
    if (index !== this.bucket) {
      this.bucket = index;
      this.buckets = [];
    }
    this.lines++;
    return this.sink.write(line, (this.buckets[partition] ??= stagingBucket(this.topic, partition, index)));
  }

  /** Writes the pending lines due before `limit`. */
  async drain(pending: PendingLines, limit: number): Promise<void> {
    while (pending.due(limit)) {
      const { time, partition, line } = pending.take();
      const wait = this.write(time, partition, line);
      if (wait !== undefined) await wait;
    }
  }
}
