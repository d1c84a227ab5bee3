#!/usr/bin/env node
// The Reciping pipeline end to end on the embedded DuckDB target (npm run pipeline):
//   1. generate a sample of user events into data/staging (skipped when it already holds this
//      sample: generation is deterministic, so the files would be the same),
//   2. build everything (seeds, bronze -> silver/quarantine -> gold -> analytics, all data tests),
//   3. print pipeline_summary: rows per layer, where bronze lines went, the headline insights.
// Running it twice gives identical results: the sample is not regenerated, bronze loads only
// files it has not loaded, silver/fact merges find nothing new, dimensions rebuild identically.
//
// Flags: --full (the 1M-event June-August bulk), --events N, --seed N, --threads N,
//        --fresh (delete data/staging and the dev database first).
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'bin', 'framework.js');
const staging = join(root, 'data', 'staging');
const marker = join(staging, '.sample.json');
const database = join(root, 'target', 'dev.duckdb');

const DEFAULT_EVENTS = 300_000;
const FULL_EVENTS = 1_000_000;

function parseFlags(argv) {
  const flags = { full: false, fresh: false, events: undefined, seed: 42, threads: undefined };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      const v = arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : argv[++i];
      if (v === undefined) fail(`${arg} needs a value`);
      return v;
    };
    const integer = (name, v) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 0) fail(`${name} must be a non-negative integer, got "${v}"`);
      return n;
    };
    if (arg === '--full') flags.full = true;
    else if (arg === '--fresh') flags.fresh = true;
    else if (arg.startsWith('--events')) flags.events = integer('--events', value());
    else if (arg.startsWith('--seed')) flags.seed = integer('--seed', value());
    else if (arg.startsWith('--threads')) flags.threads = integer('--threads', value());
    else if (arg === '--help' || arg === '-h') {
      process.stdout.write('usage: node scripts/pipeline.js [--full] [--events N] [--seed N] [--threads N] [--fresh]\n');
      process.exit(0);
    } else fail(`unknown flag ${arg}`);
  }
  return flags;
}

function fail(message) {
  process.stderr.write(`pipeline: ${message}\n`);
  process.exit(2);
}

/** Run the framework CLI; resolves with its stdout, streams lines to `onLine`. Rejects on a non-zero exit. */
function framework(args, onLine = () => {}) {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [cli, ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let pending = '';
    child.stdout.on('data', (chunk) => {
      const text = chunk.toString();
      out += text;
      pending += text;
      const lines = pending.split('\n');
      pending = lines.pop();
      for (const line of lines) onLine(line);
    });
    child.stderr.on('data', (chunk) => {
      err += chunk.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (pending) onLine(pending);
      if (code === 0) resolvePromise(out);
      else reject(Object.assign(new Error(`framework ${args[0]} exited with ${code}${err ? `:\n${err.trim()}` : ''}`), { code }));
    });
  });
}

const json = (line) => {
  try {
    return JSON.parse(line);
  } catch {
    return undefined;
  }
};

const n = (v) => (v === null || v === undefined ? 'n/a' : Number(v).toLocaleString('en-US'));
const signedPct = (v) => (v === null || v === undefined ? 'n/a' : `${v >= 0 ? '+' : ''}${Number(v).toFixed(1)}%`);

