import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { problems, readStatuses, StatusFile, statusPath, type ConsumerStatus } from '../../../framework/ingest/consumer-status.js';
import { cli, tempDir, tempProject } from '../support/project.js';

const read = (path: string) => JSON.parse(readFileSync(path, 'utf8')) as ConsumerStatus;

describe('consumer status file', () => {
  it('follows the consumer: start, progress, a failed flush marker, a signal, the end', () => {
    const dir = tempDir('status-');
    const file = new StatusFile(statusPath(dir, 'sink', '2'), { topic: 't', group: 'sink', instance: '2', progressMs: 1000 });
    expect(file.path).toBe(join(dir, 'sink.2.json'));
    expect(read(file.path)).toMatchObject({ state: 'starting', group: 'sink', instance: '2', pid: process.pid, records: 0, last_commit_at: null });
    file.observe('staging t', { event: 'ingest_start' });
    const committed = Date.parse('2026-01-02T03:04:05Z');
    file.observe('120 records', { event: 'progress', records: 120, eventsPerSecond: 60, lag: 7, files: 3, commits: 2, partitions: [0, 2], lastCommitAt: committed });
    expect(read(file.path)).toMatchObject({ state: 'running', records: 120, lag: 7, files: 3, commits: 2, partitions: [0, 2], last_commit_at: '2026-01-02T03:04:05.000Z', errors: 0 });
    file.observe('appending flush markers failed', { event: 'flush_marker_failed' });
    file.observe('commit not taken', { event: 'commit_refused' });
    expect(read(file.path)).toMatchObject({ errors: 1, last_error: { message: 'appending flush markers failed' } });
    file.observe('SIGTERM', { event: 'signal' });
    expect(read(file.path).state).toBe('stopping');
    file.finish({ records: 130, files: 4, commits: 3, lastCommitAt: committed + 60_000 });
    expect(read(file.path)).toMatchObject({ state: 'stopped', records: 130, files: 4, commits: 3, last_commit_at: '2026-01-02T03:05:05.000Z' });
    file.finish(undefined, new Error('S3 unreachable'));
    expect(read(file.path)).toMatchObject({ state: 'failed', errors: 2, last_error: { message: 'S3 unreachable' } });
  });

  it('judges health: stale, failed, stopped, stuck with lag, healthy', () => {
    const now = Date.parse('2026-06-01T12:00:00Z');
    const at = (secondsAgo: number) => new Date(now - secondsAgo * 1000).toISOString();
    const base: ConsumerStatus = {
      topic: 't', group: 'g', instance: '1', host: 'h', pid: 42, state: 'running', started_at: at(3600), updated_at: at(2), progress_ms: 5000,
      lag: 10, partitions: [0], records: 1, events_per_second: 1, files: 1, commits: 1, last_commit_at: at(30), errors: 0, last_error: null,
    };
    const tenMinutes = 600_000;
    expect(problems(base, now, tenMinutes)).toEqual([]);
    // 3 missed reports of 5 s, plus 5 s of grace.
    expect(problems({ ...base, updated_at: at(19) }, now, tenMinutes)).toEqual([]);
    expect(problems({ ...base, updated_at: at(21) }, now, tenMinutes)).toEqual(['stale: no update for 21 s (process 42 on h gone or hung)']);
    expect(problems({ ...base, state: 'failed', last_error: { at: at(5), message: 'boom' } }, now, tenMinutes)).toEqual(['failed: boom']);
    expect(problems({ ...base, state: 'stopped' }, now, tenMinutes)).toEqual(['stopped']);
    expect(problems({ ...base, last_commit_at: at(700) }, now, tenMinutes)).toEqual(['no commit for 700 s with lag 10']);
    expect(problems({ ...base, last_commit_at: at(700), lag: 0 }, now, tenMinutes)).toEqual([]);
    expect(problems({ ...base, last_commit_at: null, started_at: at(30) }, now, tenMinutes)).toEqual([]);
  });

  it('`ingest status` prints every consumer and exits 0 only when all are healthy', async () => {
    const root = tempProject({ 'project.yml': 'name: shop\npaths: {target: out}\n' });
    const dir = join(root, 'out', 'ingest');
    const none = await cli(root, 'ingest', 'status');
    expect(none.code).toBe(1);
    expect(none.stderr).toContain(`no consumer status in ${dir}`);

    const a = new StatusFile(statusPath(dir, 'sink', '1'), { topic: 't', group: 'sink', instance: '1', progressMs: 1000 });
    a.observe('start', { event: 'ingest_start' });
    a.observe('progress', { event: 'progress', records: 5, eventsPerSecond: 1, lag: 0, files: 1, commits: 1, partitions: [0, 1], lastCommitAt: Date.now() });
    const healthy = await cli(root, 'ingest', 'status');
    expect(healthy.code, healthy.stderr).toBe(0);
    expect(healthy.stdout).toMatch(/sink\.1 on \S+ \(pid \d+\): running, lag 0, partitions \[0,1\], 5 records, 1 files, 1 commits, last commit \d+ s ago, 0 errors, updated \d+ s ago -- healthy/);

    const b = new StatusFile(statusPath(dir, 'sink', '2'), { topic: 't', group: 'sink', instance: '2', progressMs: 1000 });
    const stale = { ...read(b.path), state: 'running', updated_at: new Date(Date.now() - 60_000).toISOString() };
    writeFileSync(b.path, JSON.stringify(stale));
    const json = await cli(root, 'ingest', 'status', '--output', 'json');
    expect(json.code).toBe(1);
    const report = JSON.parse(json.stdout) as { healthy: boolean; status_dir: string; consumers: (ConsumerStatus & { problems: string[] })[] };
    expect(report.healthy).toBe(false);
    expect(report.status_dir).toBe(dir);
    expect(report.consumers.map((c) => [c.instance, c.problems.length])).toEqual([['1', 0], ['2', 1]]);
    expect(report.consumers[1]!.problems[0]).toMatch(/^stale: no update for 60 s/);
    expect(readStatuses(dir)).toHaveLength(2);
  });
});
