import { describe, expect, it } from 'vitest';
import { planTable } from '../../../framework/materialize/table.js';
import { view } from '../../../framework/materialize/view.js';
import { engine, model } from './fixtures.js';

describe('view plan', () => {
  it('creates the view, dropping a table of the same name first', () => {
    expect(view.plan(model(), { sql: 'select 1 as id', existing: undefined }, engine)).toEqual(['create or replace view "main"."m" as select 1 as id']);
    expect(view.plan(model(), { sql: 'select 1 as id', existing: 'table' }, engine)).toEqual(['drop table if exists "main"."m"', 'create or replace view "main"."m" as select 1 as id']);
  });

  it('checks an enforced contract against the query columns before any statement', () => {
    const node = model({ contract: { enforced: true } }, { columns: [{ name: 'id', data_type: 'integer', description: '', tests: [], meta: {} }] as never });
    expect(() => view.plan(node, { sql: 'select 1 as x', existing: undefined, columns: [{ name: 'x', type: 'INTEGER' }] }, engine)).toThrow(/contract not met.*column id: declared integer, missing from the query.*column x: query gives integer, not declared/);
  });
});

describe('table plan', () => {
  it('replaces the table in one statement, dropping a view of the same name first', () => {
    const plan = planTable(model(), { sql: 'select 1 as id', existing: 'view' }, engine);
    expect(plan.statements).toEqual(['drop view if exists "main"."m"', 'create or replace table "main"."m" as select 1 as id']);
    expect(plan.filled).toBe(1);
    expect(plan.staging).toBeUndefined();
  });

  it('with an audit, stages the rows aside and publishes from the staged copy', () => {
    const plan = planTable(model(), { sql: 'select 1 as id', existing: 'table', audit: { schema: 'main_audit', name: 'm' } }, engine);
    expect(plan.staging).toEqual({ stage: 'create or replace table "main_audit"."m" as select 1 as id', staged: '"main_audit"."m"', unstage: 'drop table if exists "main_audit"."m"' });
    expect(plan.statements).toEqual(['create or replace table "main"."m" as select * from "main_audit"."m"']);
  });
});
