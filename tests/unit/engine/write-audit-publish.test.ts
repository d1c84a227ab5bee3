import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, query, tempProject, writeFile } from '../support/project.js';

type Result = { unique_id: string; status: string; message: string; failures?: number };
const results = (root: string): Record<string, Result> =>
  Object.fromEntries((JSON.parse(readFileSync(join(root, 'target/run_results.json'), 'utf8')).results as Result[]).map((r) => [r.unique_id.split('.').slice(2).join('.'), r]));
const byPrefix = (all: Record<string, Result>, prefix: string): Result => Object.entries(all).find(([k]) => k.startsWith(prefix))![1];
const tables = async (root: string, schema: string) => (await query(root, `select table_name from information_schema.tables where table_schema = '${schema}' order by 1`)).map((r) => r.table_name);

/** dim: a table with an error-severity accepted_values test; fact reads it. */
const project = (segments: string, audit = '') => ({
  'models/dim.sql': `select * from (values ${segments}) as t(id, segment)`,
  'models/fact.sql': 'select id, segment from {{ref "dim"}}',
  'models/dim.yml': `models:
  - name: dim
    config: {materialized: table${audit}}
    columns:
      - name: id
        tests:
          - unique
          - expression_is_true: {expression: "< 2", severity: warn}
      - name: segment
        tests:
          - accepted_values: {values: [a, b]}
`,
});

