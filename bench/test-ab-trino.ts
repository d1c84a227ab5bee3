// One window's `test` with two builds of the framework, on a history a `scale-trino.ts --keep` run
// left on the stack: a change to how tests run, measured as a ratio in one run. One new window is
// staged and run (with this checkout), its run_results.json kept; then each build's `test` runs
// `--rounds` times, in alternating order, each after that run_results.json is put back, so both
// check the same scoped rows. The baseline is another checkout's bin/framework.js (its dist built),
// e.g. a `git worktree` of the commit before the change.
// Run: node --import tsx bench/test-ab-trino.ts --reuse ID [--history 1] --baseline /path/to/bin/framework.js [--window-offset 11] [--rounds 4]
import { copyFileSync, readdirSync, rmSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { upload } from '../tests/integration/late-windows.js';
import { copyProject } from '../tests/integration/project-copy.js';
import { ensureStack } from '../tests/integration/stack.js';
import { tempDir } from '../tests/unit/support/project.js';
import { flag, statuses, summarize, timeCommand, writeResult } from './lib.js';

const id = flag('reuse');
const baseline = flag('baseline');
if (!id || !baseline) throw new Error('--reuse ID (a scale-trino --keep run) and --baseline <bin/framework.js> are required');
const k = Number(flag('history') ?? 1);
const offset = Number(flag('window-offset') ?? 11);
const rounds = Number(flag('rounds') ?? 4);
const current = join(import.meta.dirname, '../bin/framework.js');
const load = () => loadavg().map((l) => Number(l.toFixed(2)));

ensureStack();
const root = copyProject(`scale_${id}_${k}`);
const prefix = `scale-${id}-${k}`;
const vars = JSON.stringify({ staging_location: `s3://${process.env.S3_STAGING_BUCKET}/${prefix}/replay-user-events/` });
const fw = (cli: string, args: string[]) => timeCommand('node', [cli, ...args, '--project-dir', root], root);

// The window after the ones scale-trino.ts ran (same start and seed rule).
const start = new Date(Date.parse('2025-09-01T00:00:00+09:00') + offset * 15 * 60_000).toISOString();
const dir = tempDir('test-ab-');
fw(current, ['generate', 'events', '--mode', 'window', '--start', start, '--events', '10000', '--seed', String(99 + offset), '--out', dir]);
await upload({ dir }, prefix, readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.json')), 8);
rmSync(dir, { recursive: true, force: true });
const runSeconds = fw(current, ['run', '--target', 'prod', '--vars', vars]);
const kept = join(root, 'target/run_results.window.json');
copyFileSync(join(root, 'target/run_results.json'), kept);

const builds = { baseline, current };
const seconds: Record<keyof typeof builds, number[]> = { baseline: [], current: [] };
const verdicts: Record<string, Record<string, number>> = {};
const loadStart = load();
for (let round = 0; round < rounds; round++) {
  const order = (round % 2 ? ['current', 'baseline'] : ['baseline', 'current']) as (keyof typeof builds)[];
  for (const name of order) {
    copyFileSync(kept, join(root, 'target/run_results.json'));
    seconds[name].push(fw(builds[name], ['test', '--target', 'prod', '--vars', vars]));
    verdicts[name] = statuses(root);
    console.log(`round ${round + 1} ${name}: ${seconds[name].at(-1)!.toFixed(2)} s ${JSON.stringify(verdicts[name])} load ${load()[0]}`);
  }
}
const summary = { baseline: summarize(seconds.baseline), current: summarize(seconds.current) };
const ratio = Number((summary.current.median / summary.baseline.median).toFixed(2));
console.log(`test ${summary.baseline.median.toFixed(2)} s → ${summary.current.median.toFixed(2)} s (×${ratio})`);
const path = writeResult(flag('name') ?? 'test-ab-trino', {
  target: 'trino',
  history: `scale_${id}_${k}`,
  window: start,
  baseline,
  runSeconds,
  load: { start: loadStart, end: load() },
  test: summary,
  verdicts,
  ratio,
});
console.log(`results: ${path}`);
