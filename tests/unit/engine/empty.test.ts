import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, query, tempProject } from '../support/project.js';

const intervals = async (root: string) => JSON.parse((await cli(root, 'intervals', '--end', '2025-09-01T03:00:00Z', '--output', 'json')).stdout) as { done: number }[];

describe('--empty', () => {
  const project = () =>
    tempProject({
      'data/events.csv': 'id,ts,v\n1,2025-09-01 00:10:00,1\n2,2025-09-01 01:20:00,2\n3,2025-09-01 02:30:00,3\n',
      'sources/s.yml': 'sources:\n  - name: s\n    tables:\n      - {name: events, external: {location: data/events.csv, format: csv}}\n',
      'seeds/kinds.csv': 'v,kind\n1,one\n2,two\n3,three\n',
      'models/eph.sql': '{{config materialized="ephemeral"}}\nselect id, ts, v from {{source "s" "events"}}',
      'models/stg.sql': '{{config materialized="table"}}\nselect e.id, e.ts, k.kind from {{ref "eph"}} as e join {{ref "kinds"}} k on k.v = e.v',
      'models/stg_view.sql': '{{config materialized="view"}}\nselect id, kind from {{ref "stg"}}',
      'models/inc.sql': '{{config materialized="incremental" unique_key="id"}}\nselect id, kind from {{ref "stg"}}',
      'models/hourly.sql': `{{config materialized="incremental" interval="1h" time_column="hour" start="2025-09-01T00:00:00Z"}}
select date_trunc('hour', ts) as hour, count(*) as events from {{ref "stg"}}
where ts >= {{interval_start}} and ts < {{interval_end}}
group by 1`,
      'models/schema.yml': 'models:\n  - name: stg\n    tests:\n      - row_count: {min: 1}\n    columns:\n      - name: id\n        tests: [not_null, unique]\n',
    });
  const counts = (root: string) =>
    query(root, "select (select count(*) from stg) as stg, (select count(*) from stg_view) as stg_view, (select count(*) from inc) as inc, (select count(*) from hourly) as hourly");

  it('builds every model with zero rows and records no interval state; the next run has the real rows', async () => {
    const root = project();
    const empty = await cli(root, 'build', '--empty', '--end', '2025-09-01T03:00:00Z');
    expect(empty.stderr).toBe('');
    expect(empty.code).toBe(0);
    expect(await counts(root)).toEqual([{ stg: 0, stg_view: 0, inc: 0, hourly: 0 }]);
    // Tests ran on the empty tables, and passed.
    expect(empty.stdout).toMatch(/PASS.*not_null_stg_id/);
    // row_count's min asserts rows exist: it holds off under --empty (dbt's flags.EMPTY), max would not.
    expect(empty.stdout).toMatch(/PASS.*row_count_stg/);
    expect(await query(root, 'select count(*) as n from kinds')).toEqual([{ n: 3 }]);
    // Nothing was processed: every interval is still to do.
    expect(await intervals(root)).toEqual([expect.objectContaining({ done: 0, missing: 3 })]);

    expect((await cli(root, 'build', '--end', '2025-09-01T03:00:00Z')).code).toBe(0);
    expect(await counts(root)).toEqual([{ stg: 3, stg_view: 3, inc: 3, hourly: 3 }]);
    expect(await intervals(root)).toEqual([expect.objectContaining({ done: 3, missing: 0 })]);
  });

  it('on existing incremental and interval tables changes nothing (a merge of zero rows)', async () => {
    const root = project();
    expect((await cli(root, 'build', '--end', '2025-09-01T03:00:00Z')).code).toBe(0);
    const again = await cli(root, 'run', '--empty', '--select', 'inc', 'hourly', '--end', '2025-09-01T03:00:00Z');
    expect(again.code).toBe(0);
    expect(await counts(root)).toEqual([{ stg: 3, stg_view: 3, inc: 3, hourly: 3 }]);
    expect(await intervals(root)).toEqual([expect.objectContaining({ done: 3, missing: 0 })]);
  });

  it('reads each ref and source as a zero-row subquery; an ephemeral stays a CTE whose own inputs are empty', async () => {
    const root = project();
    const run = await cli(root, 'build', '--empty', '--select', '+stg', '--end', '2025-09-01T03:00:00Z');
    expect(run.code).toBe(0);
    const sql = readFileSync(join(root, JSON.parse(readFileSync(join(root, 'target/run_results.json'), 'utf8')).results.find((r: { unique_id: string }) => r.unique_id === 'model.t.stg').compiled_path), 'utf8');
    expect(sql).toContain('join (select * from "main"."kinds" limit 0) k on');
    expect(sql).toContain('from __cte__eph as e');
    expect(sql).toMatch(/__cte__eph as \(\s*select id, ts, v from \(select \* from read_csv[^)]*\) limit 0\)\s*\)/);
  });

  it('a new_files model loads no file and records none in the ledger; the next run loads them all', async () => {
    const root = tempProject({
      'staging/year=2025/month=09/day=01/a.json': 'a1\na2\n',
      'sources/s.yml': 'sources:\n  - name: s\n    tables:\n      - {name: lines, external: {location: "staging/**/*.json", format: lines}}\n',
      'models/raw.sql': `{{config materialized="incremental" incremental_strategy="new_files" file_column="source_file"}}
select s.line, s.file_name as source_file from {{source "s" "lines"}} as s`,
    });
    const ledger = async () => {
      const exists = await query(root, "select count(*) as n from information_schema.tables where table_schema = 'framework_state' and table_name = 'loaded_files'");
      return Number(exists[0]!.n) ? Number((await query(root, 'select count(*) as n from framework_state.loaded_files'))[0]!.n) : 0;
    };
    expect((await cli(root, 'run', '--empty')).code).toBe(0);
    expect(await query(root, 'select count(*) as n from raw')).toEqual([{ n: 0 }]);
    expect(await ledger()).toBe(0);
    expect((await cli(root, 'run')).code).toBe(0);
    expect(await query(root, 'select count(*) as n from raw')).toEqual([{ n: 2 }]);
    expect(await ledger()).toBe(1);
  });
});
