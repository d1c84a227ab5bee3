import { executeRun, type RunCommand } from '../../execute/run.js';
import { isFailure } from '../../execute/results.js';
import { bool, flag, int, list, type ParsedArgs } from '../args.js';
import type { ResourceType } from '../../project/types.js';
import { ConfigError } from '../../errors.js';
import type { Session } from '../../execute/session.js';
import type { NodeResult } from '../../execute/results.js';
import { dataTests } from '../../testing/data-tests.js';
import { runUnitTests } from '../../testing/unit-tests.js';
import type { Reporter } from '../output.js';
import { deferral, reporter, selection, session } from '../common.js';
import { lockTarget } from '../target-lock.js';

/**
 * run, build, seed, test: execute the selection; exit 1 when anything errored or failed.
 * `only` (from `retry`): just these nodes of the selection.
 */
export async function runCommand(command: RunCommand, args: ParsedArgs, only?: Set<string>): Promise<number> {
  const out = reporter(args);
  const defer = deferral(args);
  const s = await session(args);
  const threads = int(args, 'threads');
  // One command on the warehouse at a time per target: DuckDB admits a single process, tests must
  // not read a half-run, and on shared storage no two hosts may run it at once (run-lock.ts).
  // Unit tests alone (in-memory DuckDB) need no lock.
  const stop = (message: string, code: number) => {
    out.error(message);
    void s.adapter
      .cancel()
      .catch(() => undefined)
      .then(() => release?.())
      .finally(() => process.exit(code));
  };
  const release =
    command === 'test' && bool(args, 'unit')
      ? undefined
      : // Another run may hold the lock now: stop writing at once.
        await lockTarget(s, out, command, bool(args, 'wait'), (message) => stop(`${message}; stopping`, 1));
  const onSignal = () => stop('interrupted: cancelling running queries', 130);
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const prelude = command === 'test' && !bool(args, 'data') ? await unitTests(s, args, out, only) : [];
    const recorded = Object.fromEntries([...args.flags].filter(([name]) => name !== 'project-dir'));
    const results = await executeRun(
      s,
      {
        ...selection(args, resourceTypes(args)),
        command,
        prelude,
        skipDag: bool(args, 'unit'),
        failFast: bool(args, 'fail-fast'),
        fullRefresh: bool(args, 'full-refresh'),
        empty: bool(args, 'empty'),
        ...(defer ? { defer } : {}),
        fullTests: bool(args, 'full'),
        tests: dataTests,
        reconcileFiles: bool(args, 'reconcile-files'),
        args: recorded,
        ...(only ? { only } : {}),
        ...(threads ? { threads } : {}),
        ...intervalBounds(args),
      },
      { onPlan: (n) => out.plan(n), onStart: (n, i) => out.start(n, i), onDone: (n, r, i) => out.done(n, r, i) },
    );
    out.summary(results.results, results.elapsed_time);
    if (command === 'test' && !results.results.length) out.info('nothing to test in this selection');
    return results.results.some((r) => isFailure(r.status)) ? 1 : 0;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    // Close before releasing: a run queued with --wait must find the database free when it gets the lock.
    await s.adapter.close();
    await release?.();
  }
}

/** Unit tests of the selected models, on an in-memory DuckDB; printed as they finish. */
async function unitTests(s: Session, args: ParsedArgs, out: Reporter, only?: Set<string>): Promise<NodeResult[]> {
  const selected = s.selector.select({ ...selection(args), resourceTypes: ['model'], onWarning: () => {} });
  const project = s.project.file.name;
  const tests = s.project.unitTests.filter(
    (t) =>
      selected.has(`model.${project}.${t.model}`) && (!only || only.has(`unit_test.${project}.${t.model}.${t.name}`)),
  );
  if (!tests.length) return [];
  out.info(`Running ${tests.length} unit test${tests.length === 1 ? '' : 's'} on an in-memory DuckDB`);
  const outcomes = await runUnitTests(s, tests);
  outcomes.forEach((o, i) => out.unit(o, i + 1, outcomes.length));
  return outcomes;
}

/** `build --resource-type model seed`: build only those. */
function resourceTypes(args: ParsedArgs): ResourceType[] | undefined {
  return list(args, 'resource-type') as ResourceType[] | undefined;
}

/** --start/--end for interval models: ISO-8601 instants. */
function intervalBounds(args: ParsedArgs): { intervalStart?: Date; intervalEnd?: Date } {
  const parse = (name: string) => {
    const text = flag(args, name);
    if (text === undefined) return undefined;
    const ms = Date.parse(text);
    if (Number.isNaN(ms))
      throw new ConfigError(`--${name} must be an ISO-8601 timestamp (e.g. 2025-09-01T00:00:00+09:00), got "${text}"`);
    return new Date(ms);
  };
  const start = parse('start');
  const end = parse('end');
  if (start && !end) throw new ConfigError('--start needs --end: a restatement covers a closed range');
  return { ...(start ? { intervalStart: start } : {}), ...(end ? { intervalEnd: end } : {}) };
}
