/**
 * The kill-and-replay scenario of issue 18, for its integration test and its benchmark: events
 * trickle in small batches into a fresh topic of the real broker while `framework ingest kafka`
 * (the real CLI, a child process) is SIGKILLed at random points and restarted, and `framework
 * ingest staging` loads whatever is staged at the same time. Then a final drain (--until-idle),
 * a last load and `framework build` on DuckDB; afterwards the same offsets are consumed again
 * from scratch, by a fresh group into a second directory, and every object is compared.
 */
import { join } from 'node:path';
import { Rng } from '../../extensions/reciping/datagen/random.js';
import { userIdOf } from '../../extensions/reciping/datagen/sinks/kafka.js';
import { copyProject } from '../unit/reciping/project-copy.js';
import { cli, query, tempDir } from '../unit/support/project.js';
import { createTopic, deleteTopics, kafka, localObjects, startCli, uniqueName, waitFor, withAdmin, type Cli } from './ingest-support.js';

export interface KillReplayOptions {
  /** Events per 15-minute window of the sample (4 windows). */
  eventsPerWindow: number;
  /** How long the producer trickles. */
  seconds: number;
  seed: number;
  /**
   * Consumers of the one group at a time (default 1), each killed and restarted on its own, so
   * the group rebalances on every start, stop and kill; with more than one, a quarter of the
   * stops are SIGTERM (the member leaves the group) rather than SIGKILL (its partitions move
   * when its session times out).
   */
  consumers?: number;
  /** Partitions of the topic (default 3). */
  partitions?: number;
}

export interface KillReplayFigures {
  kills: number;
  /** SIGTERM stops (consumers > 1): each exited 0 after flushing and committing. */
  stops: number;
  stagingRuns: number;
  /** `ingest staging` runs that reported a staged file changed after it was loaded. */
  changedWarnings: number;
  producedLines: number;
  producedEvents: number;
  /** Records in the topic (the flush markers included). */
  topicRecords: number;
  objects: number;
  replayObjects: number;
  /** Objects of either directory missing from the other or with other bytes. */
  differing: string[];
  stagedLines: number;
  bronzeRows: number;
  /** Staged files whose lines are not each in bronze exactly once. */
  bronzeMismatches: string[];
  silverRows: number;
  missingFromSilver: number;
  unexpectedInSilver: number;
  buildCode: number;
  buildProblems: string[];
  seconds: number;
}

