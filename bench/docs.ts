// Docs benchmark (issue targets): `framework docs generate` for 1,000 models ≤ 3 s wall including Node
// start-up, catalog read from the warehouse; the site usable in Chromium ≤ 2 s after navigation start.
// Needs the compiled CLI (npm run build) and Debian's chromium. Run: node --import tsx bench/docs.ts
import { mkdirSync, statSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DuckDBInstance } from '@duckdb/node-api';
import { launchChromium } from '../tests/unit/docs/chromium.js';
import { generateProject } from './gen-project.js';
import { summarize, timeCommand, writeResult } from './lib.js';

const root = join(import.meta.dirname, '..');
const cli = join(root, 'bin/framework.js');
const runs = Number(process.env.BENCH_RUNS ?? 5);
const MODELS = 1000;

// The generated project reads sources raw.t0..t9: small tables, so `run` builds 1,000 views quickly.
const project = generateProject(join(root, 'bench/.work/docs-1000'), MODELS);
mkdirSync(join(project, 'target'));
const instance = await DuckDBInstance.create(join(project, 'target/dev.duckdb'));
const connection = await instance.connect();
await connection.run('create schema if not exists raw');
for (let t = 0; t < 10; t++) await connection.run(`create or replace table raw.t${t} as select range as id, range * 2 as value from range(100)`);
connection.closeSync();
instance.closeSync();
const runSeconds = timeCommand('node', [cli, 'run', '--threads', '4'], project);
console.log(`setup: framework run of ${MODELS} views in ${runSeconds.toFixed(2)} s`);

const load = loadavg()[0]!;
timeCommand('node', [cli, 'docs', 'generate'], project); // warm the file cache
const generate = summarize(Array.from({ length: runs }, () => timeCommand('node', [cli, 'docs', 'generate'], project)));
const site = join(project, 'target/docs/index.html');
const siteBytes = statSync(site).size;
console.log(`docs generate, ${MODELS} models: median ${generate.median.toFixed(3)} s (min ${generate.min.toFixed(3)}, max ${generate.max.toFixed(3)}, ${runs} runs, load ${load.toFixed(1)}); site ${(siteBytes / 1e6).toFixed(2)} MB`);

/** Milliseconds from navigation start to the app's ready marker, and to a few interactions. */
const chromium = await launchChromium();
const ready: number[] = [];
const fullGraph: number[] = [];
const hubPage: number[] = [];
const searchMs: number[] = [];
try {
  const page = await chromium.context.newPage();
  for (let i = 0; i < runs; i++) {
    await page.goto(`${pathToFileURL(site).href}?run=${i}`);
    await page.waitForFunction(() => '__docsReady' in window);
    ready.push(await page.evaluate(() => (window as unknown as { __docsReady: number }).__docsReady));
    // Rendering after a route change: the whole graph, and the page of the model with the widest fan-out.
    fullGraph.push(await timeRoute(page, '#/graph', '#graph g.gnode', MODELS + 10));
    hubPage.push(await timeRoute(page, '#/node/model.bench.m_0', '#graph g.gnode', 2));
    searchMs.push(
      await page.evaluate(() => {
        const input = document.getElementById('search') as HTMLInputElement;
        const started = performance.now();
        input.value = 'm_99';
        input.dispatchEvent(new Event('input'));
        return performance.now() - started;
      }),
    );
  }
} finally {
  await chromium.close();
}

/**
 * Time from setting the hash until `count` elements match `selector`, polled each frame. (No named
 * functions inside evaluate: tsx would wrap them in a helper the page does not have.)
 */
async function timeRoute(page: import('playwright-core').Page, hash: string, selector: string, count: number): Promise<number> {
  await page.evaluate((h) => {
    (window as unknown as { routeStarted: number }).routeStarted = performance.now();
    location.hash = h;
  }, hash);
  await page.waitForFunction(({ s, c }) => document.querySelectorAll(s).length >= c, { s: selector, c: count }, { polling: 'raf' });
  return page.evaluate(() => performance.now() - (window as unknown as { routeStarted: number }).routeStarted);
}

const timings = { readyMs: summarize(ready), fullGraphMs: summarize(fullGraph), hubPageMs: summarize(hubPage), searchMs: summarize(searchMs) };
for (const [name, t] of Object.entries(timings)) console.log(`${name.padEnd(12)} median ${t.median.toFixed(0)} ms (min ${t.min.toFixed(0)}, max ${t.max.toFixed(0)})`);

const path = writeResult('docs', {
  targets: { generateSeconds: 3, readyMs: 2000 },
  models: MODELS,
  loadAverage: load,
  siteBytes,
  generateSeconds: generate,
  ...timings,
  met: { generate: generate.median <= 3, ready: timings.readyMs.median <= 2000 },
});
console.log(`results: ${path}`);
