import type { Adapter } from '../adapters/adapter.js';
import { retryCommitConflicts } from '../adapters/commit-conflicts.js';
import { utcMs, utcTimestamp } from '../adapters/timestamp.js';
import type { Relation } from '../project/types.js';
import { StateTable } from './state-table.js';
import { DoneIntervals, type DoneRange } from './done-intervals.js';
import type { InputRead, IntervalRange, IntervalStateRead, IntervalStore, Settled } from './state-store.js';

/** The row marking a complete read of an interval model's input: an empty range (`q`: a table alias and dot). */
const mark = (q = '') => `${q}interval_start = ${q}interval_end`;

/**
 * Processed intervals of each interval model (a state table of the target, keyed by the model's
 * table), one row per processed range, so a first build over a year is one row, not 35,000.
 * Rows are written after the model's data commits: a crash in between only repeats work, which is
 * idempotent. Intervals about to be processed again are forgotten before their data is touched,
 * so a crash while they are rewritten leaves them missing, not done.
 */
export class IntervalState implements IntervalStore {
  private readonly state: StateTable;

  constructor(private readonly adapter: Adapter) {
    this.state = new StateTable(adapter, 'intervals', [
      { name: 'interval_start', type: 'timestamp' },
      { name: 'interval_end', type: 'timestamp' },
      { name: 'processed_at', type: 'timestamp with time zone' },
      { name: 'invocation_id', type: 'varchar' },
      // UTC; the input rows loaded up to this instant were seen when the range was processed.
      { name: 'input_seen_until', type: 'timestamp' },
    ]);
  }

  /**
   * The model's done intervals, and when its last run that processed everything its input asked
   * for read that input (the mark row's instant): every row loaded before then (less the skew,
   * materialize/interval-input.ts) was acted on. Undefined: no such run yet, read the whole input.
   * One query: both are the model's rows, which record() keeps few.
   */
  async read(table: Relation): Promise<IntervalStateRead> {
    const { rows } = await this.adapter.query(
      `select cast(interval_start as varchar) as s, cast(interval_end as varchar) as e, cast(input_seen_until as varchar) as seen from ${await this.state.relation()} where ${this.state.about(table)}`,
    );
    const done: DoneRange[] = [];
    let inputReadUntil: number | undefined;
    for (const r of rows) {
      const seen = r.seen === null || r.seen === undefined ? undefined : utcMs(r.seen);
      if (r.s !== r.e) done.push({ start: utcMs(r.s), end: utcMs(r.e), ...(seen === undefined ? {} : { seen }) });
      else if (seen !== undefined) inputReadUntil = Math.max(inputReadUntil ?? seen, seen);
    }
    return { done: DoneIntervals.of(done), inputReadUntil };
  }

  /**
   * Record intervals as done (one row per contiguous range) and, with `inputRead`, that the run
   * processed everything its input asked for, as read at `readAt`: one row of an empty range at
   * the grid's start, which no interval expands to and no `forget` cuts. With `settled`, the rows
   * it names become one range, so a model's rows stay few however long its schedule has run (a
   * row per 15-minute run is 35,040 a year, every one read by every run). All in one statement (one
   * commit on Iceberg): the mark is replaced in place and the folded rows with their range, so no
   * crash leaves two marks or none, or a gap.
   */
  async record(
    table: Relation,
    modelId: string,
    intervals: IntervalRange[],
    invocationId: string,
    inputSeenUntil?: number,
    inputRead?: InputRead,
    settled?: Settled,
  ): Promise<void> {
    const { dialect, macros } = this.adapter;
    const ts = (ms: number) => utcTimestamp(macros, ms);
    const keys = this.state.keyValues(table, modelId).join(', ');
    const stamp = `${macros.now!()}, ${dialect.literal(invocationId)}`;
    const row = (start: string, end: string, seen: string) => `(${keys}, ${start}, ${end}, ${stamp}, ${seen})`;
    const seen = inputSeenUntil === undefined ? 'CAST(NULL AS TIMESTAMP)' : utcTimestamp(macros, inputSeenUntil, 'ms');
    const values = ranges(intervals).map((r) => row(ts(r.start), ts(r.end), seen));
    if (inputRead) {
      const at = ts(inputRead.gridStart);
      values.push(row(at, at, utcTimestamp(macros, inputRead.readAt, 'ms')));
    }
    const relation = await this.state.relation();
    if (!values.length) return;
    if (!inputRead && !settled) {
      await this.write(`insert into ${relation} (${this.columnList()}) values ${values.join(', ')}`);
      return;
    }
    const q = (c: string) => dialect.quote(c);
    const names = this.state.columns.map((c) => c.name);
    // Rows `settled` lets go (`p`: the table's alias and dot): their hull is done, as they are.
    const foldable = (p: string) =>
      settled
        ? `${p}interval_start >= ${ts(settled.from)} and ${p}interval_end <= ${ts(settled.before)} and not ${mark(p)}` +
          (settled.seenBy === undefined
            ? ''
            : ` and (${p}input_seen_until <= ${utcTimestamp(macros, settled.seenBy, 'ms')} or ${p}input_seen_until is null)`)
        : 'false';
    // fold 0: a new row; 1: the folded range, inserted; 2: the rows it folds, deleted (one source
    // row may match many). Only where there are two rows or more to fold.
    const folded = settled
      ? ` union all select ${keys}, min(interval_start), max(interval_end), ${stamp}, min(input_seen_until), k.fold ` +
        `from ${relation} cross join (values (1), (2)) as k (fold) where ${this.state.about(table)} and ${foldable('')} ` +
        `group by k.fold having count(*) > 1`
      : '';
    // The mark keeps its partition (model_table) and takes every other value of the new row.
    const updated = names.filter((c) => c !== 'model_table').map((c) => `${q(c)} = s.${q(c)}`);
    // The partition's constant in ON scopes Iceberg's conflict check to this model's rows.
    await this.write(
      `merge into ${relation} as t using (select v.*, 0 from (values ${values.join(', ')}) as v (${this.columnList()})${folded}) as s (${this.columnList()}, fold) ` +
        `on t.${this.state.about(table)} and ((s.fold = 0 and ${mark('t.')} and ${mark('s.')}) or (s.fold = 2 and ${foldable('t.')})) ` +
        `when matched and s.fold = 2 then delete ` +
        `when matched then update set ${updated.join(', ')} ` +
        `when not matched and s.fold < 2 then insert (${this.columnList()}) values (${names.map((c) => `s.${q(c)}`).join(', ')})`,
    );
  }

