/**
 * The soak of issue 18, for its integration test and bench/soak.ts: a deployed pipeline (one
 * window staged and built before the clock starts), then a producer at a steady rate
 * into a fresh topic of the real broker; two consumers of one group staging it (the real CLI) to a
 * local folder (DuckDB) or an S3 prefix (Trino), the first SIGKILLed and restarted every
 * `killEveryMs`; and the cycle — `framework build --project-dir <copy> --wait [--target prod]`, the
 * command the systemd unit runs — every `cycleEveryMs` on a copy of the project (on Trino, in
 * schemas of its own), every n-th of them SIGKILLed at a random point and started again 5 s later,
 * as the unit's Restart=on-abnormal does. After the producer
 * stops: a drain, one last clean cycle, and the verdict — each produced event in silver exactly
 * once, no valid event quarantined, the build's tests (the books among them) green — with each
 * event's freshness: from the start of its send to when the gold fact first holds it. The fact is
 * read after each cycle; an event first read there became visible when that cycle's fact committed
 * (its node's completed_at) on Trino, where readers see each commit at once, and at the end of the
 * cycle on DuckDB, which admits no reader during a build.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Rng } from '../../extensions/reciping/datagen/random.js';
import { copyProject } from '../unit/reciping/project-copy.js';
import { query, tempDir } from '../unit/support/project.js';
import { createTopic, deletePrefix, deleteTopics, startCli, uniqueName, withAdmin, type Cli } from './ingest-support.js';
import { copyProject as copyIsolated } from './project-copy.js';
import { dropSchemas, rows, runResults } from './stack-queries.js';
import { generatedLines, trickle } from './kill-replay.js';

export interface SoakOptions {
  /** duckdb: the dev target, local staging; trino: the prod target, S3 staging. */
  engine: 'duckdb' | 'trino';
  eventsPerSecond: number;
  seconds: number;
  cycleEveryMs: number;
  killEveryMs: number;
  /** Every n-th cycle during the production is SIGKILLed, at a random point of its run. */
  killEveryNthCycle: number;
  seed: number;
  /**
   * The staging bucket and the interval of the interval models, in minutes (the project's: 15).
   * A live deployment trades cost for freshness with 1 (`ingest.bucket_minutes` and `interval`).
   */
  intervalMinutes?: number;
}

export interface SoakFigures {
  producedLines: number;
  producedEvents: number;
  consumerKills: number;
  cycles: { ok: number; killed: number; failed: number };
  /** Lines of the failed cycles' output that name an error or a failing test. */
  failures: string[];
  silverRows: number;
  missingFromSilver: number;
  duplicatedInSilver: number;
  quarantined: number;
  finalBuild: { code: number | string; problems: string[] };
  /** Events staged and built by the deploy before the clock (in producedEvents; not in freshness). */
  deployedEvents: number;
  /** Wall seconds of the cycles that ended on their own (ok or failed), and their run_results' slowest nodes (median seconds per cycle). */
  cycleSeconds: { p50: number; max: number; slowestNodes: { node: string; seconds: number }[] };
  /** Seconds from send to first visible in the fact, over the events that became visible (`events` of them). */
  freshness: { p50: number; p90: number; p99: number; max: number; events: number };
  seconds: number;
}

/** Staged files rotate by 20 s of record time; a quiet partition's window is closed by a flush marker as soon. */
const CONSUMER = ['--rotate-interval-ms', '20000', '--session-timeout-ms', '6000', '--progress-ms', '1000'];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** RestartSec of the cycle's unit (schedule/units.ts). */
const RESTART_MS = 5_000;

