/**
 * Issue 5, "Faults": the consumer killed mid-batch and restarted. Every produced event_id must be
 * in staging at least once and in silver exactly once, and a second build must change nothing.
 *
 * Black-box: events go to a fresh topic with `framework generate events --to kafka`, the
 * consumer is `framework ingest kafka` as a child process, bronze → silver is `framework build`
 * of a copy of the Reciping project on the prod (Trino) target; the checks read Kafka, the
 * staged S3 objects and the Iceberg tables.
 *
 * Mid-batch, for certain rather than by luck: a first part (3 days of events) is produced and
 * staged until fully committed; then a second part spread over 5 other days (~500 15-minute
 * buckets, so every cut window of a partition is hundreds of small files written before its one
 * commit) is produced while the consumer runs. It is SIGKILLed as soon as the first file of the
 * second part appears, and the test then checks, from the committed offsets and the staged
 * names, that files had been written past the committed offsets (a batch in flight) and that the
 * topic was not drained.
 */
import { rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  checkStaging, committedOffsets, committedTotal, createTopic, deletePrefix, deleteTopics, highWatermarks, runCli, stagedFileStart,
  stagedKeys, stagedObjects, startCli, topicRecords, uniqueName, waitFor, withAdmin, type Cli,
} from './ingest-support.js';
import { ensureStack } from './stack.js';
import { copyProject, dropSchemas, fingerprint, manifestRelations, ok, rows } from './support.js';

const topic = uniqueName('exactly-once');
const group = `${topic}-sink`;
const prefix = topic;
/** Every Iceberg/Hive schema of this file starts with this (the project copy's and the check's). */
const schemas = `it_eo_${randomBytes(3).toString('hex')}`;
const GENERATE = ['generate', 'events', '--to', 'kafka', '--topic', topic, '--mode', 'bulk', '--malformed-rate', '0', '--log-format', 'json'];
/** Committed and staged first, before the consumer is killed. */
const FIRST = ['--start', '2025-08-04', '--end', '2025-08-06', '--events', '10000', '--seed', '21'];
/** Produced while the consumer runs; the only part in September, so its files are easy to spot. */
const SECOND = ['--start', '2025-09-01', '--end', '2025-09-05', '--events', '25000', '--seed', '22'];
const SECOND_FILES = `${prefix}/${topic}/year=2025/month=09`;

const consumers: Cli[] = [];
let root: string | undefined;

/** The consumer with a short session timeout, so the restarted one need not wait 30 s for its dead predecessor. */
function ingest(flags: string[]): Cli {
  const cli = startCli(['ingest', 'kafka', '--topic', topic, '--group', group, '--prefix', prefix, '--session-timeout-ms', '6000', '--progress-ms', '1000', ...flags]);
  consumers.push(cli);
  return cli;
}

async function generate(args: string[]): Promise<{ events: number; lines: number }> {
  const r = await runCli([...GENERATE, ...args]);
  expect(r.code, r.output).toBe(0);
  const stats = JSON.parse(r.output.split('\n').find((l) => l.includes('"event":"generated"'))!) as { events: number; lines: number; malformed: number };
  expect(stats.malformed).toBe(0);
  return stats;
}

const sum = (values: Iterable<number | undefined>) => [...values].reduce<number>((a, b) => a + (b ?? 0), 0);
const eventId = (line: string) => (JSON.parse(line) as { event_id: string }).event_id;

beforeAll(async () => {
  if (!process.env.KAFKA_BROKERS) ensureStack();
  await createTopic(topic);
});

afterAll(async () => {
  for (const c of consumers) if (c.child.exitCode === null && c.child.signalCode === null) c.child.kill('SIGKILL');
  await deleteTopics([topic]).catch(() => {});
  await withAdmin((admin) => admin.deleteGroups([group])).catch(() => {});
  await deletePrefix(prefix).catch(() => {});
  await dropSchemas(`${schemas}_`).catch(() => {});
  if (root) rmSync(root, { recursive: true, force: true });
});

