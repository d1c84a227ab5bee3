// One window's `test` with two builds of the framework, on a history a `scale-trino.ts --keep` run
// left on the stack: a change to how tests run, measured as a ratio in one run. One new window is
// staged and run (with this checkout), its run_results.json kept; then each build's `test` runs
// `--rounds` times, in alternating order, each after that run_results.json is put back, so both
// check the same scoped rows. The baseline is another checkout's bin/framework.js (its dist built),
// e.g. a `git worktree` of the commit before the change.
// Run: node --import tsx bench/test-ab-trino.ts --reuse ID [--history 1] --baseline /path/to/bin/framework.js [--window-offset 11] [--rounds 4]
import { copyFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { copyProject } from '../tests/integration/project-copy.js';
import { ensureStack } from '../tests/integration/stack.js';
import { flag, statuses, summarize, writeResult } from './lib.js';
import { CLI, copyNames, fw, stageWindow, stagingVars, windowAt } from './trino-copies.js';

const id = flag('reuse');
const baseline = flag('baseline');
if (!id || !baseline) throw new Error('--reuse ID (a scale-trino --keep run) and --baseline <bin/framework.js> are required');
const k = Number(flag('history') ?? 1);
const offset = Number(flag('window-offset') ?? 11);
const rounds = Number(flag('rounds') ?? 4);
const load = () => loadavg().map((l) => Number(l.toFixed(2)));

ensureStack();
const { schemas, prefix } = copyNames(id, k);
const root = copyProject(schemas);
const vars = stagingVars(prefix);

// The window after the ones scale-trino.ts ran (its start and seed rule).
const window = windowAt(offset);
await stageWindow(root, prefix, window, 10_000);
const runSeconds = fw(root, ['run', '--target', 'prod', '--vars', vars]);
const kept = join(root, 'target/run_results.window.json');
copyFileSync(join(root, 'target/run_results.json'), kept);

const builds = { baseline, current: CLI };
const seconds: Record<keyof typeof builds, number[]> = { baseline: [], current: [] };
const verdicts: Record<string, Record<string, number>> = {};
const loadStart = load();
for (let round = 0; round < rounds; round++) {
  const order = (round % 2 ? ['current', 'baseline'] : ['baseline', 'current']) as (keyof typeof builds)[];
  for (const name of order) {
    copyFileSync(kept, join(root, 'target/run_results.json'));
    seconds[name].push(fw(root, ['test', '--target', 'prod', '--vars', vars], builds[name]));
    verdicts[name] = statuses(root);
    console.log(`round ${round + 1} ${name}: ${seconds[name].at(-1)!.toFixed(2)} s ${JSON.stringify(verdicts[name])} load ${load()[0]}`);
  }
}
const summary = { baseline: summarize(seconds.baseline), current: summarize(seconds.current) };
const ratio = Number((summary.current.median / summary.baseline.median).toFixed(2));
console.log(`test ${summary.baseline.median.toFixed(2)} s → ${summary.current.median.toFixed(2)} s (×${ratio})`);
const path = writeResult(flag('name') ?? 'test-ab-trino', {
  target: 'trino',
  history: schemas,
  window: window[0],
  baseline,
  runSeconds,
  load: { start: loadStart, end: load() },
  test: summary,
  verdicts,
  ratio,
});
console.log(`results: ${path}`);
