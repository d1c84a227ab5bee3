import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, tempProject, writeFile } from '../support/project.js';

function manifest(root: string) {
  return JSON.parse(readFileSync(join(root, 'target/manifest.json'), 'utf8'));
}

describe('templates', () => {
  it('resolves ref, source, var, env_var and this; dependencies come from ref/source', async () => {
    process.env.FW_TEST_REGION = 'kr';
    const root = tempProject({
      'project.yml': 'name: t\nvars:\n  limit: 5\n',
      'sources/s.yml': 'sources:\n  - name: app\n    schema: landing\n    tables:\n      - {name: users, identifier: app_users}\n',
      'models/a.sql': 'select * from {{source "app" "users"}} limit {{var "limit"}}',
      'models/b.sql': "select '{{env_var \"FW_TEST_REGION\"}}' as region, '{{var \"missing\" \"fallback\"}}' as v, '{{this}}' as me from {{ref \"a\"}}",
    });
    expect((await cli(root, 'compile')).code).toBe(0);
    const nodes = manifest(root).nodes;
    expect(nodes['model.t.a'].compiledSql).toBe('select * from "landing"."app_users" limit 5');
    expect(nodes['model.t.a'].dependsOn).toEqual(['source.t.app.users']);
    expect(nodes['model.t.b'].compiledSql).toBe(`select 'kr' as region, 'fallback' as v, '"main"."b"' as me from "main"."a"`);
    expect(nodes['model.t.b'].dependsOn).toEqual(['model.t.a']);
  });

  it('--vars override project vars', async () => {
    const root = tempProject({ 'project.yml': 'name: t\nvars: {n: 1}\n', 'models/a.sql': 'select {{var "n"}} as n' });
    await cli(root, 'compile', '--vars', '{n: 7}');
    expect(manifest(root).nodes['model.t.a'].compiledSql).toBe('select 7 as n');
  });

  it('in-file config overrides YAML and folder defaults; schema and alias set the relation', async () => {
    const root = tempProject({
      'project.yml': 'name: t\nmodels:\n  +materialized: table\n  +tags: [base]\n',
      'models/x.yml': 'models:\n  - name: a\n    config: {schema: yml_schema, tags: [yml]}\n',
      'models/a.sql': '{{config schema="gold" alias="a_final" tags="infile"}}select 1 as id',
      'models/b.sql': 'select * from {{ref "a"}}',
    });
    await cli(root, 'compile');
    const a = manifest(root).nodes['model.t.a'];
    expect(a.config.materialized).toBe('table');
    expect(a.config.tags).toEqual(['base', 'yml', 'infile']);
    expect(a.relation).toEqual({ schema: 'gold', name: 'a_final' });
    expect(manifest(root).nodes['model.t.b'].compiledSql).toBe('select * from "gold"."a_final"');
  });

  it('does not HTML-escape', async () => {
    const root = tempProject({ 'models/a.sql': "select {{lit \"<b>&'x'\"}} as v" });
    await cli(root, 'compile');
    expect(manifest(root).nodes['model.t.a'].compiledSql).toBe(`select '<b>&''x''' as v`);
  });

  it('project macros: templates with named args, adapter dispatch, TS modules', async () => {
    const root = tempProject({
      'macros/cents.sql': '{{!-- args: expr scale=2 --}}\nround({{expr}} / 100.0, {{scale}})',
      'macros/engine_name.sql': "'generic'",
      'macros/duckdb/engine_name.sql': "'duckdb'",
      'macros/trino/engine_name.sql': "'trino'",
      'macros/helpers.ts': 'export function upper_col(ctx: { quote(s: string): string; call(n: string, ...a: string[]): string }, col: string) { return `upper(${ctx.quote(col)})` }',
      'models/a.sql': 'select {{cents "amount"}} as a, {{cents "amount" 4}} as b, {{engine_name}} as e, {{upper_col "name"}} as u, {{hash_key "id"}} as k',
    });
    expect((await cli(root, 'compile')).stderr).toBe('');
    expect(manifest(root).nodes['model.t.a'].compiledSql).toBe(
      `select round(amount / 100.0, 2) as a, round(amount / 100.0, 4) as b, 'duckdb' as e, upper("name") as u, CAST(('0x' || substr(md5(coalesce(CAST(id AS VARCHAR), '')), 1, 15)) AS BIGINT) as k`,
    );
  });

  it('inlines ephemeral models as CTEs, merging into an existing WITH', async () => {
    const root = tempProject({
      'models/base.sql': '{{config materialized="ephemeral"}}select 1 as id',
      'models/mid.sql': '{{config materialized="ephemeral"}}select id + 1 as id from {{ref "base"}}',
      'models/final.sql': 'with x as (select * from {{ref "mid"}}) select * from x',
    });
    await cli(root, 'compile');
    const sql = manifest(root).nodes['model.t.final'].compiledSql;
    expect(sql).toBe('with __cte__base as (\nselect 1 as id\n),\n__cte__mid as (\nselect id + 1 as id from __cte__base\n),\nx as (select * from __cte__mid) select * from x');
    const run = await cli(root, 'run');
    expect(run.code).toBe(0);
  });

  it('is_incremental is false at compile time and on the first run, true afterwards', async () => {
    const root = tempProject({
      'models/inc.sql': '{{config materialized="incremental"}}select {{#if (is_incremental)}}2{{else}}1{{/if}} as run_no',
    });
    expect(manifest((await cli(root, 'compile'), root)).nodes['model.t.inc'].compiledSql).toBe('select 1 as run_no');
    await cli(root, 'run');
    await cli(root, 'run');
    const { query } = await import('../support/project.js');
    expect(await query(root, 'select run_no from main.inc order by run_no')).toEqual([{ run_no: 1 }, { run_no: 2 }]);
  });
});