describe('consumer killed mid-batch: staging at least once, silver exactly once', () => {
  let started: number;
  /** Every event_id produced to the topic. */
  let produced: Set<string>;
  let generated = 0;

  it('SIGKILL mid-batch, restart with --until-idle: every produced event_id is staged at least once', async () => {
    started = Date.now();
    const first = await generate(FIRST);
    const consumer = ingest(['--rotate-interval-ms', '2000']);
    await waitFor(async () => (await committedTotal(topic, group)) >= first.lines, 120_000, `the first ${first.lines} records committed`);

    const producing = generate(SECOND);
    await waitFor(async () => consumer.child.exitCode !== null || (await stagedKeys(SECOND_FILES)).length > 0, 120_000, 'the first file of the second part');
    consumer.child.kill('SIGKILL');
    expect(await consumer.exit, consumer.output()).toBe('SIGKILL');
    const second = await producing;
    generated = first.events + second.events;

    // The kill was mid-batch: files written beyond a partition's committed offset (their window
    // not committed), after earlier batches were committed, before the topic was drained.
    const highAtKill = sum((await highWatermarks(topic)).values());
    // The log also holds the consumer's flush markers, which are no events.
    const records = (await topicRecords(topic)).size;
    expect(records).toBe(first.lines + second.lines);
    const committedAtKill = await committedOffsets(topic, group);
    const keysAtKill = await stagedKeys(prefix);
    const inFlight = keysAtKill.filter((key) => {
      const start = stagedFileStart(key)!;
      return start.offset >= (committedAtKill.get(start.partition) ?? 0);
    });
    expect(sum(committedAtKill.values()), 'batches committed before the kill').toBeGreaterThanOrEqual(first.lines);
    expect(sum(committedAtKill.values()), 'killed before the topic was drained').toBeLessThan(highAtKill);
    expect(inFlight.length, 'files written but not committed at the kill').toBeGreaterThan(0);

    const restarted = ingest(['--rotate-interval-ms', '2000', '--until-idle=3000']);
    const code = await Promise.race([restarted.exit, new Promise((r) => setTimeout(() => r('timeout'), 180_000))]);
    expect(code, restarted.output()).toBe(0);
    expect(await committedOffsets(topic, group)).toEqual(await highWatermarks(topic));

    const topicLines = await topicRecords(topic);
    produced = new Set([...topicLines.values()].map(eventId));
    expect(produced.size, 'distinct event_ids in the topic = events generated').toBe(generated);

    const objects = await stagedObjects(prefix);
    const check = checkStaging(topic, topicLines, objects);
    expect(check.missing, 'records of the topic in no staged object').toBe(0);
    expect(check.misnamed).toEqual([]);
    const stagedCopies = new Map<string, number>();
    for (const body of objects.values()) for (const line of body.split('\n').slice(0, -1)) stagedCopies.set(eventId(line), (stagedCopies.get(eventId(line)) ?? 0) + 1);
    expect([...produced].filter((id) => !stagedCopies.has(id)), 'produced event_ids missing from staging').toEqual([]);
    expect(stagedCopies.size).toBe(produced.size);

    console.log(
      `[exactly-once] ${generated} events, ${records} records produced; killed with ${sum(committedAtKill.values())} committed, ` +
        `${keysAtKill.length} objects staged of which ${inFlight.length} past the committed offsets; after the restart ` +
        `${check.objects} objects, ${check.stagedLines} lines: ${check.extra} duplicate line(s) from the kill, ` +
        `${[...stagedCopies.values()].filter((n) => n > 1).length} event_ids staged more than once (incl. the generator's re-deliveries); ` +
        `${((Date.now() - started) / 1000).toFixed(0)} s so far`,
    );
  });

  describe('bronze → silver on Trino over that staging prefix', () => {
    let silver: string;
    let vars: string;
    // Tests come along when any model they read is selected (eager, as in dbt): those that also
    // read gold are left out with gold itself.
    const build = () => ok(root!, 'build', '--target', 'prod', '--select', '+user_events_silver', '--exclude', 'tag:gold+', '--vars', vars);

    beforeAll(() => {
      root = copyProject(schemas);
      vars = JSON.stringify({ staging_location: `s3://${process.env.S3_STAGING_BUCKET}/${prefix}/${topic}/` });
    });

    it('silver holds every produced event_id exactly once', async () => {
      expect(produced?.size, 'the staging test ran').toBeGreaterThan(0);
      await build();
      const relations = manifestRelations(root!);
      expect([...relations.values()].filter((r) => !r.schema.startsWith(`${schemas}_`)), 'relations outside the isolated schemas').toEqual([]);
      const rel = relations.get('model.reciping.user_events_silver')!;
      silver = `iceberg."${rel.schema}"."${rel.name}"`;

      // The produced ids as a table, for a set comparison inside Trino.
      const expected = `iceberg."${schemas}_expected".produced_event_ids`;
      await rows(`create schema iceberg."${schemas}_expected" with (location = 's3://warehouse/${schemas}_expected')`);
      await rows(`create table ${expected} (event_id varchar)`);
      const ids = [...produced];
      for (let i = 0; i < ids.length; i += 5000) await rows(`insert into ${expected} values ${ids.slice(i, i + 5000).map((id) => `('${id.replace(/'/g, "''")}')`).join(', ')}`);

      const [r] = await rows(`
        select (select count(*) from ${silver}) as n,
               (select count(distinct event_id) from ${silver}) as distinct_ids,
               (select count(*) from (select event_id from ${expected} except select event_id from ${silver})) as missing,
               (select count(*) from (select event_id from ${silver} except select event_id from ${expected})) as unexpected`);
      expect(Object.fromEntries(Object.entries(r!).map(([k, v]) => [k, Number(v)]))).toEqual({ n: produced.size, distinct_ids: produced.size, missing: 0, unexpected: 0 });
    });

    it('a second build changes nothing in silver', async () => {
      expect(silver, 'silver was built').toBeDefined();
      const columns = ['event_id', 'event_name', 'user_id', 'kst_timestamp', 'source_file', 'bronze_ingestion_timestamp', 'processed_at'];
      const before = await fingerprint(silver, columns);
      await build();
      expect(await fingerprint(silver, columns)).toEqual(before);
      expect(before.n).toBe(produced.size);
      console.log(`[exactly-once] silver ${before.n} rows (checksum ${before.h}), unchanged by the second build; ${((Date.now() - started) / 1000).toFixed(0)} s in all`);
    });
  });
});
