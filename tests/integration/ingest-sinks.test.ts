/**
 * The generator's destinations against the real stack: `--to s3` stages exactly what
 * `--to local` does, and `--to kafka` produces every line, keyed by user_id, to the
 * partition the staged layout assumes.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTopic, deletePrefix, deleteTopics, localObjects, runCli, stagedObjects, topicRecords, uniqueName } from './ingest-support.js';
import { ensureStack } from './stack.js';

const GENERATE = ['generate', 'events', '--mode', 'window', '--events', '3000', '--windows', '2', '--seed', '5', '--malformed-rate', '0.01'];
const prefix = uniqueName('sinks');
const topic = uniqueName('sink-topic');
let local: Map<string, string>;
let dir: string;

beforeAll(async () => {
  if (!process.env.KAFKA_BROKERS) ensureStack();
  dir = await mkdtemp(join(tmpdir(), 'sinks-'));
  const generated = await runCli([...GENERATE, '--topic', topic, '--out', dir]);
  expect(generated.code, generated.output).toBe(0);
  local = await localObjects(dir);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
  await deleteTopics([topic]).catch(() => {});
  await deletePrefix(prefix).catch(() => {});
});

describe('generate --to', () => {
  it('s3 writes the same objects as the local directory sink', async () => {
    const generated = await runCli([...GENERATE, '--topic', topic, '--to', 's3', '--prefix', prefix]);
    expect(generated.code, generated.output).toBe(0);
    expect(generated.output).toContain(`to s3://${process.env.S3_STAGING_BUCKET}/${prefix} at ${process.env.S3_ENDPOINT}`);
    expect(await stagedObjects(prefix)).toEqual(local);
  });

  it('kafka produces every line, keyed by user_id into the partition of its staged file', async () => {
    await createTopic(topic);
    const generated = await runCli([...GENERATE, '--topic', topic, '--to', 'kafka']);
    expect(generated.code, generated.output).toBe(0);
    const produced = new Map<string, number>();
    for (const [key, value] of await topicRecords(topic)) {
      const id = `${key.split(':')[0]}|${value}`;
      produced.set(id, (produced.get(id) ?? 0) + 1);
    }
    const unplaced: string[] = [];
    let lines = 0;
    for (const [path, body] of local) {
      const partition = /\+(\d+)\+\d+\.json$/.exec(path)![1];
      for (const line of body.split('\n').slice(0, -1)) {
        lines++;
        const id = `${partition}|${line}`;
        const left = produced.get(id) ?? 0;
        if (left > 0) produced.set(id, left - 1);
        // Malformed lines without a numeric user_id are keyed by what they hold (or not at all).
        else if (/"user_id":"\d+"/.test(line)) unplaced.push(line);
      }
    }
    expect(unplaced).toEqual([]);
    expect([...produced.values()].reduce((a, b) => a + b, 0)).toBeLessThan(lines * 0.02);
  });

  it('kafka reports a broker it cannot reach and exits non-zero', async () => {
    const generated = await runCli([...GENERATE, '--topic', topic, '--to', 'kafka', '--brokers', '127.0.0.1:1']);
    expect(generated.code).toBe(1);
    expect(generated.output).toMatch(/error: connecting to Kafka topic .* at 127\.0\.0\.1:1 failed/);
  }, 180_000);
});
