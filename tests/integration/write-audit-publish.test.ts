/**
 * Issue 17 item 3 on the real stack: write–audit–publish in `build --target prod` (Trino/Iceberg).
 *
 * 1. The Reciping project (its own schemas, its own S3 prefix; builds of +fact_user_events): window
 *    0 builds cleanly; window 1 brings one event without a user_segment, the latest event of a
 *    user who has later events in window 2. Silver's tests allow a NULL segment (accepted_values
 *    skips NULLs), so it reaches dim_user, whose not_null test fails on the staged table: build
 *    exits 1 naming the test, dim_user is exactly as before (same rows, same snapshot), the fact
 *    was not rebuilt, and the audit schema holds the new dim_user with the bad row. Window 2 (that
 *    user's later events) builds cleanly and publishes.
 * 2. A small project killed by SIGKILL while its audit runs, and while its publish runs: the audit
 *    kill leaves the published tables as they were; the publish kill leaves them as they were or as
 *    the publish made them (Trino runs a killed client's statement to its commit, never half); the
 *    rerun equals an uninterrupted build in schemas of its own.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../unit/support/project.js';
import { deletePrefix, startCli } from './ingest-support.js';
import { generateWindows, upload, type StagedWindows } from './late-windows.js';
import { ensureStack } from './stack.js';
import { copyProject, dropCopy, fingerprint, ok, rows, runResults, trinoProject } from './support.js';

const run = randomBytes(3).toString('hex');
const prefix = `it-wap-${run}`;
/** Every Iceberg/Hive schema of this file starts with this. */
const schemas = `it_wap_${run}`;
const table = (schema: string, name: string) => `iceberg."${schemas}_${schema}"."${name}"`;
const DIM_USER = table('gold_analytics', 'dim_user');
const FACT = table('gold_analytics', 'fact_user_events');
const DIM_COLUMNS = ['user_sk', 'user_id', 'anonymous_id', 'user_segment', 'cooking_style', 'ab_test_group', 'activity_level', 'first_seen_kst', 'last_seen_kst'];

beforeAll(() => {
  if (!process.env.S3_ENDPOINT) ensureStack();
});

afterAll(async () => {
  await deletePrefix(prefix).catch(() => {});
  await dropCopy(schemas).catch(() => {});
});

/** One more staged file in window 1: a copy of a user's event without a segment, later than the user's other window-1 events. */
function badEvent(staged: StagedWindows): { file: string; eventId: string; userId: number } {
  const lines = (files: string[]) => files.flatMap((f) => readFileSync(join(staged.dir, f), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>));
  const later = new Set(lines([...staged.windows[2]!.onTime, ...staged.windows[2]!.late]).map((e) => e.user_id));
  const event = lines(staged.windows[1]!.onTime).find((e) => later.has(e.user_id))!;
  const context = typeof event.context === 'string' ? JSON.parse(event.context) : event.context;
  const eventId = randomUUID();
  const { user_segment: _, ...withoutSegment } = context as Record<string, unknown>;
  const bad = { ...event, event_id: eventId, context: withoutSegment, timestamp: '2025-09-01T00:29:59.000+09:00' };
  const file = join(dirname(staged.windows[1]!.onTime[0]!), 'replay-user-events+9+0000000000.json');
  writeFileSync(join(staged.dir, file), JSON.stringify(bad) + '\n');
  return { file, eventId, userId: Number(event.user_id) };
}

const currentSnapshot = async (t: string) => String((await rows(`select snapshot_id from ${t.replace(/"$/, '$snapshots"')} order by committed_at desc limit 1`))[0]!.snapshot_id);

