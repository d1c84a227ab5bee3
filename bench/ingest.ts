/**
 * Kafka → S3 staging benchmark on the local stack. Targets: the consumer sustains
 * ≥ 20,000 events/s with peak RSS ≤ 300 MB.
 *
 *   node --import tsx bench/ingest.ts [--events 300000] [--runs 3] [--flush-size 10000] [--consumers 1]
 *
 * --consumers N runs N consumers of one group at once on a topic of 2N partitions (issue 18's
 * target: two consumers ≥ 30,000 events/s together, RSS ≤ 300 MB each); their joint rate is all
 * records over the span from the first consumer's first record to the last one's last commit.
 * Results then go to bench/results/ingest-<N>-consumers.json.
 *
 * Generates the September replay (10,000 events per 15-minute window) into memory, then
 * produces it to a fresh 3-partition topic with the generator's Kafka sink (producer
 * lines/s: the sink alone, generation timed apart). Then runs `framework ingest kafka
 * --until-idle` as a child process once per run, each with a new consumer group and S3
 * prefix, from a private tsc build (bench/.work/dist) as `node bin/framework.js` runs
 * from dist/ — tsx's loader thread would add ~35 MB that production does not have.
 * Events/s is the consumer's own figure: first record read to last record read, plus
 * the final flush (start-up, group join and the idle wait excluded); the child's whole
 * wall time is recorded too. Peak RSS is the child's VmHWM from /proc.
 * Writes bench/results/ingest.json.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, symlinkSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { generateEvents, type EventSink, type StagingBucket } from '../extensions/reciping/datagen/index.js';
import { kafkaSink } from '../extensions/reciping/datagen/sinks/kafka.js';
import { ROOT, createTopic, deletePrefix, deleteTopics, startCli, uniqueName } from '../tests/integration/ingest-support.js';
import { ensureStack } from '../tests/integration/stack.js';
import { summarize, writeResult } from './lib.js';

const { values } = parseArgs({
  options: {
    events: { type: 'string', default: '300000' },
    runs: { type: 'string', default: '3' },
    'flush-size': { type: 'string', default: '10000' },
    consumers: { type: 'string', default: '1' },
  },
});
const events = Number(values.events);
const runs = Number(values.runs);
const consumers = Number(values.consumers);
const partitions = consumers > 1 ? 2 * consumers : 3;
const WINDOW_EVENTS = 10_000;
if (!Number.isInteger(events / WINDOW_EVENTS) || events < WINDOW_EVENTS) throw new Error(`--events must be a multiple of ${WINDOW_EVENTS}`);

/** The kernel's high-water mark of the process's resident set, in MB (undefined once it exited). */
function peakRssMb(pid: number): number | undefined {
  try {
    const match = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

interface IngestDone {
  records: number;
  files: number;
  commits: number;
  bytes: number;
  activeSeconds: number;
  eventsPerSecond: number;
  lastCommitAt: number | null;
}

/** tsc's output for framework/; files others are editing may not type-check right now, which tsc reports but still emits. */
function build(): string {
  const out = join(ROOT, 'bench/.work/dist');
  const tsc = spawnSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(ROOT, 'tsconfig.build.json'), '--outDir', out], { encoding: 'utf8' });
  if (!existsSync(join(out, 'cli/main.js'))) throw new Error(`tsc produced no build:\n${tsc.stdout}${tsc.stderr}`);
  if (tsc.status !== 0) console.warn(`tsc reported errors (build used anyway):\n${tsc.stdout.slice(0, 2000)}`);
  // A built module finds package.json (its version) and framework/ (the JSON schemas) two folders up, as in dist/.
  for (const name of ['package.json', 'framework']) if (!existsSync(join(out, '..', name))) symlinkSync(join(ROOT, name), join(out, '..', name));
  return out;
}

async function produce(topic: string): Promise<{ lines: number; events: number; generateSeconds: number; produceSeconds: number }> {
  const lines: [string, StagingBucket][] = [];
  const collect: EventSink = { write: (line, bucket) => void lines.push([line, bucket]), close: async () => ({ lines: lines.length, files: 0, bytes: 0 }) };
  let started = performance.now();
  const stats = await generateEvents({ seed: 42, mode: 'window', start: '2025-09-01T00:00:00+09:00', events: WINDOW_EVENTS, windows: events / WINDOW_EVENTS, duplicateRate: 0.007, malformedRate: 0.001 }, collect);
  const generateSeconds = (performance.now() - started) / 1000;
  started = performance.now();
  const sink = kafkaSink({ brokers: process.env.KAFKA_BROKERS!.split(','), topic });
  for (const [line, bucket] of lines) await sink.write(line, bucket);
  await sink.close();
  return { lines: lines.length, events: stats.events, generateSeconds, produceSeconds: (performance.now() - started) / 1000 };
}