describe('template errors name the file and line, exit 2', () => {
  it('unknown ref, with a suggestion', async () => {
    const root = tempProject({ 'models/orders.sql': 'select 1 as id', 'models/b.sql': 'select *\nfrom {{ref "ordrs"}}' });
    const r = await cli(root, 'compile');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('models/b.sql:2:');
    expect(r.stderr).toContain('ref "ordrs" does not match any model or seed');
    expect(r.stderr).toContain('did you mean "orders"?');
  });

  it('unknown source', async () => {
    const root = tempProject({ 'models/b.sql': 'select * from {{source "app" "users"}}' });
    const r = await cli(root, 'compile');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('source "app.users" is not declared');
  });

  it('syntax error', async () => {
    const root = tempProject({ 'models/b.sql': 'select 1\n\n{{#if (is_incremental)}}\nwhere x' });
    const r = await cli(root, 'compile');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/models\/b\.sql:\d+: template syntax error/);
  });

  it('unknown helper and unknown variable', async () => {
    const helper = await cli(tempProject({ 'models/b.sql': 'select\n{{json_strr "x" "$.a"}}' }), 'compile');
    expect(helper.code).toBe(2);
    expect(helper.stderr).toContain('models/b.sql:2:');
    expect(helper.stderr).toContain('"json_strr" is not a known macro or helper');
    expect(helper.stderr).toContain('did you mean "json_str"');
    const variable = await cli(tempProject({ 'models/b.sql': 'select 1\nwhere {{nonsense}}' }), 'compile');
    expect(variable.code).toBe(2);
    expect(variable.stderr).toContain('models/b.sql:2:');
    expect(variable.stderr).toContain('"nonsense" is not a known variable, macro or helper');
  });

  it('undefined var without default', async () => {
    const r = await cli(tempProject({ 'project.yml': 'name: t\nvars: {start_date: x}\n', 'models/b.sql': 'select {{var "start_dat"}}' }), 'compile');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('var "start_dat" is not defined');
    expect(r.stderr).toContain('did you mean "start_date"');
  });

  it('cyclic graph prints the cycle', async () => {
    const r = await cli(tempProject({ 'models/a.sql': 'select * from {{ref "c"}}', 'models/b.sql': 'select * from {{ref "a"}}', 'models/c.sql': 'select * from {{ref "b"}}' }), 'ls');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/dependency cycle: (a -> b -> c -> a|b -> c -> a -> b|c -> a -> b -> c)/);
  });
});

