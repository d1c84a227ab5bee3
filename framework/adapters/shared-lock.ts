/**
 * The run lock an engine keeps in storage every host shares (Trino's S3 warehouse): where it lives
 * and its lease, from the target's `run_lock:` settings. execute/storage-lock.ts holds it.
 */
export interface LeaseSettings {
  leaseMs: number;
  heartbeatMs: number;
}

export const DEFAULT_LEASE: LeaseSettings = { leaseMs: 60_000, heartbeatMs: 15_000 };

/**
 * `run_lock: {lease_seconds, heartbeat_seconds}` of a target. A heartbeat must fit at least
 * twice in a lease, or one slow renewal loses the lock.
 */
export function leaseSettings(
  raw: { lease_seconds?: number; heartbeat_seconds?: number } | undefined,
): LeaseSettings | string {
  const leaseMs = (raw?.lease_seconds ?? DEFAULT_LEASE.leaseMs / 1000) * 1000;
  // Unset, the heartbeat beats four times per lease, at most every 15 s.
  const heartbeatMs =
    raw?.heartbeat_seconds !== undefined
      ? raw.heartbeat_seconds * 1000
      : Math.min(DEFAULT_LEASE.heartbeatMs, leaseMs / 4);
  if (!(heartbeatMs > 0) || heartbeatMs * 2 > leaseMs)
    return `run_lock.heartbeat_seconds (${heartbeatMs / 1000}) must be at most half of run_lock.lease_seconds (${leaseMs / 1000})`;
  return { leaseMs, heartbeatMs };
}

export type SharedLock = { location: string } & LeaseSettings;
