import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, tempProject } from '../support/project.js';

describe('maintain', () => {
  it('on DuckDB runs a CHECKPOINT and says there is nothing else to do', async () => {
    const root = tempProject({ 'project.yml': 'name: t\nmaintenance: {expire_snapshots: {retention_threshold: 1d}}\n', 'models/m.sql': '{{config materialized="table"}}select 1 as id' });
    expect((await cli(root, 'build')).code).toBe(0);
    const r = await cli(root, 'maintain');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('dev (duckdb): no snapshots to expire or small files to compact on this engine; ran CHECKPOINT');
  });

  it('a misspelled procedure or argument in project.yml maintenance is a config error naming file:line', async () => {
    const root = tempProject({ 'project.yml': 'name: t\nmaintenance:\n  expire_snapshot: {retention_threshold: 1d}\n' });
    const r = await cli(root, 'maintain');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('project.yml:3:');
    expect(r.stderr).toContain('expire_snapshot');
    const bad = tempProject({ 'project.yml': 'name: t\nmaintenance:\n  optimize: {file_size: 10MB}\n' });
    const b = await cli(bad, 'maintain');
    expect(b.code).toBe(2);
    expect(b.stderr).toContain('project.yml:3:');
  });

  it('a schedule may run maintain: its unit queues behind a run of the same target (--wait)', async () => {
    const root = tempProject({ 'project.yml': 'name: shop\nschedules:\n  - {name: upkeep, every: 1h, command: maintain, target: prod}\n' });
    const dir = join(root, 'units');
    const install = await cli(root, 'schedule', 'install', '--unit-dir', dir, '--no-enable');
    expect(install.code, install.stderr).toBe(0);
    expect(readFileSync(join(dir, 'framework-shop-upkeep.service'), 'utf8')).toMatch(/ExecStart=\S+node\S* \S+bin\/framework\.js maintain --project-dir \S+ --wait --target prod\n/);
    expect(readFileSync(join(dir, 'framework-shop-upkeep.timer'), 'utf8')).toContain('OnCalendar=*-*-* 00/1:00:00');
  });
});
