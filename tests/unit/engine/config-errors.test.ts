import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, tempProject } from '../support/project.js';

/** Every bad input: one clear line with file:line:column and the key, exit 2, no warehouse touched. */
async function expectConfigError(files: Record<string, string>, command: string[], ...fragments: string[]) {
  const root = tempProject(files);
  const result = await cli(root, ...command);
  expect(result.code).toBe(2);
  for (const f of fragments) expect(result.stderr).toContain(f);
  expect(existsSync(join(root, 'target/dev.duckdb'))).toBe(false);
  return result;
}

describe('configuration errors', () => {
  it('unknown key in project.yml', () =>
    expectConfigError({ 'project.yml': 'name: t\nmodel-paths: [x]\n' }, ['run'], 'project.yml:2:1', 'unknown key "model-paths"'));

  it('misspelled folder config key', () =>
    expectConfigError({ 'project.yml': 'name: t\nmodels:\n  staging:\n    +materialised: table\n', 'models/staging/a.sql': 'select 1' }, ['run'], 'project.yml:4:5', 'unknown key "+materialised"', 'did you mean "+materialized"'));

  it('bad enum value with a suggestion', () =>
    expectConfigError({ 'models/a.sql': 'select 1', 'models/a.yml': 'models:\n  - name: a\n    config:\n      materialized: tabel\n' }, ['run'], 'models/a.yml:4:21', 'must be equal to one of the allowed values', 'did you mean "table"'));

  it('unknown key in a model YAML', () =>
    expectConfigError({ 'models/a.sql': 'select 1', 'models/a.yml': 'models:\n  - name: a\n    descripton: x\n' }, ['run'], 'models/a.yml:3:5', 'unknown key "descripton"', 'did you mean "description"'));

  it('YAML describing a model that does not exist', () =>
    expectConfigError({ 'models/orders.sql': 'select 1', 'models/a.yml': 'models:\n  - name: order\n' }, ['run'], 'models/a.yml:2:11', 'no such model file exists', 'did you mean "orders"'));

  it('invalid YAML syntax', () => expectConfigError({ 'models/a.sql': 'select 1', 'models/a.yml': 'models:\n  - name: a\n   bad: [\n' }, ['run'], 'models/a.yml:', 'invalid YAML'));

  it('in-file config with an unknown key', () =>
    expectConfigError({ 'models/a.sql': 'select 1\n{{config materialzed="table"}}' }, ['run'], 'models/a.sql:2', 'unknown key "materialzed"', 'did you mean "materialized"'));

  it('missing target', () => expectConfigError({ 'models/a.sql': 'select 1' }, ['run', '--target', 'prd'], 'target "prd" is not defined', 'defined: dev'));

  it('bad --vars', () => expectConfigError({ 'models/a.sql': 'select 1' }, ['run', '--vars', '[1, 2'], '--vars is not valid YAML/JSON'));

  it('--vars that is not a mapping', () => expectConfigError({ 'models/a.sql': 'select 1' }, ['run', '--vars', '42'], '--vars must be a mapping'));

  it('unknown flag and command', async () => {
    await expectConfigError({ 'models/a.sql': 'select 1' }, ['run', '--selct', 'a'], 'unknown flag --selct', 'did you mean "select"');
    const root = tempProject({});
    const r = await cli(root, 'biuld');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('did you mean "build"');
  });

  it('env_var without value or default in profiles.yml', () =>
    expectConfigError(
      { 'profiles.yml': 'targets:\n  dev:\n    type: duckdb\n    path: "{{ env_var \\"FW_UNSET_PATH_X\\" }}"\n', 'models/a.sql': 'select 1' },
      ['run'],
      'profiles.yml:4:11',
      'environment variable FW_UNSET_PATH_X is not set',
    ));

  it("a target's type names no registered engine", () =>
    expectConfigError(
      { 'profiles.yml': 'targets:\n  dev:\n    type: duckbd\n    path: target/dev.duckdb\n', 'models/a.sql': 'select 1' },
      ['run'],
      'profiles.yml:3:11',
      'key "targets.dev.type": unknown engine "duckbd" (known engines: duckdb, trino)',
      'did you mean "duckdb"',
    ));

  it("a target's keys are checked against its engine's settings schema, every target of the file", async () => {
    await expectConfigError({ 'profiles.yml': 'targets:\n  dev:\n    type: duckdb\n    host: http://x\n', 'models/a.sql': 'select 1' }, ['run'], 'profiles.yml:4:5', 'unknown key "host" in key "targets.dev"');
    await expectConfigError(
      { 'profiles.yml': 'targets:\n  dev:\n    type: duckdb\n  prod:\n    type: trino\n    host: http://x\n', 'models/a.sql': 'select 1' },
      ['run'],
      'profiles.yml:5:5',
      'missing required key "catalog" in key "targets.prod"',
    );
  });

  it('unknown test', () =>
    expectConfigError({ 'models/a.sql': 'select 1 as id', 'models/a.yml': 'models:\n  - name: a\n    columns:\n      - name: id\n        tests: [uniq]\n' }, ['test'], 'models/a.yml:5:17', 'unknown test "uniq"', 'did you mean "unique"'));

  it('two models with the same name', () =>
    expectConfigError({ 'models/x/a.sql': 'select 1', 'models/y/a.sql': 'select 2' }, ['run'], 'two models are named "a"'));
});
