/**
 * A loss between staging and bronze is visible: the books (pipeline_accounting, checked by the
 * data test accounting_invariant) count the staged lines from the staged files themselves (the
 * file ledger's staged_rows), so a staged line that bronze never got fails the build. Two ways a
 * line goes missing: a file that grows after it was loaded (the consumer's old rotation could do
 * that), and a bronze model that keeps fewer lines than its files hold.
 */
import { appendFileSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../support/project.js';
import { build, copyProject, generate, one, stagingVars } from './support.js';

interface Staged {
  root: string;
  vars: string;
  files: string[];
}

function staged(): Staged {
  const root = copyProject();
  return { root, vars: stagingVars(join(root, 'staging')), files: [] };
}

async function sample(): Promise<Staged> {
  const p = staged();
  await generate(p.root, join(p.root, 'staging'), ['--mode', 'window', '--start', '2025-09-01T00:00:00+09:00', '--events', '500', '--windows', '2', '--malformed-rate', '0', '--seed', '41']);
  p.files = readdirSync(join(p.root, 'staging'), { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name)).sort();
  return p;
}

const books = (root: string) => one(root, 'select bronze_rows, staged_lines, is_balanced from recipe_analytics.pipeline_accounting');
const lines = (files: string[]) => files.reduce((n, f) => n + readFileSync(f, 'utf8').split('\n').length - 1, 0);

async function failingBuild(p: Staged): Promise<string[]> {
  const run = await cli(p.root, 'build', '--vars', p.vars);
  expect(run.code).toBe(1);
  return run.stdout.split('\n').filter((l) => /\b(ERROR|FAIL)\b/.test(l));
}

describe('the books count staged lines from the staged files', () => {
  let p: Staged;

  beforeAll(async () => {
    p = await sample();
    await build(p.root, p.vars);
  });

  it('balance when every staged line is in bronze', async () => {
    const staged = lines(p.files);
    expect(staged).toBeGreaterThan(1000);
    expect(await books(p.root)).toEqual({ bronze_rows: staged, staged_lines: staged, is_balanced: true });
  });

  it('fail when a loaded file gains lines bronze never gets', async () => {
    // Three more events appended to a file bronze already loaded: a new file version, never reloaded.
    const file = p.files[0]!;
    const extra = readFileSync(file, 'utf8').split('\n').slice(0, 3).map((line) => line.replace(/"event_id":"([^"]+)"/, '"event_id":"$1-late"'));
    appendFileSync(file, `${extra.join('\n')}\n`);
    const failures = await failingBuild(p);
    expect(failures.some((l) => l.includes('accounting_invariant')), failures.join('\n')).toBe(true);
    expect(failures.some((l) => l.includes('pipeline_accounting') && l.includes('accepted_values')), failures.join('\n')).toBe(true);
    const staged = lines(p.files);
    expect(await books(p.root)).toEqual({ bronze_rows: staged - 3, staged_lines: staged, is_balanced: false });
  });

  it('fail when the bronze model keeps fewer lines than its files hold', async () => {
    const q = await sample();
    const model = join(q.root, 'models/bronze/bronze_events.sql');
    writeFileSync(model, `${readFileSync(model, 'utf8')}\nwhere s.line not like '%click_recipe%'\n`);
    const failures = await failingBuild(q);
    expect(failures.some((l) => l.includes('accounting_invariant')), failures.join('\n')).toBe(true);
    const r = await books(q.root);
    expect(r.staged_lines).toBe(lines(q.files));
    expect(r.bronze_rows).toBeLessThan(r.staged_lines);
    expect(r.is_balanced).toBe(false);
  });
});
