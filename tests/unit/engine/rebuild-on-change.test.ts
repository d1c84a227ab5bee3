import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, query, tempProject } from '../support/project.js';

type Result = { unique_id: string; status: string; message: string; rows_affected?: number };
const results = (root: string) =>
  new Map(
    (JSON.parse(readFileSync(join(root, 'target/run_results.json'), 'utf8')) as { results: Result[] }).results.map(
      (r) => [r.unique_id.split('.').at(-1)!, r],
    ),
  );
/** Which of the tables were built (not left unchanged) by the last command. */
const built = (root: string, ...names: string[]) =>
  names.filter((n) => !/^unchanged/.test(results(root).get(n)!.message));
const rows = async (root: string, table: string) =>
  (await query(root, `select * from main.${table} order by 1`)).map((r) => Object.values(r).join('|'));
const hookRuns = async (root: string) => Number((await query(root, 'select count(*) as n from main.hook_log'))[0]!.n);

const FILES = {
  'project.yml':
    "name: t\nvars: {suffix: a}\non-run-start: ['create table if not exists main.hook_log (ran_at timestamp)']\n",
  'seeds/countries.csv': 'code,name\nKR,Korea\nUS,United States\n',
  'models/dim_country.sql':
    "{{config materialized='table' rebuild='on_change' pre_hook='insert into main.hook_log values (now())'}}\nselect code, name || '-' || '{{var \"suffix\"}}' as name from {{ref \"countries\"}}",
  'models/dim_twice.sql':
    "{{config materialized='table' rebuild='on_change'}}\nselect code, name || name as name from {{ref \"dim_country\"}}",
  'models/every_run.sql': '{{config materialized=\'table\'}}\nselect count(*) as n from {{ref "dim_country"}}',
  'models/schema.yml': 'models:\n  - name: dim_country\n    columns:\n      - name: code\n        tests: [unique]\n',
};
const uniqueTest = (root: string) => results(root).get('unique_dim_country_code')!;

