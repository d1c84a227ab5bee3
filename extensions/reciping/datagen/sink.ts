/**
 * Where generated lines go. The generator hands every line to an EventSink together
 * with its staging bucket (topic, partition, 15-minute KST bucket) and closes the sink
 * when done. The local-directory sink lays files out as the Kafka Connect S3 sink did.
 */
import { mkdir, writeFile } from 'node:fs';
import { join } from 'node:path';
import { bucketDirectory, stagingFileName, type StagingBucket } from './layout.js';

export interface SinkStats {
  lines: number;
  files: number;
  bytes: number;
}

export interface EventSink {
  /** May return a promise to ask the caller to wait (backpressure). */
  write(line: string, bucket: StagingBucket): void | Promise<void>;
  close(): Promise<SinkStats>;
}

/** One topic-partition: its running Kafka offset and the file being filled. */
interface Stream {
  topic: string;
  partition: number;
  nextOffset: number;
  /** The bucket object the open file was last matched against, for a cheap identity check. */
  bucket: StagingBucket | undefined;
  file: OpenFile | undefined;
}

interface OpenFile {
  directory: string;
  startOffset: number;
  lines: string[];
}

/** Files being written at once; past this, write() makes the generator wait. */
const MAX_IN_FLIGHT = 32;

/**
 * Completed files are written in the background with node's callback API (cheaper on
 * the main thread than fs/promises), so generation keeps one core and the file system
 * work runs on libuv's thread pool.
 */
class LocalDirectorySink implements EventSink {
  private readonly streams = new Map<string, Stream>();
  /** Per partition, the stream last written (lines of one bucket alternate between partitions). */
  private readonly recent: (Stream | undefined)[] = [];
  /** Directories made (true) or being made (callbacks waiting for them). */
  private readonly directories = new Map<string, true | (() => void)[]>();
  private readonly stats: SinkStats = { lines: 0, files: 0, bytes: 0 };
  private inFlight = 0;
  private wake: (() => void) | undefined;
  private failure: Error | undefined;

  constructor(
    private readonly root: string,
    private readonly topic: string | undefined,
  ) {}

  write(line: string, bucket: StagingBucket): void | Promise<void> {
    if (this.failure) throw this.failure;
    let stream = this.recent[bucket.partition];
    if (stream === undefined || stream.bucket !== bucket) stream = this.open(bucket);
    stream.file!.lines.push(line);
    stream.nextOffset++;
    this.stats.lines++;
    if (this.inFlight >= MAX_IN_FLIGHT) return new Promise((resolve) => (this.wake = resolve));
  }

  async close(): Promise<SinkStats> {
    for (const stream of this.streams.values()) {
      if (stream.file) this.flush(stream, stream.file);
      stream.file = stream.bucket = undefined;
    }
    while (this.inFlight > 0) await new Promise<void>((resolve) => (this.wake = resolve));
    if (this.failure) throw this.failure;
    return { ...this.stats };
  }

  /** The stream of `bucket`'s topic-partition, with a file open for the bucket. */
  private open(bucket: StagingBucket): Stream {
    const topic = this.topic ?? bucket.topic;
    const key = `${topic}\u0000${bucket.partition}`;
    let stream = this.streams.get(key);
    if (!stream) {
      stream = { topic, partition: bucket.partition, nextOffset: 0, bucket: undefined, file: undefined };
      this.streams.set(key, stream);
    }
    const directory = bucketDirectory(bucket, topic);
    if (stream.file?.directory !== directory) {
      if (stream.file) this.flush(stream, stream.file);
      stream.file = { directory, startOffset: stream.nextOffset, lines: [] };
    }
    stream.bucket = bucket;
    this.recent[bucket.partition] = stream;
    return stream;
  }

  private flush(stream: Stream, file: OpenFile): void {
    const directory = join(this.root, file.directory);
    const path = join(directory, stagingFileName(stream.topic, stream.partition, file.startOffset));
    const data = Buffer.from(file.lines.join('\n') + '\n');
    this.stats.files++;
    this.stats.bytes += data.length;
    this.inFlight++;
    this.inDirectory(directory, () => writeFile(path, data, (error) => this.settle(error)));
  }

  private inDirectory(directory: string, then: () => void): void {
    const made = this.directories.get(directory);
    if (made === true) return then();
    if (made) return void made.push(then);
    const waiting = [then];
    this.directories.set(directory, waiting);
    mkdir(directory, { recursive: true }, (error) => {
      if (error) this.failure ??= error;
      this.directories.set(directory, true);
      for (const next of waiting) next();
    });
  }

  private settle(error: Error | null): void {
    if (error) this.failure ??= error;
    this.inFlight--;
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }
}

/**
 * Writes <dir>/<topic>/year=…/minute=mm/<topic>+<partition>+<startOffset>.json. A file
 * holds the consecutive lines of one partition in one bucket; startOffset is the
 * partition's running offset at its first line. `topic` overrides the buckets' topic in
 * paths. Existing files of the same name are overwritten; nothing else is removed.
 */
export function localDirectorySink(dir: string, opts: { topic?: string } = {}): EventSink {
  return new LocalDirectorySink(dir, opts.topic);
}
