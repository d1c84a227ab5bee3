// (3) The Reciping build on the local Trino/Iceberg stack: `framework build --target prod` against the
// same statements sent directly through TrinoConnection, one after another in the framework's order.
// Every run starts from dropped schemas; the two are timed in turn. The framework runs with --threads 1
// (the replay is sequential too) as its own Trino user, so that every query it sent can be found in
// system.runtime.queries with Trino's elapsed time (created → end). Subtracting that from wall time
// leaves what each side costs beyond Trino's own work, in total, per statement and per node.
// 200,000 events by default (BENCH_TRINO_EVENTS): a 1M build on the 2-core host takes too long to repeat.
// Run: node --import tsx bench/compare/reciping-trino.ts   → bench/results/compare-reciping-trino.json
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { TrinoConnection } from '../../framework/adapters/trino/connection.js';
import { deletePrefix } from '../../tests/integration/ingest-support.js';
import { ensureStack } from '../../tests/integration/stack.js';
import { summarize, writeResult } from '../lib.js';
import { inProcess, measureInTurn, runCommand, type Sample } from './measure.js';
import { CLI, WORK } from './paths.js';
import { bulkArgs, copyReciping, generate, successfulResults } from './reciping-project.js';
import { capture, replayOf, replayRule } from './replay.js';

const EVENTS = Number(process.env.BENCH_TRINO_EVENTS ?? 200_000);
/** What the build creates (framework_state: interval bookkeeping, the audit schema: stored test failures); dropped before every run. */
const SCHEMAS = ['recipe_analytics', 'gold_analytics', 'framework_state', 'recipe_analytics_audit'];

ensureStack();
const trino = new TrinoConnection({ host: process.env.TRINO_URL!, catalog: 'iceberg', schema: 'default', user: 'bench' });
const dropSchemas = async () => {
  for (const schema of SCHEMAS) await trino.run(`drop schema if exists iceberg.${schema} cascade`);
};

interface Query {
  id: string;
  sql: string;
  createdMs: number;
  elapsedMs: number;
}

/** Finished queries of one Trino user created in [fromMs, toMs], in order. */
async function queriesOf(user: string, fromMs: number, toMs: number): Promise<Query[]> {
  const { rows } = await trino.run(
    `select query_id, query, to_unixtime(created) * 1000 as created_ms, date_diff('millisecond', created, "end") as elapsed_ms from system.runtime.queries ` +
      `where "user" = '${user}' and "end" is not null and created between from_unixtime(${fromMs / 1000}) and from_unixtime(${toMs / 1000}) order by created`,
  );
  return rows.map((r) => ({ id: String(r.query_id), sql: String(r.query), createdMs: Number(r.created_ms), elapsedMs: Number(r.elapsed_ms) }));
}

/** Trino's elapsed milliseconds of the given query ids (all of which it must still remember). */
async function elapsedOf(ids: string[]): Promise<Map<string, number>> {
  const elapsed = new Map<string, number>();
  for (let i = 0; i < ids.length; i += 500) {
    const list = ids.slice(i, i + 500).map((id) => `'${id}'`).join(', ');
    const { rows } = await trino.run(`select query_id, date_diff('millisecond', created, "end") as ms from system.runtime.queries where query_id in (${list}) and "end" is not null`);
    for (const row of rows) elapsed.set(String(row.query_id), Number(row.ms));
  }
  const missing = ids.filter((id) => !elapsed.has(id));
  if (missing.length) throw new Error(`Trino no longer knows ${missing.length} of the ${ids.length} queries just run (e.g. ${missing[0]})`);
  return elapsed;
}

/** One run's split: Trino's time on the replayed statements, on the rest (bookkeeping), and everything else. */
interface Split {
  wallSeconds: number;
  statements: number;
  trinoSeconds: number;
  bookkeeping: { queries: number; trinoSeconds: number };
  /** (wall − Trino's elapsed of everything sent) / statements. */
  beyondTrinoPerStatementMs: number;
  /** Per node (framework) or statement (direct): wall − Trino's elapsed of the queries inside it, median. */
  medianUnitOverheadMs: number;
}