const CONSUMER = ['--rotate-interval-ms', '300', '--flush-size', '200', '--session-timeout-ms', '6000', '--progress-ms', '200'];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function killReplay(options: KillReplayOptions): Promise<KillReplayFigures> {
  const started = Date.now();
  const rng = new Rng(options.seed);
  const root = copyProject();
  const topic = uniqueName('kill-replay');
  const group = `${topic}-sink`;
  const [staged, replayed, statusDir] = [tempDir('kill-replay-a-'), tempDir('kill-replay-b-'), tempDir('kill-replay-status-')];
  const vars = JSON.stringify({ staging_location: `${staged}/${topic}/**/*.json` });
  const children: Cli[] = [];
  const consumer = (out: string, groupId: string, flags: string[] = []) => {
    const child = startCli(['ingest', 'kafka', '--topic', topic, '--group', groupId, '--out', out, '--status-dir', statusDir, ...CONSUMER, ...flags]);
    children.push(child);
    return child;
  };
  await createTopic(topic, options.partitions);
  try {
    const lines = await generatedLines(root, { eventsPerWindow: options.eventsPerWindow, windows: 4, seed: options.seed });
    let producing = true;
    const produced = trickle(topic, lines, options.seconds * 1000, rng).finally(() => (producing = false));

    // Each consumer, killed at random points (most while it reads and writes) until the producer is done.
    let [kills, stops] = [0, 0];
    const several = (options.consumers ?? 1) > 1;
    const killing = Array.from({ length: options.consumers ?? 1 }, async (_, slot) => {
      for (let round = 1; producing; round++) {
        const child = consumer(staged, group, ['--instance', String(slot + 1)]);
        const reading = waitFor(() => /\n[1-9]\d* records/.test(`\n${child.output()}`), 15_000, 'the consumer reading').catch(() => {});
        await Promise.race([reading, child.exit]);
        await sleep(several ? rng.int(1_000, 8_000) : rng.int(300, 3_000));
        // Every third end of a member is a stop (it leaves the group), the others kills: counted, not drawn, so a run always has both.
        const signal = several && round % 3 === 0 ? 'SIGTERM' : 'SIGKILL';
        child.child.kill(signal);
        const exit = await child.exit;
        if (exit !== (signal === 'SIGTERM' ? 0 : 'SIGKILL')) throw new Error(`consumer ${slot + 1} ended by ${exit} after ${signal}:\n${child.output()}`);
        if (signal === 'SIGTERM') stops++;
        else kills++;
      }
    });

    // `ingest staging` in a loop meanwhile, once there is something staged.
    let stagingRuns = 0;
    let changedWarnings = 0;
    const load = async () => {
      const r = await cli(root, 'ingest', 'staging', '--vars', vars);
      if (r.code !== 0) throw new Error(`ingest staging failed:\n${r.stdout}\n${r.stderr}`);
      stagingRuns++;
      if (/changed since loaded/.test(r.stdout)) changedWarnings++;
    };
    const loading = (async () => {
      await waitFor(async () => !producing || [...(await localObjects(staged)).keys()].some((k) => k.endsWith('.json')), 60_000, 'a first staged file');
      while (producing) await load();
    })();

    await Promise.all([produced, ...killing, loading]);
    const drain = consumer(staged, group, ['--until-idle=2000']);
    if ((await drain.exit) !== 0) throw new Error(`final drain failed:\n${drain.output()}`);
    await load();
    const built = await cli(root, 'build', '--vars', vars);
    const buildProblems = built.stdout.split('\n').filter((l) => /\b(ERROR|FAIL|WARN)\b/.test(l));

    const replay = consumer(replayed, `${group}-replay`, ['--until-idle=2000']);
    if ((await replay.exit) !== 0) throw new Error(`replay failed:\n${replay.output()}`);
    const [objects, replayObjects] = [await jsonObjects(staged), await jsonObjects(replayed)];
    const differing = [...new Set([...objects.keys(), ...replayObjects.keys()])].filter((key) => objects.get(key) !== replayObjects.get(key));

    const bronze = new Map((await query(root, 'select source_file, count(*) as n from recipe_analytics.bronze_events group by source_file')).map((r) => [String(r.source_file), Number(r.n)]));
    const lineCount = (body: string) => body.split('\n').length - 1;
    const bronzeMismatches = [...objects].filter(([key, body]) => bronze.get(join(staged, key)) !== lineCount(body)).map(([key]) => key);
    const silver = (await query(root, 'select event_id from recipe_analytics.user_events_silver')).map((r) => String(r.event_id));
    const expected = new Set(lines.map((line) => (JSON.parse(line) as { event_id: string }).event_id));
    const inSilver = new Set(silver);
    const highWatermarks = await withAdmin((admin) => admin.fetchTopicOffsets(topic));

    return {
      kills,
      stops,
      stagingRuns,
      changedWarnings,
      producedLines: lines.length,
      producedEvents: expected.size,
      topicRecords: highWatermarks.reduce((sum, p) => sum + Number(p.high), 0),
      objects: objects.size,
      replayObjects: replayObjects.size,
      differing,
      stagedLines: [...objects.values()].reduce((sum, body) => sum + lineCount(body), 0),
      bronzeRows: [...bronze.values()].reduce((a, b) => a + b, 0),
      bronzeMismatches: [...bronzeMismatches, ...[...bronze.keys()].filter((path) => !objects.has(path.slice(staged.length + 1)))],
      silverRows: silver.length,
      missingFromSilver: [...expected].filter((id) => !inSilver.has(id)).length,
      unexpectedInSilver: [...inSilver].filter((id) => !expected.has(id)).length,
      buildCode: built.code,
      buildProblems,
      seconds: Math.round((Date.now() - started) / 1000),
    };
  } finally {
    for (const c of children) if (c.child.exitCode === null && c.child.signalCode === null) c.child.kill('SIGKILL');
    await deleteTopics([topic]).catch(() => {});
    await withAdmin((admin) => admin.deleteGroups([group, `${group}-replay`])).catch(() => {});
  }
}

/** The lines of a generated sample (valid events with re-deliveries), oldest bucket first. */
export async function generatedLines(root: string, options: { eventsPerWindow: number; windows: number; seed: number }): Promise<string[]> {
  const out = tempDir('kill-replay-gen-');
  const generated = await cli(root, 'generate', 'events', '--mode', 'window', '--start', '2025-09-01T00:00:00+09:00', '--events', String(options.eventsPerWindow), '--windows', String(options.windows), '--malformed-rate', '0', '--seed', String(options.seed), '--out', out);
  if (generated.code !== 0) throw new Error(`generate failed:\n${generated.stderr}`);
  const files = [...(await localObjects(out)).entries()].sort(([a], [b]) => a.localeCompare(b));
  return files.flatMap(([, body]) => body.split('\n').filter(Boolean));
}

/** Produces `lines` in batches of 1–60, spread evenly over `ms`, keyed by user as the generator's sink does; `sent` hears of each acknowledged batch with the time its send began. */
export async function trickle(topic: string, lines: string[], ms: number, rng: Rng, sent?: (batch: string[], at: number) => void): Promise<void> {
  const producer = kafka().producer();
  await producer.connect();
  try {
    const started = Date.now();
    for (let at = 0; at < lines.length; ) {
      const batch = lines.slice(at, (at += rng.int(1, 60)));
      const sending = Date.now();
      await producer.send({ topic, acks: -1, messages: batch.map((value) => ({ key: userIdOf(value), value })) });
      sent?.(batch, sending);
      const due = started + (ms * at) / lines.length;
      if (due > Date.now()) await sleep(due - Date.now());
    }
  } finally {
    await producer.disconnect();
  }
}

/** Staged objects of a directory (a killed consumer's temporary files left out). */
async function jsonObjects(dir: string): Promise<Map<string, string>> {
  return new Map([...(await localObjects(dir))].filter(([key]) => key.endsWith('.json')));
}
