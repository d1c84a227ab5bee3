import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Catalog } from '../../../framework/docs/catalog.js';
import type { DocsData, DocsNode } from '../../../framework/docs/site-data.js';
import { cli, tempProject, writeFile } from '../support/project.js';
import { shopProject } from './fixtures.js';
import { embeddedJson, externalReferences } from './html.js';

function readJson<T>(path: string): T {
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}

function siteData(root: string): DocsData {
  return embeddedJson<DocsData>(join(root, 'target/docs/index.html'), 'docs-data');
}

function node(data: DocsData, id: string): DocsNode {
  return data.nodes.find((n) => n.id === id)!;
}

describe('docs generate', () => {
  let root: string;
  beforeAll(async () => {
    root = tempProject(shopProject());
    expect((await cli(root, 'build')).code).toBe(1); // one singular test fails on purpose
    // Added after the build: in the project, not in the warehouse.
    writeFile(root, 'models/marts/not_built.sql', 'select 1 as one');
    const result = await cli(root, 'docs', 'generate');
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Docs written to target/docs/index.html');
  });

  it('catalog.json: warehouse columns and types of every relation, row counts of tables', () => {
    const catalog = readJson<Catalog>(join(root, 'target/catalog.json'));
    expect(Object.keys(catalog.nodes)).toEqual(['model.shop.big_customers', 'model.shop.orders_by_customer', 'model.shop.stg_orders', 'seed.shop.customers']);
    const orders = catalog.nodes['model.shop.orders_by_customer']!;
    expect(orders.type).toBe('table');
    expect(orders.stats.row_count).toBe(3);
    expect(orders.columns.map((c) => [c.name, c.type])).toEqual([
      ['customer_id', 'BIGINT'],
      ['name', 'VARCHAR'],
      ['country', 'VARCHAR'],
      ['orders', 'BIGINT'],
      ['revenue', expect.stringMatching(/INT|DECIMAL|DOUBLE/)],
    ]);
    expect(catalog.nodes['model.shop.stg_orders']).toMatchObject({ type: 'view', stats: { row_count: null }, relation: { schema: 'staging', name: 'stg_orders' } });
    expect(catalog.nodes['model.shop.stg_orders']!.columns.find((c) => c.name === 'ordered_at')!.type).toBe('TIMESTAMP');
    expect(catalog.nodes['seed.shop.customers']!.stats.row_count).toBe(3);
    // The ephemeral model has no relation; the CSV source is read in place; not_built isn't built.
    expect(catalog.missing).toEqual({
      'model.shop.not_built': 'not in the warehouse (not built yet?)',
      'source.shop.landing.orders': 'external source, read in place from data/orders.csv',
    });
    expect(existsSync(join(root, 'target/manifest.json'))).toBe(true);
  });

  it('the site embeds nodes with docs, warehouse types, tests with their last results and SQL', () => {
    const data = siteData(root);
    expect(data.project).toBe('shop');
    expect(data.results?.command).toBe('build');
    const orders = node(data, 'model.shop.orders_by_customer');
    expect(orders.description).toBe('Orders and revenue per customer.');
    expect(orders.relation).toBe('"marts"."orders_by_customer"');
    expect(orders.warehouse).toEqual({ type: 'table', rowCount: 3 });
    expect(orders.parents.sort()).toEqual(['model.shop.stg_customers', 'model.shop.stg_orders']);
    expect(orders.children).toContain('model.shop.big_customers');
    expect(orders.sql).toContain('from __cte__stg_customers as c');
    expect(orders.result?.status).toBe('success');
    const customerId = orders.columns.find((c) => c.name === 'customer_id')!;
    expect(customerId).toMatchObject({ type: 'BIGINT', description: 'The customer.' });
    expect(customerId.tests.map((t) => node(data, t).testName).sort()).toEqual(['not_null', 'unique']);
    const country = orders.columns.find((c) => c.name === 'country')!;
    expect(node(data, country.tests[0]!).result).toMatchObject({ status: 'warn', failures: 1 });
    const failing = node(data, 'test.shop.no_big_customers');
    expect(failing.result?.status).toBe('fail');
    expect(node(data, 'model.shop.big_customers').tests).toEqual(['test.shop.no_big_customers']);
    expect(node(data, 'model.shop.not_built').warehouse).toEqual({ missing: 'not in the warehouse (not built yet?)' });
    expect(node(data, 'source.shop.landing.orders').columns.find((c) => c.name === 'amount')?.description).toBe('Order amount in won.');
  });

  it('column lineage crosses ephemeral models and external sources', () => {
    const data = siteData(root);
    const lineage = (id: string, column: string) => node(data, id).columns.find((c) => c.name === column)?.lineage;
    expect(lineage('model.shop.orders_by_customer', 'revenue')).toEqual({ kind: 'expression', sources: [{ node: 'model.shop.stg_orders', relation: 'staging.stg_orders', column: 'amount' }] });
    expect(lineage('model.shop.orders_by_customer', 'name')).toEqual({ kind: 'column', sources: [{ node: 'model.shop.stg_customers', relation: '__cte__stg_customers', column: 'name' }] });
    expect(lineage('model.shop.stg_customers', 'name')).toEqual({ kind: 'expression', sources: [{ node: 'seed.shop.customers', relation: 'raw.customers', column: 'name' }] });
    expect(lineage('model.shop.stg_orders', 'amount')).toEqual({ kind: 'column', sources: [{ node: 'source.shop.landing.orders', relation: 'landing.orders', column: 'amount' }] });
    expect(lineage('model.shop.orders_by_customer', 'orders')?.kind).toBe('expression');
    expect(lineage('model.shop.big_customers', 'doubled_revenue')?.sources[0]?.node).toBe('model.shop.orders_by_customer');
  });

  it('the page needs no network: no external URLs, everything inline', () => {
    const html = readFileSync(join(root, 'target/docs/index.html'), 'utf8');
    expect(externalReferences(html)).toEqual([]);
    expect(html).toContain("default-src 'none'");
    expect(readdirSync(join(root, 'target/docs'))).toEqual(['index.html']);
  });

  it('--empty-catalog documents the project without opening the warehouse', async () => {
    const fresh = tempProject(shopProject());
    const result = await cli(fresh, 'docs', 'generate', '--empty-catalog');
    expect(result.code).toBe(0);
    expect(existsSync(join(fresh, 'target/catalog.json'))).toBe(false);
    expect(existsSync(join(fresh, 'target/dev.duckdb'))).toBe(false);
    const data = siteData(fresh);
    expect(data.catalog).toBe(false);
    // Without warehouse columns the lineage still follows qualified names.
    expect(node(data, 'model.shop.orders_by_customer').columns.find((c) => c.name === 'revenue')?.lineage?.sources[0]?.column).toBe('amount');
  });
});

