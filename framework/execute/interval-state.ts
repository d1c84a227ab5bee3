import type { Adapter } from '../adapters/adapter.js';
import type { Interval } from './intervals.js';
import { utcTimestamp } from '../adapters/timestamp.js';
import type { Relation } from '../project/types.js';
import { StateTable, tableKey } from './state-table.js';

/**
 * Processed intervals, kept in the target itself (schema framework_state) so every machine that
 * runs the project agrees; keyed by the model's table (two copies of a project writing other
 * schemas of one target keep their own). Rows are written after the model's data commits: a crash in between
 * only repeats work, which is idempotent.
 */
export class IntervalState {
  private readonly state: StateTable;

  constructor(private readonly adapter: Adapter) {
    this.state = new StateTable(adapter, 'intervals', [
      { name: 'model_table', type: 'varchar' },
      { name: 'model_id', type: 'varchar' },
      { name: 'interval_start', type: 'timestamp' },
      { name: 'interval_end', type: 'timestamp' },
      { name: 'processed_at', type: 'timestamp with time zone' },
      { name: 'invocation_id', type: 'varchar' },
    ]);
  }

  async done(table: Relation): Promise<Set<number>> {
    const { rows } = await this.adapter.query(
      `select cast(interval_start as varchar) as s from ${await this.state.relation()} where model_table = ${this.adapter.dialect.literal(tableKey(table))}`,
    );
    return new Set(rows.map((r) => Date.parse(`${String(r.s).replace(' ', 'T')}Z`)));
  }

  async record(table: Relation, modelId: string, intervals: Interval[], invocationId: string): Promise<void> {
    const state = await this.state.relation();
    const { dialect, macros } = this.adapter;
    const ts = (ms: number) => utcTimestamp(macros, ms);
    const starts = intervals.map((i) => ts(i.start)).join(', ');
    // Re-processing an interval (lookback, restatement) replaces its row rather than adding one.
    const key = dialect.literal(tableKey(table));
    await this.adapter.execute(`delete from ${state} where model_table = ${key} and interval_start in (${starts})`);
    const values = intervals.map((i) => `(${key}, ${dialect.literal(modelId)}, ${ts(i.start)}, ${ts(i.end)}, ${macros.now!()}, ${dialect.literal(invocationId)})`).join(', ');
    await this.adapter.execute(`insert into ${state} (model_table, model_id, interval_start, interval_end, processed_at, invocation_id) values ${values}`);
  }
}
