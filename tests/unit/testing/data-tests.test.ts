import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { DuckDbAdapter } from '../../../framework/adapters/duckdb/adapter.js';
import { cli, query, tempProject } from '../support/project.js';

const results = (root: string, file = 'run_results.json') => JSON.parse(readFileSync(join(root, 'target', file), 'utf8')).results as Record<string, any>[];
const byName = (root: string): Record<string, Record<string, any>> => Object.fromEntries(results(root).map((r) => [r.unique_id.split('.').slice(2).join('.'), r]));

describe('data tests', () => {
  const project = {
    'models/orders.sql': "select * from (values (1, 'new', 10, 1), (2, 'shipped', -5, 1), (3, 'lost', 7, 9), (3, 'new', 8, 2)) as t(id, status, amount, customer_id)",
    'models/customers.sql': 'select * from (values (1), (2)) as t(id)',
    'macros/test_is_even.sql': 'select * from {{model}} where {{quote column_name}} % {{divisor}} <> 0',
    'tests/data/no_big_orders.sql': 'select * from {{ref "orders"}} where amount > 100',
    'models/orders.yml': `models:
  - name: orders
    tests:
      - row_count: {min: 1, max: 3}
      - unique_combination_of_columns: {combination_of_columns: [id, status]}
    columns:
      - name: id
        tests: [unique, not_null, {is_even: {divisor: 1}}]
      - name: status
        tests:
          - accepted_values: {values: [new, shipped], severity: warn}
      - name: amount
        tests:
          - accepted_range: {min_value: 0, error_if: "> 1", warn_if: ">= 1"}
          - expression_is_true: {expression: "> 0", where: "status = 'new'"}
      - name: customer_id
        tests:
          - relationships: {to: customers, field: id, store_failures: true}
`,
  };

  it('judge every built-in, custom and singular test with severities and thresholds', async () => {
    const root = tempProject(project);
    const r = await cli(root, 'build');
    expect(r.code).toBe(1);
    const s = byName(root);
    expect(s['unique_orders_id'].status).toBe('fail');
    expect(s['unique_orders_id'].failures).toBe(1);
    expect(s['not_null_orders_id'].status).toBe('pass');
    expect(Object.entries(s).find(([k]) => k.startsWith('is_even_orders_id'))![1].status).toBe('pass');
    expect(Object.entries(s).find(([k]) => k.startsWith('accepted_values_orders_status'))![1].status).toBe('warn');
    expect(Object.entries(s).find(([k]) => k.startsWith('accepted_range_orders_amount'))![1].status).toBe('warn');
    expect(Object.entries(s).find(([k]) => k.startsWith('expression_is_true_orders_amount'))![1].status).toBe('pass');
    expect(Object.entries(s).find(([k]) => k.startsWith('row_count_orders'))![1].status).toBe('fail');
    expect(Object.entries(s).find(([k]) => k.startsWith('unique_combination_of_columns_orders'))![1].status).toBe('pass');
    const rel = Object.entries(s).find(([k]) => k.startsWith('relationships_orders_customer_id'))![1];
    expect(rel.status).toBe('fail');
    expect(rel.message).toContain('failing rows stored in "main_audit"');
    expect(s['no_big_orders'].status).toBe('pass');
    const stored = await query(root, `select from_field from main_audit."${rel.unique_id.split('.').pop()}"`);
    expect(stored).toEqual([{ from_field: 9 }]);
    expect(r.stdout).toMatch(/FAIL test unique_orders_id/);
    expect(r.stdout).toContain('sample: [{"unique_field":3,"n_records":2}]');
  });

  it('relationships fails each child row whose key the parent lacks: a null child key, an allowed key, a parent null or duplicate change nothing', async () => {
    const root = tempProject({
      'models/parent.sql': 'select * from (values (1), (1), (2), (null)) as t(id)',
      'models/child.sql': 'select * from (values (1), (2), (2), (null), (7), (7), (8), (9)) as t(parent_id)',
      'models/child.yml': `models:
  - name: child
    columns:
      - name: parent_id
        tests:
          - relationships: {to: ref('parent'), field: id, allow: [9]}
`,
    });
    const r = await cli(root, 'build');
    const rel = byName(root)['relationships_child_9__parent_id__id__ref_parent_']!;
    expect(rel.status).toBe('fail');
    expect(rel.failures).toBe(3);
    expect(r.stdout).toMatch(/sample: \[(\{"from_field":[78]\},?){3}\]/);
  });

  it('a test on a column the model lacks names the YAML file and line; a failing test SQL is an error with the engine message', async () => {
    const root = tempProject({
      'models/m.sql': 'select 1 as id',
      'models/m.yml': 'models:\n  - name: m\n    columns:\n      - name: idd\n        tests: [not_null]\n',
      'tests/data/broken.sql': 'select * from {{ref "m"}} where no_such_column > 0',
    });
    const r = await cli(root, 'build');
    expect(r.code).toBe(1);
    const s = byName(root);
    expect(s['not_null_m_idd'].status).toBe('error');
    expect(s['not_null_m_idd'].message).toContain('models/m.yml:5:17');
    expect(s['not_null_m_idd'].message).toContain('refers to column "idd", which m does not have');
    expect(s['not_null_m_idd'].message).toContain('did you mean "id"');
    expect(s['broken'].status).toBe('error');
    expect(s['broken'].message).toContain('no_such_column');
  });

  it('test --select selects a model\'s tests; exit 0 with warnings only', async () => {
    const root = tempProject({
      'models/m.sql': 'select 1 as id union all select null',
      'models/m.yml': 'models:\n  - name: m\n    columns:\n      - name: id\n        tests: [{not_null: {severity: warn}}]\n',
      'models/other.sql': 'select null as x',
      'models/other.yml': 'models:\n  - name: other\n    columns:\n      - name: x\n        tests: [not_null]\n',
    });
    await cli(root, 'run');
    const r = await cli(root, 'test', '--select', 'm');
    expect(r.code).toBe(0);
    expect(results(root).map((x) => x.unique_id)).toEqual(['test.t.not_null_m_id']);
  });

  // On Trino every query costs about a second of planning and scheduling, whatever it reads.
  it("test counts a model's tests in one query, with the same verdicts as one query each", async () => {
    const root = tempProject(project);
    await cli(root, 'run');
    const verdicts = () => Object.fromEntries(results(root).map((x) => [x.unique_id, [x.status, x.failures]]));
    const query = vi.spyOn(DuckDbAdapter.prototype, 'query');
    const counts = () => query.mock.calls.map(([sql]) => sql).filter((sql) => / as __counts?\d*$/m.test(sql));
    try {
      expect((await cli(root, 'test', '--threads', '4')).code).toBe(1);
      const together = verdicts();
      // Ten tests of orders (nine generic, one singular reading only orders): one count query.
      expect(Object.keys(together)).toHaveLength(10);
      expect(counts()).toHaveLength(1);
      // not_null, accepted_values and accepted_range read the same rows: one scan, a count each.
      expect(counts()[0]!.match(/ as __count\d+$/gm)).toHaveLength(7);
      expect(counts()[0]!.match(/ as n\d+\b/g)).toHaveLength(3);
      query.mockClear();
      const alone: Record<string, unknown> = {};
      for (const id of Object.keys(together)) {
        await cli(root, 'test', '--select', id.split('.').pop()!);
        Object.assign(alone, verdicts());
      }
      expect(counts()).toHaveLength(10);
      expect(together).toEqual(alone);
      expect(together['test.t.unique_orders_id']).toEqual(['fail', 1]);
    } finally {
      query.mockRestore();
    }
  });

  it('row tests of the same rows count in one scan of them, each with the count it gives alone', async () => {
    const root = tempProject({
      'models/events.sql':
        "select * from (values (1, 'a', 5), (null, 'zz', -1), (3, 'zz', 200), (4, 'yy', null), (null, 'b', 0)) as t(id, kind, score)",
      'models/events.yml': `models:
  - name: events
    columns:
      - name: id
        tests: [not_null]
      - name: kind
        tests: [{accepted_values: {values: [a, b]}}]
      - name: score
        tests:
          - not_null
          - accepted_range: {min_value: 0, max_value: 100, inclusive: false}
          - expression_is_true: {expression: "< 150"}
`,
    });
    await cli(root, 'run');
    const query = vi.spyOn(DuckDbAdapter.prototype, 'query');
    const failures = () => Object.fromEntries(results(root).map((x) => [x.unique_id.split('.').pop()!, x.failures]));
    try {
      await cli(root, 'test', '--threads', '4');
      const [counted, ...others] = query.mock.calls.map(([sql]) => sql).filter((sql) => /__counts?\d/.test(sql));
      expect(others).toEqual([]);
      expect(counted!.match(/"events"/g)).toHaveLength(1);
      // accepted_values counts the bad values (zz, yy), as its own query's grouped rows do; a null is no failure.
      const together = failures();
      expect(together).toEqual({
        not_null_events_id: 2,
        accepted_values_events_kind__a__b: 2,
        not_null_events_score: 1,
        accepted_range_events_score__False__100__0: 3,
        expression_is_true_events_score___150: 1,
      });
      const alone: Record<string, unknown> = {};
      for (const name of Object.keys(together)) {
        await cli(root, 'test', '--select', name);
        Object.assign(alone, failures());
      }
      expect(alone).toEqual(together);
    } finally {
      query.mockRestore();
    }
  });

  it('a test with a limit, and a built-in a project macro overrides, count their own query', async () => {
    const root = tempProject({
      'models/m.sql': 'select * from (values (0), (null), (null), (2)) as t(x)',
      'macros/test_not_null.sql': 'select * from {{model}} where {{quote column_name}} is null or {{quote column_name}} = 0',
      'models/m.yml': 'models:\n  - name: m\n    columns:\n      - name: x\n        tests: [not_null, {accepted_range: {min_value: 3, limit: 1}}, {expression_is_true: {expression: "> 1"}}]\n',
    });
    await cli(root, 'run');
    const query = vi.spyOn(DuckDbAdapter.prototype, 'query');
    try {
      await cli(root, 'test');
      expect(query.mock.calls.filter(([sql]) => sql.includes('count(case'))).toEqual([]);
    } finally {
      query.mockRestore();
    }
    const failures = Object.fromEntries(results(root).map((x) => [x.unique_id.split('.').pop()!.split('_m_')[0], x.failures]));
    expect(failures).toEqual({ not_null: 3, accepted_range: 1, expression_is_true: 1 });
  });

  it('a test whose SQL errors in a counted batch is the only error; the others count on their own', async () => {
    const root = tempProject({ ...project, 'tests/data/broken.sql': 'select * from {{ref "orders"}} where no_such_column > 0' });
    await cli(root, 'run');
    const r = await cli(root, 'test');
    expect(r.code).toBe(1);
    const s = byName(root);
    expect(s['broken'].status).toBe('error');
    expect(s['broken'].message).toContain('no_such_column');
    expect(Object.values(s).filter((x) => x.status === 'error')).toHaveLength(1);
    expect([s['unique_orders_id'].status, s['unique_orders_id'].failures]).toEqual(['fail', 1]);
    expect(s['no_big_orders'].status).toBe('pass');
  });
});