const prefix = `bench-${Date.now().toString(36)}`;
const bucket = process.env.S3_STAGING_BUCKET!;
const generated = generate([...bulkArgs(EVENTS), '--to', 's3', '--prefix', prefix]);
try {
  const project = copyReciping(join(WORK, 'reciping-trino'));
  const args = ['build', '--target', 'prod', '--threads', '1', '--vars', JSON.stringify({ staging_location: `s3://${bucket}/${prefix}/replay-user-events/` })];
  // The prod profile reads TRINO_USER: a user of its own makes this run's queries findable.
  const user = `bench-${randomBytes(3).toString('hex')}`;
  const env = { ...process.env, TRINO_USER: user };

  await dropSchemas();
  const replay = replayOf(project, capture(project, args, env));
  successfulResults(project);
  const { replayed } = replayRule(project);
  console.log(`captured ${replay.counts.captured} statements; replaying ${replay.counts.replayed} (${replay.counts.skippedBookkeeping} read-only bookkeeping queries left out)`);

  const frameworkSplits: Split[] = [];
  const rawSplits: Split[] = [];
  const { framework, raw } = await measureInTurn({
    framework: {
      label: `framework build --target prod --threads 1, ${EVENTS} events`,
      once: async (): Promise<Sample> => {
        await dropSchemas();
        const from = Date.now();
        const sample = runCommand('node', [CLI, ...args], project, env);
        const nodes = successfulResults(project);
        const queries = await queriesOf(user, from, Date.now());
        const work = queries.filter((q) => replayed(q.sql));
        const sum = (qs: Query[]) => qs.reduce((s, q) => s + q.elapsedMs, 0);
        const nodeOverheads = nodes.map((n) => {
          const [start, end] = [Date.parse(n.started_at), Date.parse(n.completed_at)];
          return n.execution_time * 1000 - sum(queries.filter((q) => q.createdMs >= start && q.createdMs <= end));
        });
        frameworkSplits.push({
          wallSeconds: sample.seconds,
          statements: work.length,
          trinoSeconds: sum(work) / 1000,
          bookkeeping: { queries: queries.length - work.length, trinoSeconds: (sum(queries) - sum(work)) / 1000 },
          beyondTrinoPerStatementMs: (sample.seconds * 1000 - sum(queries)) / work.length,
          medianUnitOverheadMs: summarize(nodeOverheads).median,
        });
        return sample;
      },
    },
    raw: {
      label: `same statements direct to Trino, ${EVENTS} events`,
      once: async (): Promise<Sample> => {
        await dropSchemas();
        const sent: { wallMs: number; id: string }[] = [];
        const sample = await inProcess(async () => {
          for (const { sql } of replay.statements) {
            const started = performance.now();
            const { queryId } = await trino.run(sql);
            if (!queryId) throw new Error(`Trino returned no query id for: ${sql.slice(0, 200)}`);
            sent.push({ wallMs: performance.now() - started, id: queryId });
          }
        });
        const elapsed = await elapsedOf(sent.map((s) => s.id));
        const trinoMs = sent.reduce((s, q) => s + elapsed.get(q.id)!, 0);
        rawSplits.push({
          wallSeconds: sample.seconds,
          statements: sent.length,
          trinoSeconds: trinoMs / 1000,
          bookkeeping: { queries: 0, trinoSeconds: 0 },
          beyondTrinoPerStatementMs: (sample.seconds * 1000 - trinoMs) / sent.length,
          medianUnitOverheadMs: summarize(sent.map((s) => s.wallMs - elapsed.get(s.id)!)).median,
        });
        return sample;
      },
    },
  });

  const over = (splits: Split[]) => ({
    beyondTrinoPerStatementMs: summarize(splits.map((s) => s.beyondTrinoPerStatementMs)),
    medianUnitOverheadMs: summarize(splits.map((s) => s.medianUnitOverheadMs)),
    trinoSeconds: summarize(splits.map((s) => s.trinoSeconds)),
    bookkeepingTrinoSeconds: summarize(splits.map((s) => s.bookkeeping.trinoSeconds)),
    runs: splits,
  });
  const totalOverhead = (framework.seconds.median - raw.seconds.median) / raw.seconds.median;
  const frameworkOver = over(frameworkSplits);
  const rawOver = over(rawSplits);
  console.log(
    `total overhead ${(totalOverhead * 100).toFixed(1)} %; beyond Trino's elapsed per statement: framework ${frameworkOver.beyondTrinoPerStatementMs.median.toFixed(0)} ms ` +
      `(median node ${frameworkOver.medianUnitOverheadMs.median.toFixed(0)} ms, bookkeeping queries ${frameworkOver.bookkeepingTrinoSeconds.median.toFixed(1)} s in Trino), ` +
      `direct client ${rawOver.beyondTrinoPerStatementMs.median.toFixed(0)} ms`,
  );

  const path = writeResult('compare-reciping-trino', {
    events: { requested: EVENTS, ...generated },
    statements: replay.counts,
    method:
      'each run after dropping the schemas, alternatives in turn; framework = whole `node bin/framework.js build --target prod --threads 1` as its own Trino user; ' +
      'raw = the replayed statements through TrinoConnection in this process; Trino elapsed = created → end in system.runtime.queries; ' +
      "beyond-Trino per statement = (wall − Trino's elapsed of every query sent) / replayed statements, so the framework's figure includes start-up, " +
      "compile and artifacts but not its bookkeeping queries' time inside Trino (reported apart); framework units are nodes (run_results.json " +
      'execution_time minus the elapsed of the queries created inside the node), raw units are statements',
    framework,
    raw,
    totalOverhead,
    frameworkBeyondTrino: frameworkOver,
    rawBeyondTrino: rawOver,
  });
  console.log(`results: ${path}`);
} finally {
  await deletePrefix(prefix);
}
