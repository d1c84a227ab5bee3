import { beforeAll, describe, expect, it } from 'vitest';
import { cli, tempProject } from '../support/project.js';

// a → b → c → d ; a → e ; seed z → e ; source raw.events → a ; f independent
const files = {
  'project.yml': 'name: t\nmodels:\n  marts:\n    +tags: [marts]\n    +materialized: table\n',
  'models/staging/a.sql': 'select * from {{source "raw" "events"}}',
  'models/staging/b.sql': 'select * from {{ref "a"}}',
  'models/marts/c.sql': 'select * from {{ref "b"}}',
  'models/marts/d.sql': 'select * from {{ref "c"}}',
  'models/staging/e.sql': '{{config tags="special" materialized="incremental"}}select * from {{ref "a"}} join {{ref "z"}} using (id)',
  'models/other/f.sql': 'select 1 as id',
  'seeds/z.csv': 'id\n1\n',
  'sources/raw.yml': 'sources:\n  - name: raw\n    tables:\n      - name: events\n',
  'models/marts/schema.yml': 'models:\n  - name: c\n    columns:\n      - name: id\n        tests: [not_null]\n',
  'selectors.yml': 'selectors:\n  - name: nightly\n    select: "tag:marts"\n    exclude: d\n',
};

const cases: [string, string[], string[]][] = [
  ['plain name', ['-s', 'b'], ['b']],
  ['wildcard', ['-s', '?'], ['a', 'b', 'c', 'd', 'e', 'f', 'z']],
  ['parents', ['-s', '+c'], ['a', 'b', 'c', 'raw.events']],
  ['parents depth', ['-s', '1+c'], ['b', 'c']],
  ['children', ['-s', 'b+'], ['b', 'c', 'd']],
  ['children depth', ['-s', 'a+1'], ['a', 'b', 'e']],
  ['both depths', ['-s', '1+b+1'], ['a', 'b', 'c']],
  ['at operator', ['-s', '@z'], ['a', 'e', 'raw.events', 'z']],
  ['tag', ['-s', 'tag:marts'], ['c', 'd']],
  ['in-file tag', ['-s', 'tag:special'], ['e']],
  ['path', ['-s', 'path:models/staging'], ['a', 'b', 'e']],
  ['config', ['-s', 'config.materialized:incremental'], ['e']],
  ['source', ['-s', 'source:raw+1'], ['a', 'raw.events']],
  ['resource type', ['-s', 'resource_type:seed'], ['z']],
  ['union', ['-s', 'a', 'f'], ['a', 'f']],
  ['union in one arg', ['-s', 'a f'], ['a', 'f']],
  ['intersection', ['-s', 'tag:marts,+d', '--exclude', 'd'], ['c']],
  ['intersection with graph', ['-s', 'path:models/staging,a+'], ['a', 'b', 'e']],
  ['exclude', ['-s', 'a+', '--exclude', 'c+'], ['a', 'b', 'e']],
  ['named selector', ['--selector', 'nightly'], ['c']],
  ['fqn', ['-s', 't.marts.*'], ['c', 'd']],
];

