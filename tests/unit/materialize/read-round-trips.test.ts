import { describe, expect, it } from 'vitest';
import type { Adapter, Column } from '../../../framework/adapters/adapter.js';
import { incremental } from '../../../framework/materialize/incremental.js';
import { interval } from '../../../framework/materialize/interval.js';
import type { BuildContext } from '../../../framework/materialize/context.js';
import type { NodeConfig } from '../../../framework/project/types.js';
import { DoneIntervals } from '../../../framework/state/done-intervals.js';
import { gatedReads } from '../support/gated-reads.js';
import { engine, model } from './fixtures.js';

// On Trino every read before a model's write is a round trip of 100–300 ms on the node's path:
// the reads that do not depend on each other are asked together.
const START = '2025-09-01T00:00:00Z';
const COLUMNS: Column[] = [{ name: 'id', type: 'INTEGER' }];

function gatedContext(answers: Record<string, () => unknown>) {
  const { ask, asked, askedAtOnce } = gatedReads(answers);
  const adapter = {
    ...engine,
    introspector: {
      relationType: () => ask('relationType'),
      queryColumns: () => ask('queryColumns'),
      columns: () => ask('columns'),
    },
    // The engine's clock, then the input's arrivals.
    query: (sql: string) => ask(sql.includes('count(*)') ? 'arrivals' : 'clock'),
  } as unknown as Adapter;
  const ctx = {
    adapter,
    compiler: { render: () => 'select 1 as id', renderText: () => 'main.landed' },
    fullRefresh: false,
    record: () => {},
    run: { now: Date.parse('2025-09-02T00:00:00Z'), state: { intervals: { read: () => ask('state') } } },
  } as unknown as BuildContext;
  return { ctx, asked, askedAtOnce };
}

describe('reads before a write, asked at once', () => {
  const config: Partial<NodeConfig> = { materialized: 'incremental', unique_key: ['id'] };

  it('incremental: the table type, the query columns and the table columns', async () => {
    const { ctx, askedAtOnce } = gatedContext({
      relationType: () => 'table',
      queryColumns: () => COLUMNS,
      columns: () => COLUMNS,
    });
    const read = incremental.read(ctx, model(config), {});
    expect(await askedAtOnce()).toEqual(['columns', 'queryColumns', 'relationType']);
    expect(await read).toMatchObject({ incoming: COLUMNS, current: COLUMNS });
  });

  it('incremental, first build: the failed column reads of an absent table are dropped, the table is built', async () => {
    const { ctx, askedAtOnce } = gatedContext({
      queryColumns: () => {
        throw new Error('Table main.m does not exist');
      },
      columns: () => [],
    });
    const read = incremental.read(ctx, model(config), {});
    await askedAtOnce();
    expect(await read).toMatchObject({ rebuild: { sql: 'select 1 as id' } });
  });

  it('incremental, table present: a failed column read fails the read', async () => {
    const { ctx, askedAtOnce } = gatedContext({
      relationType: () => 'table',
      queryColumns: () => {
        throw new Error('Column x cannot be resolved');
      },
      columns: () => COLUMNS,
    });
    const read = incremental.read(ctx, model(config), {});
    await askedAtOnce();
    await expect(read).rejects.toThrow('Column x cannot be resolved');
  });

  it('interval model with an input: its table type, its state and the clock, then the arrivals', async () => {
    const at = '2025-09-01 23:00:00';
    const { ctx, asked, askedAtOnce } = gatedContext({
      relationType: () => 'table',
      state: () => ({ done: DoneIntervals.none(), inputReadUntil: undefined }),
      clock: () => ({ rows: [{ t: at }], columns: [] }),
      arrivals: () => ({ rows: [], columns: [] }),
    });
    const node = model({
      materialized: 'incremental',
      interval: '1h',
      start: START,
      time_column: 'ts',
      interval_input: { ref: 'landed', time_column: 'ts', loaded_at: 'at' },
    });
    const read = interval.read(ctx, node, {});
    expect(await askedAtOnce()).toEqual(['clock', 'relationType', 'state']);
    // The arrivals are read after the clock (rows the read misses were loaded after it).
    expect(await read).toMatchObject({ rebuild: false, arrivals: { readAt: Date.parse(`${at}Z`.replace(' ', 'T')) } });
    expect(asked).toEqual(expect.arrayContaining(['arrivals']));
    expect(asked.indexOf('arrivals')).toBe(3);
  });
});
