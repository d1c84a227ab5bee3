/**
 * What a staging run reports about itself: counts of records, files, bytes and commits, the
 * periodic progress line (read by consumer-status.ts into the status file) and the summary
 * at the end. The consumer loop (kafka-staging.ts) tells it what happened; the times it keeps
 * only measure, they never decide where a file is cut.
 */

export type Report = (message: string, fields: Record<string, unknown>) => void;

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

/** What a progress line asks of the consumer when it is made. */
export interface ProgressSource {
  /** Reading stopped: no line is reported any more. */
  stopped(): boolean;
  /** Records behind the high watermarks from this consumer's positions (asks Kafka: slow or failing while the broker is down). */
  lag(): Promise<number>;
  /** This member's partitions since its last join. */
  partitions(): readonly number[];
}

export class StagingProgress {
  readonly counts = { records: 0, files: 0, bytes: 0, commits: 0 };
  private readonly startedAt: number;
  private firstRecordAt: number | undefined;
  private lastRecordAt: number | undefined;
  private lastCommitAt: number | undefined;
  /** When the last flush of everything open began (--until-idle or a stop). */
  private finalFlushAt: number | undefined;
  private lastLine: { at: number; records: number };
  /** A line is being made (its lag query can take long while the broker is down). */
  private making = false;

  constructor(
    private readonly report: Report,
    private readonly source: ProgressSource,
    now = Date.now(),
  ) {
    this.startedAt = now;
    this.lastLine = { at: now, records: 0 };
  }

  recordsRead(records: number, now: number): void {
    if (records === 0) return;
    this.counts.records += records;
    this.firstRecordAt ??= now;
    this.lastRecordAt = now;
  }

  fileWritten(bytes: number): void {
    this.counts.files++;
    this.counts.bytes += bytes;
  }

  committed(now: number): void {
    this.counts.commits++;
    this.lastCommitAt = now;
  }

  finalFlush(now: number): void {
    this.finalFlushAt = now;
  }

  /** How long no record was read (since the start when none was): what --until-idle waits for. */
  quietFor(now: number): number {
    return now - (this.lastRecordAt ?? this.startedAt);
  }

  /** The progress line: records and their rate since the last line, lag, files and commits; one at a time. */
  async line(): Promise<void> {
    if (this.source.stopped() || this.making) return;
    this.making = true;
    try {
      const now = Date.now();
      const { records, files, commits } = this.counts;
      const rate = Math.round(((records - this.lastLine.records) * 1000) / Math.max(1, now - this.lastLine.at));
      this.lastLine = { at: now, records };
      const lag = await this.source.lag().catch(() => undefined);
      if (this.source.stopped()) return;
      this.report(
        `${records} records (${rate}/s), lag ${lag ?? '? (Kafka not answering)'}, ${files} files written, ${commits} commits`,
        {
          event: 'progress',
          records,
          eventsPerSecond: rate,
          lag: lag ?? null,
          files,
          commits,
          partitions: this.source.partitions(),
          lastCommitAt: this.lastCommitAt ?? null,
        },
      );
    } finally {
      this.making = false;
    }
  }

  summary(stoppedBy: StagingSummary['stoppedBy']): StagingSummary {
    const { firstRecordAt, lastRecordAt, lastCommitAt, finalFlushAt } = this;
    const readMs = firstRecordAt !== undefined && lastRecordAt !== undefined ? lastRecordAt - firstRecordAt : 0;
    const flushMs =
      finalFlushAt !== undefined && lastCommitAt !== undefined ? Math.max(0, lastCommitAt - finalFlushAt) : 0;
    return { stoppedBy, ...this.counts, lastCommitAt: lastCommitAt ?? null, activeSeconds: (readMs + flushMs) / 1000 };
  }
}