describe('unit tests of models', () => {
  const model = {
    'sources/s.yml': 'sources:\n  - name: app\n    tables:\n      - name: events\n        columns:\n          - {name: id, data_type: BIGINT}\n          - {name: kind, data_type: VARCHAR}\n          - {name: payload, data_type: VARCHAR}\n',
    'models/scored.sql': `{{config materialized="incremental" unique_key="id"}}
select id, kind, case kind when 'buy' then {{var "buy_score"}} else 1 end as score, {{json_str "payload" "$.who"}} as who
from {{source "app" "events"}}
{{#if (is_incremental)}}where id > (select max(id) from {{this}}){{/if}}`,
    'project.yml': 'name: t\nvars: {buy_score: 10}\n',
  };

  it('pass with inline, CSV and incremental givens; a failing one shows a row diff; no warehouse is touched', async () => {
    const root = tempProject({
      ...model,
      'models/unit.yml': `unit_tests:
  - name: scores_by_kind
    model: scored
    given:
      - input: source('app', 'events')
        rows:
          - {id: 1, kind: buy, payload: '{"who": "ana"}'}
          - {id: 2, kind: view}
    expect:
      rows:
        - {id: 1, score: 10, who: ana}
        - {id: 2, score: 1, who: null}
  - name: csv_and_vars
    model: scored
    overrides: {vars: {buy_score: 3}}
    given:
      - input: source('app', 'events')
        format: csv
        rows: |
          id,kind
          5,buy
    expect:
      format: csv
      rows: |
        id,score
        5,3
  - name: only_new_rows_when_incremental
    model: scored
    overrides: {is_incremental: true}
    given:
      - input: source('app', 'events')
        rows: [{id: 1, kind: buy}, {id: 7, kind: view}]
      - input: this
        rows: [{id: 5}]
    expect:
      rows: [{id: 7}]
  - name: wrong_expectation
    model: scored
    given:
      - input: source('app', 'events')
        rows: [{id: 1, kind: buy}]
    expect:
      rows: [{id: 1, score: 11}]
`,
    });
    const r = await cli(root, 'test', '--unit');
    expect(r.code).toBe(1);
    const s = byName(root);
    expect(s['scored.scores_by_kind'].status).toBe('pass');
    expect(s['scored.csv_and_vars'].status).toBe('pass');
    expect(s['scored.only_new_rows_when_incremental'].status).toBe('pass');
    expect(s['scored.wrong_expectation'].status).toBe('fail');
    expect(r.stdout).toContain('- id=1, score=11');
    expect(r.stdout).toContain('+ id=1, score=10');
    const { existsSync } = await import('node:fs');
    expect(existsSync(join(root, 'target/dev.duckdb'))).toBe(false);
  });

  it('a unit test that forgets an input says which', async () => {
    const root = tempProject({ ...model, 'models/unit.yml': 'unit_tests:\n  - name: no_inputs\n    model: scored\n    given: []\n    expect: {rows: []}\n' });
    const r = await cli(root, 'test', '--unit');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('gives no rows for app.events');
    expect(r.stderr).toContain('models/unit.yml:2:5');
  });

  it('a unit test of a model that does not exist is a config error with a suggestion', async () => {
    const root = tempProject({ ...model, 'models/unit.yml': 'unit_tests:\n  - name: x\n    model: scord\n    given: []\n    expect: {rows: []}\n' });
    const r = await cli(root, 'test');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('models/unit.yml:3:12');
    expect(r.stderr).toContain('did you mean "scored"');
  });
});

