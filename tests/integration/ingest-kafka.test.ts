/**
 * Kafka → staging against the real stack, with faults: the consumer killed mid-run, the
 * broker restarted mid-run, S3 unreachable, and a graceful SIGTERM. Each test has its
 * own topic, consumer group and staging prefix (or directory).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ROOT, checkStaging, committedOffsets, committedTotal, createTopic, deletePrefix, deleteTopics, highWatermarks, localObjects,
  produceEvents, runCli, stagedObjects, startCli, topicRecords, uniqueName, waitFor, type Cli,
} from './ingest-support.js';
import { ensureStack } from './stack.js';

const PREFIX = uniqueName('ingest');
const topics: string[] = [];

async function newTopic(label: string): Promise<{ topic: string; group: string; prefix: string }> {
  const topic = uniqueName(label);
  topics.push(topic);
  await createTopic(topic);
  return { topic, group: `${topic}-sink`, prefix: `${PREFIX}/${label}` };
}

/** Status files of the consumers (kept out of the repository's target folder). */
const STATUS_DIR = join(tmpdir(), PREFIX);

/** The consumer with a short session timeout, so a restarted one need not wait 30 s for its dead predecessor. */
function ingest(topic: string, group: string, flags: string[], env: NodeJS.ProcessEnv = {}): Cli {
  return startCli(['ingest', 'kafka', '--topic', topic, '--group', group, '--session-timeout-ms', '6000', '--progress-ms', '1000', '--status-dir', STATUS_DIR, ...flags], env);
}

interface StatusReport {
  healthy: boolean;
  consumers: { group: string; state: string; lag: number | null; partitions: number[]; records: number; files: number; commits: number; last_commit_at: string | null; problems: string[] }[];
}

/** `framework ingest status --output json`, for one group's consumers. */
async function ingestStatus(group: string): Promise<{ code: number | string; consumers: StatusReport['consumers'] }> {
  const r = await runCli(['ingest', 'status', '--status-dir', STATUS_DIR, '--output', 'json']);
  return { code: r.code, consumers: (JSON.parse(r.output) as StatusReport).consumers.filter((c) => c.group === group) };
}

async function expectExit(cli: Cli, code: number | string, timeoutMs: number): Promise<void> {
  const result = await Promise.race([cli.exit, new Promise((r) => setTimeout(() => r('timeout'), timeoutMs))]);
  if (result === 'timeout') cli.child.kill('SIGKILL');
  expect(result, cli.output()).toBe(code);
}

const total = async (topic: string) => [...(await highWatermarks(topic)).values()].reduce((a, b) => a + b, 0);

beforeAll(() => {
  if (!process.env.KAFKA_BROKERS) ensureStack();
});

afterAll(async () => {
  if (topics.length) await deleteTopics(topics).catch(() => {});
  await deletePrefix(PREFIX).catch(() => {});
  await rm(STATUS_DIR, { recursive: true, force: true });
});

