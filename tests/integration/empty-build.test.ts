/**
 * Issue 19 item 4 on the real stack: `build --empty --target prod` of the whole Reciping project
 * compiles and runs every model on Trino/Iceberg with zero-row inputs: every node succeeds (data
 * tests pass on empty tables), every model's relation exists, fed zero rows, and no interval state
 * or file-ledger row is written. The timed version is bench/empty-build-trino.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emptyBuild, type EmptyBuild } from './empty-build.js';
import { ensureStack } from './stack.js';
import { rows } from './support.js';

let build: EmptyBuild;

beforeAll(async () => {
  if (!process.env.S3_ENDPOINT) ensureStack();
  build = await emptyBuild('it_empty');
  console.log(`[empty-build] build --empty --target prod: exit ${build.code}, ${build.nodes} nodes, ${build.seconds.toFixed(1)} s`);
});

afterAll(async () => {
  await build?.cleanup();
});

describe('build --empty on the prod target', () => {
  it('succeeds, running every model and data test', () => {
    expect(build.problems).toEqual([]);
    expect(build.code).toBe(0);
  });

  it('creates every model relation; those that read a ref or source hold only the rows their SQL makes of nothing', () => {
    expect(build.modelRows.size).toBeGreaterThan(15);
    expect([...build.modelRows].filter(([, n]) => n < 0)).toEqual([]);
    // Empty inputs, not empty outputs (as in dbt): a global aggregate gives one row, a dimension
    // keeps its "unknown" member, the funnel its fixed stages. Everything else is empty.
    const nonEmpty = Object.fromEntries([...build.modelRows].filter(([, n]) => n !== 0).map(([id, n]) => [id.replace('model.reciping.', ''), n]));
    expect(nonEmpty).toEqual({ ad_funnel: 5, latest_load_time: 1, dim_page: 1, dim_recipe: 1, dim_user: 1, pipeline_accounting: 1 });
    for (const table of ['bronze_events', 'user_events_silver', 'fact_user_events', 'dau']) expect(build.modelRows.get(`model.reciping.${table}`), table).toBe(0);
    // Generated models read nothing to empty: dim_event keeps its values list, dim_time its calendar.
    expect(build.selfContained.sort()).toEqual(['model.reciping.dim_event', 'model.reciping.dim_time']);
  });

  it('records no interval state and no loaded file', async () => {
    for (const state of ['intervals', 'loaded_files']) {
      const [n] = await rows(`select count(*) as n from iceberg.framework_state.${state} where model_table like '${'it\\_empty\\_'}%' escape '\\'`).catch(() => [{ n: 0 }]);
      expect(Number(n!.n), state).toBe(0);
    }
  });
});
