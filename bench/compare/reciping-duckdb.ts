// (2) The Reciping build over 1M generated events on DuckDB: `framework build` against the same
// statements sent directly through @duckdb/node-api on one connection, in the same order, and against
// `dbt build` of the dbt-duckdb equivalent (dbt-reciping.ts). Every run starts from an empty database
// file; the alternatives are timed in turn. The framework and dbt run with --threads 1 (the replay is
// sequential too); the framework once more at the profile's threads for reference.
// `build`, not `run`: the gold layer reads the recipe_master seed, which `run` does not load.
// Run: node --import tsx bench/compare/reciping-duckdb.ts
//   → bench/results/compare-reciping-duckdb.json and compare-reciping-dbt-duckdb.json
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import type { Manifest } from '../../framework/template/manifest.js';
import { writeResult } from '../lib.js';
import { ensureDbtEnv } from './dbt-env.js';
import { dbtEnvironment } from './dbt-project.js';
import { dbtRecipingFrom } from './dbt-reciping.js';
import { inProcess, measureInTurn, ratio, runCommand, type Measurement } from './measure.js';
import { CLI, WORK } from './paths.js';
import { copyReciping, localEvents, localStagingVars, successfulResults } from './reciping-project.js';
import { capture, replayOf } from './replay.js';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 1_000_000);
const GOAL_OVERHEAD = 0.1;

const events = localEvents(EVENTS);
const project = copyReciping(join(WORK, 'reciping-duckdb'));
const database = join(project, 'target/dev.duckdb');
/** The replay's own file, so the framework's is left as the framework built it. */
const rawDatabase = join(project, 'target/raw.duckdb');
const emptyDatabase = (file = database) => {
  rmSync(file, { force: true });
  rmSync(`${file}.wal`, { force: true });
};
const build = ['build', '--vars', localStagingVars(events.dir)];
const sequential = [...build, '--threads', '1'];

emptyDatabase();
const captured = capture(project, sequential);
successfulResults(project);
const replay = replayOf(project, captured);
const connections = new Set(captured.map((s) => s.connection)).size;
console.log(`captured ${replay.counts.captured} statements on ${connections} connection(s); replaying ${replay.counts.replayed} (${replay.counts.skippedBookkeeping} read-only bookkeeping queries left out)`);

// Without dbt the other figures are still measured and written; the step fails at the end.
const dbtSide = (() => {
  try {
    return { ...ensureDbtEnv(), project: dbtRecipingFrom(project, join(WORK, 'reciping-dbt')) };
  } catch (error) {
    console.error(`!!! dbt-duckdb cannot be compared: ${(error as Error).message}`);
    return error as Error;
  }
})();

const frameworkRun = (args: string[]) => () => {
  emptyDatabase();
  const sample = runCommand('node', [CLI, ...args], project);
  successfulResults(project);
  return sample;
};
const alternatives = {
  framework: { label: `framework build --threads 1, ${EVENTS} events`, once: frameworkRun(sequential) },
  raw: {
    label: `same statements direct to DuckDB, ${EVENTS} events`,
    once: () => {
      emptyDatabase(rawDatabase);
      return inProcess(async () => {
        const instance = await DuckDBInstance.create(rawDatabase);
        const connection = await instance.connect();
        // Read every result in full, as the framework does.
        for (const { sql } of replay.statements) await connection.runAndReadAll(sql);
        connection.closeSync();
        instance.closeSync();
      });
    },
  },
  frameworkProfileThreads: { label: `framework build (profile threads), ${EVENTS} events`, once: frameworkRun(build) },
};
/** Framework against raw DuckDB, written before (and whether or not) dbt is compared. */
function report({ framework, raw, frameworkProfileThreads }: Record<keyof typeof alternatives, Measurement>): void {
  const overhead = {
    wall: (framework.seconds.median - raw.seconds.median) / raw.seconds.median,
    cpu: (framework.cpuSeconds.median - raw.cpuSeconds.median) / raw.cpuSeconds.median,
  };
  console.log(`framework overhead: ${(overhead.wall * 100).toFixed(1)} % wall, ${(overhead.cpu * 100).toFixed(1)} % CPU (medians)`);
  const path = writeResult('compare-reciping-duckdb', {
    events: { requested: EVENTS, ...events.stats },
    statements: { ...replay.counts, duckdbConnections: connections },
    method:
      'each run from an empty DuckDB file, alternatives in turn; framework = whole `node bin/framework.js build` (start-up, compile, artifacts included); ' +
      'raw = open the file, run the replayed statements with runAndReadAll on one connection, close; CPU = user+system of all threads',
    framework,
    raw,
    frameworkProfileThreads,
    overhead,
    goal: { overhead: GOAL_OVERHEAD },
    met: { overhead: overhead.wall <= GOAL_OVERHEAD },
  });
  console.log(`results: ${path}`);
}

if (dbtSide instanceof Error) {
  report(await measureInTurn(alternatives));
  throw dbtSide;
}
const measured = await measureInTurn({
  ...alternatives,
  dbt: {
    label: `dbt build --threads 1 (dbt-duckdb), ${EVENTS} events`,
    once: () => {
      rmSync(join(dbtSide.project, 'target'), { recursive: true, force: true }); // no partial-parse cache, empty database
      return runCommand(dbtSide.dbt, ['build', '--threads', '1'], dbtSide.project, dbtEnvironment(dbtSide.project));
    },
  },
});
report(measured);

// The last run of each left its database behind: the same tables with the same row counts, or no comparison.
const dbtRows = await tableRows(join(dbtSide.project, 'target/dev.duckdb'));
const frameworkRows = await tableRows(database);
if (JSON.stringify(dbtRows) !== JSON.stringify(frameworkRows)) throw new Error(`dbt and the framework built different tables:\n${JSON.stringify({ dbtRows, frameworkRows })}`);
const dbtOverFramework = ratio(measured.dbt, measured.framework);
console.log(`dbt-duckdb / framework: ×${dbtOverFramework.wall.toFixed(2)} wall, ×${dbtOverFramework.cpu.toFixed(2)} CPU (medians)`);
console.log(
  `results: ${writeResult('compare-reciping-dbt-duckdb', {
    events: { requested: EVENTS, ...events.stats },
    dbt: dbtSide.versions,
    method: "dbt-reciping.ts: the framework manifest's compiled SQL as dbt models, seed and singular tests; `dbt build --threads 1`, target/ and the database deleted before each run",
    dbtBuild: measured.dbt,
    framework: measured.framework,
    dbtOverFramework,
    sameTableRowCounts: dbtRows,
  })}`,
);

/** Row count of every table the build made (models and seeds, views excepted), by "schema"."name". */
async function tableRows(file: string): Promise<Record<string, number>> {
  const manifest = JSON.parse(readFileSync(join(project, 'target/manifest.json'), 'utf8')) as Manifest;
  const tables = Object.values(manifest.nodes).flatMap((n) =>
    (n.resourceType === 'model' && ['table', 'incremental'].includes(n.config.materialized)) || n.resourceType === 'seed' ? [`"${n.relation.schema}"."${n.relation.name}"`] : [],
  );
  const instance = await DuckDBInstance.create(file, { access_mode: 'READ_ONLY' });
  const connection = await instance.connect();
  const counts: Record<string, number> = {};
  for (const table of tables.sort()) counts[table] = Number((await connection.runAndReadAll(`select count(*) from ${table}`)).getRows()[0]![0]);
  connection.closeSync();
  instance.closeSync();
  return counts;
}
