import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DuckDbAdapter } from '../../../framework/adapters/duckdb/adapter.js';
import { TrinoAdapter } from '../../../framework/adapters/trino/adapter.js';
import { formatLease, judgeLease, leaseLost, leaseRecord, parseLease, type LeaseRecord } from '../../../framework/state/lease.js';
import { leaseSettings } from '../../../framework/adapters/shared-lock.js';
import { acquireRunLocks, runLocks } from '../../../framework/state/run-lock.js';
import { storageLock } from '../../../framework/state/storage-lock.js';
import type { LockHolder } from '../../../framework/state/lock.js';
import type { ConditionalObject } from '../../../framework/storage/s3-conditional.js';
import type { Adapter } from '../../../framework/adapters/adapter.js';
import type { Target } from '../../../framework/project/types.js';

const holder: LockHolder = { pid: 4242, host: 'host-a', started: '2026-12-01T10:00:00.000Z', command: 'framework build', tag: 'dead-tag' };
const record = leaseRecord(holder, 'tok', 60_000, new Date('2026-12-01T10:00:00Z'));
const everyoneAlive = { host: 'host-b', alive: () => true };
const at = (lastModified: number, storageNow: number) => ({ lastModified, storageNow });

describe('lease records and expiry', () => {
  it('a record reads back as written; anything else is no record', () => {
    expect(parseLease(formatLease(record))).toEqual(record);
    expect(record.expires).toBe('2026-12-01T10:01:00.000Z');
    expect(parseLease('{"pid": 1}')).toBeUndefined();
    expect(parseLease('not json')).toBeUndefined();
  });

  it('is free when absent, unreadable or released', () => {
    expect(judgeLease(undefined, at(0, 0), everyoneAlive)).toEqual({ kind: 'free' });
    expect(judgeLease({ ...record, released: '2026-12-01T10:00:05Z' }, at(0, 0), everyoneAlive)).toEqual({ kind: 'free' });
  });

  it("expires only once the storage's own clock says a whole lease passed since the last write, plus its one-second resolution", () => {
    expect(judgeLease(record, at(1_000_000, 1_000_000 + 61_000), everyoneAlive)).toEqual({ kind: 'held', holder: record });
    expect(judgeLease(record, at(1_000_000, 1_000_000 + 61_001), everyoneAlive)).toMatchObject({ kind: 'expired', holder: record, why: 'not renewed for 61 s (lease 60 s)' });
    // The hosts' clocks (renewed/expires) play no part.
    expect(judgeLease({ ...record, expires: '2000-01-01T00:00:00Z' }, at(5, 5), everyoneAlive).kind).toBe('held');
  });

  it('a holder on this host whose process is gone is dead at once; one elsewhere only by its lease', () => {
    const local = { host: 'host-a', alive: (pid: number) => pid !== 4242 };
    expect(judgeLease(record, at(0, 0), local)).toMatchObject({ kind: 'expired', why: 'process 4242 is gone' });
    expect(judgeLease(record, at(0, 0), { host: 'host-b', alive: () => false }).kind).toBe('held');
  });

  it('the holder stops once a whole lease passed since its last confirmed renewal was sent', () => {
    expect(leaseLost(1000, 60_999, 60_000)).toBe(false);
    expect(leaseLost(1000, 61_000, 60_000)).toBe(true);
  });

  it('settings: 60 s lease and a 15 s heartbeat by default; a heartbeat longer than half the lease is refused', () => {
    expect(leaseSettings(undefined)).toEqual({ leaseMs: 60_000, heartbeatMs: 15_000 });
    expect(leaseSettings({ lease_seconds: 8 })).toEqual({ leaseMs: 8_000, heartbeatMs: 2_000 });
    expect(leaseSettings({ lease_seconds: 10, heartbeat_seconds: 5 })).toEqual({ leaseMs: 10_000, heartbeatMs: 5_000 });
    expect(leaseSettings({ lease_seconds: 10, heartbeat_seconds: 6 })).toMatch(/at most half/);
  });
});

/** An object with S3's conditional-write semantics (ETag = MD5 of the body) and a settable storage clock. */
function memoryObject() {
  let stored: { text: string; etag: string; lastModified: number } | undefined;
  const clock = { now: 1_000_000 };
  const etag = (text: string) => createHash('md5').update(text).digest('hex');
  const object: ConditionalObject = {
    location: 's3://bucket/lock.json',
    read: async () => stored && { ...stored, storageNow: clock.now },
    async create(text) {
      if (stored) return undefined;
      stored = { text, etag: etag(text), lastModified: clock.now };
      return stored.etag;
    },
    async replace(text, expected) {
      if (stored?.etag !== expected) return undefined;
      stored = { text, etag: etag(text), lastModified: clock.now };
      return stored.etag;
    },
    close() {},
  };
  return { object, clock, record: () => (stored ? parseLease(stored.text) : undefined) };
}

