// Staging -> bronze (issue 5 targets): `framework ingest staging` over 1M staged events, from an
// empty target, ≤ 15 s on DuckDB and ≤ 3 minutes on the local Trino. Each run starts with no bronze
// table and no file ledger, so every file is listed, loaded once and recorded. A second
// `ingest staging` right after (nothing new) shows what a run with nothing to load costs.
// Run: node --import tsx bench/staging-bronze.ts [duckdb|trino ...]   → bench/results/staging-bronze.json
import { rmSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { TrinoConnection } from '../framework/adapters/trino/connection.js';
import { deletePrefix } from '../tests/integration/ingest-support.js';
import { ensureStack } from '../tests/integration/stack.js';
import { summarize, timeCommand, writeResult, type Timing } from './lib.js';
import { CLI, WORK } from './compare/paths.js';
import { bulkArgs, copyReciping, generate, localEvents, localStagingVars } from './compare/reciping-project.js';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 1_000_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const engines = process.argv.slice(2).length ? process.argv.slice(2) : ['duckdb', 'trino'];
const results: Record<string, unknown> = {};

interface Figures {
  load: Timing;
  nothingNew: Timing;
  loadAverage: { start: number; end: number };
}

function measure(label: string, project: string, args: string[], reset: () => Promise<void> | void, env: NodeJS.ProcessEnv = process.env): Promise<Figures> {
  return (async () => {
    const start = loadavg()[0]!;
    const load: number[] = [];
    const nothingNew: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      await reset();
      load.push(timeCommand('node', [CLI, 'ingest', 'staging', ...args, '--project-dir', project], project, env));
      nothingNew.push(timeCommand('node', [CLI, 'ingest', 'staging', ...args, '--project-dir', project], project, env));
      console.log(`${label} run ${i + 1}: load ${load[i]!.toFixed(1)} s, nothing new ${nothingNew[i]!.toFixed(1)} s`);
    }
    return { load: summarize(load), nothingNew: summarize(nothingNew), loadAverage: { start, end: loadavg()[0]! } };
  })();
}

if (engines.includes('duckdb')) {
  const events = localEvents(EVENTS);
  const project = copyReciping(join(WORK, 'staging-bronze-duckdb'));
  const figures = await measure('duckdb', project, ['--vars', localStagingVars(events.dir)], () => rmSync(join(project, 'target'), { recursive: true, force: true }));
  results.duckdb = { ...figures, targetSeconds: 15, met: figures.load.median <= 15 };
}

if (engines.includes('trino')) {
  ensureStack();
  const trino = new TrinoConnection({ host: process.env.TRINO_URL!, catalog: 'iceberg', schema: 'default', user: 'bench' });
  const prefix = `bench-staging-${Date.now().toString(36)}`;
  const bucket = process.env.S3_STAGING_BUCKET!;
  generate([...bulkArgs(EVENTS), '--to', 's3', '--prefix', prefix]);
  try {
    const project = copyReciping(join(WORK, 'staging-bronze-trino'));
    const args = ['--target', 'prod', '--vars', JSON.stringify({ staging_location: `s3://${bucket}/${prefix}/replay-user-events/` })];
    const figures = await measure('trino', project, args, async () => {
      for (const schema of ['recipe_analytics', 'framework_state']) await trino.run(`drop schema if exists iceberg.${schema} cascade`);
    });
    results.trino = { ...figures, targetSeconds: 180, met: figures.load.median <= 180 };
  } finally {
    await deletePrefix(prefix);
  }
}

console.log(`results: ${writeResult('staging-bronze', { events: EVENTS, runs: RUNS, ...results })}`);
