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
