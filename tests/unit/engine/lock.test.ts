import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { acquireLock } from '../../../framework/state/lock.js';
import { cli, tempProject } from '../support/project.js';

const lockOf = (root: string) => join(root, 'target/locks/dev.lock');

describe('one active run per project and target', () => {
  it('a second run exits naming the holder; --wait queues behind it', async () => {
    const root = tempProject({ 'models/m.sql': 'select 1 as id' });
    const release = await acquireLock(lockOf(root), 'framework run (test holder)', { wait: false });
    const refused = await cli(root, 'run');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`pid ${process.pid} on ${hostname()}, "framework run (test holder)" since`);
    expect(refused.stderr).toContain('use --wait');
    setTimeout(release, 300);
    const waited = await cli(root, 'run', '--wait');
    expect(waited.code).toBe(0);
  });

  it('a lock left by a dead process is taken over', async () => {
    const root = tempProject({ 'models/m.sql': 'select 1 as id' });
    mkdirSync(join(root, 'target/locks'), { recursive: true });
    writeFileSync(lockOf(root), JSON.stringify({ pid: 2 ** 22 + 12345, host: hostname(), started: '2025-01-01T00:00:00Z', command: 'framework run' }));
    const r = await cli(root, 'run');
    expect(r.code).toBe(0);
  });

  it('taking over from a dead holder settles what it left first (its engine tag), holding the lock; a failure releases it', async () => {
    const root = tempProject({});
    const deadHolder = { pid: 2 ** 22 + 12345, host: hostname(), started: '2025-01-01T00:00:00Z', command: 'framework build', tag: 'dead-run' };
    mkdirSync(join(root, 'target/locks'), { recursive: true });
    writeFileSync(lockOf(root), JSON.stringify(deadHolder));
    const seen: unknown[] = [];
    const release = await acquireLock(lockOf(root), 'framework run', {
      wait: false,
      tag: 'me',
      onTakeover: async (dead) => {
        seen.push(dead);
        // Held while settling: another run is refused.
        await expect(acquireLock(lockOf(root), 'third', { wait: false })).rejects.toThrow(/holds the lock .*"framework run"/);
      },
    });
    expect(seen).toEqual([deadHolder]);
    expect(JSON.parse(readFileSync(lockOf(root), 'utf8')).tag).toBe('me');
    release();

    writeFileSync(lockOf(root), JSON.stringify(deadHolder));
    await expect(acquireLock(lockOf(root), 'framework run', { wait: false, onTakeover: () => Promise.reject(new Error('engine unreachable')) })).rejects.toThrow('engine unreachable');
    expect(existsSync(lockOf(root))).toBe(false);
    // Taking a lock that nobody held calls nothing.
    let called = false;
    (await acquireLock(lockOf(root), 'framework run', { wait: false, onTakeover: async () => void (called = true) }))();
    expect(called).toBe(false);
  });

  it('two concurrent takers: exactly one wins', async () => {
    const root = tempProject({});
    const outcomes = await Promise.allSettled([acquireLock(lockOf(root), 'a', { wait: false }), acquireLock(lockOf(root), 'b', { wait: false })]);
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
  });
});
