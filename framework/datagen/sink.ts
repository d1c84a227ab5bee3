/**
 * Where generated lines go. The generator hands every line to an EventSink together
 * with its staging bucket (topic, partition, 15-minute KST bucket) and closes the sink
 * when done. The local-directory sink lays files out as the Kafka Connect S3 sink did.
 */
import { mkdir, writeFile } from 'node:fs/promises';
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

/** Per topic-partition: its running Kafka offset and the file being filled. */
interface Stream {
  topic: string;
  partition: number;
  nextOffset: number;
  file: OpenFile | undefined;
}

interface OpenFile {
  bucket: StagingBucket;
  directory: string;
  startOffset: number;
  lines: string[];
}

/** Completed files being written at once; past this, write() makes the generator wait. */
const MAX_PENDING_WRITES = 16;

class LocalDirectorySink implements EventSink {
  private readonly streams = new Map<string, Stream>();
  private readonly directories = new Map<string, Promise<unknown>>();
  private readonly pending = new Set<Promise<void>>();
  private readonly stats: SinkStats = { lines: 0, files: 0, bytes: 0 };
  private failure: unknown = undefined;
  private lastBucket: StagingBucket | undefined;
  private lastStream: Stream | undefined;

  constructor(private readonly root: string, private readonly topic: string | undefined) {}

  write(line: string, bucket: StagingBucket): void | Promise<void> {
    if (this.failure !== undefined) throw this.failure;
    // The generator reuses bucket objects, so an identity check skips the lookups for
    // consecutive lines of one bucket and partition.
    let stream = bucket === this.lastBucket ? this.lastStream : undefined;
    if (stream === undefined) {
      stream = this.stream(bucket);
      const directory = bucketDirectory(bucket, stream.topic);
      if (stream.file?.directory !== directory) {
        if (stream.file) this.flush(stream, stream.file);
        stream.file = { bucket, directory, startOffset: stream.nextOffset, lines: [] };
      }
      this.lastBucket = bucket;
      this.lastStream = stream;
    }
    stream.file!.lines.push(line);
    stream.nextOffset++;
    this.stats.lines++;
    if (this.pending.size >= MAX_PENDING_WRITES) return Promise.race(this.pending);
  }

  async close(): Promise<SinkStats> {
    for (const stream of this.streams.values()) {
      if (stream.file) this.flush(stream, stream.file);
      stream.file = undefined;
    }
    this.lastBucket = this.lastStream = undefined;
    await Promise.all(this.pending);
    if (this.failure !== undefined) throw this.failure;
    return { ...this.stats };
  }

  private stream(bucket: StagingBucket): Stream {
    const topic = this.topic ?? bucket.topic;
    const key = `${topic}\u0000${bucket.partition}`;
    let stream = this.streams.get(key);
    if (!stream) {
      stream = { topic, partition: bucket.partition, nextOffset: 0, file: undefined };
      this.streams.set(key, stream);
    }
    return stream;
  }

  /** Writes a completed file in the background (the generator keeps one core busy, I/O the other). */
  private flush(stream: Stream, file: OpenFile): void {
    if (this.lastStream === stream) this.lastBucket = this.lastStream = undefined;
    const directory = join(this.root, file.directory);
    const path = join(directory, stagingFileName(stream.topic, stream.partition, file.startOffset));
    const content = file.lines.join('\n') + '\n';
    this.stats.files++;
    this.stats.bytes += Buffer.byteLength(content);
    let made = this.directories.get(directory);
    if (!made) {
      made = mkdir(directory, { recursive: true });
      this.directories.set(directory, made);
    }
    const done: Promise<void> = made
      .then(() => writeFile(path, content))
      .catch((error: unknown) => {
        this.failure ??= error;
      })
      .finally(() => this.pending.delete(done));
    this.pending.add(done);
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
