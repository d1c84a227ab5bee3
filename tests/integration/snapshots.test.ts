import { afterAll, describe, expect, it } from 'vitest';
import { writeFile } from '../unit/support/project.js';
import { EXPECTED, SNAPSHOTS as ALL, STEPS, history, snapshotFiles, sourceModel } from '../unit/support/snapshot-scenario.js';
import { dropSchemas, ok, rows, runResults, trinoProject } from './support.js';

/**
 * The DuckDB scenario (tests/unit/engine/snapshots.test.ts) on Trino/Iceberg: the same history for
 * every strategy and hard_deletes mode, each run one MERGE per snapshot, a rerun changing nothing.
 */
// check_cols: all differs from a column list only in the columns compared: one of its modes here
// (all three run on DuckDB) keeps the run within its time budget on the shared stack.
const SNAPSHOTS = ALL.filter((s) => !s.startsWith('snap_all_') || s === 'snap_all_invalidate');

describe('snapshots on Trino/Iceberg', () => {
  const { root, schema } = trinoProject(snapshotFiles((s) => SNAPSHOTS.includes(s)));
  afterAll(() => dropSchemas(schema));

  it('gives dbt-core history, the same as DuckDB, one MERGE per snapshot run', async () => {
    const after: string[][][] = [];
    for (let step = 0; step < STEPS; step++) {
      writeFile(root, 'models/src.sql', sourceModel(step));
      await ok(root, 'build');
      after.push(await Promise.all(SNAPSHOTS.map(async (s) => history(await rows(`select * from iceberg."${schema}"."${s}"`)))));
      const results = runResults(root).results.filter((r) => r.unique_id.startsWith('snapshot.'));
      expect(results).toHaveLength(SNAPSHOTS.length);
      // Each run after the first is one statement on the engine (the MERGE), one Iceberg commit.
      if (step > 0) for (const r of results) expect(r.query_ids, r.unique_id).toHaveLength(1);
      if (step === 2) {
        for (const r of results) expect(r.rows_affected, r.unique_id).toBe(0);
        expect(after[2]).toEqual(after[1]);
      }
    }
    expect(Object.fromEntries(SNAPSHOTS.map((s, i) => [s, after[STEPS - 1]![i]]))).toEqual(Object.fromEntries(SNAPSHOTS.map((s) => [s, EXPECTED[s]])));
  }, 110_000);
});
