import { describe, expect, it } from 'vitest';
import type { Column } from '../../../framework/adapters/adapter.js';
import { incremental, type IncrementalState } from '../../../framework/materialize/incremental.js';
import type { NodeConfig } from '../../../framework/project/types.js';
import { engine, model } from './fixtures.js';

const cols = (...names: string[]): Column[] => names.map((name) => ({ name, type: 'INTEGER' }));
const state = (fields: Partial<Extract<IncrementalState, { sql: string }>> = {}): IncrementalState => ({ sql: 'select * from new_rows', incoming: cols('id', 'v'), current: cols('id', 'v'), ...fields });
const inc = (config: Partial<NodeConfig> = {}) => model({ materialized: 'incremental', ...config });

describe('incremental plan', () => {
  it('builds the table when it is absent or --full-refresh', () => {
    const plan = incremental.plan(inc(), { rebuild: { sql: 'select 1 as id', existing: undefined } }, engine);
    expect(plan.rebuild?.statements).toEqual(['create or replace table "main"."m" as select 1 as id']);
    expect(plan.statements).toEqual([]);
  });

  it('append inserts the new rows, and is not repeatable', () => {
    const plan = incremental.plan(inc(), state(), engine);
    expect(plan).toMatchObject({ alter: [], repeatable: false });
    expect(plan.statements).toEqual(['insert into "main"."m" ("id", "v") select "id", "v" from (select * from new_rows) as __source']);
  });

  it('merge and delete+insert write by unique_key, repeatably', () => {
    const merge = incremental.plan(inc({ unique_key: ['id'] }), state(), engine);
    expect(merge.repeatable).toBe(true);
    expect(merge.statements).toHaveLength(1);
    expect(merge.statements[0]).toMatch(/^merge into "main"."m"/);
    const deleteInsert = incremental.plan(inc({ unique_key: ['id'], incremental_strategy: 'delete+insert' }), state(), engine);
    expect(deleteInsert.statements).toHaveLength(2);
    expect(deleteInsert.statements[0]).toMatch(/^delete from "main"."m"/);
    expect(deleteInsert.statements[1]).toMatch(/^insert into "main"."m"/);
  });

  it('an interval model without a key replaces the rows of its range', () => {
    const range = { column: 'ts', from: "TIMESTAMP '2025-09-01 00:00:00'", to: "TIMESTAMP '2025-09-01 01:00:00'", outside: '(kept)' };
    const plan = incremental.plan(inc({ interval: '1h', time_column: 'ts' }), state({ range }), engine);
    expect(plan.statements.join('\n')).toContain(`"ts" >= ${range.from}`);
    expect(plan.repeatable).toBe(true);
  });

  it('on_schema_change: append_new_columns alters first, ignore writes the known columns, fail throws', () => {
    const changed = state({ incoming: cols('id', 'v', 'w') });
    const added = incremental.plan(inc({ on_schema_change: 'append_new_columns' }), changed, engine);
    expect(added.alter).toEqual(['alter table "main"."m" add column "w" INTEGER']);
    expect(added.statements[0]).toContain('("id", "v", "w")');
    expect(incremental.plan(inc({ on_schema_change: 'ignore' }), changed, engine).statements[0]).toContain('("id", "v")');
    expect(() => incremental.plan(inc({ on_schema_change: 'fail' }), changed, engine)).toThrow('added [w], removed []');
  });

  it('with an audit, the tests see the table as the write leaves it and the write reads the staged rows', () => {
    const plan = incremental.plan(inc({ unique_key: ['id'] }), state({ audit: { schema: 'main_audit', name: 'm' } }), engine);
    expect(plan.staging?.stage).toBe('create or replace table "main_audit"."m" as select * from new_rows');
    expect(plan.audited).toContain('where not exists (select 1 from "main_audit"."m" as __new where __new."id" = __kept."id")');
    expect(plan.statements[0]).toContain('select * from "main_audit"."m"');
  });

  it('validate: merge and delete+insert need unique_key, named with the file', () => {
    expect(() => incremental.validate!(inc({ incremental_strategy: 'merge' }), undefined as never)).toThrow('incremental_strategy "merge" needs unique_key (model "m")');
    expect(() => incremental.validate!(inc({ incremental_strategy: 'append' }), undefined as never)).not.toThrow();
  });
});
