import { appendFileSync, readFileSync, readdirSync, rmSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { globToRegExp, listGlob } from '../../../framework/storage/glob.js';
import { partitionTime } from '../../../framework/storage/partition-time.js';
import { cli, query, tempProject, writeFile } from '../support/project.js';

describe('staged file listing', () => {
  it('matches globs the way DuckDB does: ** spans directories, * and ? do not', () => {
    const re = globToRegExp('/s/events/**/*.json');
    expect(re.test('/s/events/a.json')).toBe(true);
    expect(re.test('/s/events/year=2025/month=09/a.json')).toBe(true);
    expect(re.test('/s/events/year=2025/a.jsonl')).toBe(false);
    expect(re.test('/s/other/a.json')).toBe(false);
    expect(globToRegExp('/s/*.{csv,json}').test('/s/x.csv')).toBe(true);
    expect(globToRegExp('/s/*.{csv,json}').test('/s/d/x.csv')).toBe(false);
    expect(globToRegExp('/s/file?.csv').test('/s/file1.csv')).toBe(true);
  });

  it('reads partition paths as wall-clock time in the source zone', () => {
    const path = 's3://b/replay-user-events/year=2025/month=09/day=01/hour=00/minute=15/replay-user-events+0+0.json';
    expect(new Date(partitionTime(path, 'Asia/Seoul')!).toISOString()).toBe('2025-08-31T15:15:00.000Z');
    expect(new Date(partitionTime(path)!).toISOString()).toBe('2025-09-01T00:15:00.000Z');
    expect(partitionTime('/data/no-partitions/a.json')).toBeUndefined();
  });

  it('lists a glob, a directory, and nothing for a missing base', () => {
    const root = tempProject({ 'in/a/x.json': '1\n', 'in/b/y.json': '22\n', 'in/b/z.txt': '3\n' });
    expect(listGlob(join(root, 'in/**/*.json')).map((f) => [f.path.slice(root.length), f.size])).toEqual([
      ['/in/a/x.json', 2],
      ['/in/b/y.json', 3],
    ]);
    expect(listGlob(join(root, 'in')).length).toBe(3);
    expect(listGlob(join(root, 'missing/**/*.json'))).toEqual([]);
  });
});

describe('incremental_strategy new_files on DuckDB', () => {
  const file = (day: string, name: string) => `staging/year=2025/month=09/day=${day}/hour=00/minute=00/${name}.json`;
  const project = () =>
    tempProject({
      [file('01', 'a')]: 'a1\na2\n',
      [file('02', 'b')]: 'b1\n',
      'sources/s.yml': `sources:
  - name: s
    tables:
      - name: lines
        external: {location: "staging/**/*.json", format: lines, time_zone: Asia/Seoul}
`,
      'models/raw.sql': `{{config materialized="incremental" incremental_strategy="new_files" file_column="source_file"}}
select s.line, s.file_name as source_file from {{source "s" "lines"}} as s`,
    });
  const lines = async (root: string) => (await query(root, 'select line from main.raw order by line')).map((r) => r.line);
  // The model stamps loaded_at (written_at), so row counts may skip rows older than a bound.
  const stampedProject = () => {
    const root = project();
    writeFile(
      root,
      'models/raw.sql',
      `{{config materialized="incremental" incremental_strategy="new_files" file_column="source_file" written_at="loaded_at"}}
select s.line, s.file_name as source_file, {{now}} as loaded_at from {{source "s" "lines"}} as s`,
    );
    return root;
  };
  /** The statements the last run issued for the model (target/run/). */
  const recorded = (root: string) => {
    const dir = join(root, 'target/run');
    return readdirSync(dir, { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('raw.sql'))
      .map((f) => readFileSync(join(dir, f), 'utf8'))
      .join('\n');
  };
  const ledger = (root: string) => query(root, "select replace(path, '\\', '/') as path, size, row_count from framework_state.loaded_files order by path");

  it('loads each staged file once, records it in the ledger, and picks up only new files', async () => {
    const root = project();
    const first = await cli(root, 'run');
    expect(first.code).toBe(0);
    expect(await lines(root)).toEqual(['a1', 'a2', 'b1']);
    expect((await ledger(root)).map((r) => [String(r.path).slice(root.length + 1), Number(r.size), Number(r.row_count)])).toEqual([
      [file('01', 'a'), 6, 2],
      [file('02', 'b'), 3, 1],
    ]);

    const again = await cli(root, 'ingest', 'staging');
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/0 rows/);
    expect(await lines(root)).toEqual(['a1', 'a2', 'b1']);

    writeFile(root, file('03', 'c'), 'c1\nc2\nc3\n');
    const third = await cli(root, 'ingest', 'staging');
    expect(third.code).toBe(0);
    expect(await lines(root)).toEqual(['a1', 'a2', 'b1', 'c1', 'c2', 'c3']);
    expect((await ledger(root)).length).toBe(3);
  });

  it('with written_at, counts what a run loaded among the rows stamped since it began (less the skew), not the whole file column', async () => {
    const root = stampedProject();
    expect((await cli(root, 'run')).code).toBe(0);
    writeFile(root, file('03', 'c'), 'c1\nc2\nc3\n');
    const started = Date.now();
    expect((await cli(root, 'run')).code).toBe(0);
    expect((await ledger(root)).map((r) => Number(r.row_count))).toEqual([2, 1, 3]);
    const statements = recorded(root);
    // The check for an interrupted run's rows of the new file, then the count of what was loaded.
    const counts = statements.split(';').filter((s) => s.includes('count(*) as n from "main"."raw"') && s.includes('"loaded_at" >='));
    expect(counts).toHaveLength(2);
    const count = counts[1];
    // The bound is the load's start (after the run's) less 15 minutes, as an instant.
    const bound = Date.parse(/'([^']+)'/.exec(count!.slice(count!.indexOf('"loaded_at" >=')))![1]!);
    expect(bound + 15 * 60_000).toBeGreaterThanOrEqual(started);
    expect(bound + 15 * 60_000).toBeLessThan(Date.now());
  });

  it('reports a file that changed after it was loaded (WARN) and does not load it again', async () => {
    const root = project();
    expect((await cli(root, 'run')).code).toBe(0);
    appendFileSync(join(root, file('01', 'a')), 'a3\n');
    const run = await cli(root, 'run', '--log-format', 'json');
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout.split('\n').find((l) => l.includes('"status":"warn"'))!) as { message: string };
    expect(result.message).toContain('1 changed since loaded, NOT reloaded');
    expect(result.message).toContain('size 6 → 9');
    expect(await lines(root)).toEqual(['a1', 'a2', 'b1']);
  });

  it('records the lines each file holds, counted from the file; a file that grew is recorded with its gain, reported once', async () => {
    const root = project();
    // The model keeps fewer lines than the file holds: the ledger still counts the file's own lines.
    writeFile(root, 'models/raw.sql', `{{config materialized="incremental" incremental_strategy="new_files" file_column="source_file"}}
select s.line, s.file_name as source_file from {{source "s" "lines"}} as s where s.line <> 'a2'`);
    expect((await cli(root, 'run')).code).toBe(0);
    const staged = async () => (await query(root, 'select row_count, staged_rows from framework_state.loaded_files order by path, loaded_at')).map((r) => [Number(r.row_count), Number(r.staged_rows)]);
    expect(await staged()).toEqual([[1, 2], [1, 1]]);

    appendFileSync(join(root, file('01', 'a')), 'a3\na4\n');
    const run = await cli(root, 'run');
    expect(run.stdout).toContain('1 changed since loaded, NOT reloaded');
    expect(await staged()).toEqual([[1, 2], [0, 2], [1, 1]]);
    const quiet = await cli(root, 'run');
    expect(quiet.stdout).not.toContain('changed since loaded');
    expect(await staged()).toEqual([[1, 2], [0, 2], [1, 1]]);
  });

  it('repairs a run that died between loading a file and recording it: recorded, not loaded twice', async () => {
    const root = project();
    expect((await cli(root, 'run')).code).toBe(0);
    // What a crash after the insert's commit leaves: rows in the table, no ledger row.
    await query(root, `delete from framework_state.loaded_files where path like '%day=02%'`);
    const run = await cli(root, 'run', '--log-format', 'json');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('1 found loaded by an interrupted run, recorded');
    expect(await lines(root)).toEqual(['a1', 'a2', 'b1']);
    expect((await ledger(root)).map((r) => Number(r.row_count))).toEqual([2, 1]);
  });

  it('with written_at, looks for an interrupted run\'s rows only among those stamped since the unknown files were staged (less the skew)', async () => {
    const root = stampedProject();
    expect((await cli(root, 'run')).code).toBe(0);
    await query(root, `delete from framework_state.loaded_files where path like '%day=02%'`);
    // Staged long before the load: the bound follows the file, not the run.
    const staged = new Date('2026-01-05T06:00:00Z');
    utimesSync(join(root, file('02', 'b')), staged, staged);
    const run = await cli(root, 'run', '--log-format', 'json');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('1 found loaded by an interrupted run, recorded');
    expect(await lines(root)).toEqual(['a1', 'a2', 'b1']);
    const statements = recorded(root);
    const check = statements.split(';').find((s) => s.includes('count(*) as n from "main"."raw"') && s.includes('day=02'));
    expect(check).toContain('"loaded_at" >=');
    expect(Date.parse(/'([^']+)'/.exec(check!.slice(check!.indexOf('"loaded_at" >=')))![1]!)).toBe(staged.getTime() - 15 * 60_000);
  });

  it('--start/--end load only the files whose partition time (in the source zone) falls in the range', async () => {
    const root = project();
    // Sept 2 00:00 KST = Sept 1 15:00 UTC.
    const run = await cli(root, 'ingest', 'staging', '--start', '2025-09-02T00:00:00+09:00', '--end', '2025-09-03T00:00:00+09:00');
    expect(run.code).toBe(0);
    expect(await lines(root)).toEqual(['b1']);
    expect((await cli(root, 'ingest', 'staging')).code).toBe(0);
    expect(await lines(root)).toEqual(['a1', 'a2', 'b1']);
  });

  it('--full-refresh rebuilds from every file and starts the ledger over', async () => {
    const root = project();
    expect((await cli(root, 'run')).code).toBe(0);
    rmSync(join(root, file('02', 'b')));
    expect((await cli(root, 'run', '--full-refresh')).code).toBe(0);
    expect(await lines(root)).toEqual(['a1', 'a2']);
    expect((await ledger(root)).length).toBe(1);
  });

  it('keeps books per table: a dropped table, or a copy writing another schema, loads every file again', async () => {
    const root = project();
    expect((await cli(root, 'run')).code).toBe(0);
    await query(root, 'drop table main.raw');
    expect((await cli(root, 'run')).code).toBe(0);
    expect(await lines(root)).toEqual(['a1', 'a2', 'b1']);

    // Same project, same target, another schema (as a second copy of a project would use).
    writeFile(root, 'project.yml', 'name: t\nmodels:\n  +schema: copy\n');
    expect((await cli(root, 'run')).code).toBe(0);
    expect((await query(root, 'select count(*) as n from copy.raw'))[0]!.n).toBe(3);
    expect((await query(root, 'select model_table, count(*) as n from framework_state.loaded_files group by 1 order by 1')).map((r) => [r.model_table, Number(r.n)])).toEqual([
      ['copy.raw', 2],
      ['main.raw', 2],
    ]);
  });

  it('upgrades a ledger table written by an older version: missing columns added, its rows re-checked against the table', async () => {
    const root = project();
    expect((await cli(root, 'run')).code).toBe(0);
    await query(root, 'alter table framework_state.loaded_files drop column model_table');
    const run = await cli(root, 'run', '--log-format', 'json');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('2 found loaded by an interrupted run, recorded');
    expect(await lines(root)).toEqual(['a1', 'a2', 'b1']);
  });

  it('needs file_column, and files to build from', async () => {
    const root = project();
    writeFile(root, 'models/raw.sql', `{{config materialized="incremental" incremental_strategy="new_files"}}\nselect s.line from {{source "s" "lines"}} as s`);
    const run = await cli(root, 'run');
    expect(run.code).toBe(1);
    expect(run.stdout + run.stderr).toContain('no file_column');

    const empty = project();
    rmSync(join(empty, 'staging'), { recursive: true });
    const nothing = await cli(empty, 'run');
    expect(nothing.code).toBe(1);
    expect(nothing.stdout + nothing.stderr).toMatch(/no files at .*staging\/\*\*\/\*\.json/);
  });
});