async function ensureSample(flags) {
  const sample = {
    seed: flags.seed,
    mode: 'bulk',
    // The default sample is the three weeks around the A/B test (2025-08-08..22): small enough for
    // about a minute, with enough ad clicks to see the lift; --full is the June-August bulk.
    start: flags.full ? '2025-06-01' : '2025-08-04',
    end: flags.full ? '2025-08-31' : '2025-08-24',
    events: flags.events ?? (flags.full ? FULL_EVENTS : DEFAULT_EVENTS),
  };
  const key = JSON.stringify(sample);
  if (flags.fresh) {
    rmSync(staging, { recursive: true, force: true });
    rmSync(database, { force: true });
    rmSync(`${database}.wal`, { force: true });
  }
  const previous = existsSync(marker) ? json(readFileSync(marker, 'utf8')) : undefined;
  if (previous && JSON.stringify(previous.sample) === key) {
    process.stdout.write(`1/3 sample: data/staging already holds seed ${sample.seed}, ${n(sample.events)} events ${sample.start}..${sample.end} (not regenerated)\n`);
    return previous;
  }
  if (existsSync(staging)) {
    // Another sample is staged: bronze is append-only, so start over rather than mix samples.
    process.stdout.write('1/3 sample: data/staging holds a different sample; replacing it and the dev database\n');
    rmSync(staging, { recursive: true, force: true });
    rmSync(database, { force: true });
    rmSync(`${database}.wal`, { force: true });
  }
  process.stdout.write(`1/3 sample: generating seed ${sample.seed}, ${n(sample.events)} events ${sample.start}..${sample.end} into data/staging\n`);
  const started = Date.now();
  const out = await framework([
    'generate', 'events', '--mode', sample.mode, '--start', sample.start, '--end', sample.end,
    '--events', String(sample.events), '--seed', String(sample.seed), '--out', 'data/staging', '--log-format', 'json',
  ]);
  const stats = out.split('\n').map(json).find((e) => e && e.event === 'generated');
  if (!stats) throw new Error('the generator did not report its statistics');
  const record = { sample, stats: { events: stats.events, duplicates: stats.duplicates, malformed: stats.malformed, malformedByKind: stats.malformedByKind, lines: stats.lines, files: stats.files } };
  mkdirSync(staging, { recursive: true });
  writeFileSync(marker, JSON.stringify(record, null, 2) + '\n');
  process.stdout.write(`    ${n(stats.events)} events + ${n(stats.duplicates)} duplicates + ${n(stats.malformed)} malformed lines in ${n(stats.files)} files (${((Date.now() - started) / 1000).toFixed(1)}s)\n`);
  return record;
}

async function build(flags) {
  process.stdout.write('2/3 build: seeds, bronze -> silver -> gold -> analytics, data tests (DuckDB dev target)\n');
  const problems = [];
  let summary;
  const args = ['build', '--log-format', 'json', ...(flags.threads ? ['--threads', String(flags.threads)] : [])];
  const onLine = (line) => {
    const e = json(line);
    if (!e) return;
    if (e.event === 'node_done') {
      const id = String(e.unique_id);
      const name = id.split('.').pop();
      if (e.status === 'error' || e.status === 'fail' || e.status === 'warn') {
        problems.push(e);
        process.stdout.write(`    ${e.status.toUpperCase()} ${name}: ${String(e.message).split('\n')[0]}\n`);
      } else if ((id.startsWith('model.') || id.startsWith('seed.')) && e.status === 'success' && !/^view/.test(String(e.message))) {
        // Tables and incremental models: how many rows each wrote (views only print their name in the log).
        const rows = e.rows_affected !== undefined ? `${n(e.rows_affected)} rows` : '';
        const what = String(e.message).replace(/ \(\d+ rows\)/, '');
        process.stdout.write(`    ${name.padEnd(26)} ${what.padEnd(16)} ${rows.padStart(14)}  ${Number(e.execution_time).toFixed(1)}s\n`);
      }
    } else if (e.event === 'summary') summary = e;
  };
  let error;
  await framework(args, onLine).catch((err) => {
    error = err;
  });
  if (summary) {
    const parts = ['success', 'pass', 'warn', 'fail', 'error', 'skipped'].filter((k) => summary[k]).map((k) => `${k}=${summary[k]}`);
    process.stdout.write(`    done in ${Number(summary.elapsed).toFixed(1)}s: ${parts.join(' ')}\n`);
  }
  if (error) throw error;
  return summary;
}

