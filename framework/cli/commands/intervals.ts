import type { ModelNode } from '../../project/types.js';
import type { CompiledNode } from '../../template/manifest.js';
import { planIntervals, readIntervals } from '../../materialize/interval.js';
import { IntervalState, ranges } from '../../state/interval-state.js';
import { flag, type ParsedArgs } from '../args.js';
import { reporter, selection, session } from '../common.js';

/** `framework intervals`: per interval model, what is done and what a run would process. */
export async function intervalsCommand(args: ParsedArgs): Promise<number> {
  const out = reporter(args);
  const s = await session(args);
  const end = flag(args, 'end');
  const now = end ? Date.parse(end) : Date.now();
  const ids = s.selector.select(selection(args, ['model']));
  const models = [...ids]
    .map((id) => s.manifest.nodes[id]!)
    .filter((n): n is CompiledNode & ModelNode => n.resourceType === 'model' && !!n.config.interval);
  const state = new IntervalState(s.adapter);
  const report = [];
  try {
    await s.adapter.connect();
    for (const model of models) {
      const plan = planIntervals(
        await readIntervals({ adapter: s.adapter, compiler: s.compiler, fullRefresh: false }, model, state, now),
      );
      const { cfg, done, end } = plan;
      const missing = done.missing(cfg.start, end, cfg.step);
      const late = [...plan.stale]
        .filter((start) => start + cfg.step <= end)
        .sort((p, q) => p - q)
        .map((start) => ({ start, end: start + cfg.step }));
      const span = (rs: ReturnType<typeof ranges>) =>
        rs.map((r) => `${new Date(r.start).toISOString()} → ${new Date(r.end).toISOString()} (${r.count})`);
      const complete = (end - cfg.start) / cfg.step;
      const entry = {
        model: model.name,
        interval: model.config.interval,
        done: complete - missing.length,
        missing: missing.length,
        missing_ranges: span(ranges(missing)),
        ...(plan.arrivals
          ? {
              late_input: late.length,
              late_ranges: span(ranges(late)),
              complete_until: complete ? new Date(end).toISOString() : null,
            }
          : {}),
      };
      report.push(entry);
      if (flag(args, 'output') !== 'json') {
        const input = plan.arrivals
          ? `, ${late.length} with late input; input complete until ${entry.complete_until ?? 'nothing yet'}`
          : '';
        out.info(`${model.name} (${model.config.interval}): ${entry.done} done, ${entry.missing} missing${input}`);
        for (const [label, list] of [
          ['missing', entry.missing_ranges],
          ['late input', entry.late_ranges ?? []],
        ] as const) {
          for (const r of list.slice(0, 10)) out.info(`    ${label} ${r}`);
          if (list.length > 10) out.info(`    ... ${list.length - 10} more ${label} ranges`);
        }
      }
    }
    if (flag(args, 'output') === 'json') process.stdout.write(JSON.stringify(report) + '\n');
    return 0;
  } finally {
    await s.adapter.close();
  }
}