describe('write–audit–publish in build (DuckDB)', () => {
  it('a passing audit publishes the table and leaves nothing staged', async () => {
    const root = tempProject(project("(1, 'a'), (2, 'b')"));
    const r = await cli(root, 'build');
    expect(r.code).toBe(0);
    expect(await query(root, 'select id from main.dim order by id')).toEqual([{ id: 1 }, { id: 2 }]);
    expect(await tables(root, 'main_audit')).toEqual([]);
    const s = results(root);
    expect(byPrefix(s, 'accepted_values_dim_segment').status).toBe('pass');
    // Warn-severity: fails (id 2), never blocks.
    expect(byPrefix(s, 'expression_is_true_dim_id').status).toBe('warn');
    expect(s['fact']!.status).toBe('success');
    expect(readFileSync(join(root, 'target/run/models/dim.sql'), 'utf8')).toContain('"main_audit"."dim__audit"');
  });

  it('an error-severity failure leaves the published table as it was, keeps the new rows and failing rows in the audit schema, skips downstream', async () => {
    const root = tempProject(project("(1, 'a'), (2, 'b')"));
    expect((await cli(root, 'build')).code).toBe(0);
    writeFile(root, 'models/dim.sql', "select * from (values (1, 'a'), (2, 'b'), (3, 'zz')) as t(id, segment)");
    const r = await cli(root, 'build');
    expect(r.code).toBe(1);
    const s = results(root);
    const failing = byPrefix(s, 'accepted_values_dim_segment');
    expect(failing.status).toBe('fail');
    expect(failing.failures).toBe(1);
    expect(s['dim']!.status).toBe('error');
    expect(s['dim']!.message).toMatch(/^not published: test accepted_values_dim_segment\S* \(1 failing row; failing rows stored in "main_audit"\.\S+\) failed on its new data, which stays in "main_audit"\."dim__audit"$/);
    expect(s['fact']!.status).toBe('skipped');
    expect(r.stdout).toMatch(/FAIL test accepted_values_dim_segment/);
    expect(await query(root, 'select id from main.dim order by id')).toEqual([{ id: 1 }, { id: 2 }]);
    expect(await query(root, 'select id from main.fact order by id')).toEqual([{ id: 1 }, { id: 2 }]);
    expect(await query(root, 'select id, segment from main_audit.dim__audit order by id')).toEqual([
      { id: 1, segment: 'a' },
      { id: 2, segment: 'b' },
      { id: 3, segment: 'zz' },
    ]);
    expect(await query(root, `select value_field from main_audit."${failing.unique_id.split('.').pop()}"`)).toEqual([{ value_field: 'zz' }]);

    // Fixed: the next build publishes and clears the staged rows.
    writeFile(root, 'models/dim.sql', "select * from (values (1, 'a'), (2, 'b'), (3, 'b')) as t(id, segment)");
    expect((await cli(root, 'build')).code).toBe(0);
    expect(await query(root, 'select count(*)::int as n from main.fact')).toEqual([{ n: 3 }]);
    expect(await tables(root, 'main_audit')).not.toContain('dim__audit');
  });

  it('audit: after publishes first and tests afterwards (the opt-out)', async () => {
    const root = tempProject(project("(1, 'a'), (2, 'zz')", ', audit: after'));
    const r = await cli(root, 'build');
    expect(r.code).toBe(1);
    const s = results(root);
    expect(s['dim']!.status).toBe('success');
    expect(byPrefix(s, 'accepted_values_dim_segment').status).toBe('fail');
    expect(s['fact']!.status).toBe('skipped');
    expect(await query(root, 'select id from main.dim order by id')).toEqual([{ id: 1 }, { id: 2 }]);
  });

  it('an incremental model is tested as the table would be after the write: a key already in the table fails unique and nothing is appended', async () => {
    const root = tempProject({
      'models/events.sql': '{{config materialized="incremental" incremental_strategy="append"}}select * from (values (1), (2)) as t(id){{#if (is_incremental)}} where false{{/if}}',
      'models/events.yml': 'models:\n  - name: events\n    columns:\n      - name: id\n        tests: [unique]\n',
    });
    expect((await cli(root, 'build')).code).toBe(0);
    // New rows unique among themselves, but id 2 is already in the table.
    writeFile(root, 'models/events.sql', '{{config materialized="incremental" incremental_strategy="append"}}select * from (values (2), (3)) as t(id)');
    const r = await cli(root, 'build');
    expect(r.code).toBe(1);
    const s = results(root);
    expect(s['unique_events_id']!.status).toBe('fail');
    expect(s['events']!.message).toContain('not published: test unique_events_id');
    expect(await query(root, 'select id from main.events order by id')).toEqual([{ id: 1 }, { id: 2 }]);
    expect(await query(root, 'select id from main_audit.events__audit order by id')).toEqual([{ id: 2 }, { id: 3 }]);

    // New rows that keep the key unique are merged in.
    writeFile(root, 'models/events.sql', '{{config materialized="incremental" incremental_strategy="append"}}select * from (values (3), (4)) as t(id)');
    expect((await cli(root, 'build')).code).toBe(0);
    expect(await query(root, 'select id from main.events order by id')).toEqual([{ id: 1 }, { id: 2 }, { id: 3 }, { id: 4 }]);
  });

  it('a merge model: rows replacing existing keys pass unique; new rows duplicating a key among themselves fail before the MERGE', async () => {
    const merge = (values: string) => `{{config materialized="incremental" unique_key="id"}}select * from (values ${values}) as t(id, v)`;
    const root = tempProject({ 'models/m.sql': merge("(1, 'x'), (2, 'x')"), 'models/m.yml': 'models:\n  - name: m\n    columns:\n      - name: id\n        tests: [unique]\n' });
    expect((await cli(root, 'build')).code).toBe(0);
    writeFile(root, 'models/m.sql', merge("(2, 'y'), (3, 'y')"));
    expect((await cli(root, 'build')).code).toBe(0);
    expect(await query(root, 'select id, v from main.m order by id')).toEqual([{ id: 1, v: 'x' }, { id: 2, v: 'y' }, { id: 3, v: 'y' }]);
    writeFile(root, 'models/m.sql', merge("(4, 'z'), (4, 'w')"));
    expect((await cli(root, 'build')).code).toBe(1);
    expect(results(root)['unique_m_id']!.status).toBe('fail');
    expect(await query(root, 'select count(*)::int as n from main.m')).toEqual([{ n: 3 }]);
  });

  it('run (no tests) publishes directly; an unknown audit value is a config error naming file:line', async () => {
    const root = tempProject(project("(1, 'zz')"));
    expect((await cli(root, 'run')).code).toBe(0);
    expect(await query(root, 'select id from main.dim')).toEqual([{ id: 1 }]);
    const bad = tempProject(project("(1, 'a')", ', audit: later'));
    const r = await cli(bad, 'build');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('models/dim.yml:3:');
    expect(r.stderr).toContain('audit');
  });
});
