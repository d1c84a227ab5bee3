import { resolve } from 'node:path';
import { ConfigError } from '../../errors.js';
import { flag, int, type ParsedArgs } from '../args.js';
import { projectIngest, reporter } from '../common.js';

const USAGE =
  'usage: framework ingest staging [--select ...] [--start T --end T] [--target T]\n' +
  '       framework ingest kafka [--brokers host:port] [--topic T] [--group framework-staging-sink] ' +
  '[--to s3|local] [--bucket B] [--prefix P] [--out dir] [--flush-size 10000] [--rotate-interval-ms 60000] ' +
  '[--until-idle[=ms]] [--session-timeout-ms 30000] [--progress-ms 5000] [--s3-max-attempts 6]';

/** Default idle period of a bare --until-idle. */
const DEFAULT_IDLE_MS = 5_000;
/** Bytes one partition's open window may hold before it is cut (memory bound). */
const MAX_WINDOW_BYTES = 8 * 2 ** 20;

/**
 * `framework ingest staging`: `run` of the models that load staged files (incremental_strategy
 * new_files, or --select), so each new file lands in bronze once; --start/--end pick files by the
 * time in their partition path.
 */
export async function ingestCommand(args: ParsedArgs): Promise<number> {
  if (args.positionals[0] === 'staging') {
    if (!args.flags.has('select') && !args.flags.has('selector')) args.flags.set('select', ['config.incremental_strategy:new_files']);
    return (await import('./run.js')).runCommand('run', args);
  }
  return ingestKafka(args);
}

/** `framework ingest kafka`: Kafka → staging files (S3 or a local directory), at-least-once. */
async function ingestKafka(args: ParsedArgs): Promise<number> {
  if (args.positionals[0] !== 'kafka') throw new ConfigError(`ingest: unknown source "${args.positionals[0] ?? ''}" (ingest kafka | ingest staging)`, undefined, USAGE);
  const extra = args.positionals[1];
  if (extra !== undefined) throw new ConfigError(`ingest kafka: unexpected argument "${extra}"`, undefined, /^\d+$/.test(extra) ? `an idle period is written --until-idle=${extra}` : USAGE);
  const [{ runKafkaStaging }, { brokerList, topicName }, { localStore }, { s3Configured, s3Settings, s3Store }] = await Promise.all([
    import('../../ingest/kafka-staging.js'),
    import('../../ingest/kafka-client.js'),
    import('../../storage/object-store.js'),
    import('../../storage/s3-store.js'),
  ]);
  const env = process.env;
  const projectDir = resolve(flag(args, 'project-dir') ?? '.');
  const ingest = projectIngest(projectDir);
  const out = flag(args, 'out');
  const to = flag(args, 'to') ?? (out !== undefined || !s3Configured(env) ? 'local' : 's3');
  if (to !== 's3' && to !== 'local') throw new ConfigError(`--to must be s3 or local, got "${to}"`, undefined, USAGE);
  if (to === 's3' && out !== undefined) throw new ConfigError('--out writes to a local directory; it cannot be combined with --to s3', undefined, USAGE);
  const store =
    to === 's3'
      ? s3Store(s3Settings(env, { bucket: flag(args, 'bucket'), maxAttempts: int(args, 's3-max-attempts') }, ingest.bucket), flag(args, 'prefix') ?? '')
      : localStore(resolve(projectDir, out ?? 'data/staging'));
  const log = reporter(args);
  const summary = await runKafkaStaging(
    {
      brokers: brokerList(flag(args, 'brokers'), env),
      topic: topicName(flag(args, 'topic'), env, ingest.topic),
      groupId: flag(args, 'group') ?? 'framework-staging-sink',
      layout: ingest,
      limits: {
        flushSize: int(args, 'flush-size') ?? 10_000,
        rotateIntervalMs: int(args, 'rotate-interval-ms') ?? 60_000,
        maxWindowBytes: MAX_WINDOW_BYTES,
      },
      untilIdleMs: untilIdle(flag(args, 'until-idle')),
      sessionTimeoutMs: int(args, 'session-timeout-ms') ?? 30_000,
      progressMs: int(args, 'progress-ms') ?? 5_000,
    },
    store,
    (message, fields) => log.info(message, fields),
  );
  const rate = summary.activeSeconds > 0 ? Math.round(summary.records / summary.activeSeconds) : 0;
  log.info(
    `staged ${summary.records} records in ${summary.files} files (${summary.commits} commits, ${(summary.bytes / 2 ** 20).toFixed(1)} MiB) ` +
      `to ${store.location}; stopped by ${summary.stoppedBy}; ${rate} records/s over ${summary.activeSeconds.toFixed(1)} s`,
    { event: 'ingest_done', ...summary, eventsPerSecond: rate },
  );
  return 0;
}

/** --until-idle is a boolean flag that may carry the idle period: --until-idle=10000. */
function untilIdle(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (value === 'true') return DEFAULT_IDLE_MS;
  const ms = Number(value);
  if (!Number.isInteger(ms) || ms < 1) throw new ConfigError(`--until-idle takes a period in ms (--until-idle=10000), got "${value}"`, undefined, USAGE);
  return ms;
}
