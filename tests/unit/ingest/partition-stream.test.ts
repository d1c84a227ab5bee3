/**
 * Offset-commit bookkeeping of one partition, with a fake store and a fake commit: a
 * window's offset is committed only after its files are written, windows are written
 * strictly one after the other, and a crash at any point followed by a replay from the
 * committed offset leaves every record in exactly one object (same-name overwrite).
 */
import { describe, expect, it } from 'vitest';
import { Rng } from '../../../extensions/reciping/datagen/random.js';
import { PartitionStream, type ReadRecord, type StreamIo } from '../../../framework/ingest/partition-stream.js';
import { fileBody, type StagedFile } from '../../../framework/ingest/partition-window.js';
import { rotationBySize, type RotationLimits } from '../../../framework/ingest/rotation.js';

const NO_LIMITS: RotationLimits = { flushSize: Infinity, rotateIntervalMs: Infinity, maxWindowBytes: Infinity };

interface Deferred {
  promise: Promise<void>;
  resolve(): void;
}

function deferred(): Deferred {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

/** Records every write and commit in order; writes can be held back to observe ordering. */
class FakeIo implements StreamIo {
  readonly log: string[] = [];
  readonly objects = new Map<string, string[]>();
  readonly errors: unknown[] = [];
  committed: number | undefined;
  rewoundTo: number | undefined;
  refuseCommits = false;
  /** Start offsets of files whose write fails. */
  readonly failing = new Set<number>();
  hold: Deferred | undefined;

  async write(partition: number, file: StagedFile): Promise<void> {
    await this.hold?.promise;
    if (this.failing.has(file.startOffset)) throw new Error('S3 down');
    this.objects.set(`${partition}/${file.bucket}/${file.startOffset}`, file.lines.map(String));
    this.log.push(`write ${file.startOffset}`);
  }

  async commit(_partition: number, offset: number): Promise<boolean> {
    if (this.refuseCommits) return false;
    this.committed = offset;
    this.log.push(`commit ${offset}`);
    return true;
  }

  rewind(_partition: number, offset: number): void {
    this.rewoundTo = offset;
  }

  failed(error: unknown): void {
    this.errors.push(error);
  }
}

/** Takes a record with no rotation limit: these tests cut by hand. */
function take(stream: PartitionStream, offset: number, bucket: number, line: string): void {
  stream.take(offset, { line: Buffer.from(line), bucket, timestamp: 0 }, NO_LIMITS, 0);
}

function fill(stream: PartitionStream, from: number, to: number, bucket = 1): void {
  for (let offset = from; offset < to; offset++) take(stream, offset, bucket, `r${offset}`);
}

describe('partition stream', () => {
  it('commits the offset after the last record, once the window’s files are written', async () => {
    const io = new FakeIo();
    const stream = new PartitionStream(0, io);
    take(stream, 10, 1, 'a');
    take(stream, 11, 2, 'b');
    take(stream, 12, 1, 'c');
    stream.cut();
    await stream.drained();
    expect(io.log).toEqual(['write 10', 'write 11', 'commit 13']);
    expect(io.objects.get('0/1/10')).toEqual(['a', 'c']);
  });

  it('writes a window only after the previous one is committed', async () => {
    const io = new FakeIo();
    const stream = new PartitionStream(0, io);
    io.hold = deferred();
    fill(stream, 0, 5);
    stream.cut();
    fill(stream, 5, 8);
    stream.cut();
    await new Promise((r) => setTimeout(r, 5));
    expect(io.log).toEqual([]);
    io.hold.resolve();
    await stream.drained();
    expect(io.log).toEqual(['write 0', 'commit 5', 'write 5', 'commit 8']);
  });

  it('never cuts an empty window', async () => {
    const io = new FakeIo();
    const stream = new PartitionStream(0, io);
    stream.cut();
    await stream.drained();
    expect(io.log).toEqual([]);
  });

  it('commits nothing when a write fails, writes no later window and reports the failure', async () => {
    const io = new FakeIo();
    const stream = new PartitionStream(0, io);
    fill(stream, 0, 5);
    stream.cut();
    await stream.drained();
    io.failing.add(5);
    fill(stream, 5, 9);
    stream.cut();
    // The next window's write would succeed, but must not happen after a gap.
    fill(stream, 9, 12);
    stream.cut();
    await stream.drained();
    expect(io.log).toEqual(['write 0', 'commit 5']);
    expect(io.committed).toBe(5);
    expect(io.errors).toHaveLength(1);
    expect(stream.halted).toBe(true);
  });

  it('halts and rewinds to the last committed offset when a commit is refused', async () => {
    const io = new FakeIo();
    const stream = new PartitionStream(0, io);
    fill(stream, 100, 105);
    stream.cut();
    await stream.drained();
    io.refuseCommits = true;
    fill(stream, 105, 110);
    stream.cut();
    fill(stream, 110, 112);
    stream.cut();
    await stream.drained();
    expect(io.log).toEqual(['write 100', 'commit 105', 'write 105']);
    expect(io.rewoundTo).toBe(105);
    expect(stream.accepts(112)).toBe(false);
  });

  it('does not commit a window whose partition was given up while it was being written', async () => {
    const io = new FakeIo();
    io.hold = deferred();
    const stream = new PartitionStream(0, io);
    fill(stream, 0, 3);
    stream.cut();
    await new Promise((r) => setTimeout(r, 5));
    stream.halt();
    io.hold.resolve();
    await stream.drained();
    expect(io.log).toEqual(['write 0']);
  });

  it('rewinds to its first record when nothing was committed yet', async () => {
    const io = new FakeIo();
    io.refuseCommits = true;
    const stream = new PartitionStream(0, io);
    fill(stream, 40, 42);
    stream.cut();
    await stream.drained();
    expect(io.rewoundTo).toBe(40);
  });

  it('skips records it already holds (a rejoin re-delivers from the committed offset)', () => {
    const stream = new PartitionStream(0, new FakeIo());
    expect(stream.accepts(0)).toBe(true);
    fill(stream, 0, 10);
    expect(stream.accepts(5)).toBe(false);
    expect(stream.accepts(10)).toBe(true);
    expect(stream.accepts(15)).toBe(true); // gaps (compaction, transaction markers) are fine
  });

  it('makes the reader wait while too many windows are queued', async () => {
    const io = new FakeIo();
    io.hold = deferred();
    const stream = new PartitionStream(0, io);
    fill(stream, 0, 2);
    stream.cut();
    fill(stream, 2, 4);
    stream.cut();
    let roomy = false;
    const waiting = stream.room(2).then(() => (roomy = true));
    await new Promise((r) => setTimeout(r, 5));
    expect(roomy).toBe(false);
    io.hold.resolve();
    await waiting;
    expect(io.log.slice(0, 2)).toEqual(['write 0', 'commit 2']);
  });
});

/**
 * The io of one consumer process that dies after `writes` object writes: what it wrote stays
 * (`stored`), commits land in `committed`, and `died` resolves when it is gone.
 */
function mortalIo(writes: number, committed: { offset: number }, stored: (file: StagedFile) => void): { io: StreamIo; died: Promise<void> } {
  let budget = writes;
  const died = deferred();
  const io: StreamIo = {
    async write(_partition, file) {
      if (budget-- <= 0) {
        died.resolve();
        return new Promise(() => {}); // the process is gone
      }
      stored(file);
    },
    async commit(_partition, offset) {
      committed.offset = offset;
      return true;
    },
    rewind() {},
    failed(error) {
      throw error;
    },
  };
  return { io, died: died.promise };
}

describe('crash and replay', () => {
  const FLUSH = { flushSize: 8, rotateIntervalMs: 0, maxWindowBytes: Infinity };

  /** A partition's records: mostly in bucket order, with some late events going to older buckets. */
  function records(rng: Rng, count: number): number[] {
    let bucket = 0;
    return Array.from({ length: count }, () => {
      if (rng.chance(0.05)) bucket++;
      return rng.chance(0.1) ? Math.max(0, bucket - rng.int(1, 3)) : bucket;
    });
  }

  /**
   * One consumer process: reads from the committed offset, cuts by count and at random
   * (time rotation is not reproducible), and dies after `writes` object writes: what it
   * wrote stays, what it did not commit is read again by the next process.
   */
  async function runProcess(rng: Rng, buckets: number[], store: Map<string, string[]>, committed: { offset: number }, writes: number): Promise<void> {
    const { io, died } = mortalIo(writes, committed, (file) => store.set(`${file.bucket}/${file.startOffset}`, file.lines.map(String)));
    const stream = new PartitionStream(0, io);
    for (let offset = committed.offset; offset < buckets.length; offset++) {
      take(stream, offset, buckets[offset]!, `r${offset}`);
      if (rotationBySize(stream.open, FLUSH) || rng.chance(0.03)) stream.cut();
    }
    stream.cut();
    await Promise.race([stream.drained(), died]);
  }

  it('leaves every record in exactly one object, named by its first record, whatever the crash points', async () => {
    for (let seed = 1; seed <= 60; seed++) {
      const rng = new Rng(seed);
      const buckets = records(rng, 300);
      const store = new Map<string, string[]>();
      const committed = { offset: 0 };
      let processes = 0;
      while (committed.offset < buckets.length) {
        await runProcess(rng, buckets, store, committed, processes++ < 6 ? rng.int(0, 12) : Infinity);
      }
      const staged = [...store.values()].flat().sort();
      const expected = buckets.map((_, offset) => `r${offset}`).sort();
      expect(staged, `seed ${seed}`).toEqual(expected);
      for (const [key, lines] of store) {
        const [bucket, startOffset] = key.split('/').map(Number);
        expect(lines[0], `seed ${seed} ${key}`).toBe(`r${startOffset}`);
        expect(lines.every((line) => buckets[Number(line.slice(1))] === bucket)).toBe(true);
      }
    }
  });
});

describe('replay writes the same bytes', () => {
  const LIMITS: RotationLimits = { flushSize: 6, rotateIntervalMs: 1_000, maxWindowBytes: 120 };

  /** A partition's log: records over a few buckets, with timestamps mostly rising (some late), and flush markers (undefined). */
  function log(rng: Rng, count: number): (ReadRecord | undefined)[] {
    let time = 0;
    let bucket = 0;
    return Array.from({ length: count }, (_, offset) => {
      if (rng.chance(0.04)) return undefined;
      time += rng.int(0, 200);
      if (rng.chance(0.05)) bucket++;
      return { line: Buffer.from(`r${offset}${'.'.repeat(rng.int(0, 12))}`), bucket: rng.chance(0.1) ? Math.max(0, bucket - 1) : bucket, timestamp: rng.chance(0.05) ? time - 500 : time };
    });
  }

  /**
   * One consumer process from the committed offset, reading at its own pace (`now` is random: the
   * clock must not matter), dying after `writes` object writes. Every write is kept in `writes`.
   */
  async function runProcess(rng: Rng, records: (ReadRecord | undefined)[], store: Map<string, Buffer>, history: Map<string, Set<string>>, committed: { offset: number }, writes: number): Promise<void> {
    const { io, died } = mortalIo(writes, committed, (file) => {
      const key = `${file.bucket}/${file.startOffset}`;
      const body = fileBody(file.lines);
      store.set(key, body);
      history.set(key, (history.get(key) ?? new Set()).add(body.toString()));
    });
    const stream = new PartitionStream(0, io);
    for (let offset = committed.offset; offset < records.length; offset++) stream.take(offset, records[offset], LIMITS, rng.int(0, 10 ** 9));
    await Promise.race([stream.drained(), died]);
  }

  it('crashes at random points and replays from the committed offset: every object written only ever with the bytes of an uninterrupted run', async () => {
    let objects = 0;
    for (let seed = 1; seed <= 60; seed++) {
      const rng = new Rng(seed);
      // Ends with a marker, as after --until-idle: every window is closed by the log itself.
      const records = [...log(rng, 400), undefined];
      const reference = new Map<string, Buffer>();
      await runProcess(rng, records, reference, new Map(), { offset: 0 }, Infinity);

      const store = new Map<string, Buffer>();
      const history = new Map<string, Set<string>>();
      const committed = { offset: 0 };
      let processes = 0;
      while (committed.offset < records.length) await runProcess(rng, records, store, history, committed, processes++ < 8 ? rng.int(0, 10) : Infinity);

      expect(processes, `seed ${seed}: crashed at least once`).toBeGreaterThan(1);
      expect([...store.keys()].sort(), `seed ${seed}`).toEqual([...reference.keys()].sort());
      for (const [key, versions] of history) expect([...versions], `seed ${seed} ${key}`).toEqual([reference.get(key)!.toString()]);
      const lines = [...reference.values()].flatMap((body) => body.toString().split('\n').slice(0, -1).map((line) => line.replace(/\.+$/, '')));
      expect(lines.sort(), `seed ${seed}: each record in one line`).toEqual(records.flatMap((r, offset) => (r ? [`r${offset}`] : [])).sort());
      objects += reference.size;
    }
    expect(objects).toBeGreaterThan(60 * 20);
  });
});
