import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, tempProject } from '../support/project.js';
import { ARTIFACTS, launchChromium, type Chromium } from './chromium.js';
import { shopProject } from './fixtures.js';

describe('docs site in Chromium', () => {
  let chromium: Chromium;
  let page: Page;
  const requests: string[] = [];
  const errors: string[] = [];

  beforeAll(async () => {
    const root = tempProject(shopProject());
    await cli(root, 'build'); // exits 1: one test fails on purpose
    expect((await cli(root, 'docs', 'generate')).code).toBe(0);
    chromium = await launchChromium();
    page = await chromium.context.newPage();
    page.on('request', (r) => requests.push(r.url()));
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(pathToFileURL(join(root, 'target/docs/index.html')).href);
    await page.waitForFunction(() => '__docsReady' in window);
  });
  afterAll(async () => {
    await chromium?.close();
  });

  // the page renders on hashchange, a task after the hash changes: wait for the page, not the hash
  const shown = (hash: string) => page.waitForFunction((h) => document.documentElement.dataset.routed === h, hash);
  const open = async (hash: string) => {
    await page.evaluate((h) => (location.hash = h), hash);
    await shown(hash);
  };
  const heading = () => page.locator('#content h1').innerText();

  it('opens from file:// with nothing fetched from anywhere', async () => {
    expect(errors).toEqual([]);
    expect(requests.filter((u) => !u.startsWith('file:'))).toEqual([]);
    expect(await page.locator('#sidebar a[data-id="model.shop.orders_by_customer"]').count()).toBe(1);
    await page.screenshot({ path: join(ARTIFACTS, 'docs-overview.png') });
  });

  it('search finds models by name and by column docs, and opens one', async () => {
    await page.fill('#search', 'Sum of order');
    await expect.poll(() => page.locator('.search-hit').first().innerText()).toContain('orders_by_customer');
    expect(await page.locator('.search-hit .why').first().innerText()).toContain('column revenue');
    await page.fill('#search', 'orders_by');
    await page.press('#search', 'Enter');
    await shown('#/node/model.shop.orders_by_customer');
    expect(await heading()).toContain('orders_by_customer');
    expect(await page.locator('#search-results').isHidden()).toBe(true);
  });

  it('shows docs, warehouse types, tests with their last status and the compiled SQL', async () => {
    await open('#/node/model.shop.orders_by_customer');
    const content = page.locator('#content');
    expect(await content.innerText()).toContain('Orders and revenue per customer.');
    expect(await page.locator('tr[data-column="customer_id"]').innerText()).toMatch(/BIGINT\s+The customer\./);
    expect(await page.locator('table.tests .st-warn').count()).toBe(1);
    expect(await page.locator('table.tests .st-pass').count()).toBeGreaterThanOrEqual(3);
    expect(await page.locator('pre.sql').first().innerText()).toContain('__cte__stg_customers');
  });

  it('lineage graph: highlights up- and downstream; clicking follows lineage both ways', async () => {
    await open('#/node/model.shop.orders_by_customer');
    const ids = (cls: string) => page.locator(`#graph g.gnode.${cls}`).evaluateAll((els) => els.map((e) => e.getAttribute('data-id')).sort());
    expect(await ids('selected')).toEqual(['model.shop.orders_by_customer']);
    expect(await ids('upstream')).toEqual(['model.shop.stg_customers', 'model.shop.stg_orders', 'seed.shop.customers', 'source.shop.landing.orders']);
    expect(await ids('downstream')).toEqual(['model.shop.big_customers']);
    await page.screenshot({ path: join(ARTIFACTS, 'docs-model.png'), fullPage: true });

    await page.locator('#graph g.gnode[data-id="model.shop.stg_orders"]').click();
    await shown('#/node/model.shop.stg_orders');
    expect(await heading()).toContain('stg_orders');
    expect(await ids('upstream')).toEqual(['source.shop.landing.orders']);
    expect(await ids('downstream')).toEqual(['model.shop.big_customers', 'model.shop.orders_by_customer']);

    await page.locator('#graph g.gnode[data-id="model.shop.big_customers"]').click();
    await shown('#/node/model.shop.big_customers');
    expect(await heading()).toContain('big_customers');
    expect(await page.locator('table.tests .st-fail').count()).toBe(1);
  });

  it('column lineage panel: upstream through the ephemeral model to the source, and downstream', async () => {
    await open('#/node/model.shop.orders_by_customer');
    await page.locator('tr[data-column="revenue"] a.col').click();
    const panel = page.locator('#column-lineage');
    await panel.waitFor();
    const upstream = await panel.locator('section').first().innerText();
    expect(upstream).toContain('stg_orders.amount');
    expect(upstream).toContain('orders.amount'); // the source landing.orders
    expect(await panel.locator('section').nth(1).innerText()).toContain('big_customers.doubled_revenue');
    expect(await page.locator('tr.selected').getAttribute('data-column')).toBe('revenue');
    await page.screenshot({ path: join(ARTIFACTS, 'docs-column-lineage.png'), fullPage: true });

    await open('#/node/model.shop.orders_by_customer/col/name');
    expect(await page.locator('#column-lineage').innerText()).toMatch(/stg_customers\.name[\s\S]*customers\.name/);
    await page.locator('#column-lineage a', { hasText: 'stg_customers.name' }).first().click();
    await shown('#/node/model.shop.stg_customers/col/name');
    expect(await page.locator('#column-lineage section').nth(1).innerText()).toContain('orders_by_customer.name');
  });

  it('full graph on demand: every model, seed and source; a click highlights its lineage', async () => {
    await open('#/graph');
    expect(await page.locator('#graph g.gnode').count()).toBe(6);
    await page.locator('#graph g.gnode[data-id="model.shop.stg_orders"]').click();
    expect(await page.locator('#graph-selection').innerText()).toContain('stg_orders');
    expect(await page.locator('#graph g.gnode.dim').count()).toBe(2); // customers and stg_customers
    await page.screenshot({ path: join(ARTIFACTS, 'docs-graph.png') });
    expect(errors).toEqual([]);
  });
});
