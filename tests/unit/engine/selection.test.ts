import { cpSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cli, tempDir } from '../support/project.js';
import { copyProject } from '../reciping/support.js';

// Every case of tests/fixtures/selection/cases-*.txt against what dbt-core selected for it
// (golden.json, recorded by scripts/dbt-selection/golden.py from `dbt ls` on the same projects).
const FIXTURE = join(import.meta.dirname, '../../fixtures/selection');
const golden = JSON.parse(readFileSync(join(FIXTURE, 'golden.json'), 'utf8')) as {
  dbt_core: string;
  projects: Record<'fixture' | 'reciping', { args: string; ok: boolean; nodes: string[] }[]>;
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
});
