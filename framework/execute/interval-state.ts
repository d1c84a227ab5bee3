import type { Adapter } from '../adapters/adapter.js';
import type { Interval } from './intervals.js';
import { utcTimestamp } from '../adapters/timestamp.js';
import { StateTable } from './state-table.js';

/**
 * Processed intervals, kept in the target itself (schema framework_state) so every machine that
 * runs the project agrees. Rows are written after the model's data commits: a crash in between
 * only repeats work, which is idempotent.
 */
export class IntervalState {
  private readonly state: StateTable;

  constructor(private readonly adapter: Adapter) {
    this.state = new StateTable(adapter, 'intervals', [
      { name: 'model_id', type: 'varchar' },
      { name: 'interval_start', type: 'timestamp' },
      { name: 'interval_end', type: 'timestamp' },
      { name: 'processed_at', type: 'timestamp with time zone' },
      { name: 'invocation_id', type: 'varchar' },
    ]);
  }

  async done(modelId: string): Promise<Set<number>> {
    const { rows } = await this.adapter.query(
      `select cast(interval_start as varchar) as s from ${await this.state.relation()} where model_id = ${this.adapter.dialect.literal(modelId)}`,
    );
    return new Set(rows.map((r) => Date.parse(`${String(r.s).replace(' ', 'T')}Z`)));
  }

  async record(modelId: string, intervals: Interval[], invocationId: string): Promise<void> {
    const table = await this.state.relation();
    const { dialect, macros } = this.adapter;
    const ts = (ms: number) => utcTimestamp(macros, ms);
    const starts = intervals.map((i) => ts(i.start)).join(', ');
    // Re-processing an interval (lookback, restatement) replaces its row rather than adding one.
    await this.adapter.execute(`delete from ${table} where model_id = ${dialect.literal(modelId)} and interval_start in (${starts})`);
    const values = intervals.map((i) => `(${dialect.literal(modelId)}, ${ts(i.start)}, ${ts(i.end)}, ${macros.now!()}, ${dialect.literal(invocationId)})`).join(', ');
    await this.adapter.execute(`insert into ${table} (model_id, interval_start, interval_end, processed_at, invocation_id) values ${values}`);
  }
}
