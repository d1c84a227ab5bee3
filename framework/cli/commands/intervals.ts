import type { ModelNode } from '../../project/types.js';
import type { CompiledNode } from '../../template/manifest.js';
import { IntervalState } from '../../execute/interval-state.js';
import { completeIntervals, intervalConfig, ranges } from '../../execute/intervals.js';
import { flag, type ParsedArgs } from '../args.js';
import { reporter, selection, session } from '../common.js';

/** `framework intervals`: per interval model, what is done and what a run would process. */
export async function intervalsCommand(args: ParsedArgs): Promise<number> {
  const out = reporter(args);
  const s = await session(args);
  const end = flag(args, 'end');
  const now = end ? Date.parse(end) : Date.now();
  const ids = s.selector.select(selection(args));
  const models = [...ids].map((id) => s.manifest.nodes[id]!).filter((n): n is CompiledNode & ModelNode => n.resourceType === 'model' && !!n.config.interval);
  const state = new IntervalState(s.adapter);
  const report = [];
  try {
    await s.adapter.connect();
    for (const model of models) {
      const cfg = intervalConfig(model.config, model.name)!;
      const all = completeIntervals(cfg.start, cfg.step, now);
      const done = await state.done(model.relation);
      const missing = all.filter((i) => !done.has(i.start));
      const span = (rs: ReturnType<typeof ranges>) => rs.map((r) => `${new Date(r.start).toISOString()} → ${new Date(r.end).toISOString()} (${r.count})`);
      const entry = { model: model.name, interval: model.config.interval, done: all.length - missing.length, missing: missing.length, missing_ranges: span(ranges(missing)) };
      report.push(entry);
      if (flag(args, 'output') !== 'json') {
        out.info(`${model.name} (${model.config.interval}): ${entry.done} done, ${entry.missing} missing`);
        for (const r of entry.missing_ranges.slice(0, 10)) out.info(`    missing ${r}`);
        if (entry.missing_ranges.length > 10) out.info(`    ... ${entry.missing_ranges.length - 10} more ranges`);
      }
    }
    if (flag(args, 'output') === 'json') process.stdout.write(JSON.stringify(report) + '\n');
    return 0;
  } finally {
    await s.adapter.close();
  }
}
