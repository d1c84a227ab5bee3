import { cpSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cli, tempDir } from '../support/project.js';
import { copyProject, generate, stagingVars } from '../reciping/support.js';

// Every case of tests/fixtures/selection/cases-*.txt against what dbt-core selected for it
// (golden.json, recorded by scripts/dbt-selection/golden.py from `dbt ls` on the same projects).
const FIXTURE = join(import.meta.dirname, '../../fixtures/selection');
const golden = JSON.parse(readFileSync(join(FIXTURE, 'golden.json'), 'utf8')) as {
  dbt_core: string;
  projects: Record<'fixture' | 'reciping', { args: string; ok: boolean; nodes: string[] }[]>;
  aliases: Record<'fixture' | 'reciping', Record<string, string>>;
};

/** dbt's unique ids carry a hash after a test's name; the names are what users type. */
const normalize = (id: string) => (id.startsWith('test.') ? id.split('.').slice(0, 3).join('.') : id);

async function listed(root: string, args: string[]): Promise<{ ok: boolean; nodes: string[] }> {
  const result = await cli(root, 'ls', '--output', 'json', ...args);
  const nodes = result.stdout
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => normalize(JSON.parse(l).unique_id as string))
    .sort();
  return { ok: result.code === 0, nodes };
}

/** A case line as a shell splits it: words, "quoted words" kept whole. */
const args = (line: string) => [...line.matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2]!);

describe(`selection agrees with dbt-core ${golden.dbt_core}`, () => {
  let fixture: string;
  let reciping: string;
  beforeAll(() => {
    // Copies: ls writes its compile cache under the project's target/.
    fixture = tempDir('selection-');
    cpSync(FIXTURE, fixture, { recursive: true });
    reciping = copyProject();
  });

  it.each(golden.projects.fixture.map((c) => [c.args, c] as const))('fixture: %s', async (_line, expected) => {
    expect(await listed(fixture, args(expected.args))).toEqual({ ok: expected.ok, nodes: expected.nodes });
  });

  it.each(golden.projects.reciping.map((c) => [c.args, c] as const))('reciping: %s', async (_line, expected) => {
    expect(await listed(reciping, args(expected.args))).toEqual({ ok: expected.ok, nodes: expected.nodes });
  });

  it.each(['fixture', 'reciping'] as const)('%s: every test has dbt\'s name and relation name (long ones: 30 characters + md5)', async (project) => {
    const result = await cli(project === 'fixture' ? fixture : reciping, 'ls', '--resource-type', 'test', '--output', 'json');
    const ours = Object.fromEntries(result.stdout.split('\n').filter((l) => l.startsWith('{')).map((l) => [JSON.parse(l).unique_id, JSON.parse(l).alias]));
    expect(ours).toEqual(golden.aliases[project]);
    expect(Object.values(ours).filter((a) => /_[0-9a-f]{32}$/.test(a as string)).length).toBeGreaterThan(0);
  });
});

describe('framework run --select silver+ on Reciping', () => {
  it('builds every model of models/silver/ and everything downstream, as dbt selects them', async () => {
    const root = copyProject();
    await generate(root, 'sample', ['--mode', 'bulk', '--start', '2025-08-04', '--end', '2025-08-05', '--events', '3000', '--seed', '5']);
    const vars = stagingVars(join(root, 'sample'));
    // A first build makes the dimensions the fact joins and the snapshot ad_click_attribution reads
    // (`run` builds no snapshot: dbt's order); silver+ then rebuilds silver and what is downstream.
    for (const step of [['seed'], ['run', '--exclude', 'ad_click_attribution'], ['snapshot']]) expect((await cli(root, ...step, '--vars', vars)).code).toBe(0);
    const run = await cli(root, 'run', '--select', 'silver+', '--vars', vars);
    expect(run.code, run.stdout.slice(-3000)).toBe(0);
    const results = JSON.parse(readFileSync(join(root, 'target/run_results.json'), 'utf8')) as { results: { unique_id: string; status: string }[] };
    // Ephemeral models are inlined where they are used: neither dbt nor this engine runs them on their own.
    const manifest = JSON.parse(readFileSync(join(root, 'target/manifest.json'), 'utf8')) as { nodes: Record<string, { config: { materialized: string } }> };
    const dbtModels = golden.projects.reciping
      .find((c) => c.args === '-s silver+')!
      .nodes.filter((id) => id.startsWith('model.') && manifest.nodes[id]!.config.materialized !== 'ephemeral');
    expect(results.results.map((r) => r.unique_id).sort()).toEqual(dbtModels);
    expect(results.results.every((r) => r.status === 'success')).toBe(true);
    expect(dbtModels.filter((id) => ['user_events_silver', 'fact_user_events', 'dau'].includes(id.split('.')[2]!)).length).toBe(3);
  });
});
