/**
 * Reciping's incremental dimensions and bounded lookups (issue 16): the same files loaded in three
 * runs — the last one bringing a late file of an early hour, whose older events must not override
 * newer attributes — give every output table (dims, silver, fact, quarantine) the rows one load of
 * everything gives, and the dims were merged, not rebuilt.
 */
import { cpSync, mkdirSync, readdirSync, renameSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { build, copyProject, generate, one, outputChecksums, stagingVars } from './support.js';

const LAYERS = ['--select', '+fact_user_events', '+pipeline_accounting', '--exclude', 'resource_type:test'];

describe('incremental dimensions', () => {
  it('match a full rebuild after three loads, one with a late file', async () => {
    const oneShot = copyProject();
    const incremental = copyProject();
    await generate(oneShot, 'sample', ['--mode', 'bulk', '--start', '2025-08-01', '--end', '2025-08-02', '--events', '20000', '--seed', '11']);
    await build(oneShot, stagingVars(join(oneShot, 'sample')), ...LAYERS);

    const staged = join(incremental, 'sample');
    const held = join(incremental, 'held');
    cpSync(join(oneShot, 'sample'), staged, { recursive: true });
    const files = readdirSync(staged, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile() && e.name.endsWith('.json'))
      .map((e) => relative(staged, join(e.parentPath, e.name)))
      .sort();
    const hour = (h: string) => `replay-user-events/year=2025/month=08/day=01/hour=${h}`;
    const late = files.find((f) => f.startsWith(hour('09')))!;
    const loads = [files.filter((f) => f < hour('12') && f !== late), files.filter((f) => f >= hour('12') && f < hour('18')), [...files.filter((f) => f >= hour('18')), late]];
    expect(loads.every((l) => l.length > 0)).toBe(true);
    const move = (f: string, from: string, to: string) => {
      mkdirSync(dirname(join(to, f)), { recursive: true });
      renameSync(join(from, f), join(to, f));
    };
    for (const f of [...loads[1]!, ...loads[2]!]) move(f, staged, held);
    const vars = stagingVars(staged);
    await build(incremental, vars, ...LAYERS);
    for (const load of loads.slice(1)) {
      for (const f of load) move(f, held, staged);
      await build(incremental, vars, ...LAYERS);
    }

    // Merged, not rebuilt: rows untouched by the later loads keep the processed_at of the first.
    const users = await one(incremental, 'select count(distinct processed_at) as n from gold_analytics.dim_user');
    expect(Number(users.n)).toBeGreaterThan(1);
    expect(await outputChecksums(incremental, staged)).toEqual(await outputChecksums(oneShot, join(oneShot, 'sample')));
    expect((await one(incremental, 'select is_balanced from recipe_analytics.pipeline_accounting')).is_balanced).toBe(true);
  });
});
