/**
 * The records of one topic-partition taken since its last cut, one file per 15-minute
 * bucket. A window covers a contiguous offset range; once its files are written, the
 * offset after its last record is what gets committed.
 */

export interface StagedFile {
  /** Bucket index (see datagen/layout.ts). */
  bucket: number;
  /** Offset of the file's first record: it names the file. */
  startOffset: number;
  lines: string[];
}

export class PartitionWindow {
  private readonly byBucket = new Map<number, StagedFile>();
  records = 0;
  /** Characters held, a cheap stand-in for the memory the window takes. */
  chars = 0;
  /** Records in the fullest file (count rotation looks at this). */
  fullest = 0;
  /** Wall-clock time of the first record (time rotation looks at this). */
  openedAt = 0;
  /** Offset after the last record: committed once the window's files are written. */
  endOffset = 0;

  add(offset: number, bucket: number, line: string, now: number): void {
    let file = this.byBucket.get(bucket);
    if (!file) {
      file = { bucket, startOffset: offset, lines: [] };
      this.byBucket.set(bucket, file);
    }
    file.lines.push(line);
    if (this.records === 0) this.openedAt = now;
    this.records++;
    this.chars += line.length + 1;
    if (file.lines.length > this.fullest) this.fullest = file.lines.length;
    this.endOffset = offset + 1;
  }

  files(): StagedFile[] {
    return [...this.byBucket.values()];
  }
}
