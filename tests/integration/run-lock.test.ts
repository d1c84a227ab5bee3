/**
 * Issue 17, item 4: the run lock of a Trino target lives in its storage, so runs from different
 * hosts exclude each other. Two copies of one project in separate folders (separate target/
 * folders, so their file locks never meet) race on the prod target; the second copy's CLI is a
 * second host: a different host name (its own UTS namespace, `unshare --uts`), so only the lease,
 * never a pid check, can tell it is dead. Both copies write to a schema and a lock object of this
 * file's own (run_lock.location in their profiles), with a 10 s lease and a 2 s heartbeat.
 *
 * - A holds the lock with a statement that runs until stopped; B exits naming the holder; B with
 *   --wait waits; SIGTERM of A cancels and releases; B then runs (no takeover: A let go).
 * - Host B holds it and is SIGKILLed with its statement running on Trino; A, right away, is
 *   refused; A with --wait takes over once the lease has passed, having stopped the dead run's
 *   statement first (settle), then runs.
 */
import { randomBytes } from 'node:crypto';
import { DeleteObjectCommand } from '@aws-sdk/client-s3';
import { cpSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseLease, type LeaseRecord } from '../../framework/state/lease.js';
import { s3Object } from '../../framework/storage/s3-conditional.js';
import { s3, startCli, waitFor, type Cli } from './ingest-support.js';
import { dropSchemas, rows, trinoProject } from './support.js';
import { tempDir } from '../unit/support/project.js';

const run = randomBytes(3).toString('hex');
const schema = `it_runlock_${run}`;
const lockUri = `s3://warehouse/_it_runlock_${run}/lock.json`;
const OTHER_HOST = `host-b-${run}`;

/** Runs until stopped: a trillion-row cross join. */
const SLOW = '{{config materialized="table"}}select count(*) as n from unnest(sequence(1, 10000)) a(x) cross join unnest(sequence(1, 10000)) b(y) cross join unnest(sequence(1, 10000)) c(z)';

let copyA: string;
let copyB: string;

beforeAll(() => {
  // trinoProject loads the stack's environment; the second copy is the first one's files.
  const lock = `    run_lock: {location: "${lockUri}", lease_seconds: 10, heartbeat_seconds: 2}\n`;
  copyA = trinoProject({ 'models/slow.sql': SLOW, 'models/fast.sql': 'select 1 as id' }, schema, lock).root;
  copyB = tempDir('runlock-b-');
  cpSync(copyA, copyB, { recursive: true });
});

afterAll(async () => {
  await dropSchemas(schema);
  const client = s3();
  await client.send(new DeleteObjectCommand({ Bucket: 'warehouse', Key: lockUri.replace('s3://warehouse/', '') }));
  client.destroy();
});

const cli = (root: string, args: string[], host?: string): Cli =>
  startCli(['run', '--project-dir', root, '--target', 'prod', ...args], {}, undefined, host ? ['unshare', '--uts', 'sh', '-c', 'hostname "$0" && exec "$@"', host] : []);

async function lockRecord(): Promise<LeaseRecord | undefined> {
  const object = s3Object(lockUri);
  try {
    const seen = await object.read();
    return seen && parseLease(seen.text);
  } finally {
    object.close();
  }
}

/** Waits until `cli` holds the lock and its statement runs on Trino; the query id. */
async function slowRunning(cli: Cli): Promise<string> {
  await waitFor(async () => (await lockRecord())?.pid === cli.child.pid && !(await lockRecord())?.released, 60_000, 'the holder to take the lock');
  const tag = (await lockRecord())!.tag!;
  let id = '';
  await waitFor(async () => {
    const found = await rows(`select query_id from system.runtime.queries where source = 'framework/${tag}' and state = 'RUNNING' and query like '%unnest%'`);
    id = String(found[0]?.query_id ?? '');
    return Boolean(id);
  }, 60_000, 'the slow statement to run');
  return id;
}

describe('a run lock every host sees (Trino target, lock in S3)', () => {
  it('a second copy exits naming the holder, or waits with --wait; SIGTERM releases the lock', async () => {
    const a = cli(copyA, ['--select', 'slow']);
    await slowRunning(a);
    const holder = (await lockRecord())!;
    expect(holder).toMatchObject({ pid: a.child.pid, command: 'framework run', lease_ms: 10_000 });

    const refused = cli(copyB, ['--select', 'fast']);
    expect(await refused.exit).toBe(1);
    expect(refused.output()).toContain(`another run holds the lock ${lockUri}: pid ${a.child.pid} on ${holder.host}, "framework run" since ${holder.started}; use --wait`);

    const waiting = cli(copyB, ['--select', 'fast', '--wait']);
    let waitingExited = false;
    void waiting.exit.then(() => (waitingExited = true));
    // Three heartbeats of A later the waiting run still waits.
    await new Promise((r) => setTimeout(r, 6_000));
    expect(waitingExited).toBe(false);
    expect((await lockRecord())?.pid).toBe(a.child.pid);

    a.child.kill('SIGTERM');
    expect(await a.exit).toBe(130);
    expect(await waiting.exit).toBe(0);
    expect(waiting.output()).toContain('OK view model');
    expect(waiting.output()).not.toContain('taking the run lock over');
    expect(await lockRecord()).toMatchObject({ pid: waiting.child.pid, released: expect.any(String) });
  });

  it("SIGKILL of a holder on another host: refused until its lease passes, then taken over after settling the dead run's statement", async () => {
    const b = cli(copyB, ['--select', 'slow'], OTHER_HOST);
    const statement = await slowRunning(b);
    expect(await lockRecord()).toMatchObject({ host: OTHER_HOST, command: 'framework run' });
    b.child.kill('SIGKILL');
    expect(await b.exit).toBe('SIGKILL');

    const refused = cli(copyA, ['--select', 'fast']);
    expect(await refused.exit).toBe(1);
    expect(refused.output()).toContain(`pid ${b.child.pid} on ${OTHER_HOST}, "framework run" since`);

    const taking = cli(copyA, ['--select', 'fast', '--wait']);
    expect(await taking.exit).toBe(0);
    const out = taking.output();
    expect(out).toMatch(new RegExp(`taking the run lock over from pid ${b.child.pid} on ${OTHER_HOST}, "framework run" since \\S+: not renewed for \\d+ s \\(lease 10 s\\)`));
    expect(out).toContain(`died leaving 1 statement(s) on the engine: stopped or waited for (${statement})`);
    expect(out.indexOf('died leaving')).toBeLessThan(out.indexOf('START view model'));
    const [killed] = await rows(`select state, error_code from system.runtime.queries where query_id = '${statement}'`);
    expect(killed).toMatchObject({ state: 'FAILED' });
    expect(await lockRecord()).toMatchObject({ pid: taking.child.pid, released: expect.any(String) });
  });
});
