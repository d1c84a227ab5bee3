import { executeRun, type RunCommand } from '../../execute/run.js';
import { isFailure } from '../../execute/results.js';
import { bool, int, type ParsedArgs } from '../args.js';
import { reporter, selection, session } from '../common.js';

/** run, build, seed, test: execute the selection; exit 1 when anything errored or failed. */
export async function runCommand(command: RunCommand, args: ParsedArgs): Promise<number> {
  const out = reporter(args);
  const s = await session(args);
  const threads = int(args, 'threads');
  const onSignal = () => {
    out.error('interrupted: cancelling running queries');
    void s.adapter.cancel().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const results = await executeRun(
      s,
      { ...selection(args), command, failFast: bool(args, 'fail-fast'), fullRefresh: bool(args, 'full-refresh'), ...(threads ? { threads } : {}) },
      { onPlan: (n) => out.plan(n), onStart: (n, i) => out.start(n, i), onDone: (n, r, i) => out.done(n, r, i) },
    );
    out.summary(results.results, results.elapsed_time);
    return results.results.some((r) => isFailure(r.status)) ? 1 : 0;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await s.adapter.close();
  }
}