describe('docs of a model whose SQL does not parse', () => {
  it('its column lineage is empty with a warning naming it; the rest is documented', async () => {
    const root = tempProject({ 'models/good.sql': 'select 1 as one', 'models/broken.sql': 'select 1 as one,, 2 as two' });
    const result = await cli(root, 'docs', 'generate', '--empty-catalog');
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/warning: column lineage left empty: model\.t\.broken: cannot parse the SQL: syntax error/);
    expect(result.stderr).not.toContain('model.t.good');
    const data = siteData(root);
    expect(node(data, 'model.t.broken').lineageError).toContain('syntax error');
    expect(node(data, 'model.t.good').columns.find((c) => c.name === 'one')?.lineage).toEqual({ kind: 'constant', sources: [] });
  });
});

describe('docs and secrets', () => {
  it('a secret read with env_var appears nowhere in target/', async () => {
    const secret = 'hunter2-docs-secret-value';
    process.env.FW_SECRET_TOKEN = secret;
    try {
      const root = tempProject({
        // The warehouse itself keeps view definitions (and so the value): keep it out of target/.
        'profiles.yml': 'default_target: dev\ntargets:\n  dev: {type: duckdb, path: warehouse/dev.duckdb, threads: 2}\n',
        'models/calls.sql': `select 1 as id, '{{env_var "FW_SECRET_TOKEN"}}' as token`,
        'models/calls.yml': 'models:\n  - name: calls\n    description: Calls an API.\n    columns:\n      - name: token\n        tests: [not_null]\n',
      });
      expect((await cli(root, 'build')).code).toBe(0);
      expect((await cli(root, 'docs', 'generate')).code).toBe(0);
      const files = walk(join(root, 'target'));
      expect(files.map((f) => f.slice(root.length + 1))).toEqual(expect.arrayContaining(['target/manifest.json', 'target/catalog.json', 'target/docs/index.html', 'target/run_results.json']));
      for (const file of files) expect(readFileSync(file, 'utf8'), file).not.toContain(secret);
      expect(readFileSync(join(root, 'target/docs/index.html'), 'utf8')).toContain("'****' as token");
    } finally {
      delete process.env.FW_SECRET_TOKEN;
    }
  });
});

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}
