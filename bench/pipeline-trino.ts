// Reciping on the local Trino/Iceberg stack (issue 4 targets): a full build over 1M events ≤ 10
// minutes; one 15-minute window of 10,000 events from staging to gold ≤ 60 s (upload to S3, then
// `framework run`: staging -> bronze through the file ledger, silver, gold, analytics), and the
// scheduled cycle with the data tests. The staged files live under a prefix of their own in the
// staging bucket and are deleted afterwards; the schemas are dropped before the full build.
// Run: node --import tsx bench/pipeline-trino.ts   (BENCH_EVENTS, BENCH_WINDOWS)
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { TrinoConnection } from '../framework/adapters/trino/connection.js';
import { deletePrefix } from '../tests/integration/ingest-support.js';
import { ensureStack } from '../tests/integration/stack.js';
import { summarize, timeCommand, writeResult } from './lib.js';
import { CLI, WORK } from './compare/paths.js';
import { bulkArgs, copyReciping, generate, slowest, successfulResults } from './compare/reciping-project.js';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 1_000_000);
const WINDOWS = Number(process.env.BENCH_WINDOWS ?? 3);
const SCHEMAS = ['recipe_analytics', 'gold_analytics', 'framework_state', 'recipe_analytics_audit'];

ensureStack();
const trino = new TrinoConnection({ host: process.env.TRINO_URL!, catalog: 'iceberg', schema: 'default', user: 'bench' });
const bucket = process.env.S3_STAGING_BUCKET!;
const prefix = `bench-pipeline-${Date.now().toString(36)}`;
const project = copyReciping(join(WORK, 'pipeline-trino'));
const vars = JSON.stringify({ staging_location: `s3://${bucket}/${prefix}/replay-user-events/` });
const fw = (...args: string[]) => timeCommand('node', [CLI, ...args, '--target', 'prod', '--vars', vars, '--project-dir', project], project);
const load = () => loadavg()[0]!;

try {
  const loadStart = load();
  const t0 = process.hrtime.bigint();
  generate([...bulkArgs(EVENTS), '--to', 's3', '--prefix', prefix]);
  const uploadSeconds = Number(process.hrtime.bigint() - t0) / 1e9;
  console.log(`generated ${EVENTS} events to s3://${bucket}/${prefix}: ${uploadSeconds.toFixed(1)} s`);
  for (const schema of SCHEMAS) await trino.run(`drop schema if exists iceberg.${schema} cascade`);
  const fullBuild = fw('build');
  const fullBuildSlowest = slowest(successfulResults(project));
  console.log(`full build over ${EVENTS} events (models + tests): ${fullBuild.toFixed(1)} s`);

  const windows = Array.from({ length: WINDOWS }, (_, k) => {
    const start = new Date(Date.parse('2025-09-01T00:00:00+09:00') + k * 15 * 60_000).toISOString();
    const t = process.hrtime.bigint();
    generate(['generate', 'events', '--mode', 'window', '--start', start, '--events', '10000', '--seed', String(100 + k), '--log-format', 'json', '--to', 's3', '--prefix', prefix]);
    const upload = Number(process.hrtime.bigint() - t) / 1e9;
    const run = fw('run');
    const runSlowest = slowest(successfulResults(project));
    const test = fw('test');
    successfulResults(project);
    console.log(`window ${k + 1}: upload ${upload.toFixed(1)} s, run ${run.toFixed(1)} s, tests ${test.toFixed(1)} s`);
    return { upload, run, test, stagingToGold: upload + run, runSlowest };
  });
  const window = {
    upload: summarize(windows.map((w) => w.upload)),
    run: summarize(windows.map((w) => w.run)),
    test: summarize(windows.map((w) => w.test)),
    stagingToGold: summarize(windows.map((w) => w.stagingToGold)),
  };
  console.log(`one window of 10,000 events, upload + run: median ${window.stagingToGold.median.toFixed(1)} s (run ${window.run.median.toFixed(1)} s); tests ${window.test.median.toFixed(1)} s`);
  console.log(
    `results: ${writeResult('pipeline-trino', {
      events: EVENTS,
      loadAverage: { start: loadStart, end: load() },
      targets: { fullBuildSeconds: 600, windowSeconds: 60 },
      uploadSeconds,
      fullBuildSeconds: fullBuild,
      fullBuildSlowest,
      window,
      windowRunSlowest: windows[windows.length - 1]!.runSlowest,
      met: { fullBuild: fullBuild <= 600, window: window.stagingToGold.median <= 60 },
    })}`,
  );
} finally {
  await deletePrefix(prefix);
}