describe('kafka → staging', () => {
  it('(a) SIGKILL mid-run, restart with --until-idle: every record staged once, files named by offsets', async () => {
    const { topic, group, prefix } = await newTopic('kill');
    const produced = await runCli(['generate', 'events', '--mode', 'window', '--events', '20000', '--windows', '3', '--to', 'kafka', '--topic', topic, '--seed', '11']);
    expect(produced.code, produced.output).toBe(0);
    const records = await total(topic);
    expect(records).toBeGreaterThan(60_000);

    const first = ingest(topic, group, ['--prefix', prefix, '--flush-size', '500']);
    await waitFor(async () => (await committedTotal(topic, group)) >= records * 0.3, 120_000, '30% committed');
    first.child.kill('SIGKILL');
    expect(await first.exit).toBe('SIGKILL');
    const committedAtKill = await committedTotal(topic, group);
    expect(committedAtKill, 'killed before everything was committed').toBeLessThan(records);

    const second = ingest(topic, group, ['--prefix', prefix, '--flush-size', '500', '--until-idle=3000']);
    await expectExit(second, 0, 180_000);
    const offsets = await committedOffsets(topic, group);
    expect(offsets).toEqual(await highWatermarks(topic));

    const check = checkStaging(topic, await topicRecords(topic), await stagedObjects(prefix));
    expect(check).toMatchObject({ missing: 0, extra: 0, misnamed: [] });
    expect(check.stagedLines).toBe(records);
  });

  it('(b) Kafka down for 30 s during ingestion: the consumer rides it out, nothing lost', async () => {
    const { topic, group, prefix } = await newTopic('broker');
    await produceEvents(topic, { events: 10_000, windows: 15 });
    const records = await total(topic);

    const consumer = ingest(topic, group, ['--prefix', prefix, '--flush-size', '1000', '--until-idle=5000']);
    try {
      await waitFor(async () => (await committedTotal(topic, group)) >= records * 0.1, 120_000, '10% committed');
      expect(await committedTotal(topic, group), 'Kafka restarted before the end of ingestion').toBeLessThan(records);
      // Longer than kafkajs's retries (~20 s): commits fail and the consumer crashes and restarts.
      await restartKafka(30_000);
      await expectExit(consumer, 0, 300_000);
    } finally {
      consumer.child.kill('SIGKILL');
      ensureKafkaRunning();
    }
    expect(consumer.output()).toMatch(/lag \? \(Kafka not answering\)|not taken|Crash|Connection/);
    const check = checkStaging(topic, await topicRecords(topic), await stagedObjects(prefix));
    expect(check).toMatchObject({ missing: 0, extra: 0, misnamed: [] });
  });

  it('(c) S3 unreachable: bounded retries, an error naming the endpoint, exit 1, nothing committed', async () => {
    const { topic, group, prefix } = await newTopic('s3down');
    await produceEvents(topic, { events: 5_000 });
    const endpoint = `http://127.0.0.1:${await closedPort()}`;
    const started = Date.now();
    const consumer = ingest(topic, group, ['--prefix', prefix, '--flush-size', '500', '--until-idle=2000', '--s3-max-attempts', '3'], { S3_ENDPOINT: endpoint });
    await expectExit(consumer, 1, 120_000);
    expect(Date.now() - started).toBeLessThan(60_000);
    expect(consumer.output()).toMatch(new RegExp(`error: writing s3://${process.env.S3_STAGING_BUCKET}/${prefix}/.* to ${endpoint} failed after 3 attempt\\(s\\): .*ECONNREFUSED`));
    expect(consumer.output()).not.toContain(process.env.S3_SECRET_ACCESS_KEY!);
    expect([...(await committedOffsets(topic, group)).values()]).toEqual([undefined, undefined, undefined]);
  });

  it('(d) SIGTERM: open files flushed to a local directory, offsets committed, exit 0', async () => {
    const { topic, group } = await newTopic('sigterm');
    await produceEvents(topic, { events: 10_000 });
    const records = await total(topic);
    const out = await mkdtemp(join(tmpdir(), 'ingest-sigterm-'));
    try {
      // Neither count nor time cuts: everything stays open until the signal.
      const consumer = ingest(topic, group, ['--out', out, '--flush-size', '1000000', '--rotate-interval-ms', '600000']);
      await waitFor(() => new RegExp(`${records} records \\(\\d+/s\\), lag 0,`).test(consumer.output()), 120_000, 'all records read');
      expect(await committedTotal(topic, group)).toBe(0);
      // Its health while it runs: every record read, nothing committed yet, all three partitions.
      const running = await ingestStatus(group);
      expect(running.consumers).toMatchObject([{ state: 'running', lag: 0, partitions: [0, 1, 2], records, commits: 0, last_commit_at: null, problems: [] }]);
      consumer.child.kill('SIGTERM');
      await expectExit(consumer, 0, 60_000);
      expect(await committedOffsets(topic, group)).toEqual(await highWatermarks(topic));
      // And after: stopped (which a health check must not call healthy), with the files and commits of the flush.
      const stopped = await ingestStatus(group);
      expect(stopped.code).toBe(1);
      expect(stopped.consumers).toMatchObject([{ state: 'stopped', records, problems: ['stopped'] }]);
      expect(stopped.consumers[0]!.files).toBe((await localObjects(out)).size);
      expect(stopped.consumers[0]!.commits).toBeGreaterThan(0);
      expect(stopped.consumers[0]!.last_commit_at).not.toBeNull();
      const check = checkStaging(topic, await topicRecords(topic), await localObjects(out));
      expect(check).toMatchObject({ missing: 0, extra: 0, misnamed: [] });
      // One window per partition: one file per partition and bucket.
      expect(check.objects).toBeLessThanOrEqual(3 * 2 + 3);
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  });
});

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

// ------------------------------------------------------- restarting Kafka only

const STACK_HOME = process.env.STACK_HOME ?? join(ROOT, '.stack');

/** The broker's pid, trusted only if its command line points into this stack (as scripts/stack/lib.sh does). */
function kafkaPid(): number | undefined {
  const file = join(STACK_HOME, 'run', 'kafka.pid');
  if (!existsSync(file)) return undefined;
  const pid = Number(readFileSync(file, 'utf8').trim());
  const cmdline = `/proc/${pid}/cmdline`;
  return existsSync(cmdline) && readFileSync(cmdline, 'utf8').includes(STACK_HOME) ? pid : undefined;
}

/** SIGTERM (Kafka's controlled shutdown, as down.sh does), `downMs` later up.sh starts just what is missing: Kafka. */
async function restartKafka(downMs: number): Promise<void> {
  const pid = kafkaPid();
  if (pid === undefined) throw new Error(`no Kafka of this stack is running (${STACK_HOME}/run/kafka.pid)`);
  process.kill(pid, 'SIGTERM');
  await waitFor(() => !existsSync(`/proc/${pid}`), 90_000, `Kafka (pid ${pid}) to stop`);
  await new Promise((r) => setTimeout(r, downMs));
  ensureKafkaRunning();
}

function ensureKafkaRunning(): void {
  if (kafkaPid() === undefined) execFileSync('bash', [join(ROOT, 'scripts/stack/up.sh')], { stdio: ['ignore', 'inherit', 'inherit'] });
}