function printSummary(s, record) {
  const sample = record?.sample;
  // Compare with what the generator reported only when staging holds exactly that sample
  // (files staged since, e.g. a window-mode replay, change the totals).
  const stats = record?.stats && Number(record.stats.lines) === Number(s.bronze_rows) ? record.stats : undefined;
  const out = [];
  out.push('3/3 summary (gold_analytics.pipeline_summary)');
  out.push('  rows per layer');
  out.push(`    bronze       ${n(s.bronze_rows).padStart(11)} lines from ${n(s.bronze_files)} staged files`);
  out.push(`    silver       ${n(s.silver_rows).padStart(11)} events (${s.silver_retention_pct}% of bronze)`);
  out.push(`    quarantine   ${n(s.quarantined_rows).padStart(11)} malformed lines${stats ? ` (generator injected ${n(stats.malformed)})` : ''}`);
  out.push(`    duplicates   ${n(s.duplicates_dropped).padStart(11)} repeated event_ids dropped${stats ? ` (generator re-delivered ${n(stats.duplicates)})` : ''}`);
  out.push(`    gold fact    ${n(s.fact_rows).padStart(11)} rows; dim_user ${n(s.dim_user_rows)} users`);
  out.push(`    accounting   bronze = silver + quarantine + duplicates: ${s.is_balanced ? 'balanced' : 'NOT BALANCED'}`);
  out.push('  insights');
  out.push(`    peak hour    ${String(s.peak_hour).padStart(2, '0')}:00-${String((Number(s.peak_hour) + 1) % 24).padStart(2, '0')}:00 KST (${n(s.peak_hour_events)} events)`);
  out.push(`    Saturday DAU ${s.saturday_avg_dau} vs weekday (Mon-Fri) average ${s.weekday_avg_dau}: x${s.saturday_vs_weekday_dau_ratio} (${signedPct((Number(s.saturday_vs_weekday_dau_ratio) - 1) * 100)})`);
  out.push(
    `    A/B ad CTR   control ${s.control_ctr_pct}% (${n(s.control_clicks)}/${n(s.control_impressions)}), treatment ${s.treatment_ctr_pct}% (${n(s.treatment_clicks)}/${n(s.treatment_impressions)}): ` +
      `lift ${signedPct(s.ab_ctr_lift_pct)} (95% CI ${signedPct(s.ab_ctr_lift_ci95_low_pct)} .. ${signedPct(s.ab_ctr_lift_ci95_high_pct)}; configured +22%)`,
  );
  const width = Number(s.ab_ctr_lift_ci95_high_pct) - Number(s.ab_ctr_lift_ci95_low_pct);
  if (!(width < 40)) {
    out.push(`                 (only ${n(Number(s.control_clicks) + Number(s.treatment_clicks))} ad clicks in the test window: too few to pin a +22% lift down; --full or --events N for more)`);
  }
  out.push(`    largest segment ${s.largest_segment}: ${n(s.largest_segment_users)} users, ${s.largest_segment_share_pct}% of all`);
  if (sample) out.push(`  sample: seed ${sample.seed}, ${n(sample.events)} events ${sample.start}..${sample.end}`);
  process.stdout.write(out.join('\n') + '\n');
}

async function main() {
  const flags = parseFlags(process.argv.slice(2));
  if (!existsSync(join(root, 'dist', 'cli', 'main.js'))) fail('the framework is not built: run `npm run build` first');
  const started = Date.now();
  const record = await ensureSample(flags);
  await build(flags);
  const out = await framework(['show', 'pipeline_summary', '--output', 'json']);
  const rows = json(out.trim().split('\n').pop());
  if (!Array.isArray(rows) || rows.length !== 1) throw new Error(`unexpected pipeline_summary output: ${out.slice(0, 200)}`);
  printSummary(rows[0], record);
  process.stdout.write(`pipeline finished in ${((Date.now() - started) / 1000).toFixed(1)}s\n`);
  if (!rows[0].is_balanced) {
    process.stderr.write('pipeline: the accounting does not balance\n');
    process.exitCode = 1;
  }
}

main().catch((error) => {
  process.stderr.write(`pipeline: ${error.message}\n`);
  process.exitCode = 1;
});