const settings = { leaseMs: 60_000, heartbeatMs: 15_000 };
const me = (command: string): LockHolder => ({ pid: process.pid, host: 'this-host', started: '2026-12-01T10:00:00Z', command, tag: `${command}-tag` });

describe('the storage lock', () => {
  it('a second taker is refused naming the holder; after release the lock is free again', async () => {
    const { object, record } = memoryObject();
    const lock = storageLock(object, settings);
    const release = await lock.acquire(me('framework build'), { wait: false });
    expect(record()).toMatchObject({ pid: process.pid, command: 'framework build', tag: 'framework build-tag', lease_ms: 60_000 });
    await expect(lock.acquire(me('framework run'), { wait: false })).rejects.toThrow(
      `another run holds the lock s3://bucket/lock.json: pid ${process.pid} on this-host, "framework build" since 2026-12-01T10:00:00Z; use --wait to queue behind it`,
    );
    await release();
    expect(record()?.released).toBeDefined();
    await (await lock.acquire(me('framework run'), { wait: false }))();
  });

  it('two concurrent takers: exactly one wins', async () => {
    const { object } = memoryObject();
    const lock = storageLock(object, settings);
    const outcomes = await Promise.allSettled([lock.acquire(me('a'), { wait: false }), lock.acquire(me('b'), { wait: false })]);
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
  });

  it('a lease not renewed is taken over, and the dead holder is handed to onTakeover while the lock is held', async () => {
    const { object, clock, record } = memoryObject();
    const other: LeaseRecord = leaseRecord({ ...holder, host: 'other-host' }, 'theirs', 60_000, new Date());
    await object.create(formatLease(other));
    clock.now += 61_001;
    const seen: unknown[] = [];
    const release = await storageLock(object, settings).acquire(me('framework run'), {
      wait: false,
      onTakeover: async (dead, why) => {
        seen.push([dead.tag, why]);
        expect(record()?.command).toBe('framework run');
      },
    });
    expect(seen).toEqual([['dead-tag', 'not renewed for 61 s (lease 60 s)']]);
    await release();
  });

  it('a takeover write that landed but was answered 412 (the SDK retried it) is recognised as ours, and the dead holder still settled', async () => {
    const { object, clock, record } = memoryObject();
    await object.create(formatLease(leaseRecord({ ...holder, host: 'other-host' }, 'theirs', 60_000, new Date())));
    clock.now += 61_001;
    const replace = object.replace;
    let answered412 = false;
    object.replace = async (text, etag) => {
      const written = await replace(text, etag);
      if (answered412) return written;
      answered412 = true;
      return undefined;
    };
    const seen: string[] = [];
    const release = await storageLock(object, settings).acquire(me('framework run'), { wait: false, onTakeover: async (dead) => void seen.push(dead.tag!) });
    expect(seen).toEqual(['dead-tag']);
    expect(record()).toMatchObject({ command: 'framework run' });
    await release();
    expect(record()?.released).toBeDefined();
  });

  it('a failing takeover releases the lock', async () => {
    const { object, clock, record } = memoryObject();
    await object.create(formatLease(leaseRecord({ ...holder, host: 'other-host' }, 'theirs', 60_000, new Date())));
    clock.now += 70_000;
    await expect(storageLock(object, settings).acquire(me('framework run'), { wait: false, onTakeover: () => Promise.reject(new Error('engine unreachable')) })).rejects.toThrow('engine unreachable');
    expect(record()?.released).toBeDefined();
  });

  it('a release after another run took the lock over leaves theirs alone', async () => {
    const { object, clock, record } = memoryObject();
    const lock = storageLock(object, settings);
    const release = await lock.acquire({ ...me('stalled'), host: 'other-host' }, { wait: false });
    clock.now += 61_001;
    const next = await lock.acquire(me('next'), { wait: false });
    await release();
    expect(record()).toMatchObject({ command: 'next' });
    expect(record()?.released).toBeUndefined();
    await next();
  });
});