describe('selection grammar (framework ls --output name)', () => {
  let root: string;
  beforeAll(() => {
    root = tempProject(files);
  });

  it.each(cases)('%s: %j', async (_label, args, expected) => {
    const result = await cli(root, 'ls', ...args, '--resource-type', 'model', 'seed', 'source');
    expect(result.stderr).toBe('');
    expect(result.stdout.trim().split('\n').filter(Boolean)).toEqual(expected);
  });

  it('selecting a model selects its tests', async () => {
    const result = await cli(root, 'ls', '-s', 'c');
    expect(result.stdout.trim().split('\n')).toEqual(['c', 'not_null_c_id']);
  });

  it('prints one JSON object per node with --output json', async () => {
    const result = await cli(root, 'ls', '-s', '+b', '--output', 'json', '--resource-type', 'model');
    const nodes = result.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(nodes.map((n) => n.unique_id)).toEqual(['model.t.a', 'model.t.b']);
    expect(nodes[1].depends_on).toEqual(['model.t.a']);
  });

  it('rejects unknown methods with a suggestion, exit 2', async () => {
    const result = await cli(root, 'ls', '-s', 'tags:marts');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('unknown selector method "tags:"');
    expect(result.stderr).toContain('did you mean "tag"');
  });

  it('state:modified and state:new compare with a previous manifest', async () => {
    const project = tempProject(files);
    expect((await cli(project, 'compile')).code).toBe(0);
    const { cpSync, writeFileSync } = await import('node:fs');
    cpSync(`${project}/target`, `${project}/prev`, { recursive: true });
    writeFileSync(`${project}/models/staging/b.sql`, 'select *, 2 as x from {{ref "a"}}');
    writeFileSync(`${project}/models/other/g.sql`, 'select 2 as id');
    const modified = await cli(project, 'ls', '-s', 'state:modified', '--state', `${project}/prev`, '--resource-type', 'model');
    expect(modified.stdout.trim().split('\n')).toEqual(['b', 'g']);
    const added = await cli(project, 'ls', '-s', 'state:new', '--state', `${project}/prev`);
    expect(added.stdout.trim()).toBe('g');
    const downstream = await cli(project, 'ls', '-s', 'state:modified+', '--state', `${project}/prev`, '--resource-type', 'model');
    expect(downstream.stdout.trim().split('\n')).toEqual(['b', 'c', 'd', 'g']);
  });
});

describe('selection never fails silently', () => {
  let root: string;
  beforeAll(() => {
    root = tempProject(files);
  });

  it('warns on stderr, naming a term that matches nothing, and says when nothing is selected', async () => {
    const result = await cli(root, 'ls', '-s', 'a', 'nosuch+');
    expect(result.code).toBe(0);
    expect(result.stdout.trim().split('\n')).toEqual(['a']);
    expect(result.stderr).toContain('the selection criterion "nosuch+" does not match any enabled node');
    const empty = await cli(root, 'ls', '-s', 'nosuch');
    expect(empty.stdout).toBe('');
    expect(empty.stderr).toContain('nothing selected');
  });

  it('--warn-error turns those warnings into exit 1', async () => {
    const result = await cli(root, 'ls', '-s', 'a', 'nosuch', '--warn-error');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('"nosuch" does not match any enabled node');
    expect(result.stdout).toBe('');
    expect((await cli(root, 'ls', '-s', 'a', '--warn-error')).code).toBe(0);
  });

  it('run warns when its selection holds no model, and --warn-error fails it', async () => {
    const run = await cli(root, 'run', '-s', 'z');
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('nothing selected (of model)');
    expect((await cli(root, 'run', '-s', 'z', '--warn-error')).code).toBe(1);
  });

  it('rejects "@x+" with exit 2 and one line saying why', async () => {
    const result = await cli(root, 'ls', '-s', '@a+');
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')[0]).toBe('error: invalid selector "@a+": the "@" prefix and a "+" suffix cannot be combined');
  });

  it('--selector is used alone, as in dbt (and says so)', async () => {
    const result = await cli(root, 'ls', '--selector', 'nightly', '-s', 'a', '--resource-type', 'model');
    expect(result.stdout.trim()).toBe('c');
    expect(result.stderr).toContain('--select and --exclude are ignored');
  });

  it('a default selector applies only without --select and --exclude', async () => {
    const project = tempProject({ ...files, 'selectors.yml': 'selectors:\n  - name: only_f\n    default: true\n    definition: f\n' });
    expect((await cli(project, 'ls', '--resource-type', 'model')).stdout.trim()).toBe('f');
    expect((await cli(project, 'ls', '-s', 'a', '--resource-type', 'model')).stdout.trim()).toBe('a');
    expect((await cli(project, 'ls', '--exclude', 'a', '--resource-type', 'model')).stdout.trim().split('\n')).toEqual(['b', 'c', 'd', 'e', 'f']);
  });

  it('-m lists models only in ls; elsewhere it is --select', async () => {
    expect((await cli(root, 'ls', '-m', 'c')).stdout.trim()).toBe('c');
    expect((await cli(root, 'ls', '-s', 'c')).stdout.trim().split('\n')).toEqual(['c', 'not_null_c_id']);
  });

  it('--indirect-selection must be one of dbt\'s modes', async () => {
    const result = await cli(root, 'ls', '-s', 'c', '--indirect-selection', 'lazy');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('eager, cautious, buildable, empty');
  });
});
