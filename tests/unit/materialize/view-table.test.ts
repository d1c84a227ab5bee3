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

  it('rebuild: on_change: nothing to run when the fingerprint is the last build\'s; otherwise it is recorded after the build', () => {
    const node = model({ rebuild: 'on_change' });
    const same = planTable(node, { sql: 'select 1 as id', existing: 'table', change: { fingerprint: 'sha256:a', last: { fingerprint: 'sha256:a', rows: 7 } } }, engine);
    expect(same).toMatchObject({ statements: [], unchanged: 7 });
    const changed = planTable(node, { sql: 'select 1 as id', existing: 'table', change: { fingerprint: 'sha256:b', last: { fingerprint: 'sha256:a', rows: 7 } } }, engine);
    expect(changed).toMatchObject({ statements: ['create or replace table "main"."m" as select 1 as id'], record: 'sha256:b' });
    expect(changed.unchanged).toBeUndefined();
    // An input without a recorded build: no fingerprint, built and nothing recorded.
    expect(planTable(node, { sql: 'select 1 as id', existing: 'table', change: {} }, engine)).not.toHaveProperty('record');
  });
});
