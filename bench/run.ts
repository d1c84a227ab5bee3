// `npm run bench`: every comparison of issue 9 in one run on this machine, then one Markdown table
// (printed, and written into docs/benchmarks.md between its bench:table markers). Each step is a child
// process; a failing step is reported loudly and makes the exit code non-zero, the later steps still
// run, and the table shows only figures written by this run.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { machine, summarize, writeResult } from './lib.js';
import { RUNS } from './compare/measure.js';
import { ROOT } from './compare/paths.js';
import { markdownTable } from './compare/table.js';

const started = new Date();
const loadAtStart = loadavg()[0]!;
const failures: string[] = [];

function step(name: string, command: string, args: string[]): boolean {
  console.log(`\n=== ${name}: ${command} ${args.join(' ')}`);
  const result = spawnSync(command, args, { cwd: ROOT, stdio: 'inherit' });
  if (result.status === 0) return true;
  const why = result.error ? result.error.message : `exit ${result.status ?? result.signal}`;
  console.error(`\n!!! ${name} FAILED (${why}); continuing with the next step`);
  failures.push(`${name}: ${why}`);
  return false;
}

/** A results file, only if this run wrote it. */
function fresh(name: string): Record<string, any> | undefined {
  const path = join(ROOT, 'bench/results', `${name}.json`);
  if (!existsSync(path)) return undefined;
  const value = JSON.parse(readFileSync(path, 'utf8')) as Record<string, any>;
  return new Date(value.date) >= started ? value : undefined;
}

const tsx = (script: string) => ['--import', 'tsx', script];

// The CLI under test is bin/framework.js over dist/: build it from the current sources first.
step('build dist/', process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json']);
step('(1) parse + compile vs dbt-core', process.execPath, tsx('bench/compare/compile.ts'));
step('(2) Reciping on DuckDB vs raw DuckDB and dbt-duckdb', process.execPath, tsx('bench/compare/reciping-duckdb.ts'));
step('(3) Reciping on Trino vs raw statements', process.execPath, tsx('bench/compare/reciping-trino.ts'));

// (4) bench/generator.ts times one run and overwrites generator.json: run it RUNS times, keep each.
const generatorLoad = loadavg()[0]!;
const generatorRuns: Record<string, any>[] = [];
for (let i = 1; i <= RUNS; i++) {
  if (!step(`(4) generator, run ${i} of ${RUNS}`, process.execPath, tsx('bench/generator.ts'))) break;
  generatorRuns.push(fresh('generator')!);
}
if (generatorRuns.length === RUNS) {
  const pick = (key: string) => summarize(generatorRuns.map((r) => Number(r[key])));
  writeResult('compare-generator', {
    events: generatorRuns[0]!.events,
    eventsPerSecond: pick('eventsPerSecond'),
    peakRssMb: pick('peakRssMb'),
    seconds: pick('seconds'),
    loadAverage: { start: generatorLoad, end: loadavg()[0] },
    runs: generatorRuns,
  });
}
step('(4) ingestion Kafka → S3', process.execPath, tsx('bench/ingest.ts'));

const names = ['compare-compile', 'compare-reciping-duckdb', 'compare-reciping-dbt-duckdb', 'compare-reciping-trino', 'compare-generator', 'ingest'];
const table = markdownTable(Object.fromEntries(names.map((name) => [name, fresh(name)])));
const m = machine();
const header =
  `Measured ${started.toISOString().slice(0, 16).replace('T', ' ')} UTC on ${m.cpus} × ${m.model}, ${m.memGiB} GiB, Node ${m.node}, ${m.platform}; ` +
  `load average ${loadAtStart.toFixed(1)} at start, ${loadavg()[0]!.toFixed(1)} at end (the host is shared). ≥ ${RUNS} runs per figure.`;
const section = `${header}\n\n${table}\n${failures.length ? `\nFailed steps (no figures): ${failures.join('; ')}\n` : ''}`;
console.log(`\n${section}`);

const docs = join(ROOT, 'docs/benchmarks.md');
const text = readFileSync(docs, 'utf8');
const marked = /(<!-- bench:table -->\n)[\s\S]*?(<!-- \/bench:table -->)/;
if (!marked.test(text)) throw new Error(`${docs} has no <!-- bench:table --> ... <!-- /bench:table --> section`);
writeFileSync(docs, text.replace(marked, (_, open: string, close: string) => `${open}${section}${close}`));
console.log(`table written to ${docs}`);
if (failures.length) {
  console.error(`\n${failures.length} step(s) FAILED:\n  ${failures.join('\n  ')}`);
  process.exitCode = 1;
}
