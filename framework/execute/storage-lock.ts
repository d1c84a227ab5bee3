/**
 * The run lock of a target whose storage every host shares (Trino's S3 warehouse): one object
 * written only by compare-and-set (s3-conditional.ts), holding a lease record (lease.ts).
 * The holder renews the lease every heartbeat; a holder that stops renewing (SIGKILL, a lost
 * host) loses the lock once its lease has passed on the storage's clock, and the next run takes
 * it over. Released by writing a `released` record, also compare-and-set: an unconditional
 * DELETE could remove a lock that another run took over after this one lost it (and MinIO
 * ignores If-Match on DELETE).
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { ExecutionError } from '../errors.js';
import type { ConditionalObject } from '../storage/s3-conditional.js';
import type { LeaseSettings } from '../adapters/shared-lock.js';
import {
  describeHolder,
  formatLease,
  judgeLease,
  leaseLost,
  leaseRecord,
  parseLease,
  type LeaseRecord,
} from './lease.js';
import type { Release, RunLock, RunLockOptions } from './run-lock.js';

export function storageLock(object: ConditionalObject, settings: LeaseSettings): RunLock {
  return {
    where: object.location,
    async acquire(me, options) {
      const token = randomBytes(8).toString('hex');
      const deadline = Date.now() + (options.timeoutMs ?? Infinity);
      const local = { host: hostname(), alive };
      // The holder this run judged dead when it wrote, still to be settled if that write landed.
      let replaced: LeaseRecord | undefined;
      let why: string | undefined;
      let sentAt = Date.now();
      for (;;) {
        const seen = await object.read();
        const record = seen && parseLease(seen.text);
        let release: Release;
        if (seen && record?.token === token) {
          // A write of ours that the SDK retried after it had already landed.
          release = hold(object, settings, record, seen.etag, options, sentAt);
        } else {
          const state = seen ? judgeLease(record, seen, local) : { kind: 'free' as const };
          if (state.kind === 'held') {
            if (!options.wait || Date.now() > deadline) {
              throw new ExecutionError(
                `another run holds the lock ${object.location}: ${describeHolder(state.holder)}` +
                  (options.wait ? ' (gave up waiting)' : '; use --wait to queue behind it'),
              );
            }
            await sleep(options.pollMs ?? Math.min(1000, settings.heartbeatMs));
            continue;
          }
          [replaced, why] = state.kind === 'expired' ? [state.holder, state.why] : [undefined, undefined];
          const mine = leaseRecord(me, token, settings.leaseMs, new Date());
          sentAt = Date.now();
          const etag = seen
            ? await object.replace(formatLease(mine), seen.etag)
            : await object.create(formatLease(mine));
          if (!etag) continue; // another taker wrote first, or ours landed and was retried: look again
          release = hold(object, settings, mine, etag, options, sentAt);
        }
        if (replaced && options.onTakeover) {
          try {
            await options.onTakeover(replaced, why);
          } catch (error) {
            await release();
            throw error;
          }
        }
        return release;
      }
    },
  };
}

/** Renews the lease every heartbeat until released; reports a lock it can no longer claim. */
function hold(
  object: ConditionalObject,
  settings: LeaseSettings,
  record: LeaseRecord,
  etag: string,
  options: RunLockOptions,
  sentAt: number,
): Release {
  let current = etag;
  let confirmed = sentAt;
  let stopped = false;
  let renewing: Promise<void> = Promise.resolve();
  const lost = (why: string) => {
    stopped = true;
    clearInterval(timer);
    options.onLost?.(`lost the run lock ${object.location}: ${why}`);
  };
  const renew = async () => {
    const sent = Date.now();
    const next = leaseRecord(record, record.token, settings.leaseMs, new Date());
    try {
      const written = await object.replace(formatLease(next), current);
      if (written) {
        current = written;
        confirmed = sent;
      } else {
        const seen = await object.read();
        if (!seen || parseLease(seen.text)?.token !== record.token) return lost('another run took it over');
        current = seen.etag; // our own write, retried by the SDK after it landed
      }
    } catch {
      // Storage unreachable: the next beat tries again, as long as the lease lasts.
    }
    if (!stopped && leaseLost(confirmed, Date.now(), settings.leaseMs))
      lost(`not renewed for a whole lease (${settings.leaseMs / 1000} s)`);
  };
  const timer = setInterval(() => {
    if (!stopped) renewing = renewing.then(renew);
  }, settings.heartbeatMs);
  timer.unref();
  return async () => {
    if (stopped) return;
    stopped = true;
    clearInterval(timer);
    await renewing;
    const released = formatLease({
      ...leaseRecord(record, record.token, settings.leaseMs, new Date()),
      released: new Date().toISOString(),
    });
    if (await object.replace(released, current).catch(() => undefined)) return;
    // Left as it is when it is no longer ours; when unreachable, the lease runs out.
    const seen = await object.read().catch(() => undefined);
    if (seen && parseLease(seen.text)?.token === record.token)
      await object.replace(released, seen.etag).catch(() => undefined);
  };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
