// Issue 17 items 3 and 5 on the local Trino/Iceberg stack, Reciping on the prod target (threads 4):
// 15-minute windows (with a late file each, as bench/late-windows-trino.ts), each built by two
// copies of the project reading the same staged files in schemas of their own:
// - "wap": write–audit–publish (the default) and `framework maintain` every MAINTAIN_EVERY windows
//   (as the hourly schedule does for 15-minute windows) with project.yml's maintenance at a
//   retention of RETENTION (the copy's session lowers Trino's 7-day minimum retention);
// - "after": every model `audit: after` (tests after publishing, as before WAP), no maintenance.
// Figures: `build` seconds per window of each copy (same window, alternating which goes first), and
// their ratio (target ≤ 1.25); snapshots and data files per table ($snapshots, $files) after the
// last window, before and after a final maintain, against the copy that never maintains.
// Run: node --import tsx bench/maintenance-trino.ts   (BENCH_WINDOWS, BENCH_EVENTS, MAINTAIN_EVERY)
// BENCH_COPIES=wap builds the maintained copy alone (for the long bound run: half the time, no
// ratio) and writes bench/results/maintenance-trino-<windows>w-wap.json.
import { readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { TrinoConnection } from '../framework/adapters/trino/connection.js';
import { deletePrefix } from '../tests/integration/ingest-support.js';
import { generateWindows, stagedForRun, upload } from '../tests/integration/late-windows.js';
import { copyProject } from '../tests/integration/project-copy.js';
import { ensureStack } from '../tests/integration/stack.js';
import { dropCopy } from '../tests/integration/stack-queries.js';
import { cli } from '../tests/unit/support/project.js';
import { summarize, writeResult } from './lib.js';

const WINDOWS = Number(process.env.BENCH_WINDOWS ?? 96);
const EVENTS = Number(process.env.BENCH_EVENTS ?? 300);
const MAINTAIN_EVERY = Number(process.env.MAINTAIN_EVERY ?? 4);
const RETENTION = process.env.RETENTION ?? '5m';
/** BENCH_SELECT: build only this selection (e.g. +fact_user_events) to fit a loaded machine. */
const SELECT = process.env.BENCH_SELECT ? ['--select', process.env.BENCH_SELECT] : [];
const WAP_ONLY = process.env.BENCH_COPIES === 'wap';
const RESULT = WAP_ONLY ? `maintenance-trino-${WINDOWS}w-wap` : 'maintenance-trino';

ensureStack();
const trino = new TrinoConnection({ host: process.env.TRINO_URL!, catalog: 'iceberg', schema: 'default', user: 'bench' });
const id = randomBytes(3).toString('hex');
const prefix = `bench-maintenance-${id}`;
const schemas = `bench_maint_${id}`;
const vars = JSON.stringify({ staging_location: `s3://${process.env.S3_STAGING_BUCKET}/${prefix}/replay-user-events/` });

/**
 * A copy in schemas `<schemas>_<name>_*`; `edit` changes its project.yml and profiles.yml. Its run
 * lock is its own (the target's schema is not renamed): other Reciping copies on the stack never wait for it.
 */
function copy(name: string, edit: (file: string, text: string) => string) {
  const root = copyProject(`${schemas}_${name}`);
  const lock = (text: string) => text.replace(/(\n  prod:\n)/, `$1    run_lock: {location: "s3://warehouse/_bench_${id}_${name}/lock.json"}\n`);
  for (const file of ['project.yml', 'profiles.yml']) writeFileSync(join(root, file), edit(file, file === 'profiles.yml' ? lock(readFileSync(join(root, file), 'utf8')) : readFileSync(join(root, file), 'utf8')));
  const fw = async (...args: string[]) => {
    const started = Date.now();
    const r = await cli(root, ...args, ...(args[0] === 'build' ? SELECT : []), '--target', 'prod', '--vars', vars);
    return { code: r.code, seconds: (Date.now() - started) / 1000, stdout: r.stdout, errors: r.stdout.split('\n').filter((l) => /\b(ERROR|FAIL)\b/.test(l)) };
  };
  return { name, root, fw };
}

const wap = copy('wap', (file, text) =>
  file === 'profiles.yml'
    ? text.replace(/(\n  prod:\n)/, `$1    session_properties: {iceberg.expire_snapshots_min_retention: 1m, iceberg.remove_orphan_files_min_retention: 1m}\n`)
    : text.replace(/retention_threshold: 7d/g, `retention_threshold: ${RETENTION}`),
);
const after = copy('after', (file, text) => (file === 'project.yml' ? text.replace(/\nmodels:\n/, '\nmodels:\n  +audit: after\n').replace(/\nmaintenance:\n(  .*\n)+/, '\n') : text));

/** Snapshots and data files of every base table of a copy. */
async function health(name: string): Promise<Record<string, { snapshots: number; dataFiles: number }>> {
  const tables = (await trino.run(`select table_schema as s, table_name as t from iceberg.information_schema.tables where table_schema like '${schemas}\\_${name}\\_%' escape '\\' and table_type = 'BASE TABLE' and table_schema not like '%\\_audit' escape '\\'`)).rows;
  const out: Record<string, { snapshots: number; dataFiles: number }> = {};
  for (const { s, t } of tables) {
    const rel = (suffix: string) => `iceberg."${String(s)}"."${String(t)}$${suffix}"`;
    const [r] = (await trino.run(`select (select count(*) from ${rel('snapshots')}) as snapshots, (select count(*) from ${rel('files')} where content = 0) as files`)).rows;
    out[`${String(s).slice(`${schemas}_${name}_`.length)}.${String(t)}`] = { snapshots: Number(r!.snapshots), dataFiles: Number(r!.files) };
  }
  return out;
}

const most = (h: Record<string, { snapshots: number; dataFiles: number }>) => ({
  maxSnapshots: Math.max(...Object.values(h).map((v) => v.snapshots)),
  maxDataFiles: Math.max(...Object.values(h).map((v) => v.dataFiles)),
});

try {
  const loadStart = loadavg()[0]!;
  const staged = await generateWindows(wap.root, WINDOWS, EVENTS);
  const seconds: Record<string, number[]> = { wap: [], after: [] };
  const failed: string[] = [];
  const maintains: { window: number; seconds: number; code: number; maxSnapshots?: number; maxDataFiles?: number }[] = [];
  for (let k = 0; k <= WINDOWS; k++) {
    await upload(staged, prefix, stagedForRun(staged, k));
    const order = WAP_ONLY ? [wap] : k % 2 ? [after, wap] : [wap, after];
    for (const c of order) {
      const r = await c.fw('build');
      if (r.code !== 0) failed.push(`${c.name} window ${k}: ${r.errors.join('; ')}`);
      // Window 0 creates every table: a build from nothing, not a window.
      if (k > 0) seconds[c.name]!.push(r.seconds);
    }
    console.log(`window ${k}: wap ${seconds.wap!.at(-1)?.toFixed(1)} s, after ${seconds.after!.at(-1)?.toFixed(1)} s, load ${loadavg()[0]!.toFixed(1)}`);
    // Written after every window too: a run cut short still leaves its figures.
    if (k > 0) writeResult(RESULT, { partial: true, windowsDone: k, eventsPerWindow: EVENTS, seconds, failed, maintains, loadavg: { start: loadStart, now: loadavg()[0]! } });
    if (k > 0 && k % MAINTAIN_EVERY === 0) {
      // The peak: what the tables hold just before each maintain, over the whole run.
      const peak = most(await health('wap'));
      const m = await wap.fw('maintain');
      maintains.push({ window: k, seconds: m.seconds, code: m.code, ...peak });
      if (m.code !== 0) failed.push(`maintain after window ${k}: ${m.stdout}`);
    }
  }
  const before = await health('wap');
  const m = await wap.fw('maintain');
  const afterMaintain = await health('wap');
  const never = WAP_ONLY ? {} : await health('after');
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  const result = {
    windows: WINDOWS,
    eventsPerWindow: EVENTS,
    maintainEvery: MAINTAIN_EVERY,
    retention: RETENTION,
    failed,
    buildSeconds: { wap: summarize(seconds.wap!), ...(WAP_ONLY ? {} : { after: summarize(seconds.after!) }) },
    selection: process.env.BENCH_SELECT ?? 'all',
    wapOverhead: WAP_ONLY
      ? 'not measured (BENCH_COPIES=wap)'
      : { ratioOfTotals: sum(seconds.wap!) / sum(seconds.after!), medianRatio: summarize(seconds.wap!.map((s, i) => s / seconds.after![i]!)).median, target: 1.25 },
    maintains: [...maintains, { window: 'final', seconds: m.seconds, code: m.code }],
    tables: { wapBeforeFinalMaintain: before, wapAfterFinalMaintain: afterMaintain, neverMaintained: never },
    worst: { wapBeforeFinalMaintain: most(before), wapAfterFinalMaintain: most(afterMaintain), ...(WAP_ONLY ? {} : { neverMaintained: most(never) }) },
    loadavg: { start: loadStart, end: loadavg()[0]! },
  };
  console.log(JSON.stringify({ failed, wapOverhead: result.wapOverhead, worst: result.worst }, null, 2));
  console.log(`results: ${writeResult(RESULT, result)}`);
} finally {
  await deletePrefix(prefix).catch(() => {});
  await dropCopy(schemas);
}