export async function soak(options: SoakOptions): Promise<SoakFigures> {
  const started = Date.now();
  const rng = new Rng(options.seed);
  const topic = uniqueName('soak');
  const group = `${topic}-sink`;
  const trino = options.engine === 'trino';
  const isolate = topic.replace(/-/g, '_');
  const root = trino ? copyIsolated(isolate) : copyProject();
  const [staged, statusDir] = [tempDir('soak-staged-'), tempDir('soak-status-')];
  // The cycle runs as the unit does, without --vars: the copy's configuration points at the staging.
  if (trino) edit(join(root, 'profiles.yml'), /^(\s+staging_location: ).*$/m, `$1"s3://${process.env.S3_STAGING_BUCKET}/${isolate}/${topic}/"`);
  else edit(join(root, 'project.yml'), /^(  staging_location: ).*$/m, `$1"${staged}/${topic}/**/*.json"`);
  if (options.intervalMinutes) shortenIntervals(root, options.intervalMinutes);
  const where = trino ? ['--to', 's3', '--prefix', isolate] : ['--out', staged];
  const sql = trino
    ? (text: string) => rows(text.replace(/\b(recipe_analytics|gold_analytics)\./g, `${isolate}_$1.`))
    : (text: string) => query(root, text);
  const children = new Set<Cli>();
  const spawn = (args: string[]) => {
    const child = startCli(args);
    children.add(child);
    void child.exit.then(() => children.delete(child));
    return child;
  };
  const consumer = (instance: number, flags: string[] = []) =>
    spawn(['ingest', 'kafka', '--project-dir', root, '--topic', topic, '--group', group, ...where, '--status-dir', statusDir, '--instance', String(instance), ...CONSUMER, ...flags]);
  await createTopic(topic, 4);
  try {
    const windowEvents = 10_000;
    const total = options.eventsPerSecond * options.seconds;
    const lines = await generatedLines(root, { eventsPerWindow: windowEvents, windows: Math.ceil(total / windowEvents), seed: options.seed });
    lines.length = Math.min(lines.length, total + windowEvents);
    // Production starts from a deployed pipeline: one window is staged and built before the clock
    // runs. The first build creates every table and loads the seeds (minutes on Trino), a one-time
    // cost of a deploy; the cycles measured are the steady ones. Its events count for loss, not freshness.
    const deployed = lines.splice(0, windowEvents);
    const deployedIds = new Set(deployed.map(eventId));
    await trickle(topic, deployed, 1_000, rng);
    const staging = consumer(1, ['--until-idle=2000']);
    if ((await staging.exit) !== 0) throw new Error(`deploy staging failed:\n${staging.output()}`);
    const deploy = spawn(['build', '--project-dir', root, ...(trino ? ['--target', 'prod'] : [])]);
    if ((await deploy.exit) !== 0) throw new Error(`deploy build failed:\n${deploy.output()}`);
    const sentAt = new Map<string, number>();
    let producing = true;
    const produced = trickle(topic, lines, options.seconds * 1000, rng, (batch, at) => {
      for (const line of batch) {
        const id = eventId(line);
        if (!sentAt.has(id)) sentAt.set(id, at);
      }
    }).finally(() => (producing = false));

    // Consumer 1 is SIGKILLed every killEveryMs and restarted at once; consumer 2 runs throughout.
    let consumerKills = 0;
    const steady = consumer(2);
    const killing = (async () => {
      while (producing) {
        const child = consumer(1);
        const due = Date.now() + options.killEveryMs;
        while (producing && Date.now() < due) await sleep(200);
        child.child.kill('SIGKILL');
        await child.exit;
        consumerKills++;
      }
    })();

    // The cycle on its grid; a cycle still running when the next is due delays it (a oneshot unit never runs twice at once).
    const visibleAt = new Map<string, number>();
    const cycles = { ok: 0, killed: 0, failed: 0 };
    const failures: string[] = [];
    const see = async (at: number) => {
      for (const row of await sql('select event_id from gold_analytics.fact_user_events')) {
        const id = String(row.event_id);
        if (!visibleAt.has(id)) visibleAt.set(id, at);
      }
    };
    let cycleCount = 0;
    const cycleWalls: number[] = [];
    const nodeSeconds = new Map<string, number[]>();
    const cycle = async (mayKill: boolean) => {
      const began = Date.now();
      const run = spawn(['build', '--project-dir', root, '--wait', ...(trino ? ['--target', 'prod'] : [])]);
      const kill = mayKill && ++cycleCount % options.killEveryNthCycle === 0;
      if (kill) killAsNodeStarts(run, rng.int(1, 1_000) / 1_000);
      const exit = await run.exit;
      if (exit === 'SIGKILL') cycles.killed++;
      else if (exit === 0) cycles.ok++;
      else {
        cycles.failed++;
        failures.push(...run.output().split('\n').filter((l) => /\b(ERROR|FAIL)\b|error:/.test(l)).slice(0, 5));
      }
      if (exit !== 'SIGKILL') {
        const ended = Date.now();
        cycleWalls.push((ended - began) / 1000);
        const { results } = runResults(root);
        for (const r of results) nodeSeconds.set(r.unique_id, [...(nodeSeconds.get(r.unique_id) ?? []), r.execution_time]);
        const fact = results.find((r) => r.unique_id.endsWith('.fact_user_events') && r.status === 'success');
        await see(trino && fact ? Date.parse(fact.completed_at) : ended);
      }
      return { exit, output: run.output() };
    };
    const cycling = (async () => {
      let next = Date.now() + options.cycleEveryMs;
      while (producing) {
        while (producing && Date.now() < next) await sleep(200);
        if (!producing) break;
        // As the unit's Restart=on-abnormal: a killed cycle starts again RESTART_MS later.
        while ((await cycle(true)).exit === 'SIGKILL' && producing) await sleep(RESTART_MS);
        next += options.cycleEveryMs * Math.max(1, Math.ceil((Date.now() - next) / options.cycleEveryMs));
      }
    })();

    await Promise.all([produced, killing, cycling]);
    // Drain: the steady consumer stops (SIGTERM flushes and commits), one more reads to the end.
    steady.child.kill('SIGTERM');
    const steadyExit = await steady.exit;
    if (steadyExit !== 0) throw new Error(`consumer 2 ended by ${steadyExit} after SIGTERM:\n${steady.output()}`);
    const drain = consumer(1, ['--until-idle=2000']);
    if ((await drain.exit) !== 0) throw new Error(`final drain failed:\n${drain.output()}`);
    const last = await cycle(false);

    const silver = (await sql('select event_id, count(*) as n from recipe_analytics.user_events_silver group by event_id')).map((r) => [String(r.event_id), Number(r.n)] as const);
    const inSilver = new Map(silver);
    const [{ n: quarantined }] = (await sql('select count(*) as n from recipe_analytics.user_events_quarantine')) as [{ n: unknown }];
    const everyId = new Set([...deployedIds, ...sentAt.keys()]);
    // A re-delivered line of a deployed event is not a new event: it was visible before the clock.
    const delays = [...sentAt].filter(([id]) => visibleAt.has(id) && !deployedIds.has(id)).map(([id, at]) => (visibleAt.get(id)! - at) / 1000).sort((a, b) => a - b);
    const at = (q: number) => (delays.length ? Number(delays[Math.min(delays.length - 1, Math.floor(q * delays.length))]!.toFixed(1)) : Number.NaN);
    return {
      producedLines: deployed.length + lines.length,
      producedEvents: everyId.size,
      deployedEvents: deployedIds.size,
      consumerKills,
      cycles,
      failures,
      silverRows: silver.reduce((sum, [, n]) => sum + n, 0),
      missingFromSilver: [...everyId].filter((id) => !inSilver.has(id)).length,
      duplicatedInSilver: silver.filter(([, n]) => n > 1).length,
      quarantined: Number(quarantined),
      finalBuild: { code: last.exit, problems: last.output.split('\n').filter((l) => /\b(ERROR|FAIL|WARN)\b/.test(l)) },
      cycleSeconds: {
        p50: median(cycleWalls),
        max: Math.max(...cycleWalls),
        slowestNodes: [...nodeSeconds].map(([node, s]) => ({ node, seconds: median(s) })).sort((a, b) => b.seconds - a.seconds).slice(0, 10),
      },
      freshness: { p50: at(0.5), p90: at(0.9), p99: at(0.99), max: at(1), events: delays.length },
      seconds: Math.round((Date.now() - started) / 1000),
    };
  } finally {
    for (const child of children) child.child.kill('SIGKILL');
    await deleteTopics([topic]).catch(() => {});
    await withAdmin((admin) => admin.deleteGroups([group])).catch(() => {});
    if (trino) {
      await dropSchemas(isolate).catch(() => {});
      await deletePrefix(isolate).catch(() => {});
    }
  }
}