  /**
   * Forget intervals before they are processed again: rows overlapping them are cut to the parts
   * outside (inserted first, so a crash in between leaves extra coverage, never a gap). Two
   * statements whatever the number of ranges: each is a commit of the shared state table on Iceberg.
   */
  async forget(table: Relation, intervals: IntervalRange[]): Promise<void> {
    const list = ranges(intervals);
    if (!list.length) return;
    const state = await this.state.relation();
    const ts = (ms: number) => utcTimestamp(this.adapter.macros, ms);
    const none = 'CAST(NULL AS TIMESTAMP)';
    const others = this.state.columns
      .filter((c) => !['interval_start', 'interval_end'].includes(c.name))
      .map((c) => this.adapter.dialect.quote(c.name));
    // Rows overlapping any range; `row` qualifies the columns (the INSERT reads the table as `s`).
    const overlaps = (row: string) =>
      list.map((r) => `(${row}interval_start < ${ts(r.end)} and ${row}interval_end > ${ts(r.start)})`).join(' or ');
    // The gaps between the ranges (unbounded at both ends): what a cut row keeps is its part in each.
    const gaps = list
      .map((r, i) => `(${i ? ts(list[i - 1]!.end) : none}, ${ts(r.start)})`)
      .concat(`(${ts(list[list.length - 1]!.end)}, ${none})`);
    const from = 'greatest(s.interval_start, coalesce(g.gap_start, s.interval_start))';
    const to = 'least(s.interval_end, coalesce(g.gap_end, s.interval_end))';
    await this.write(
      `insert into ${state} (interval_start, interval_end, ${others.join(', ')}) select ${from}, ${to}, ${others.map((c) => `s.${c}`).join(', ')} from ${state} as s join (values ${gaps.join(', ')}) as g (gap_start, gap_end) on ${from} < ${to} where s.${this.state.about(table)} and (${overlaps('s.')})`,
    );
    await this.write(`delete from ${state} where ${this.state.about(table)} and (${overlaps('')})`);
  }

  /** Forget every interval of the model (its table is rebuilt from scratch). */
  async clear(table: Relation): Promise<void> {
    await this.write(`delete from ${await this.state.relation()} where ${this.state.about(table)}`);
  }

  /**
   * Every write here is safe to repeat, even one whose commit may have landed: a range recorded
   * twice is the same coverage, a cut part inserted twice too, deletes and the mark's MERGE are
   * idempotent, and a fold repeated finds the one row it left. So a write that lost a commit race
   * to another model's state write (Iceberg's own retries exhausted under contention) is run again.
   */
  private write(sql: string): Promise<unknown> {
    return retryCommitConflicts(this.adapter, () => this.adapter.execute(sql));
  }

  private columnList(): string {
    return this.state.columns.map((c) => this.adapter.dialect.quote(c.name)).join(', ');
  }
}

/** Contiguous intervals merged into ranges, with how many each covers: one state row per range. */
export function ranges(intervals: IntervalRange[]): { start: number; end: number; count: number }[] {
  const out: { start: number; end: number; count: number }[] = [];
  for (const i of intervals) {
    const last = out[out.length - 1];
    if (last && last.end === i.start) {
      last.end = i.end;
      last.count++;
    } else out.push({ start: i.start, end: i.end, count: 1 });
  }
  return out;
}
