/**
 * One active run per target. Two implementations behind one interface: the file lock under
 * target/locks (lock.ts), which one host sees, and the storage lock (storage-lock.ts), which
 * every host sees. Which ones a run takes depends on the adapter's capability `sharedLock`
 * (storage every host shares), never on the engine's name.
 */
import { join } from 'node:path';
import type { Adapter } from '../adapters/adapter.js';
import type { ConditionalObject } from '../storage/s3-conditional.js';
import { acquireLock, type LockHolder, type LockOptions } from './lock.js';
import { storageLock } from './storage-lock.js';
import { hostname } from 'node:os';

export type Release = () => Promise<void>;

export interface RunLockOptions extends Omit<LockOptions, 'tag'> {
  /** The lock was lost while held (its lease ran out or another run took it): the run must stop. */
  onLost?(message: string): void;
}

export interface RunLock {
  /** Where the lock lives, for messages. */
  readonly where: string;
  acquire(me: LockHolder, options: RunLockOptions): Promise<Release>;
}

export function fileLock(path: string): RunLock {
  return {
    where: path,
    async acquire(me, options) {
      const release = await acquireLock(path, me.command, { ...options, ...(me.tag ? { tag: me.tag } : {}) });
      return async () => release();
    },
  };
}

/**
 * The locks a run on this target takes, in order: always the file lock (it finds a dead run of
 * this folder at once, by its pid), then the storage lock where the engine's storage is shared.
 */
export function runLocks(targetDir: string, targetName: string, adapter: Adapter): RunLock[] {
  const local = fileLock(join(targetDir, 'locks', `${targetName}.lock`));
  const shared = adapter.sharedLock;
  return shared ? [local, storageLock(lazyS3Object(shared.location), shared)] : [local];
}

/**
 * The storage lock's S3 object, the S3 SDK loaded on its first use: a run on a target without
 * shared storage (DuckDB) never loads the SDK, which was ~80 ms of every command's start-up.
 */
function lazyS3Object(location: string): ConditionalObject {
  let object: ConditionalObject | undefined;
  // The promise is kept, not the object: two first uses at once still make one client.
  let opening: Promise<ConditionalObject> | undefined;
  const open = () => (opening ??= import('../storage/s3-conditional.js').then((m) => (object = m.s3Object(location))));
  return {
    location,
    read: async () => (await open()).read(),
    create: async (text) => (await open()).create(text),
    replace: async (text, etag) => (await open()).replace(text, etag),
    close: () => object?.close(),
  };
}

/**
 * Takes every lock of `locks` in order (releasing those taken if one is refused), then settles
 * the dead holders found once all are held: a dead run may have left statements on the engine.
 */
export async function acquireRunLocks(
  locks: RunLock[],
  command: string,
  tag: string | undefined,
  options: RunLockOptions,
): Promise<Release> {
  const me: LockHolder = {
    pid: process.pid,
    host: hostname(),
    started: new Date().toISOString(),
    command,
    ...(tag ? { tag } : {}),
  };
  const dead: { holder: LockHolder; why?: string | undefined }[] = [];
  const held: Release[] = [];
  const release: Release = async () => {
    for (const r of held.reverse()) await r();
  };
  try {
    for (const lock of locks) {
      held.push(
        await lock.acquire(me, { ...options, onTakeover: async (holder, why) => void dead.push({ holder, why }) }),
      );
    }
    const settled = new Set<string>();
    for (const { holder, why } of dead) {
      const key = holder.tag ?? `${holder.host}/${holder.pid}`;
      if (settled.has(key)) continue;
      settled.add(key);
      await options.onTakeover?.(holder, why);
    }
  } catch (error) {
    await release();
    throw error;
  }
  return release;
}