describe('the heartbeat (fake timers)', () => {
  afterEach(() => vi.useRealTimers());

  it('renews the lease every heartbeat, and reports the lock lost when another run took it over', async () => {
    vi.useFakeTimers({ now: new Date('2026-12-01T10:00:00Z'), toFake: ['setInterval', 'clearInterval', 'Date'] });
    const { object, record } = memoryObject();
    const lost: string[] = [];
    const release = await storageLock(object, settings).acquire(me('framework run'), { wait: false, onLost: (m) => lost.push(m) });
    expect(record()?.renewed).toBe('2026-12-01T10:00:00.000Z');
    await vi.advanceTimersByTimeAsync(15_000);
    expect(record()?.renewed).toBe('2026-12-01T10:00:15.000Z');
    expect(record()?.expires).toBe('2026-12-01T10:01:15.000Z');

    const current = await object.read();
    await object.replace(formatLease(leaseRecord({ ...holder, host: 'other-host' }, 'theirs', 60_000, new Date())), current!.etag);
    await vi.advanceTimersByTimeAsync(15_000);
    expect(lost).toEqual(['lost the run lock s3://bucket/lock.json: another run took it over']);
    await release();
    expect(record()).toMatchObject({ token: 'theirs' });
  });

  it('reports the lock lost once no renewal got through for a whole lease', async () => {
    vi.useFakeTimers({ now: new Date('2026-12-01T10:00:00Z'), toFake: ['setInterval', 'clearInterval', 'Date'] });
    const { object } = memoryObject();
    const lost: string[] = [];
    await storageLock(object, settings).acquire(me('framework run'), { wait: false, onLost: (m) => lost.push(m) });
    object.replace = () => Promise.reject(new Error('connect ECONNREFUSED'));
    await vi.advanceTimersByTimeAsync(45_000);
    expect(lost).toEqual([]);
    await vi.advanceTimersByTimeAsync(15_000);
    expect(lost).toEqual(['lost the run lock s3://bucket/lock.json: not renewed for a whole lease (60 s)']);
  });
});

describe('which lock a target takes', () => {
  const target = (settings: Record<string, unknown>): Target => ({ name: 'prod', type: 'trino', schema: 'analytics', threads: 1, settings: { type: 'trino', host: 'http://127.0.0.1:1', catalog: 'iceberg', ...settings } });

  it('DuckDB: the file lock under target/locks only', async () => {
    const adapter: Adapter = new DuckDbAdapter({ name: 'dev', type: 'duckdb', schema: 'main', threads: 1, settings: { type: 'duckdb', path: ':memory:' } }, '/tmp');
    expect(adapter.sharedLock).toBeUndefined();
    expect(runLocks('/p/target', 'dev', adapter).map((l) => l.where)).toEqual([join('/p/target', 'locks', 'dev.lock')]);
  });

  it("Trino on S3: the file lock, then the storage lock in the target's warehouse", () => {
    const adapter = new TrinoAdapter(target({ location_root: 's3://warehouse/', run_lock: { lease_seconds: 20 } }), '/tmp');
    expect(adapter.sharedLock).toEqual({ location: 's3://warehouse/_framework/locks/iceberg/analytics.json', leaseMs: 20_000, heartbeatMs: 5_000 });
    expect(runLocks('/p/target', 'prod', adapter).map((l) => l.where)).toEqual([join('/p/target', 'locks', 'prod.lock'), 's3://warehouse/_framework/locks/iceberg/analytics.json']);
    expect(new TrinoAdapter(target({ run_lock: { location: 's3://locks/prod.json' } }), '/tmp').sharedLock?.location).toBe('s3://locks/prod.json');
    expect(new TrinoAdapter(target({}), '/tmp').sharedLock).toBeUndefined();
  });

  it('the S3 SDK loads only when a storage lock is used: a command on DuckDB never loads it', () => {
    // A fresh process: which CommonJS modules an import left in require.cache (the SDK is CommonJS).
    const sdkModulesAfter = (module: string) =>
      Number(
        execFileSync(
          process.execPath,
          ['--import', 'tsx', '--input-type=module', '-e', `await import(${JSON.stringify(module)}); const { createRequire } = await import('node:module'); console.log(Object.keys(createRequire(import.meta.url).cache).filter((k) => k.includes('@aws-sdk')).length);`],
          { encoding: 'utf8' },
        ).trim(),
      );
    const framework = join(import.meta.dirname, '../../../framework');
    expect(sdkModulesAfter(join(framework, 'cli/commands/run.ts'))).toBe(0);
    expect(sdkModulesAfter(join(framework, 'storage/s3-conditional.ts'))).toBeGreaterThan(0);
  });

  it('locks are taken in order, and one refused releases those taken; the dead are settled once all are held', async () => {
    const first = memoryObject();
    const second = memoryObject();
    await second.object.create(formatLease(leaseRecord({ ...holder, host: 'other-host' }, 'theirs', 60_000, new Date())));
    const locks = [storageLock(first.object, settings), storageLock(second.object, settings)];
    await expect(acquireRunLocks(locks, 'framework run', 'me', { wait: false })).rejects.toThrow(/pid 4242 on other-host/);
    expect(first.record()?.released).toBeDefined();

    second.clock.now += 61_001;
    const settled: string[] = [];
    const release = await acquireRunLocks(locks, 'framework run', 'me', {
      wait: false,
      onTakeover: async (dead) => {
        expect([first.record()?.tag, second.record()?.tag]).toEqual(['me', 'me']);
        settled.push(dead.tag!);
      },
    });
    expect(settled).toEqual(['dead-tag']);
    await release();
  });
});
