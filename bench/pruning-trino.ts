// Issue 16 on the local Trino/Iceberg stack: what the bounded reads of a window scan. Builds a
// history of BENCH_EVENTS events over 14 days (prod target, a project copy with schemas of its own),
// runs one window of 2,000, then EXPLAIN ANALYZEs each read whole and bounded as the window's run
// bounds it, and records the rows and splits the table scan read (bench/results/pruning-trino.json,
// docs/scale.md). Its staged files, schemas and state rows are removed afterwards.
// Run: node --import tsx bench/pruning-trino.ts   (BENCH_EVENTS, default 100000)
import { randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { loadavg } from 'node:os';
import { sep } from 'node:path';
import { TrinoConnection } from '../framework/adapters/trino/connection.js';
import { deletePrefix } from '../tests/integration/ingest-support.js';
import { upload } from '../tests/integration/late-windows.js';
import { copyProject } from '../tests/integration/project-copy.js';
import { ensureStack } from '../tests/integration/stack.js';
import { cli, tempDir } from '../tests/unit/support/project.js';
import { dropCopy } from '../tests/integration/stack-queries.js';
import { writeResult } from './lib.js';

ensureStack();
const trino = new TrinoConnection({ host: process.env.TRINO_URL!, catalog: 'iceberg', schema: 'default', user: 'bench' });
const id = randomBytes(3).toString('hex');
const prefix = `pruning-${id}`;
const schemas = `pruning_${id}`;
const root = copyProject(schemas);
const vars = JSON.stringify({ staging_location: `s3://${process.env.S3_STAGING_BUCKET}/${prefix}/replay-user-events/` });
const t0 = Date.now();
const log = (...a: unknown[]) => console.log(`[${((Date.now() - t0) / 1000).toFixed(0)}s load ${loadavg()[0]!.toFixed(1)}]`, ...a);
const stage = async (args: string[]) => {
  const dir = tempDir('pruning-');
  const r = await cli(root, 'generate', 'events', ...args, '--out', dir);
  if (r.code !== 0) throw new Error(r.stdout + r.stderr);
  const files = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.json'));
  await upload({ dir }, prefix, files);
  return files.map((f) => f.split(sep).join('/'));
};
try {
  log('staged', (await stage(['--mode', 'bulk', '--start', '2025-08-18', '--end', '2025-08-31', '--events', String(Number(process.env.BENCH_EVENTS ?? 100000)), '--seed', '3'])).length, 'files');
  let r = await cli(root, 'build', '--target', 'prod', '--resource-type', 'model', 'seed', 'snapshot', '--vars', vars);
  log('history build', r.code);
  await stage(['--mode', 'window', '--start', '2025-09-01T00:00:00+09:00', '--events', '2000', '--seed', '9']);
  r = await cli(root, 'run', '--target', 'prod', '--vars', vars);
  log('window run', r.code, r.code ? r.stdout.slice(-2000) : '');
  const rel = async (name: string) => {
    const found = await trino.run(`select table_schema from iceberg.information_schema.tables where table_name = '${name}' and table_schema like '${schemas}\\_%' escape '\\'`);
    return `iceberg."${String(found.rows[0]!.table_schema)}"."${name}"`;
  };
  const silver = await rel('user_events_silver');
  const fact = await rel('fact_user_events');
  const bronze = await rel('bronze_events');
  const lastLoad = String((await trino.run(`select cast(max(ingestion_timestamp) as varchar) as t from ${bronze}`)).rows[0]!.t);
  const queries: [string, string][] = [
    ['silver, whole table', `select count(*) from ${silver}`],
    ['silver, one event date (de-duplication lookup)', `select count(*) from ${silver} where date = DATE '2025-08-31'`],
    ['fact, whole table', `select count(*) from ${fact}`],
    ['fact, three event dates (session recomputation)', `select count(*) from ${fact} where event_date between DATE '2025-08-30' and DATE '2025-09-01'`],
    ['bronze, whole table', `select count(*) from ${bronze}`],
    ['bronze, rows loaded since the last read (interval_input arrivals)', `select count(*) from ${bronze} where ingestion_timestamp >= TIMESTAMP '${lastLoad}'`],
  ];
  const reads = [];
  for (const [label, q] of queries) {
    const out = await trino.run(`explain analyze ${q}`);
    const lines = String(Object.values(out.rows[0]!)[0]).split('\n').map((l) => l.trim());
    // The scan is the last operator of the plan: its node line, then its "Input: N rows … Splits: K".
    const scan = Math.max(...lines.map((l, i) => (/^└─ (TableScan|ScanFilterProject)\[/.test(l) ? i : -1)));
    const input = lines.slice(scan).find((l) => /^Input: /.test(l))!;
    const rows = Number(/^Input: (\d+) rows/.exec(input)![1]);
    const splits = Number(/Splits: (\d+)/.exec(input)![1]);
    reads.push({ read: label, query: q.replaceAll(`"${schemas}_`, '"'), rows, splits, pruning: /constraint on \[[^\]]+\]/.exec(lines[scan]!)?.[0] ?? (/filterPredicate/.test(lines[scan]!) ? 'file statistics' : 'none') });
    log(label, rows, 'rows', splits, 'splits');
  }
  console.log(`results: ${writeResult('pruning-trino', { target: 'trino', events: Number(process.env.BENCH_EVENTS ?? 100000), load: loadavg(), reads })}`);
} finally {
  await deletePrefix(prefix).catch(() => {});
  await dropCopy(schemas);
}
