/**
 * The health of a running `ingest kafka` consumer, kept as a small JSON file that the consumer
 * rewrites (atomically: temporary file, then rename) at every progress report and state change,
 * and that `framework ingest status` reads. A file, not a port: it survives the process, so a
 * crashed consumer is seen as stale rather than as nothing, and it needs no listener per instance.
 */
import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname, join } from 'node:path';

export type ConsumerState = 'starting' | 'running' | 'stopping' | 'stopped' | 'failed';

export interface ConsumerStatus {
  topic: string;
  group: string;
  instance: string;
  host: string;
  pid: number;
  state: ConsumerState;
  started_at: string;
  updated_at: string;
  /** How often the consumer rewrites this file while it runs: what "stale" is measured against. */
  progress_ms: number;
  /** Records the group has not committed yet behind the high watermarks (this consumer's partitions at its read position), null while Kafka does not answer. */
  lag: number | null;
  partitions: number[];
  records: number;
  events_per_second: number;
  files: number;
  commits: number;
  last_commit_at: string | null;
  errors: number;
  last_error: { at: string; message: string } | null;
}

/** Report events (kafka-staging.ts) that mean something went wrong, though the consumer goes on (a refused commit is a rebalance's normal course, not one). */
const ERROR_EVENTS = new Set(['flush_marker_failed', 'idle_check_failed']);

/** Follows the consumer's report events and keeps its status file current. */
export class StatusFile {
  private readonly status: ConsumerStatus;

  constructor(
    readonly path: string,
    identity: { topic: string; group: string; instance: string; progressMs: number },
  ) {
    const now = new Date().toISOString();
    this.status = {
      topic: identity.topic,
      group: identity.group,
      instance: identity.instance,
      host: hostname(),
      pid: process.pid,
      state: 'starting',
      started_at: now,
      updated_at: now,
      progress_ms: identity.progressMs,
      lag: null,
      partitions: [],
      records: 0,
      events_per_second: 0,
      files: 0,
      commits: 0,
      last_commit_at: null,
      errors: 0,
      last_error: null,
    };
    mkdirSync(dirname(path), { recursive: true });
    this.write();
  }

  /** One report event of the consumer (its message and fields). */
  observe(message: string, fields: Record<string, unknown>): void {
    const s = this.status;
    const event = fields.event;
    if (event === 'ingest_start') s.state = 'running';
    else if (event === 'signal') s.state = 'stopping';
    else if (event === 'progress') {
      s.lag = typeof fields.lag === 'number' ? fields.lag : null;
      for (const key of ['records', 'files', 'commits'] as const)
        if (typeof fields[key] === 'number') s[key] = fields[key];
      s.events_per_second = Number(fields.eventsPerSecond ?? 0);
      if (Array.isArray(fields.partitions)) s.partitions = fields.partitions as number[];
      if (typeof fields.lastCommitAt === 'number') s.last_commit_at = new Date(fields.lastCommitAt).toISOString();
    } else if (typeof event === 'string' && ERROR_EVENTS.has(event)) this.error(message);
    else return;
    this.write();
  }

  /** The consumer ended: stopped after a signal or idle, or failed with `error`. */
  finish(
    summary: { records: number; files: number; commits: number; lastCommitAt: number | null } | undefined,
    error?: unknown,
  ): void {
    const s = this.status;
    if (summary) {
      Object.assign(s, { records: summary.records, files: summary.files, commits: summary.commits });
      if (summary.lastCommitAt !== null) s.last_commit_at = new Date(summary.lastCommitAt).toISOString();
    }
    if (error !== undefined) this.error((error as Error).message ?? String(error));
    s.state = error === undefined ? 'stopped' : 'failed';
    this.write();
  }

  private error(message: string): void {
    this.status.errors++;
    this.status.last_error = { at: new Date().toISOString(), message };
  }

  private write(): void {
    this.status.updated_at = new Date().toISOString();
    const temporary = `${this.path}.${process.pid}.tmp`;
    writeFileSync(temporary, `${JSON.stringify(this.status, null, 2)}\n`);
    renameSync(temporary, this.path);
  }
}

/** Where a consumer of `group` keeps its status: one file per instance, so several consumers of one group can share a host. */
export function statusPath(dir: string, group: string, instance: string): string {
  return join(dir, `${group}.${instance}.json`);
}

export function readStatuses(dir: string): ConsumerStatus[] {
  let names: string[];
  try {
    names = readdirSync(dir)
      .filter((name) => name.endsWith('.json'))
      .sort();
  } catch {
    return [];
  }
  return names.map((name) => JSON.parse(readFileSync(join(dir, name), 'utf8')) as ConsumerStatus);
}

/** Missed this many rewrites in a row: the process is gone or hung. */
const STALE_AFTER_REPORTS = 3;

/** What is wrong with a consumer, by its status file: nothing means healthy. */
export function problems(status: ConsumerStatus, now: number, maxCommitAgeMs: number): string[] {
  const found: string[] = [];
  const age = now - Date.parse(status.updated_at);
  const staleAfter = STALE_AFTER_REPORTS * status.progress_ms + 5_000;
  if (status.state === 'failed') found.push(`failed: ${status.last_error?.message ?? 'unknown error'}`);
  else if (status.state === 'stopped') found.push('stopped');
  else if (age > staleAfter)
    found.push(
      `stale: no update for ${Math.round(age / 1000)} s (process ${status.pid} on ${status.host} gone or hung)`,
    );
  const commitAge = now - Date.parse(status.last_commit_at ?? status.started_at);
  if (
    (status.state === 'running' || status.state === 'starting') &&
    (status.lag ?? 0) > 0 &&
    commitAge > maxCommitAgeMs
  ) {
    found.push(`no commit for ${Math.round(commitAge / 1000)} s with lag ${status.lag}`);
  }
  return found;
}
