import type { Adapter } from '../adapters/adapter.js';
import type { Interval } from './intervals.js';
import { utcTimestamp } from '../adapters/timestamp.js';
import type { Relation } from '../project/types.js';
import { StateTable } from './state-table.js';

/**
 * Processed intervals of each interval model (a state table of the target, keyed by the model's
 * table). Rows are written after the model's data commits: a crash in between only repeats work,
 * which is idempotent.
 */
export class IntervalState {
  private readonly state: StateTable;

  constructor(private readonly adapter: Adapter) {
    this.state = new StateTable(adapter, 'intervals', [
      { name: 'interval_start', type: 'timestamp' },
      { name: 'interval_end', type: 'timestamp' },
      { name: 'processed_at', type: 'timestamp with time zone' },
      { name: 'invocation_id', type: 'varchar' },
    ]);
  }

  async done(table: Relation): Promise<Set<number>> {
    const { rows } = await this.adapter.query(
      `select cast(interval_start as varchar) as s from ${await this.state.relation()} where ${this.state.about(table)}`,
    );
    return new Set(rows.map((r) => Date.parse(`${String(r.s).replace(' ', 'T')}Z`)));
  }

  async record(table: Relation, modelId: string, intervals: Interval[], invocationId: string): Promise<void> {
    const state = await this.state.relation();
    const { dialect, macros } = this.adapter;
    const ts = (ms: number) => utcTimestamp(macros, ms);
    const starts = intervals.map((i) => ts(i.start)).join(', ');
    // Re-processing an interval (lookback, restatement) replaces its row rather than adding one.
    await this.adapter.execute(`delete from ${state} where ${this.state.about(table)} and interval_start in (${starts})`);
    const key = this.state.keyValues(table, modelId).join(', ');
    const values = intervals.map((i) => `(${key}, ${ts(i.start)}, ${ts(i.end)}, ${macros.now!()}, ${dialect.literal(invocationId)})`).join(', ');
    const columns = this.state.columns.map((c) => dialect.quote(c.name)).join(', ');
    await this.adapter.execute(`insert into ${state} (${columns}) values ${values}`);
  }
}
