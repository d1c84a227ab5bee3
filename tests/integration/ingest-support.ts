/**
 * Helpers of the Kafka → staging tests and benchmark: the CLI as a child process, topics,
 * reading a topic and a staging prefix back, and the check that staging holds every
 * record of a topic exactly once in files named by their first record.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFile, readdir } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { DeleteObjectsCommand, GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { Kafka, logLevel } from 'kafkajs';
import { generateEvents, type GenerateOptions, type GenerateStats } from '../../extensions/reciping/datagen/index.js';
import { kafkaSink } from '../../extensions/reciping/datagen/sinks/kafka.js';
import { isFlushMarker } from '../../framework/ingest/flush-marker.js';
import { parseOffset } from '../../framework/ingest/offsets.js';

export const ROOT = join(import.meta.dirname, '../..');

/** The CLI's entry: its main() from `module`, by default straight from the TypeScript sources (through tsx). */
const entry = (module: string) => `const { main } = await import('${module}'); process.exitCode = await main(process.argv.slice(1));`;

export interface Cli {
  child: ChildProcess;
  /** stdout and stderr so far. */
  output(): string;
  /** Exit code, or the signal's name when killed. */
  exit: Promise<number | string>;
}

/**
 * `compiled`: a directory tsc built framework/ into (bench), run without the TypeScript loader.
 * `command`: a program that runs the node command line in turn (e.g. `unshare`).
 */