const eventId = (line: string) => (JSON.parse(line) as { event_id: string }).event_id;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length ? Number(sorted[Math.floor(sorted.length / 2)]!.toFixed(1)) : Number.NaN;
}

/** The project's 15-minute staging buckets and intervals shortened to `minutes`. */
function shortenIntervals(root: string, minutes: number): void {
  edit(join(root, 'project.yml'), /^(  bucket_minutes: )15$/m, `$1${minutes}`);
  for (const file of ['models/silver/silver.yml', 'models/gold/gold.yml']) edit(join(root, file), /^(\s+interval: )15m$/gm, `$1${minutes}m`);
}

function edit(path: string, pattern: RegExp, replacement: string): void {
  const text = readFileSync(path, 'utf8');
  if (!pattern.test(text)) throw new Error(`${path}: nothing matches ${pattern}`);
  writeFileSync(path, text.replace(pattern, replacement));
}

/**
 * SIGKILLs a `build` as the node at `share` of its run starts (counted from its "N of M START"
 * lines): a random point inside the run however long the run takes. A random delay from the start
 * missed runs that finished before it (a cycle takes 5 s, the delay was 1–10 s).
 */
function killAsNodeStarts(cli: Cli, share: number): void {
  const watch = () => {
    const started = [...cli.output().matchAll(/(\d+) of (\d+) START/g)].at(-1);
    if (!started || Number(started[1]) < Math.max(1, Math.ceil(share * Number(started[2])))) return;
    cli.child.stdout!.off('data', watch);
    cli.child.kill('SIGKILL');
  };
  cli.child.stdout!.on('data', watch);
}
