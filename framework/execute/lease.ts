/**
 * The run lock kept in shared storage (storage-lock.ts): the record it holds and the decisions
 * taken on it. Pure: no I/O, no clock of its own.
 */
import type { LockHolder } from './lock.js';

export interface LeaseRecord extends LockHolder {
  /** Random per acquisition: tells this holder's own writes from anyone else's. */
  token: string;
  /** How long the holder may go without renewing before others may take the lock. */
  lease_ms: number;
  /** The holder's clock, for people reading the record; expiry is judged on the storage's clock. */
  renewed: string;
  expires: string;
  /** Set by a holder that let go (normal exit, SIGINT/SIGTERM): the lock is free. */
  released?: string;
}

export type LeaseState =
  { kind: 'free' } | { kind: 'held'; holder: LeaseRecord } | { kind: 'expired'; holder: LeaseRecord; why: string };

/** Last-Modified and the Date header have one-second resolution: an age is known to ±1 s. */
export const STORAGE_CLOCK_RESOLUTION_MS = 1000;

export function leaseRecord(holder: LockHolder, token: string, leaseMs: number, now: Date): LeaseRecord {
  return {
    ...holder,
    token,
    lease_ms: leaseMs,
    renewed: now.toISOString(),
    expires: new Date(now.getTime() + leaseMs).toISOString(),
  };
}

export function formatLease(record: LeaseRecord): string {
  return `${JSON.stringify(record)}\n`;
}

/** undefined for anything that is not a lease record (it is then taken like a free lock). */
export function parseLease(text: string): LeaseRecord | undefined {
  try {
    const r = JSON.parse(text) as Partial<LeaseRecord>;
    if (
      typeof r.token !== 'string' ||
      typeof r.lease_ms !== 'number' ||
      typeof r.pid !== 'number' ||
      typeof r.host !== 'string'
    )
      return undefined;
    return r as LeaseRecord;
  } catch {
    return undefined;
  }
}

export interface Observed {
  /** The storage's clock when the record was read (its Date header), ms since the epoch. */
  storageNow: number;
  /** The record's Last-Modified: its last write, on the storage's clock. */
  lastModified: number;
}

export interface Local {
  host: string;
  /** Whether a process of this host is alive. */
  alive(pid: number): boolean;
}

/**
 * Whether the lock can be taken. Expiry compares two readings of the storage's own clock (the
 * record's last write and now), so the hosts' clocks never need to agree. A holder on this host
 * whose process is gone is dead at once, as with the file lock.
 */
export function judgeLease(record: LeaseRecord | undefined, seen: Observed, local: Local): LeaseState {
  if (!record || record.released) return { kind: 'free' };
  const age = seen.storageNow - seen.lastModified;
  if (age > record.lease_ms + STORAGE_CLOCK_RESOLUTION_MS)
    return {
      kind: 'expired',
      holder: record,
      why: `not renewed for ${Math.round(age / 1000)} s (lease ${record.lease_ms / 1000} s)`,
    };
  if (record.host === local.host && !local.alive(record.pid))
    return { kind: 'expired', holder: record, why: `process ${record.pid} is gone` };
  return { kind: 'held', holder: record };
}

/**
 * The holder's side: it must stop once a whole lease has passed since it sent its last renewal
 * that the storage confirmed, because others may have taken the lock from then on.
 */
export function leaseLost(confirmedSentAt: number, now: number, leaseMs: number): boolean {
  return now - confirmedSentAt >= leaseMs;
}

/** "pid 123 on host-a, "framework build" since …": how a refusal names the holder. */
export function describeHolder(holder: LockHolder): string {
  return `pid ${holder.pid} on ${holder.host}, "${holder.command}" since ${holder.started}`;
}