describe('block conditions', () => {
  it('treat a missing name as false in #if/#unless but reject it in output', async () => {
    const root = tempProject({ 'models/a.sql': "select {{#if maybe}}1{{else}}2{{/if}} as a, {{#unless maybe}}3{{/unless}} as b{{#each (list 'x' 'y')}}, '{{this}}{{@index}}' as c{{@index}}{{/each}}" });
    expect((await cli(root, 'compile')).code).toBe(0);
    expect(manifest(root).nodes['model.t.a'].compiledSql).toBe("select 2 as a, 3 as b, 'x0' as c0, 'y1' as c1");
  });
});

describe('external source locations', () => {
  it('render {{var}} before any model reads them, with target vars over project vars', async () => {
    const root = tempProject({
      'project.yml': 'name: t\nvars: {where: project/*.csv}\n',
      'profiles.yml': 'default_target: dev\ntargets:\n  dev: {type: duckdb, path: target/dev.duckdb, vars: {where: "target/*.csv"}}\n',
      'models/a.sql': 'select * from {{source "s" "t"}}',
      'sources/s.yml': 'sources:\n  - name: s\n    tables:\n      - {name: t, external: {location: "data/{{var \\"where\\"}}", format: csv}}\n',
    });
    expect((await cli(root, 'compile')).code).toBe(0);
    const m = manifest(root);
    expect(m.nodes['source.t.s.t'].external.location).toBe('data/target/*.csv');
    expect(m.nodes['model.t.a'].compiledSql).toContain(`read_csv_auto('${root}/data/target/*.csv'`);
  });
});

describe('compile cache (partial parsing)', () => {
  it('reuses the manifest only while files, vars and the environment variables templates read are unchanged', async () => {
    const root = tempProject({ 'models/a.sql': "select '{{env_var \"FW_CACHE_PROBE\" \"unset\"}}' as v, {{var \"n\" 1}} as n" });
    process.env.FW_CACHE_PROBE = 'first';
    await cli(root, 'compile');
    expect(manifest(root).nodes['model.t.a'].compiledSql).toBe("select 'first' as v, 1 as n");
    const { existsSync } = await import('node:fs');
    expect(existsSync(join(root, 'target/compile_cache.json'))).toBe(true);
    process.env.FW_CACHE_PROBE = 'second';
    await cli(root, 'compile');
    expect(manifest(root).nodes['model.t.a'].compiledSql).toBe("select 'second' as v, 1 as n");
    await cli(root, 'compile', '--vars', '{n: 2}');
    expect(manifest(root).nodes['model.t.a'].compiledSql).toBe("select 'second' as v, 2 as n");
    const { writeFileSync } = await import('node:fs');
    writeFileSync(join(root, 'models/a.sql'), 'select 3 as n');
    await cli(root, 'compile');
    expect(manifest(root).nodes['model.t.a'].compiledSql).toBe('select 3 as n');
    delete process.env.FW_CACHE_PROBE;
  });

  it('is keyed on the framework\'s own code: a changed or added framework file gives another key', async () => {
    const { frameworkStamp } = await import('../../../framework/execute/compile-cache.js');
    const code = tempProject({ 'a/x.js': 'export const x = 1;\n', 'b/README.md': 'not code' });
    const before = frameworkStamp(code);
    expect(frameworkStamp(code)).toBe(before);
    writeFile(code, 'b/README.md', 'still not code, and not part of the stamp');
    expect(frameworkStamp(code)).toBe(before);
    writeFile(code, 'a/x.js', 'export const x = 22;\n');
    const changed = frameworkStamp(code);
    expect(changed).not.toBe(before);
    writeFile(code, 'a/y.ts', 'export {};\n');
    expect(frameworkStamp(code)).not.toBe(changed);
    expect(frameworkStamp()).toMatch(/^[0-9a-f]{64}$/);
  });
});
