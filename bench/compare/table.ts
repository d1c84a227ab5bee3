// The Markdown table of one `npm run bench`: every row comes from a results file written by this run;
// a comparison whose file is missing says so instead of showing an older figure.
import type { Timing } from '../lib.js';
import type { Measurement } from './measure.js';

type Results = Record<string, any>;

const s = (t: Timing) => `${t.median.toFixed(2)} s (${t.min.toFixed(2)}–${t.max.toFixed(2)})`;
const n = (t: Timing, unit: string, digits = 0) => `${t.median.toFixed(digits)} ${unit} (${t.min.toFixed(digits)}–${t.max.toFixed(digits)})`;
const pct = (x: number) => `${x >= 0 ? '+' : ''}${(x * 100).toFixed(1)} %`;
const load = (...m: Measurement[]) => `${m[0]!.loadAverage.start.toFixed(1)}→${m[m.length - 1]!.loadAverage.end.toFixed(1)}`;
const count = (x: number) => x.toLocaleString('en-US');
const times = (x: number, more: string, less: string) => (x >= 1 ? `×${x.toFixed(1)} ${more}` : `×${(1 / x).toFixed(1)} ${less}`);
/** "×8.8 faster, ×6.4 less CPU" from the ratios {wall, cpu} of baseline over framework. */
const faster = (r: { wall: number; cpu: number }) => `${times(r.wall, 'faster', 'slower')}, ${times(r.cpu, 'less CPU', 'more CPU')}`;

/** Overhead of the fastest framework run over the fastest baseline run: the pair least disturbed by other load. */
const bestRuns = (framework: Measurement, baseline: Measurement) => `best runs ${pct(framework.seconds.min / baseline.seconds.min - 1)}`;
const bestRunsFaster = (framework: Measurement, baseline: Measurement) => `best runs ${times(baseline.seconds.min / framework.seconds.min, 'faster', 'slower')}`;

type Row = [string, string, string, string, string];

function compileRows(r: Results): Row[] {
  return Object.entries(r.sizes as Record<string, Results>).flatMap(([size, x]) => [
    [`Parse + compile, ${count(Number(size))} models: \`framework compile\` vs \`dbt parse\``, s(x.framework.seconds), s(x.dbtParse.seconds), faster(x.speedup.overDbtParse), load(x.framework, x.dbtParse)],
    [`… vs \`dbt compile\` (dbt-duckdb)`, s(x.framework.seconds), s(x.dbtCompile.seconds), faster(x.speedup.overDbtCompile), load(x.dbtCompile)],
    [`… vs \`dbt parse\` warm (partial parse cache kept)`, s(x.framework.seconds), s(x.dbtParseWarm.seconds), faster(x.speedup.overDbtParseWarm), load(x.dbtParseWarm)],
  ]);
}

function duckdbRows(r: Results, dbt: Results | undefined): Row[] {
  const events = count(r.events.events);
  return [
    [`Reciping build, DuckDB, ${events} events: framework (--threads 1) vs same SQL direct`, s(r.framework.seconds), s(r.raw.seconds), `overhead ${pct(r.overhead.wall)} (CPU ${pct(r.overhead.cpu)}, ${bestRuns(r.framework, r.raw)})`, load(r.framework, r.raw)],
    [`… framework at the profile's threads (2)`, s(r.frameworkProfileThreads.seconds), '', '', load(r.frameworkProfileThreads)],
    dbt
      ? [`… vs dbt-duckdb \`dbt build --threads 1\` (equivalent project)`, s(dbt.framework.seconds), s(dbt.dbtBuild.seconds), `${faster(dbt.dbtOverFramework)} (${bestRunsFaster(dbt.framework, dbt.dbtBuild)})`, load(dbt.dbtBuild)]
      : [`… vs dbt-duckdb`, '', '', 'not measured in this run (step failed)', ''],
  ];
}

function trinoRows(r: Results): Row[] {
  const ms = (t: Timing) => n(t, 'ms');
  const f = r.frameworkBeyondTrino;
  const d = r.rawBeyondTrino;
  return [
    [`Reciping build, Trino, ${count(r.events.events)} events: framework (--threads 1) vs same statements direct`, s(r.framework.seconds), s(r.raw.seconds), `overhead ${pct(r.totalOverhead)} (${bestRuns(r.framework, r.raw)})`, load(r.framework, r.raw)],
    [`… per statement (${r.statements.replayed}), wall beyond Trino's elapsed time`, ms(f.beyondTrinoPerStatementMs), ms(d.beyondTrinoPerStatementMs), `+${(f.beyondTrinoPerStatementMs.median - d.beyondTrinoPerStatementMs.median).toFixed(0)} ms per statement`, ''],
    [`… per node (framework) / statement (direct), median beyond Trino`, ms(f.medianUnitOverheadMs), ms(d.medianUnitOverheadMs), `bookkeeping queries: ${f.bookkeepingTrinoSeconds.median.toFixed(1)} s inside Trino`, ''],
  ];
}

function throughputRows(generator: Results | undefined, ingest: Results | undefined): Row[] {
  const rows: Row[] = [];
  if (generator) {
    rows.push([`Generator, ${count(generator.events)} events to local files`, n(generator.eventsPerSecond, 'events/s'), '', `peak RSS ${n(generator.peakRssMb, 'MB')}`, `${generator.loadAverage.start.toFixed(1)}→${generator.loadAverage.end.toFixed(1)}`]);
  } else rows.push(['Generator', '', '', 'not measured in this run (step failed)', '']);
  if (ingest) {
    const c = ingest.consumer;
    rows.push([`Ingestion Kafka → S3, ${count(ingest.topic.lines)} records`, n(c.eventsPerSecond, 'events/s'), '', `peak RSS ${n(c.peakRssMb, 'MB', 1)}`, `${ingest.loadAverageAtStart.toFixed(1)}→${ingest.loadAverageAtEnd.toFixed(1)}`]);
  } else rows.push(['Ingestion Kafka → S3', '', '', 'not measured in this run (step failed)', '']);
  return rows;
}

/** `results`: name → parsed JSON of the files this run wrote (absent when the step failed). */
export function markdownTable(results: Record<string, Results | undefined>): string {
  const missing = (what: string): Row[] => [[what, '', '', 'not measured in this run (step failed)', '']];
  const rows: Row[] = [
    ...(results['compare-compile'] ? compileRows(results['compare-compile']) : missing('Parse + compile vs dbt-core')),
    ...(results['compare-reciping-duckdb'] ? duckdbRows(results['compare-reciping-duckdb'], results['compare-reciping-dbt-duckdb']) : missing('Reciping build on DuckDB')),
    ...(results['compare-reciping-trino'] ? trinoRows(results['compare-reciping-trino']) : missing('Reciping build on Trino')),
    ...throughputRows(results['compare-generator'], results['ingest']),
  ];
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(['Benchmark', 'Framework: median (min–max)', 'Baseline: median (min–max)', 'Result (medians)', 'Load avg']), line(['---', '---', '---', '---', '---']), ...rows.map(line)].join('\n');
}
