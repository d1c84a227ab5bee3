// Issue 17 on the local Trino/Iceberg stack: consecutive 15-minute windows on the prod target with
// threads 4, each run also bringing a late file for the window before it, so silver, quarantine and
// the fact reprocess a done interval and rewrite its state at the same time (the scenario of
// tests/integration/late-windows.test.ts, 20 windows instead of 7). Targets: every run succeeds
// (0 failed in 20), the data tests pass and the books balance afterwards, and a reader polling
// count(*) of silver and the fact every 100 ms never sees a count go down. The project copy uses
// schemas of its own; its staged files, schemas and state rows are removed afterwards.
// Each window runs what the schedule runs: `build` (write–audit–publish, the tests of what it wrote);
// BENCH_COMMAND=run for the models alone.
// Run: node --import tsx bench/late-windows-trino.ts   (BENCH_WINDOWS, BENCH_EVENTS per window, BENCH_COMMAND)
import { loadavg } from 'node:os';
import { randomBytes } from 'node:crypto';
import { TrinoConnection } from '../framework/adapters/trino/connection.js';
import { deletePrefix } from '../tests/integration/ingest-support.js';
import { generateWindows, pollCounts, stagedForRun, upload, type CountSeries } from '../tests/integration/late-windows.js';
import { dropCopy } from '../tests/integration/stack-queries.js';
import { copyProject } from '../tests/integration/project-copy.js';
import { ensureStack } from '../tests/integration/stack.js';
import { cli } from '../tests/unit/support/project.js';
import { summarize, writeResult } from './lib.js';

const WINDOWS = Number(process.env.BENCH_WINDOWS ?? 20);
const EVENTS = Number(process.env.BENCH_EVENTS ?? 1000);
const COMMAND = process.env.BENCH_COMMAND ?? 'build';

ensureStack();
const trino = new TrinoConnection({ host: process.env.TRINO_URL!, catalog: 'iceberg', schema: 'default', user: 'bench' });
const id = randomBytes(3).toString('hex');
const prefix = `bench-late-windows-${id}`;
const schemas = `bench_late_${id}`;
const table = (schema: string, name: string) => `iceberg."${schemas}_${schema}"."${name}"`;
const root = copyProject(schemas);
const vars = JSON.stringify({ staging_location: `s3://${process.env.S3_STAGING_BUCKET}/${prefix}/replay-user-events/` });
const fw = async (...args: string[]) => {
  const started = Date.now();
  const r = await cli(root, ...args, '--target', 'prod', '--vars', vars);
  return { code: r.code, seconds: (Date.now() - started) / 1000, errors: r.stdout.split('\n').filter((l) => /\b(ERROR|FAIL)\b/.test(l)) };
};

try {
  const loadStart = loadavg()[0]!;
  const staged = await generateWindows(root, WINDOWS, EVENTS);
  await upload(staged, prefix, stagedForRun(staged, 0));
  const build = await fw('build');
  if (build.code !== 0) throw new Error(`the first build failed:\n${build.errors.join('\n')}`);
  console.log(`build of window 1: ${build.seconds.toFixed(1)} s`);

  const poller = pollCounts([table('recipe_analytics', 'user_events_silver'), table('gold_analytics', 'fact_user_events')]);
  const runs = [];
  let counts: CountSeries[] = [];
  try {
    for (let k = 1; k <= WINDOWS; k++) {
      await upload(staged, prefix, stagedForRun(staged, k));
      const run = await fw(COMMAND);
      console.log(`run ${k}: exit ${run.code}, ${run.seconds.toFixed(1)} s${run.errors.length ? `\n  ${run.errors.join('\n  ')}` : ''}`);
      runs.push(run);
    }
  } finally {
    counts = await poller.stop();
  }
  const test = await fw('test');
  const [books] = (await trino.run(`select is_balanced, bronze_rows, silver_rows from ${table('recipe_analytics', 'pipeline_accounting')}`)).rows;
  const [silver] = (await trino.run(`select count(*) as n from ${table('recipe_analytics', 'user_events_silver')}`)).rows;
  const result = {
    command: COMMAND,
    threads: 4,
    windows: WINDOWS,
    eventsPerWindow: EVENTS,
    runsSucceeded: runs.filter((r) => r.code === 0).length,
    runsFailed: runs.filter((r) => r.code !== 0).map((r) => r.errors),
    runSeconds: summarize(runs.map((r) => r.seconds)),
    dataTests: test.code === 0 ? 'pass' : test.errors,
    booksBalanced: books?.is_balanced,
    silverRows: Number(silver!.n),
    eventsGenerated: staged.events,
    reader: counts.map((c) => ({ table: c.table, polls: c.polls, min: c.min, max: c.max, drops: c.drops })),
    loadavg: { start: loadStart, end: loadavg()[0]! },
  };
  console.log(`${result.runsSucceeded}/${WINDOWS} runs succeeded; tests ${test.code === 0 ? 'pass' : 'FAIL'}; books balanced: ${result.booksBalanced}; silver ${result.silverRows} of ${staged.events} events; count drops seen: ${counts.map((c) => c.drops.length).join(', ')}`);
  console.log(`results: ${writeResult('late-windows-trino', result)}`);
} finally {
  await deletePrefix(prefix).catch(() => {});
  await dropCopy(schemas);
}
