import { randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname } from 'node:path';
import { ExecutionError } from '../errors.js';

export interface LockHolder {
  pid: number;
  host: string;
  started: string;
  command: string;
  /** The engine session tag of the holder's statements (Trino), to settle them if it dies. */
  tag?: string;
}

export interface LockOptions {
  wait: boolean;
  pollMs?: number;
  timeoutMs?: number;
  tag?: string | undefined;
  /** Called holding the lock, after taking it over from a dead holder (`why` it was judged dead); if it throws, the lock is released. */
  onTakeover?(dead: LockHolder, why?: string): Promise<void>;
}

/**
 * One active run per project and target: a lock file created with O_EXCL (atomic on every local
 * file system). A lock whose process is gone (same host, pid not alive) is taken over — and
 * `onTakeover` settles what the dead run left on the engine before this run starts; anything
 * else makes the second run wait (--wait) or exit naming the holder.
 */
export async function acquireLock(path: string, command: string, options: LockOptions): Promise<() => void> {
  mkdirSync(dirname(path), { recursive: true });
  const me: LockHolder = {
    pid: process.pid,
    host: hostname(),
    started: new Date().toISOString(),
    command,
    ...(options.tag ? { tag: options.tag } : {}),
  };
  let dead: LockHolder | undefined;
  const deadline = Date.now() + (options.timeoutMs ?? Infinity);
  // The lock appears with its content in one step: written aside, then hard-linked into place
  // (link fails if the name exists), so nobody ever reads a half-written lock.
  const mine = `${path}.${process.pid}.${randomBytes(4).toString('hex')}`;
  writeFileSync(mine, JSON.stringify(me));
  try {
    for (;;) {
      try {
        linkSync(mine, path);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        const text = readText(path);
        const holder = text ? (JSON.parse(text) as LockHolder) : undefined;
        if (!holder || isDead(holder)) {
          // Stale: remove it only if it is still the one we judged (another taker may have replaced it).
          if (holder) dead = holder;
          if (readText(path) === text) rmSync(path, { force: true });
          continue;
        }
        if (!options.wait || Date.now() > deadline) {
          throw new ExecutionError(
            `another run holds the lock ${path}: pid ${holder.pid} on ${holder.host}, "${holder.command}" since ${holder.started}` +
              (options.wait ? ' (gave up waiting)' : '; use --wait to queue behind it'),
          );
        }
        await new Promise((r) => setTimeout(r, options.pollMs ?? 500));
        continue;
      }
      const release = () => rmSync(path, { force: true });
      if (dead && options.onTakeover) {
        try {
          await options.onTakeover(dead);
        } catch (error) {
          release();
          throw error;
        }
      }
      return release;
    }
  } finally {
    rmSync(mine, { force: true });
  }
}

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** Only a holder on this host can be checked; one elsewhere is presumed alive. */
function isDead(holder: LockHolder): boolean {
  if (holder.host !== hostname()) return false;
  try {
    process.kill(holder.pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}
