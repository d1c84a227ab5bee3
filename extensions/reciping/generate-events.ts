/** `framework generate events`: Reciping's behaviour model (spec §1) staged as spec §2 lays out. */
import { resolve } from 'node:path';
import type { Generator } from '../../framework/cli/extensions.js';
import { ConfigError } from '../../framework/errors.js';
import { generateEvents } from './datagen/index.js';
import { openEventSink } from './datagen/sinks/index.js';

export const eventsGenerator: Generator = {
  summary: 'Reciping user events to staging files, S3 or Kafka',
  flags: {
    seed: 'random seed of the event generator',
    mode: 'bulk (a history) or window (15-minute windows)',
    start: 'bulk: first KST day; window: first window start (ISO-8601)',
    end: 'bulk: last KST day, inclusive',
    events: 'number of events to generate',
    windows: 'number of windows to generate (window mode)',
    'duplicate-rate': 'share of events delivered twice (0..1)',
    'malformed-rate': 'share of lines that are not valid JSON (0..1)',
    'encoded-rate': 'share of events whose payload is escaped JSON text (0..1)',
    out: 'local folder for staged files (default data/staging)',
    to: 'where records go: local (default), s3 or kafka',
    topic: "Kafka topic (default: project.yml's ingest.topic)",
    brokers: 'Kafka bootstrap servers, host:port[,host:port]',
    bucket: "S3 bucket (default: S3_STAGING_BUCKET, else project.yml's ingest.bucket)",
    prefix: 'key prefix inside the bucket',
  },
  examples: [
    'framework generate events --events 100000',
    'framework generate events --mode window --windows 4 --to kafka --brokers 127.0.0.1:19092',
  ],
  async run({ projectDir, ingest, flag, info }) {
    const mode = (flag('mode') ?? 'bulk') as 'bulk' | 'window';
    if (mode !== 'bulk' && mode !== 'window') throw new ConfigError(`--mode must be bulk or window, got "${mode}"`);
    const number = (name: string, fallback: number): number => {
      const v = flag(name);
      if (v === undefined) return fallback;
      const n = Number(v);
      if (!Number.isFinite(n) || n < 0) throw new ConfigError(`--${name} must be a non-negative number, got "${v}"`);
      return n;
    };
    const out = resolve(projectDir, flag('out') ?? 'data/staging');
    const topic = flag('topic') ?? ingest.topic ?? 'replay-user-events';
    const { sink, where } = await openEventSink({
      to: flag('to') ?? 'local',
      out,
      topic,
      brokers: flag('brokers'),
      bucket: flag('bucket'),
      projectBucket: ingest.bucket,
      prefix: flag('prefix'),
    });
    const started = Date.now();
    const stats = await generateEvents(
      {
        seed: number('seed', 42),
        mode,
        start: flag('start') ?? (mode === 'bulk' ? '2025-06-01' : '2025-09-01T00:00:00+09:00'),
        ...(mode === 'bulk' ? { end: flag('end') ?? '2025-08-31' } : {}),
        events: number('events', mode === 'bulk' ? 1_000_000 : 10_000),
        windows: number('windows', 1),
        duplicateRate: number('duplicate-rate', 0.007),
        malformedRate: number('malformed-rate', 0.001),
        encodedRate: number('encoded-rate', 0.5),
        topic,
      },
      sink,
    );
    const seconds = (Date.now() - started) / 1000;
    info(
      `generated ${stats.events} events + ${stats.duplicates} duplicates + ${stats.malformed} malformed = ${stats.lines} lines${stats.files ? ` in ${stats.files} files` : ''} to ${where} (${seconds.toFixed(1)}s, ${Math.round(stats.lines / seconds)} lines/s)`,
      { event: 'generated', ...stats },
    );
    return 0;
  },
};
