// A change to what a window's statements read, measured as a ratio in one run: windows of 10,000
// events follow one another on a history a `scale-trino.ts --keep` run left on the stack, each run
// and then tested by one of two checkouts in alternating order: the baseline (another checkout's
// models, macros, profiles.yml and bin/framework.js, its dist built, e.g. a `git worktree` of the
// commit before the change) and this one. Both project copies read and write the same schemas, as one schedule
// would after a deploy; each keeps its own target/ (the test scope is its own run's).
// Each build first runs and tests one window unrecorded: a stack just started (Trino's JIT, its
// metadata caches) would otherwise make whichever build goes first slower.
// No maintenance runs between windows: both builds drift up with the windows' small files alike
// (docs/scale.md), so compare rounds side by side, not the first with the last.
// Run: node --import tsx bench/window-ab-trino.ts --reuse ID --baseline /path/to/checkout [--history 0] [--window-offset 5] [--rounds 4]
import { cpSync, rmSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { copyProject } from '../tests/integration/project-copy.js';
import { ensureStack } from '../tests/integration/stack.js';
import { flag, statuses, summarize, writeResult } from './lib.js';
import { CLI, copyNames, fw, rowsRead, stageWindow, stagingVars, windowAt } from './trino-copies.js';

const id = flag('reuse');
const baseline = flag('baseline');
if (!id || !baseline) throw new Error('--reuse ID (a scale-trino --keep run) and --baseline <checkout> are required');
const rounds = Number(flag('rounds') ?? 4);
let next = Number(flag('window-offset') ?? 5);

ensureStack();
const { schemas, prefix } = copyNames(id, Number(flag('history') ?? 0));
const vars = stagingVars(prefix);
const copy = (checkout?: string) => {
  const root = copyProject(schemas);
  for (const path of checkout ? ['models', 'macros', 'profiles.yml'] : []) {
    rmSync(join(root, path), { recursive: true });
    cpSync(join(checkout!, path), join(root, path), { recursive: true });
  }
  return root;
};
const builds = {
  baseline: { root: copy(baseline), cli: join(baseline, 'bin/framework.js') },
  current: { root: copy(), cli: CLI },
};
type Name = keyof typeof builds;
type Sample = { window: string; run: number; test: number; load: number; verdicts: Record<string, number>; rowsRead: Record<string, number> };
const samples: Record<Name, Sample[]> = { baseline: [], current: [] };
/** Stage the next window, then run and test it with one build: seconds of each, the rows each model read, the tests' verdicts. */
async function cycle(name: Name) {
  const { root, cli } = builds[name];
  const window = windowAt(next++);
  await stageWindow(root, prefix, window, 10_000);
  const run = fw(root, ['run', '--target', 'prod', '--vars', vars], cli);
  const read = await rowsRead(root);
  const test = fw(root, ['test', '--target', 'prod', '--vars', vars], cli);
  return { window, run, test, verdicts: statuses(root), rowsRead: read };
}
for (const name of ['baseline', 'current'] as const) {
  const warm = await cycle(name);
  console.log(`warm-up ${name}: run ${warm.run.toFixed(2)} s, test ${warm.test.toFixed(2)} s`);
}
const loadStart = loadavg();
for (let round = 0; round < rounds; round++) {
  const order: Name[] = round % 2 ? ['current', 'baseline'] : ['baseline', 'current'];
  for (const name of order) {
    const { window, run, test, verdicts, rowsRead: read } = await cycle(name);
    samples[name].push({ window: window[0], run, test, load: Number(loadavg()[0]!.toFixed(2)), verdicts, rowsRead: read });
    const dims = ['dim_user', 'dim_page'].map((d) => `${d} read ${read[`model.reciping.${d}`]} rows`).join(', ');
    console.log(`round ${round + 1} ${name}: run ${run.toFixed(2)} s (${dims}), test ${test.toFixed(2)} s ${JSON.stringify(verdicts)} load ${loadavg()[0]!.toFixed(1)}`);
  }
}
const summary = (name: Name) => ({ run: summarize(samples[name].map((s) => s.run)), test: summarize(samples[name].map((s) => s.test)) });
const [before, after] = [summary('baseline'), summary('current')];
const ratios = { run: Number((after.run.median / before.run.median).toFixed(2)), test: Number((after.test.median / before.test.median).toFixed(2)) };
console.log(`run ${before.run.median.toFixed(2)} → ${after.run.median.toFixed(2)} s (×${ratios.run}); test ${before.test.median.toFixed(2)} → ${after.test.median.toFixed(2)} s (×${ratios.test})`);
const path = writeResult(flag('name') ?? 'window-ab-trino', {
  target: 'trino',
  history: schemas,
  baseline,
  load: { start: loadStart.map((l) => Number(l.toFixed(2))), end: loadavg().map((l) => Number(l.toFixed(2))) },
  baselineSummary: before,
  currentSummary: after,
  ratios,
  samples,
});
console.log(`results: ${path}`);