describe('write–audit–publish on the prod target', () => {
  it('an event failing an error-severity test of dim_user is never published: build exits 1, the audit schema keeps it, the next clean window publishes', async () => {
    const root = copyProject(schemas);
    // A run lock of its own: copies of Reciping share the target's schema, hence its default lock.
    const profiles = join(root, 'profiles.yml');
    writeFileSync(profiles, readFileSync(profiles, 'utf8').replace(/(\n  prod:\n)/, `$1    run_lock: {location: "s3://warehouse/_it_wap_${run}/lock.json"}\n`));
    const vars = JSON.stringify({ staging_location: `s3://${process.env.S3_STAGING_BUCKET}/${prefix}/replay-user-events/` });
    // The fact and what it is built from (the analytics views add time, not coverage).
    const prod = ['--target', 'prod', '--vars', vars, '--select', '+fact_user_events'];
    const staged = await generateWindows(root, 3, 300);
    const windowFiles = (k: number) => [...staged.windows[k]!.onTime, ...staged.windows[k]!.late];
    await upload(staged, prefix, windowFiles(0));
    await ok(root, 'build', ...prod);
    const before = { dim: await fingerprint(DIM_USER, DIM_COLUMNS), snapshot: await currentSnapshot(DIM_USER), fact: await currentSnapshot(FACT) };

    const bad = badEvent(staged);
    await upload(staged, prefix, [...windowFiles(1), bad.file]);
    const failed = await cli(root, 'build', ...prod);
    expect(failed.code, failed.stdout).toBe(1);
    const results = runResults(root).results;
    const status = (id: string) => results.find((r) => r.unique_id === id)!;
    const segmentTest = results.find((r) => r.unique_id === 'test.reciping.not_null_dim_user_user_segment')!;
    expect(segmentTest.status).toBe('fail');
    expect(status('model.reciping.dim_user').status).toBe('error');
    expect(status('model.reciping.dim_user').message).toContain('not published: test not_null_dim_user_user_segment');
    expect(status('model.reciping.fact_user_events').status).toBe('skipped');
    // Nothing else failed.
    expect(results.filter((r) => r.status === 'fail' || r.status === 'error').map((r) => r.unique_id).sort()).toEqual(['model.reciping.dim_user', segmentTest.unique_id]);
    // Silver took the event (its tests allow it); what consumers read from gold did not change.
    expect(await rows(`select count(*) as n from ${table('recipe_analytics', 'user_events_silver')} where event_id = '${bad.eventId}'`)).toEqual([{ n: 1 }]);
    expect({ dim: await fingerprint(DIM_USER, DIM_COLUMNS), snapshot: await currentSnapshot(DIM_USER), fact: await currentSnapshot(FACT) }).toEqual(before);
    expect(await rows(`select count(*) as n from ${FACT} where event_id = '${bad.eventId}'`)).toEqual([{ n: 0 }]);
    const audit = table('gold_analytics_audit', 'dim_user__audit');
    expect(await rows(`select user_id from ${audit} where user_segment is null`)).toEqual([{ user_id: bad.userId }]);
    expect(await rows(`select count(*) as n from ${table('gold_analytics_audit', segmentTest.unique_id.split('.').pop()!)}`)).toEqual([{ n: 1 }]);

    await upload(staged, prefix, windowFiles(2));
    await ok(root, 'build', ...prod);
    expect(await rows(`select count(*) as n from ${DIM_USER} where user_segment is null`)).toEqual([{ n: 0 }]);
    expect(await rows(`select count(*) as n from ${FACT} where event_id = '${bad.eventId}'`)).toEqual([{ n: 1 }]);
    expect(await rows(`select count(*) as n from iceberg.information_schema.tables where table_schema = '${schemas}_gold_analytics_audit' and table_name = 'dim_user__audit'`)).toEqual([{ n: 0 }]);
  });

  /** A table model and a merge model; a singular test slow enough (cross join) to be caught running. */
  const small = (rowsOf: number) => ({
    'models/dim.sql': `{{config materialized="table"}}select x as id, x % 7 as k from unnest(sequence(1, ${rowsOf})) as t(x)`,
    'models/inc.sql': `{{config materialized="incremental" unique_key="id"}}select id, k * 10 as v from {{ref "dim"}}`,
    'models/m.yml': 'models:\n  - name: dim\n    columns:\n      - name: id\n        tests: [unique]\n  - name: inc\n    columns:\n      - name: id\n        tests: [unique, not_null]\n',
    'tests/data/slow_inc.sql': 'select i.id from {{ref "inc"}} as i cross join unnest(sequence(1, 20000)) as s(x) where i.v < 0 and x < 0',
  });
  const fingerprints = async (schema: string) => ({ dim: await fingerprint(`iceberg."${schema}"."dim"`, ['id', 'k']), inc: await fingerprint(`iceberg."${schema}"."inc"`, ['id', 'v']) });

  /** Start `framework build` and SIGKILL it when Trino runs a statement of it matching `pattern`. */
  async function killWhenRunning(root: string, pattern: RegExp): Promise<string> {
    // --wait: a killed build's lock is taken over after its lease (10 s here).
    const build = startCli(['build', '--project-dir', root, '--target', 'prod', '--wait']);
    let seen: string | undefined;
    for (const started = Date.now(); !seen && Date.now() - started < 120_000; await new Promise((r) => setTimeout(r, 25))) {
      if (build.child.exitCode !== null) break;
      const running = await rows(`select query from system.runtime.queries where state in ('RUNNING', 'PLANNING', 'STARTING', 'QUEUED') and user = 'framework'`);
      seen = running.map((r) => String(r.query)).find((q) => pattern.test(q));
    }
    build.child.kill('SIGKILL');
    expect(await build.exit, `never saw ${pattern}:\n${build.output()}`).toBe('SIGKILL');
    return seen!;
  }

  /** Waits until no write statement of the framework naming `schema` runs on Trino. */
  async function writesSettled(schema: string): Promise<void> {
    const writing = async () =>
      (await rows(`select query from system.runtime.queries where state not in ('FINISHED', 'FAILED') and user = 'framework'`)).some((r) => {
        const q = String(r.query);
        return q.includes(schema) && /^\s*(insert|merge|create|delete|update|alter|drop)\b/i.test(q);
      });
    for (const started = Date.now(); (await writing()) && Date.now() - started < 120_000; ) await new Promise((r) => setTimeout(r, 200));
  }

  it('SIGKILL during the audit or the publish leaves the previously published state; the rerun equals an uninterrupted build', async () => {
    const lock = '    run_lock: {lease_seconds: 10, heartbeat_seconds: 2}\n';
    const killed = trinoProject(small(2000), `${schemas}_k`, lock);
    const reference = trinoProject(small(3000), `${schemas}_r`, lock);
    await ok(killed.root, 'build');
    const first = await fingerprints(killed.schema);
    await ok(reference.root, 'build');
    const expected = await fingerprints(reference.schema);

    // More rows: killed while the slow test audits inc's staged rows.
    writeFileSync(join(killed.root, 'models/dim.sql'), small(3000)['models/dim.sql']);
    await killWhenRunning(killed.root, /cross join unnest\(sequence\(1, 20000\)\)/);
    // dim was published by then (its audit passed), inc was not.
    expect(await fingerprints(killed.schema)).toEqual({ dim: expected.dim, inc: first.inc });

    // Killed while inc's publish (the MERGE from the staged rows) runs: before or after it, never between.
    // Trino runs a killed client's writes to their commit: replacing inc while one commits conflicts.
    await writesSettled(killed.schema);
    await rows(`create or replace table iceberg."${killed.schema}"."inc" as select id, v from iceberg."${killed.schema}"."inc" where id <= 2000`);
    await killWhenRunning(killed.root, /merge into .*"inc".* from "[^"]+_audit"\."inc__audit"/is);
    expect([first.inc, expected.inc]).toContainEqual((await fingerprints(killed.schema)).inc);

    // The rerun takes the dead run's lock over once its statements settled, and ends as the reference.
    const rerun = await cli(killed.root, 'build', '--target', 'prod', '--wait');
    expect(rerun.code, rerun.stdout + rerun.stderr).toBe(0);
    expect(await fingerprints(killed.schema)).toEqual(expected);
  });
});
