import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, query, tempProject } from '../support/project.js';

const seedResult = (root: string) =>
  (JSON.parse(readFileSync(join(root, 'target/run_results.json'), 'utf8')) as { results: { unique_id: string; status: string; message: string; rows_affected?: number }[] }).results.find((r) => r.unique_id === 'seed.t.countries')!;
/** The seed table as it is now: a skipped load leaves an edit in place, a load replaces it. */
const loadedRows = async (root: string) => (await query(root, 'select code, name from main.countries order by code')).map((r) => Object.values(r));

describe('seeds are loaded again only when they changed', () => {
  it('an unchanged seed is left as it is; a changed CSV, changed column types, a dropped table or --full-refresh load it', async () => {
    const root = tempProject({
      'seeds/countries.csv': 'code,name\nKR,Korea\nUS,United States\n',
      'seeds/countries.yml': 'seeds:\n  - name: countries\n    config: {column_types: {code: VARCHAR}}\n',
    });
    expect((await cli(root, 'seed')).code).toBe(0);
    expect(seedResult(root)).toMatchObject({ status: 'success', rows_affected: 2, message: 'seed loaded (2 rows)' });

    // Rows changed behind the seed's back are not restored by a build: the CSV did not change.
    await query(root, "update main.countries set name = 'edited' where code = 'KR'");
    expect((await cli(root, 'build')).code).toBe(0);
    expect(seedResult(root)).toMatchObject({ status: 'success', rows_affected: 0, message: expect.stringMatching(/^unchanged since its last load \(2 rows\)/) });
    expect(await loadedRows(root)).toEqual([['KR', 'edited'], ['US', 'United States']]);

    writeFileSync(join(root, 'seeds/countries.csv'), 'code,name\nKR,Korea\nUS,United States\nJP,Japan\n');
    expect((await cli(root, 'build')).code).toBe(0);
    expect(seedResult(root)).toMatchObject({ rows_affected: 3, message: 'seed loaded (3 rows)' });
    expect(await loadedRows(root)).toEqual([['JP', 'Japan'], ['KR', 'Korea'], ['US', 'United States']]);

    expect((await cli(root, 'build')).code).toBe(0);
    expect(seedResult(root).rows_affected).toBe(0);
    writeFileSync(join(root, 'seeds/countries.yml'), 'seeds:\n  - name: countries\n    config: {column_types: {code: VARCHAR, name: VARCHAR}}\n');
    expect((await cli(root, 'build')).code).toBe(0);
    expect(seedResult(root).rows_affected).toBe(3);

    await query(root, 'drop table main.countries');
    expect((await cli(root, 'seed')).code).toBe(0);
    expect(seedResult(root).rows_affected).toBe(3);
    expect(await loadedRows(root)).toHaveLength(3);

    await query(root, "update main.countries set name = 'edited' where code = 'KR'");
    expect((await cli(root, 'seed', '--full-refresh')).code).toBe(0);
    expect(seedResult(root).rows_affected).toBe(3);
    expect(await loadedRows(root)).toEqual([['JP', 'Japan'], ['KR', 'Korea'], ['US', 'United States']]);
  });
});