describe('source freshness', () => {
  it('passes, warns and errors by loaded_at_field age; writes sources.json', async () => {
    const root = tempProject({
      'data/fresh.csv': `id,loaded_at\n1,${new Date(Date.now() - 5 * 60_000).toISOString()}\n`,
      'data/stale.csv': `id,loaded_at\n1,${new Date(Date.now() - 3 * 3600_000).toISOString()}\n`,
      'data/dead.csv': `id,loaded_at\n1,${new Date(Date.now() - 3 * 86400_000).toISOString()}\n`,
      'sources/s.yml': `sources:
  - name: feeds
    loaded_at_field: "CAST(loaded_at AS TIMESTAMPTZ)"
    freshness: {warn_after: {count: 1, period: hour}, error_after: {count: 1, period: day}}
    tables:
      - {name: fresh, external: {location: data/fresh.csv, format: csv}}
      - {name: stale, external: {location: data/stale.csv, format: csv}}
      - {name: dead, external: {location: data/dead.csv, format: csv}}
`,
    });
    const r = await cli(root, 'source', 'freshness');
    expect(r.code).toBe(1);
    const s = Object.fromEntries(results(root, 'sources.json').map((x) => [x.unique_id, x.status]));
    expect(s).toEqual({ 'source.t.feeds.dead': 'error', 'source.t.feeds.fresh': 'pass', 'source.t.feeds.stale': 'warn' });
    expect(r.stdout).toMatch(/WARN  freshness of feeds.stale: 3\.0h old/);
  });
});
