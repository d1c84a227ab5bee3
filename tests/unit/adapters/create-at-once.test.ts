import { afterAll, describe, expect, it } from 'vitest';
import type { Adapter } from '../../../framework/adapters/adapter.js';
import { createAdapter } from '../../../framework/adapters/registry.js';
import { targetState } from '../../../framework/state/target-state.js';
import { removeTempDirs, tempDir } from '../support/project.js';

/** A fresh DuckDB target with a pool of 4 connections, as a run with threads 4 has. */
async function freshTarget(): Promise<{ adapter: Adapter; dir: string }> {
  const dir = tempDir('fw-at-once-');
  const adapter = await createAdapter(
    { name: 'dev', type: 'duckdb', schema: 'main', threads: 4, settings: { path: 'dev.duckdb' } },
    dir,
  );
  await adapter.connect();
  return { adapter, dir };
}

// DuckDB refuses two connections creating one catalog entry at once, IF NOT EXISTS or not (a catalog
// write-write conflict); a first run with threads > 1 starts several models, tests and state stores together.
describe('creating what several threads need at once, on a fresh DuckDB target', () => {
  afterAll(removeTempDirs);

  it('one schema asked for by 6 callers at once: every call succeeds and the schema exists', async () => {
    for (let round = 0; round < 5; round++) {
      const { adapter } = await freshTarget();
      try {
        await Promise.all(Array.from({ length: 6 }, () => adapter.ensureSchema('audit')));
        const { rows } = await adapter.query(
          `select count(*) as n from information_schema.schemata where schema_name = 'audit'`,
        );
        expect(rows).toEqual([{ n: 1 }]);
      } finally {
        await adapter.close();
      }
    }
  });

  it('the state tables read by several models at once, each through its own store: every read succeeds', async () => {
    for (let round = 0; round < 5; round++) {
      const { adapter, dir } = await freshTarget();
      try {
        const stores = Array.from({ length: 3 }, () => targetState(adapter, { dir, name: 'dev' }));
        const table = { schema: 'main', name: 'm' };
        const reads = await Promise.all(
          stores.flatMap((s) => [s.intervals.read(table).then((r) => r.inputReadUntil), s.files.loaded(table).then((files) => files.size)]),
        );
        expect(reads).toEqual([undefined, 0, undefined, 0, undefined, 0]);
      } finally {
        await adapter.close();
      }
    }
  });
});