export function startCli(args: string[], env: NodeJS.ProcessEnv = {}, compiled?: string, command: string[] = []): Cli {
  const [program, ...argv] = [...command, ...cliArgv(args, compiled)];
  const child = spawn(program!, argv, {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exit = new Promise<number | string>((resolve) => child.on('exit', (code, signal) => resolve(code ?? signal ?? -1)));
  return { child, output: () => output, exit };
}

/** The command line running the CLI with `args` (node and its flags first), from ROOT. */
export function cliArgv(args: string[], compiled?: string): string[] {
  const loader = compiled ? ['-e', entry(join(compiled, 'cli/main.js'))] : ['--import', 'tsx', '-e', entry('./framework/cli/main.ts')];
  return [process.execPath, '--input-type=module', ...loader, ...args];
}

export async function runCli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number | string; output: string }> {
  const cli = startCli(args, env);
  const code = await cli.exit;
  return { code, output: cli.output() };
}

export const uniqueName = (label: string) => `it-${label}-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;

export async function waitFor(condition: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

// ------------------------------------------------------------------ Kafka

export function kafka(): Kafka {
  return new Kafka({ clientId: 'it-ingest', brokers: process.env.KAFKA_BROKERS!.split(','), logLevel: logLevel.ERROR });
}

export async function withAdmin<T>(work: (admin: ReturnType<Kafka['admin']>) => Promise<T>): Promise<T> {
  const admin = kafka().admin();
  await admin.connect();
  try {
    return await work(admin);
  } finally {
    await admin.disconnect();
  }
}

export const createTopic = (topic: string, partitions = 3) =>
  withAdmin((admin) => admin.createTopics({ topics: [{ topic, numPartitions: partitions, replicationFactor: 1 }], waitForLeaders: true }));

export const deleteTopics = (topics: string[]) => withAdmin((admin) => admin.deleteTopics({ topics }));

/** Generated events produced to `topic` in-process with the Kafka sink. */
export function produceEvents(topic: string, options: Partial<GenerateOptions> = {}): Promise<GenerateStats> {
  return generateEvents(
    { seed: 7, mode: 'window', start: '2025-09-01T00:00:00+09:00', events: 10_000, duplicateRate: 0.007, malformedRate: 0.001, ...options },
    kafkaSink({ brokers: process.env.KAFKA_BROKERS!.split(','), topic }),
  );
}

/** Committed offset of `groupId` per partition (undefined: none). */
export const committedOffsets = (topic: string, groupId: string) =>
  withAdmin(async (admin) => {
    const [offsets] = await admin.fetchOffsets({ groupId, topics: [topic] });
    return new Map(offsets!.partitions.map((p) => [p.partition, parseOffset(p.offset)]));
  });

export const highWatermarks = (topic: string) =>
  withAdmin(async (admin) => new Map((await admin.fetchTopicOffsets(topic)).map((p) => [p.partition, Number(p.high)])));

export async function committedTotal(topic: string, groupId: string): Promise<number> {
  return [...(await committedOffsets(topic, groupId)).values()].reduce<number>((sum, offset) => sum + (offset ?? 0), 0);
}

/** Every record of the topic but flush markers (which are staged nowhere), keyed `partition:offset`, read with a throw-away consumer group. */
export async function topicRecords(topic: string): Promise<Map<string, string>> {
  const total = [...(await highWatermarks(topic)).values()].reduce((a, b) => a + b, 0);
  const records = new Map<string, string>();
  let read = 0;
  const consumer = kafka().consumer({ groupId: uniqueName('readback') });
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run({
      eachBatch: async ({ batch }) => {
        for (const m of batch.messages) {
          read++;
          if (!isFlushMarker(m.headers)) records.set(`${batch.partition}:${m.offset}`, m.value?.toString('utf8') ?? 'null');
        }
      },
    });
    await waitFor(() => read >= total, 120_000, `reading back ${total} records of ${topic}`);
  } finally {
    await consumer.disconnect();
  }
  return records;
}

// --------------------------------------------------------------------- S3

export function s3(): S3Client {
  const env = process.env;
  return new S3Client({
    endpoint: env.S3_ENDPOINT!,
    region: env.S3_REGION!,
    forcePathStyle: true,
    credentials: { accessKeyId: env.S3_ACCESS_KEY_ID!, secretAccessKey: env.S3_SECRET_ACCESS_KEY! },
  });
}

async function listKeys(client: S3Client, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const page = await client.send(new ListObjectsV2Command({ Bucket: process.env.S3_STAGING_BUCKET!, Prefix: `${prefix}/`, ContinuationToken: token }));
    keys.push(...(page.Contents ?? []).map((o) => o.Key!));
    token = page.NextContinuationToken;
  } while (token);
  return keys;
}

/** Keys under `prefix` in the staging bucket, without the prefix (names only: cheap enough to poll). */
export async function stagedKeys(prefix: string): Promise<string[]> {
  const client = s3();
  try {
    return (await listKeys(client, prefix)).map((key) => key.slice(prefix.length + 1));
  } finally {
    client.destroy();
  }
}

/** Partition and first offset of a staged file, from its name `<topic>+<partition>+<offset>.json`. */
export function stagedFileStart(key: string): { partition: number; offset: number } | undefined {
  const m = /\+(\d+)\+(\d+)\.json$/.exec(key);
  return m ? { partition: Number(m[1]), offset: Number(m[2]) } : undefined;
}

/** Every object under `prefix` in the staging bucket: key (without the prefix) → body. */
export async function stagedObjects(prefix: string): Promise<Map<string, string>> {
  const client = s3();
  try {
    const objects = new Map<string, string>();
    for (const key of await listKeys(client, prefix)) {
      const body = await client.send(new GetObjectCommand({ Bucket: process.env.S3_STAGING_BUCKET!, Key: key }));
      objects.set(key.slice(prefix.length + 1), await body.Body!.transformToString('utf8'));
    }
    return objects;
  } finally {
    client.destroy();
  }
}

export async function deletePrefix(prefix: string): Promise<void> {
  const client = s3();
  try {
    const keys = await listKeys(client, prefix);
    for (let i = 0; i < keys.length; i += 1000) {
      const batch = keys.slice(i, i + 1000).map((Key) => ({ Key }));
      await client.send(new DeleteObjectsCommand({ Bucket: process.env.S3_STAGING_BUCKET!, Delete: { Objects: batch } }));
    }
  } finally {
    client.destroy();
  }
}

/**
 * Every object under a local staging directory: relative path → body. A `*.tmp` file is a write
 * in flight (the store renames it into place) or one a killed consumer left: not an object, and
 * it may be gone by the time it would be read.
 */
export async function localObjects(dir: string): Promise<Map<string, string>> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const objects = new Map<string, string>();
  for (const e of entries.filter((e) => e.isFile() && !e.name.endsWith('.tmp'))) {
    const path = join(e.parentPath, e.name);
    objects.set(relative(dir, path).split(sep).join('/'), await readFile(path, 'utf8'));
  }
  return objects;
}

// ------------------------------------------------------------------ checks

export interface StagingCheck {
  objects: number;
  stagedLines: number;
  /** Records of the topic found in no object. */
  missing: number;
  /** Staged lines beyond one per record (second copies). */
  extra: number;
  /** Objects whose name is not <topic>+<partition>+<offset of its first line>.json in the right directory. */
  misnamed: string[];
}

/**
 * Compares staging with the topic. Records are matched as a multiset of values per
 * partition, so the generator's own re-deliveries (same line twice) count correctly.
 */
export function checkStaging(topic: string, records: Map<string, string>, objects: Map<string, string>): StagingCheck {
  const expected = new Map<string, number>();
  for (const [key, value] of records) {
    const id = `${key.split(':')[0]}|${value}`;
    expected.set(id, (expected.get(id) ?? 0) + 1);
  }
  const misnamed: string[] = [];
  let stagedLines = 0;
  let extra = 0;
  const name = new RegExp(`^${topic}/year=\\d{4}/month=\\d{2}/day=\\d{2}/hour=\\d{2}/minute=(00|15|30|45)/${topic}\\+(\\d+)\\+(\\d{10,})\\.json$`);
  for (const [key, body] of objects) {
    const lines = body.split('\n');
    if (lines.pop() !== '') misnamed.push(`${key} (no final newline)`);
    const m = name.exec(key);
    if (!m || records.get(`${Number(m[2])}:${Number(m[3])}`) !== lines[0]) misnamed.push(key);
    const partition = m ? Number(m[2]) : -1;
    for (const line of lines) {
      stagedLines++;
      const id = `${partition}|${line}`;
      const left = expected.get(id) ?? 0;
      if (left > 0) expected.set(id, left - 1);
      else extra++;
    }
  }
  const missing = [...expected.values()].reduce((a, b) => a + b, 0);
  return { objects: objects.size, stagedLines, missing, extra, misnamed };
}
