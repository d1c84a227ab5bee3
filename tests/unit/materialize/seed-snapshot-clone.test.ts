import { describe, expect, it } from 'vitest';
import { clone } from '../../../framework/materialize/clone.js';
import { seed } from '../../../framework/materialize/seed.js';
import { snapshot } from '../../../framework/materialize/snapshot.js';
import { strategyName } from '../../../framework/materialize/strategies.js';
import { snapshotConfig } from '../../../framework/project/snapshot-config.js';
import type { SnapshotNode } from '../../../framework/project/types.js';
import type { CompiledNode } from '../../../framework/template/manifest.js';
import { engine, model, seedNode } from './fixtures.js';

describe('seed plan', () => {
  const file = { size: 12, fingerprint: 'sha256:x' };
  it('leaves a seed whose CSV and types match its last load; loads and records one that changed', () => {
    expect(seed.plan(seedNode(), { file, last: { fingerprint: 'sha256:x', rows: 7 } }, engine)).toEqual({ load: false, rows: 7 });
    expect(seed.plan(seedNode(), { file, last: { fingerprint: 'sha256:y', rows: 7 } }, engine)).toEqual({ load: true, record: file });
    expect(seed.plan(seedNode(), { file }, engine)).toEqual({ load: true, record: file });
  });
  it('--empty loads it and records nothing', () => {
    expect(seed.plan(seedNode(), {}, engine)).toEqual({ load: true });
  });
});

describe('snapshot plan', () => {
  const node = { ...model(), uniqueId: 'snapshot.p.m', resourceType: 'snapshot', config: { ...model().config, materialized: 'snapshot', unique_key: ['id'], strategy: 'check', check_cols: 'all' } } as unknown as CompiledNode & SnapshotNode;
  const base = { sql: 'select 1 as id', config: snapshotConfig('m', node.config, node.origin), queryColumns: [{ name: 'id', type: 'INTEGER' }], now: "TIMESTAMP '2025-09-01 00:00:00'", empty: false };
  it('creates the table on the first run, merges the changes later', () => {
    const first = snapshot.plan(node, base, engine);
    expect(first.create).toMatch(/^create table "main"."m"/);
    const later = snapshot.plan(node, { ...base, existing: [{ name: 'id', type: 'INTEGER' }, { name: 'dbt_scd_id', type: 'VARCHAR' }, { name: 'dbt_valid_to', type: 'TIMESTAMP' }] }, engine);
    expect(later.create).toBeUndefined();
    expect(later.merge).toMatch(/^merge into "main"."m" as d using/);
  });
});

describe('clone plan', () => {
  const from = { ...model(), relation: { schema: 'prod', name: 'm' } };
  it('a view over the --state relation; an existing relation is kept unless --full-refresh', () => {
    expect(clone.plan(model(), { existing: undefined, fullRefresh: false }, engine)).toEqual({ skip: 'not in the --state manifest: nothing to clone' });
    expect(clone.plan(model(), { from, existing: 'view', fullRefresh: false }, engine)).toEqual({ skip: 'view exists, left as is (--full-refresh replaces it)' });
    expect(clone.plan(model(), { from, existing: 'table', fullRefresh: true }, engine)).toEqual({ statements: ['drop table if exists "main"."m"', 'create or replace view "main"."m" as select * from "prod"."m"'], over: '"prod"."m"' });
  });
});

describe('strategy registry', () => {
  it('picks the strategy from the materialization, incremental_strategy and interval', () => {
    expect(strategyName(model({ materialized: 'view' }), false)).toBe('view');
    expect(strategyName(model({ materialized: 'incremental', incremental_strategy: 'new_files' }), false)).toBe('new_files');
    expect(strategyName(model({ materialized: 'incremental', interval: '1h' }), false)).toBe('interval');
    expect(strategyName(model({ materialized: 'incremental' }), false)).toBe('incremental');
    expect(strategyName(seedNode(), false)).toBe('seed');
    expect(strategyName(model(), true)).toBe('clone');
    expect(strategyName(model({ materialized: 'ephemeral' }), false)).toBe('ephemeral');
    expect(strategyName(model({ materialized: 'seed' }), false)).toBe('ephemeral');
  });
});