describe('rebuild: on_change tables', () => {
  it('are built again only when their SQL, vars, config or inputs changed, the table is gone, or --full-refresh', async () => {
    const root = tempProject(FILES);
    expect((await cli(root, 'build')).code).toBe(0);
    expect(built(root, 'dim_country', 'dim_twice', 'every_run')).toEqual(['dim_country', 'dim_twice', 'every_run']);
    expect(await hookRuns(root)).toBe(1);

    // Nothing changed: no statement runs (an edit behind its back stays, the hooks do not run), a plain table is rebuilt.
    await query(root, "update main.dim_country set name = 'edited' where code = 'KR'");
    expect((await cli(root, 'build')).code).toBe(0);
    expect(built(root, 'dim_country', 'dim_twice', 'every_run')).toEqual(['every_run']);
    expect(results(root).get('dim_country')).toMatchObject({
      status: 'success',
      rows_affected: 0,
      message: expect.stringMatching(/^unchanged: same SQL and inputs as its last build \(2 rows\)/),
    });
    expect(await rows(root, 'dim_country')).toEqual(['KR|edited', 'US|United States-a']);
    expect(await hookRuns(root)).toBe(1);
    // Its audit test would check the rows the last build's audit checked.
    expect(uniqueTest(root)).toMatchObject({
      status: 'skipped',
      message: expect.stringMatching(
        /^skipped: dim_country is unchanged since its last build, whose audit ran this test/,
      ),
    });

    // The seed's CSV changed: the seed loads, and both tables above it are built.
    writeFileSync(join(root, 'seeds/countries.csv'), 'code,name\nJP,Japan\nKR,Korea\nUS,United States\n');
    expect((await cli(root, 'build')).code).toBe(0);
    expect(built(root, 'countries', 'dim_country', 'dim_twice')).toEqual(['countries', 'dim_country', 'dim_twice']);
    expect(await rows(root, 'dim_twice')).toEqual([
      'JP|Japan-aJapan-a',
      'KR|Korea-aKorea-a',
      'US|United States-aUnited States-a',
    ]);

    // A var it renders: it is built, and so is the table reading it. Its own SQL: only that table.
    expect((await cli(root, 'build', '--vars', '{suffix: b}')).code).toBe(0);
    expect(built(root, 'dim_country', 'dim_twice')).toEqual(['dim_country', 'dim_twice']);
    expect((await cli(root, 'build', '--vars', '{suffix: b}')).code).toBe(0);
    expect(built(root, 'dim_country', 'dim_twice')).toEqual([]);
    writeFileSync(
      join(root, 'models/dim_twice.sql'),
      "{{config materialized='table' rebuild='on_change'}}\nselect code, name || '+' || name as name from {{ref \"dim_country\"}}",
    );
    expect((await cli(root, 'build', '--vars', '{suffix: b}')).code).toBe(0);
    expect(built(root, 'dim_country', 'dim_twice')).toEqual(['dim_twice']);

    // A changed CSV whose seed is not selected: the seed table still holds the old rows, so the table is left; once the seed loads, it is built.
    writeFileSync(join(root, 'seeds/countries.csv'), 'code,name\nKR,Korea\n');
    expect((await cli(root, 'run', '--select', 'dim_country', '--vars', '{suffix: b}')).code).toBe(0);
    expect(built(root, 'dim_country')).toEqual([]);
    expect((await cli(root, 'build', '--vars', '{suffix: b}')).code).toBe(0);
    expect(built(root, 'countries', 'dim_country', 'dim_twice')).toEqual(['countries', 'dim_country', 'dim_twice']);
    expect(await rows(root, 'dim_country')).toEqual(['KR|Korea-b']);

    // --empty builds them with no rows and forgets their fingerprints: the next build fills them again.
    expect((await cli(root, 'build', '--empty', '--vars', '{suffix: b}')).code).toBe(0);
    expect(await rows(root, 'dim_twice')).toEqual([]);
    expect((await cli(root, 'build', '--vars', '{suffix: b}')).code).toBe(0);
    expect(built(root, 'dim_country', 'dim_twice')).toEqual(['dim_country', 'dim_twice']);
    expect(await rows(root, 'dim_twice')).toEqual(['KR|Korea-b+Korea-b']);

    await query(root, 'drop table main.dim_twice');
    expect((await cli(root, 'build', '--vars', '{suffix: b}')).code).toBe(0);
    expect(built(root, 'dim_country', 'dim_twice')).toEqual(['dim_twice']);
    expect((await cli(root, 'build', '--full-refresh', '--vars', '{suffix: b}')).code).toBe(0);
    expect(built(root, 'dim_country', 'dim_twice')).toEqual(['dim_country', 'dim_twice']);
  });

  it('are built again when two inputs trade contents', async () => {
    const root = tempProject({
      'seeds/left.csv': 'n\n1\n',
      'seeds/right.csv': 'n\n1\n2\n',
      'models/sides.sql':
        "{{config materialized='table' rebuild='on_change'}}\nselect (select count(*) from {{ref \"left\"}}) as l, (select count(*) from {{ref \"right\"}}) as r",
    });
    expect((await cli(root, 'build')).code).toBe(0);
    expect(await rows(root, 'sides')).toEqual(['1|2']);
    writeFileSync(join(root, 'seeds/left.csv'), 'n\n1\n2\n');
    writeFileSync(join(root, 'seeds/right.csv'), 'n\n1\n');
    expect((await cli(root, 'build')).code).toBe(0);
    expect(built(root, 'sides')).toEqual(['sides']);
    expect(await rows(root, 'sides')).toEqual(['2|1']);
  });

  it('is a config error, naming the file, on a table reading an input whose changes are not tracked, or on a view', async () => {
    const root = tempProject({
      ...FILES,
      'models/every_run_view.sql': "{{config materialized='view' rebuild='on_change'}}\nselect 1 as n",
      'models/reads_plain.sql':
        "{{config materialized='table' rebuild='on_change'}}\nselect * from {{ref \"every_run\"}}",
    });
    const run = await cli(root, 'build');
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(
      /models\/reads_plain\.sql.*\n?.*rebuild: on_change, but it reads model "every_run", whose changes are not tracked/,
    );
    expect(run.stdout).toMatch(/models\/every_run_view\.sql.*\n?.*rebuild: on_change applies to table models only/);
    expect(results(root).get('dim_country')!.status).toBe('success');
  });
});
