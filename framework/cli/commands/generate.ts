import { resolve } from 'node:path';
import { ConfigError } from '../../errors.js';
import { flag, type ParsedArgs } from '../args.js';
import { reporter } from '../common.js';

/** `framework generate events`: the Reciping behaviour model to staging files. */
export async function generateCommand(args: ParsedArgs): Promise<number> {
  const what = args.positionals[0];
  if (what !== 'events') throw new ConfigError(`generate: unknown target "${what ?? ''}"`, undefined, 'usage: framework generate events [--mode bulk|window] [--start ..] [--end ..] [--events N] [--seed N] [--out data/staging] [--to local|s3|kafka] [--brokers host:port] [--bucket B] [--prefix P]');
  const { generateEvents } = await import('../../datagen/index.js');
  const { openEventSink } = await import('../../datagen/sinks/index.js');
  const mode = (flag(args, 'mode') ?? 'bulk') as 'bulk' | 'window';
  if (mode !== 'bulk' && mode !== 'window') throw new ConfigError(`--mode must be bulk or window, got "${mode}"`);
  const number = (name: string, fallback: number): number => {
    const v = flag(args, name);
    if (v === undefined) return fallback;
    const n = Number(v);
    if (!Number.isFinite(n) || n < 0) throw new ConfigError(`--${name} must be a non-negative number, got "${v}"`);
    return n;
  };
  const out = resolve(flag(args, 'project-dir') ?? '.', flag(args, 'out') ?? 'data/staging');
  const topic = flag(args, 'topic') ?? 'replay-user-events';
  const { sink, where } = await openEventSink({ to: flag(args, 'to') ?? 'local', out, topic, brokers: flag(args, 'brokers'), bucket: flag(args, 'bucket'), prefix: flag(args, 'prefix') });
  const started = Date.now();
  const stats = await generateEvents(
    {
      seed: number('seed', 42),
      mode,
      start: flag(args, 'start') ?? (mode === 'bulk' ? '2025-06-01' : '2025-09-01T00:00:00+09:00'),
      ...(mode === 'bulk' ? { end: flag(args, 'end') ?? '2025-08-31' } : {}),
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
  reporter(args).info(
    `generated ${stats.events} events + ${stats.duplicates} duplicates + ${stats.malformed} malformed = ${stats.lines} lines${stats.files ? ` in ${stats.files} files` : ''} to ${where} (${seconds.toFixed(1)}s, ${Math.round(stats.lines / seconds)} lines/s)`,
    { event: 'generated', ...stats },
  );
  return 0;
}
