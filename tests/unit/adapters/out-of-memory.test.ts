import { afterAll, describe, expect, it } from 'vitest';
import { createAdapter } from '../../../framework/adapters/registry.js';
import { removeTempDirs, tempDir } from '../support/project.js';

// Interval batches are split when the engine says a statement ran out of memory (materialize/interval.ts);
// on Trino that is shown end to end in tests/integration/interval-memory.test.ts.
describe('DuckDB: a statement over memory_limit', () => {
  afterAll(removeTempDirs);

  it('is recognized as out of memory; other failures are not', async () => {
    const adapter = await createAdapter({ name: 'dev', type: 'duckdb', schema: 'main', threads: 1, settings: { path: 'dev.duckdb', settings: { memory_limit: '8MB', threads: 1 } } }, tempDir('fw-oom-'));
    try {
      // A million groups do not fit in 8 MB, and DuckDB cannot spill this one to disk.
      const error = await adapter.query('select k, count(*) as n from (select i % 1000000 as k from range(3000000) as t(i)) group by k order by n desc limit 1').catch((e: unknown) => e);
      expect(String(error)).toMatch(/Out of Memory/);
      expect(adapter.isOutOfMemory(error)).toBe(true);
      expect(adapter.isOutOfMemory(await adapter.query('select * from no_such_table').catch((e: unknown) => e))).toBe(false);
    } finally {
      await adapter.close();
    }
  });
});
