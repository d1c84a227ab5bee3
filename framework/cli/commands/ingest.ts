import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ConfigError } from '../../errors.js';
import { projectFile, readProjectYaml } from '../../project/load.js';
import { flag, int, type ParsedArgs } from '../args.js';
import { projectIngest, reporter } from '../common.js';

const USAGE =
  'usage: framework ingest staging [--select ...] [--start T --end T] [--target T]\n' +
  '       framework ingest status [--status-dir D] [--output table|json]\n' +
  '       framework ingest kafka [--brokers host:port] [--topic T] [--group framework-staging-sink] ' +
  '[--to s3|local] [--bucket B] [--prefix P] [--out dir] [--flush-size 10000] [--rotate-interval-ms 60000] ' +
  '[--until-idle[=ms]] [--session-timeout-ms 30000] [--progress-ms 5000] [--s3-max-attempts 6] [--instance 1] [--status-dir D]';

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
    if (!args.flags.has('select') && !args.flags.has('selector'))
      args.flags.set('select', ['config.incremental_strategy:new_files']);
    return (await import('./run.js')).runCommand('run', args);
  }
  if (args.positionals[0] === 'status') return ingestStatus(args);
  return ingestKafka(args);
}

/** `framework ingest kafka`: Kafka → staging files (S3 or a local directory), at-least-once. */
async function ingestKafka(args: ParsedArgs): Promise<number> {
  if (args.positionals[0] !== 'kafka')
    throw new ConfigError(
      `ingest: unknown source "${args.positionals[0] ?? ''}" (ingest kafka | ingest staging | ingest status)`,
      undefined,
      USAGE,
    );
  const extra = args.positionals[1];
  if (extra !== undefined)
    throw new ConfigError(
      `ingest kafka: unexpected argument "${extra}"`,
      undefined,
      /^\d+$/.test(extra) ? `an idle period is written --until-idle=${extra}` : USAGE,
    );
  const [
    { runKafkaStaging },
    { StatusFile, statusPath },
    { brokerList, topicName },
    { localStore },
    { s3Configured, s3Settings, s3Store },
  ] = await Promise.all([
    import('../../ingest/kafka-staging.js'),
    import('../../ingest/consumer-status.js'),
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
  if (to === 's3' && out !== undefined)
    throw new ConfigError('--out writes to a local directory; it cannot be combined with --to s3', undefined, USAGE);
  const store =
    to === 's3'
      ? s3Store(
          s3Settings(env, { bucket: flag(args, 'bucket'), maxAttempts: int(args, 's3-max-attempts') }, ingest.bucket),
          flag(args, 'prefix') ?? '',
        )
      : localStore(resolve(projectDir, out ?? 'data/staging'));
  const log = reporter(args);
  const topic = topicName(flag(args, 'topic'), env, ingest.topic);
  const groupId = flag(args, 'group') ?? 'framework-staging-sink';
  const progressMs = int(args, 'progress-ms') ?? 5_000;
  const instance = flag(args, 'instance') ?? '1';
  if (!/^[A-Za-z0-9_-]+$/.test(instance))
    throw new ConfigError(`--instance must be letters, digits, _ or -, got "${instance}"`, undefined, USAGE);
  const status = new StatusFile(statusPath(statusDir(args), groupId, instance), {
    topic,
    group: groupId,
    instance,
    progressMs,
  });
  let summary: Awaited<ReturnType<typeof runKafkaStaging>>;
  const signals = stopOnSignal();
  try {
    summary = await runKafkaStaging(
      {
        brokers: brokerList(flag(args, 'brokers'), env),
        topic,
        groupId,
        layout: ingest,
        limits: {
          flushSize: int(args, 'flush-size') ?? 10_000,
          rotateIntervalMs: int(args, 'rotate-interval-ms') ?? 60_000,
          maxWindowBytes: MAX_WINDOW_BYTES,
        },
        untilIdleMs: untilIdle(flag(args, 'until-idle')),
        sessionTimeoutMs: int(args, 'session-timeout-ms') ?? 30_000,
        progressMs,
        stop: signals.signal,
      },
      store,
      (message, fields) => {
        status.observe(message, fields);
        log.info(message, fields);
      },
    );
  } catch (error) {
    status.finish(undefined, error);
    throw error;
  } finally {
    signals.remove();
  }
  status.finish(summary);
  const rate = summary.activeSeconds > 0 ? Math.round(summary.records / summary.activeSeconds) : 0;
  log.info(
    `staged ${summary.records} records in ${summary.files} files (${summary.commits} commits, ${(summary.bytes / 2 ** 20).toFixed(1)} MiB) ` +
      `to ${store.location}; stopped by ${summary.stoppedBy}; ${rate} records/s over ${summary.activeSeconds.toFixed(1)} s`,
    { event: 'ingest_done', ...summary, eventsPerSecond: rate },
  );
  return 0;
}

/**
 * SIGTERM (systemd's stop) or SIGINT asks the consumer to flush its open files and commit; a second
 * signal quits at once: what is not committed yet is simply read again next time.
 */
function stopOnSignal(): { signal: AbortSignal; remove: () => void } {
  const controller = new AbortController();
  const onSignal = (signal: NodeJS.Signals): void => {
    if (controller.signal.aborted) process.exit(signal === 'SIGINT' ? 130 : 143);
    controller.abort(signal);
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  const remove = () => {
    process.off('SIGTERM', onSignal);
    process.off('SIGINT', onSignal);
  };
  return { signal: controller.signal, remove };
}

/** --until-idle is a boolean flag that may carry the idle period: --until-idle=10000. */
function untilIdle(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (value === 'true') return DEFAULT_IDLE_MS;
  const ms = Number(value);
  if (!Number.isInteger(ms) || ms < 1)
    throw new ConfigError(`--until-idle takes a period in ms (--until-idle=10000), got "${value}"`, undefined, USAGE);
  return ms;
}

/** Consumers' status files: --status-dir, else the project's target folder (project.yml `paths.target`) + /ingest. */
function statusDir(args: ParsedArgs): string {
  const explicit = flag(args, 'status-dir');
  if (explicit !== undefined) return resolve(explicit);
  const root = resolve(flag(args, 'project-dir') ?? '.');
  const target = existsSync(join(root, 'project.yml'))
    ? projectFile(root, readProjectYaml(root)).paths.target
    : 'target';
  return join(root, target, 'ingest');
}

/** A consumer with lag that has not committed for this long is stuck, though alive. */
const MAX_COMMIT_AGE_MS = 10 * 60_000;

/**
 * `framework ingest status`: every consumer's last status (lag, last commit, files written,
 * errors) with what is wrong with it; exit 0 only when each is running and current, so a
 * monitoring check can run it as it is.
 */
async function ingestStatus(args: ParsedArgs): Promise<number> {
  const { problems, readStatuses } = await import('../../ingest/consumer-status.js');
  const dir = statusDir(args);
  const now = Date.now();
  const statuses = readStatuses(dir).map((s) => ({ ...s, problems: problems(s, now, MAX_COMMIT_AGE_MS) }));
  const healthy = statuses.length > 0 && statuses.every((s) => s.problems.length === 0);
  if (flag(args, 'output') === 'json') {
    process.stdout.write(`${JSON.stringify({ status_dir: dir, healthy, consumers: statuses }, null, 2)}\n`);
    return healthy ? 0 : 1;
  }
  const log = reporter(args);
  if (!statuses.length) {
    log.error(`no consumer status in ${dir} (has \`framework ingest kafka\` run with this project?)`);
    return 1;
  }
  for (const s of statuses) {
    const ago = (at: string | null) => (at ? `${Math.round((now - Date.parse(at)) / 1000)} s ago` : 'never');
    log.info(
      `${s.group}.${s.instance} on ${s.host} (pid ${s.pid}): ${s.state}, lag ${s.lag ?? '?'}, partitions [${s.partitions.join(',')}], ` +
        `${s.records} records, ${s.files} files, ${s.commits} commits, last commit ${ago(s.last_commit_at)}, ${s.errors} errors, updated ${ago(s.updated_at)}` +
        (s.problems.length ? ` -- ${s.problems.join('; ')}` : ' -- healthy'),
    );
  }
  return healthy ? 0 : 1;
}
