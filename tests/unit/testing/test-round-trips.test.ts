import { describe, expect, it } from 'vitest';
import type { Adapter } from '../../../framework/adapters/adapter.js';
import type { ScopeContext } from '../../../framework/execute/data-tests.js';
import type { CompiledNode, Manifest } from '../../../framework/template/manifest.js';
import type { Compiler } from '../../../framework/template/compile.js';
import { periodPredicate } from '../../../framework/testing/period-scope.js';
import { runTest } from '../../../framework/testing/run-test.js';
import { engine, model } from '../materialize/fixtures.js';
import { gatedReads } from '../support/gated-reads.js';

// A scheduled `test` on Trino is a chain of round trips per model: the tested columns are checked
// while the rows are read, not before.
const tested = model({ materialized: 'view', written_at: 'written', test_scope: { column: 'day' } });
const notNull = {
  ...model({ materialized: 'test' as never }),
  uniqueId: 'test.p.not_null_m_day',
  resourceType: 'test',
  kind: 'generic',
  testName: 'not_null',
  columnName: 'day',
  attachedTo: tested.uniqueId,
  origin: { file: 'models/m.yml', line: 4 },
} as unknown as CompiledNode;
const compiler = {
  nodeById: () => tested,
  render: () => 'select * from main.m where day is null',
  rowCount: () => undefined,
} as unknown as Compiler;

function adapterWith(columns: string[]) {
  const reads = gatedReads({
    columns: () => columns.map((name) => ({ name, type: 'INTEGER' })),
    count: () => ({ n: 0 }),
    values: () => ({ rows: [{ v: '2', t: 'INTEGER' }], columns: [] }),
  });
  const adapter = {
    ...engine,
    introspector: { columns: () => reads.ask('columns') },
    query: () => reads.ask('values'),
  } as unknown as Adapter;
  return { adapter, ...reads };
}

describe('a test’s reads, asked at once', () => {
  it('a generic test: its column is checked while its rows are counted', async () => {
    const { adapter, ask, askedAtOnce } = adapterWith(['day']);
    const outcome = runTest(adapter, compiler, notNull, () => {}, 'audit', { count: () => ask('count') });
    expect(await askedAtOnce()).toEqual(['columns', 'count']);
    expect(await outcome).toMatchObject({ status: 'pass', failures: 0 });
  });

  it('a missing column is the error said, with the file and line, whatever the count did', async () => {
    const { adapter, askedAtOnce } = adapterWith(['other']);
    const count = () => Promise.reject(new Error('Column "day" cannot be resolved'));
    const outcome = runTest(adapter, compiler, notNull, () => {}, 'audit', { count });
    await askedAtOnce();
    await expect(outcome).rejects.toThrow('test not_null (models/m.yml:4) refers to column "day", which m does not have');
  });

  it('a view’s period scope: its column is checked while the periods are read', async () => {
    const { adapter, askedAtOnce } = adapterWith(['day']);
    const ctx: ScopeContext = {
      adapter,
      compiler,
      manifest: { nodes: { [tested.uniqueId]: tested } } as unknown as Manifest,
      builds: new Map([[tested.uniqueId, '2025-09-01T00:00:00.000Z']]),
    };
    const predicate = periodPredicate(ctx, tested);
    expect(await askedAtOnce()).toEqual(['columns', 'values']);
    expect(await predicate).toBe(`"day" in (CAST('2' AS INTEGER))`);
  });

  it('a view’s period scope on a column it lacks: the scope’s error, not the query’s', async () => {
    const { adapter, askedAtOnce } = adapterWith(['other']);
    const ctx: ScopeContext = {
      adapter: { ...adapter, query: () => Promise.reject(new Error('Column "day" cannot be resolved')) },
      compiler,
      manifest: { nodes: { [tested.uniqueId]: tested } } as unknown as Manifest,
      builds: new Map([[tested.uniqueId, '2025-09-01T00:00:01.000Z']]),
    };
    const predicate = periodPredicate(ctx, tested);
    await askedAtOnce();
    await expect(predicate).rejects.toThrow('test_scope.column "day" is not one of its columns');
  });
});
