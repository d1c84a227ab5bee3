// What an interval model's state costs a 15-minute run as its schedule ages: the state read, the
// plan and the record of one window, after 93 days, a year and three years of windows, on DuckDB.
//
// Each age starts from the rows the code before 2026-12-05 left (one per run). Windows are then
// timed as that code ran them (record without folding), then one window folds the settled rows
// (what a target upgraded to this code does once), then windows as this code runs them.
//
// Run: node --import tsx bench/interval-state.ts [--days 93,365,1095] [--windows 7]
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Adapter } from '../framework/adapters/adapter.js';
import { createAdapter } from '../framework/adapters/registry.js';
import { planIntervals } from '../framework/materialize/interval.js';
import { READ_SKEW_MS } from '../framework/materialize/interval-input.js';
import { IntervalState } from '../framework/state/interval-state.js';
import { flag, summarize, writeResult } from './lib.js';

const STEP = 15 * 60_000;
const START = Date.UTC(2024, 0, 1);
const days = (flag('days') ?? '93,365,1095').split(',').map(Number);
const windows = Number(flag('windows') ?? 7);
const table = { schema: 'main', name: 'model_a' };
const cfg = { step: STEP, start: START, lookback: 0, batchSize: 8928 };

/** One run's state work for the window at interval `k`: read, plan, record (folding with `fold`). */
async function window(state: IntervalState, k: number, fold: boolean): Promise<number> {
  const begin = performance.now();
  const start = START + k * STEP;
  // The run reads its input a minute after the window closes, and finds rows of that window only.
  const readAt = start + STEP + 60_000;
  const stored = await state.read(table);
  const plan = planIntervals({
    cfg,
    now: readAt,
    rebuild: false,
    done: stored.done,
    arrivals: { newest: new Map([[start, readAt - 30_000]]), uncovered: 0, read: 1, readAt },
    bound: { loadedAfter: (stored.inputReadUntil ?? START) - READ_SKEW_MS, from: start },
  });
  if (plan.work.length !== 1 || plan.work[0]!.start !== start)
    throw new Error(`window ${k}: planned ${plan.work.length} intervals`);
  const settled = fold ? { from: START, before: plan.settledUntil, seenBy: readAt - READ_SKEW_MS } : undefined;
  await state.record(table, 'model.bench.model_a', plan.work, `run${k}`, readAt, { gridStart: START, readAt }, settled);
  return performance.now() - begin;
}

async function rows(adapter: Adapter): Promise<number> {
  return Number((await adapter.query('select count(*) as n from framework_state.intervals')).rows[0]!.n);
}

const sizes = [];
for (const d of days) {
  const dir = mkdtempSync(join(tmpdir(), 'interval-state-'));
  const adapter = await createAdapter(
    { name: 'bench', type: 'duckdb', schema: 'main', threads: 1, settings: { path: 'state.duckdb' } },
    dir,
  );
  try {
    const state = new IntervalState(adapter);
    const n = d * 96;
    // Creates the state table, then the rows of n earlier runs: one interval each, looked at a minute after it.
    await state.record(
      table,
      'model.bench.model_a',
      [{ start: START, end: START + STEP }],
      'run0',
      START + STEP + 60_000,
    );
    const at = (e: string) => `make_timestamp(CAST(${e} AS BIGINT) * 1000)`;
    await adapter.execute(
      `insert into framework_state.intervals select 'main.model_a', 'model.bench.model_a', ${at(`${START} + i * ${STEP}`)}, ${at(`${START} + (i + 1) * ${STEP}`)}, now(), 'run' || i, ${at(`${START} + (i + 1) * ${STEP} + 60000`)} from range(1, ${n}) as r (i)`,
    );
    const rowsBefore = await rows(adapter);
    let k = n;
    const unfolded = [];
    for (let i = 0; i < windows; i++) unfolded.push(await window(state, k++, false));
    const firstFold = await window(state, k++, true);
    const folded = [];
    for (let i = 0; i < windows; i++) folded.push(await window(state, k++, true));
    const size = {
      days: d,
      intervals: n,
      rowsBefore,
      unfoldedMs: summarize(unfolded.map((t) => Number(t.toFixed(1)))),
      firstFoldMs: Number(firstFold.toFixed(1)),
      foldedMs: summarize(folded.map((t) => Number(t.toFixed(1)))),
      rowsAfter: await rows(adapter),
      load: loadavg(),
    };
    console.log(
      `${d} days (${n} intervals, ${rowsBefore} rows): a window ${size.unfoldedMs.median} ms as before, ` +
        `the first fold ${size.firstFoldMs} ms, then ${size.foldedMs.median} ms (${size.rowsAfter} rows)`,
    );
    sizes.push(size);
  } finally {
    await adapter.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
console.log(
  `results: ${writeResult(flag('name') ?? 'interval-state', { target: 'duckdb', step: '15m', windows, sizes })}`,
);
