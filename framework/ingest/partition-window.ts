/**
 * The records of one topic-partition taken since its last cut, one file per 15-minute
 * bucket. A window covers a contiguous offset range; once its files are written, the
 * offset after its last record is what gets committed.
 */

export interface StagedFile {
  /** Bucket index (see staging-layout.ts). */
  bucket: number;
  /** Offset of the file's first record: it names the file. */
  startOffset: number;
  lines: Buffer[];
}

/** A staged file's bytes: every line followed by a newline, copied once. */
export function fileBody(lines: readonly Buffer[]): Buffer {
  const body = Buffer.allocUnsafe(lines.reduce((sum, line) => sum + line.length + 1, 0));
  let at = 0;
  for (const line of lines) {
    at += line.copy(body, at);
    body[at++] = 0x0a;
  }
  return body;
}

export class PartitionWindow {
  private readonly byBucket = new Map<number, StagedFile>();
  records = 0;
  /** Bytes of the lines held: bounds the memory the window takes. */
  bytes = 0;
  /** Records in the fullest file (count rotation looks at this). */
  fullest = 0;
  /** Kafka timestamp of the first record (time rotation looks at this). */
  firstTimestamp = 0;
  /** Wall-clock time the first record was read (only asks for a flush marker, never cuts). */
  openedAt = 0;
  /** Offset after the last record or flush marker taken: committed once the window's files are written. */
  endOffset = 0;

  /** Whether anything was taken, a flush marker included (its offset is committed too). */
  get taken(): boolean {
    return this.endOffset > 0;
  }

  add(offset: number, bucket: number, line: Buffer, timestamp: number, now: number): void {
    let file = this.byBucket.get(bucket);
    if (!file) {
      file = { bucket, startOffset: offset, lines: [] };
      this.byBucket.set(bucket, file);
    }
    file.lines.push(line);
    if (this.records === 0) {
      this.firstTimestamp = timestamp;
      this.openedAt = now;
    }
    this.records++;
    this.bytes += line.length + 1;
    if (file.lines.length > this.fullest) this.fullest = file.lines.length;
    this.endOffset = offset + 1;
  }

  /** A flush marker: staged nowhere, but committed with the window it closes. */
  skip(offset: number): void {
    this.endOffset = offset + 1;
  }

  files(): StagedFile[] {
    return [...this.byBucket.values()];
  }
}
