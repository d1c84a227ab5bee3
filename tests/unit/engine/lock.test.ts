import { mkdirSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { acquireLock } from '../../../framework/execute/lock.js';
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

  it('two concurrent takers: exactly one wins', async () => {
    const root = tempProject({});
    const outcomes = await Promise.allSettled([acquireLock(lockOf(root), 'a', { wait: false }), acquireLock(lockOf(root), 'b', { wait: false })]);
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
  });
});