/** One run: `consumers` consumers of a fresh group at once; the records of all, over their joint span. */
async function consume(topic: string, run: number, compiled: string): Promise<IngestDone & { wallSeconds: number; peakRssMb: number; members?: (IngestDone & { peakRssMb: number })[] }> {
  const prefix = uniqueName(`bench-ingest-${run}`);
  const started = performance.now();
  const members = await Promise.all(Array.from({ length: consumers }, (_, i) => member(topic, `${topic}-run${run}`, prefix, i + 1, compiled)));
  const wallSeconds = (performance.now() - started) / 1000;
  await deletePrefix(prefix);
  if (consumers === 1) return { ...members[0]!, wallSeconds };
  const ends = members.map((m) => m.lastCommitAt ?? 0);
  const span = (Math.max(...ends) - Math.min(...members.map((m, i) => ends[i]! - m.activeSeconds * 1000))) / 1000;
  const sum = (key: 'records' | 'files' | 'commits' | 'bytes') => members.reduce((total, m) => total + m[key], 0);
  const records = sum('records');
  return {
    records, files: sum('files'), commits: sum('commits'), bytes: sum('bytes'), activeSeconds: Number(span.toFixed(2)), eventsPerSecond: Math.round(records / span),
    lastCommitAt: Math.max(...ends), wallSeconds, peakRssMb: Math.max(...members.map((m) => m.peakRssMb)), members,
  };
}

async function member(topic: string, group: string, prefix: string, instance: number, compiled: string): Promise<IngestDone & { peakRssMb: number }> {
  const cli = startCli(['ingest', 'kafka', '--topic', topic, '--group', group, '--instance', String(instance), '--status-dir', join(ROOT, 'bench/.work/status'), '--prefix', prefix, '--flush-size', values['flush-size'], '--until-idle=3000', '--log-format', 'json'], {}, compiled);
  let peak = 0;
  const sampler = setInterval(() => (peak = Math.max(peak, peakRssMb(cli.child.pid!) ?? 0)), 100);
  const code = await cli.exit;
  clearInterval(sampler);
  if (code !== 0) throw new Error(`ingest exited with ${code}:\n${cli.output()}`);
  const done = cli
    .output()
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as { event?: string } & IngestDone)
    .find((line) => line.event === 'ingest_done');
  if (!done) throw new Error(`no ingest_done line in:\n${cli.output()}`);
  return { ...done, peakRssMb: peak };
}

ensureStack();
const compiled = build();
const topic = uniqueName('bench-ingest');
await createTopic(topic, partitions);
try {
  const loadBefore = loadavg()[0]!;
  const produced = await produce(topic);
  const producerRate = Math.round(produced.lines / produced.produceSeconds);
  console.log(
    `generated ${produced.lines} lines (${produced.events} events) in ${produced.generateSeconds.toFixed(1)} s; ` +
      `produced them in ${produced.produceSeconds.toFixed(1)} s: ${producerRate} lines/s`,
  );

  const results = [];
  for (let run = 1; run <= runs; run++) {
    const r = await consume(topic, run, compiled);
    results.push(r);
    console.log(
      `run ${run}: ${r.records} records in ${r.files} files (${r.commits} commits) — ${r.eventsPerSecond} events/s over ${r.activeSeconds.toFixed(1)} s ` +
        `(child wall ${r.wallSeconds.toFixed(1)} s incl. start-up, join and 3 s idle), peak RSS ${r.peakRssMb.toFixed(1)} MB`,
    );
  }
  const eventsPerSecond = summarize(results.map((r) => r.eventsPerSecond));
  const rss = summarize(results.map((r) => Number(r.peakRssMb.toFixed(1))));
  const target = consumers > 1 ? 30_000 : 20_000;
  const path = writeResult(consumers > 1 ? `ingest-${consumers}-consumers` : 'ingest', {
    loadAverageAtStart: loadBefore,
    loadAverageAtEnd: loadavg()[0],
    consumers,
    topic: { partitions, lines: produced.lines, events: produced.events, mode: 'window (September replay, 10,000 events per 15 min)' },
    flushSize: Number(values['flush-size']),
    producer: {
      seconds: Number(produced.produceSeconds.toFixed(2)),
      linesPerSecond: producerRate,
      generateSeconds: Number(produced.generateSeconds.toFixed(2)),
      note: 'kafkajs idempotent producer, acks=all, batches of ≤ 3000 messages / 768 KiB, one send in flight; generation timed apart',
    },
    consumer: {
      eventsPerSecond,
      peakRssMb: rss,
      runs: results.map((r) => ({ ...r, wallSeconds: Number(r.wallSeconds.toFixed(2)), peakRssMb: Number(r.peakRssMb.toFixed(1)) })),
    },
    targets: { eventsPerSecond: target, peakRssMb: 300 },
    met: { eventsPerSecond: eventsPerSecond.median >= target, peakRssMb: rss.max <= 300 },
  });
  console.log(`consumer: median ${eventsPerSecond.median} events/s (min ${eventsPerSecond.min}, max ${eventsPerSecond.max}), peak RSS max ${rss.max} MB → ${path}`);
} finally {
  await deleteTopics([topic]);
}
