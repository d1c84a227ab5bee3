import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { onCalendar, renderUnits } from '../../../framework/schedule/units.js';
import { cli, tempProject } from '../support/project.js';

describe('systemd schedules', () => {
  it('maps periods to calendar expressions systemd accepts', () => {
    expect(onCalendar('15m')).toBe('*-*-* *:00/15:00');
    expect(onCalendar('1h')).toBe('*-*-* 00/1:00:00');
    expect(onCalendar('1d')).toBe('*-*-* 00:00:00');
    expect(() => onCalendar('7m')).toThrow(/does not divide/);
    const check = spawnSync('systemd-analyze', ['calendar', '--iterations=2', onCalendar('15m')], { encoding: 'utf8' });
    expect(check.status).toBe(0);
    expect(check.stdout).toMatch(/Next elapse: .+:(00|15|30|45):00/);
  });

  it('a nightly schedule of whole-table tests runs `test --full`', () => {
    const units = renderUnits({ name: 'shop', root: '/srv/shop' }, { name: 'nightly', every: '1d', command: 'test', full: true }, { node: '/usr/bin/node', cli: '/srv/cli.js' });
    expect(JSON.stringify(units)).toMatch(/\/srv\/cli\.js test --project-dir \/srv\/shop --wait --full/);
  });

  it('a nightly reconciliation of staged files runs `build --reconcile-files`', () => {
    const units = renderUnits({ name: 'shop', root: '/srv/shop' }, { name: 'reconcile', every: '1d', command: 'build', reconcile_files: true }, { node: '/usr/bin/node', cli: '/srv/cli.js' });
    expect(JSON.stringify(units)).toMatch(/\/srv\/cli\.js build --project-dir \/srv\/shop --wait --reconcile-files/);
  });

  it('accepts 1-minute and 5-minute schedules, firing on the minute grid', () => {
    expect(onCalendar('1m')).toBe('*-*-* *:00/1:00');
    expect(onCalendar('5m')).toBe('*-*-* *:00/5:00');
    const elapses = (every: string) => {
      const check = spawnSync('systemd-analyze', ['calendar', '--iterations=3', onCalendar(every)], { encoding: 'utf8' });
      expect(check.status, check.stderr).toBe(0);
      return [...check.stdout.matchAll(/(?:Next elapse|Iter\. #\d+): \w+ \S+ (\d\d):(\d\d):(\d\d)/g)].map((m) => Number(m[1]) * 60 + Number(m[2]) + Number(m[3]) / 60);
    };
    const gaps = (minutes: number[]) => minutes.slice(1).map((m, i) => (m - minutes[i]! + 1440) % 1440);
    const five = elapses('5m');
    expect(five).toHaveLength(3);
    expect(five.every((m) => m % 5 === 0)).toBe(true);
    expect(gaps(five)).toEqual([5, 5]);
    expect(gaps(elapses('1m'))).toEqual([1, 1]);
  });

  it('install writes a service and a timer that systemd-analyze verify accepts; status and uninstall', async () => {
    const root = tempProject({
      'project.yml': 'name: shop\nschedules:\n  - {name: quarter, every: 15m, command: build, select: "silver+ tag:gold", target: dev, environment_file: /etc/framework/shop.env}\n',
      'models/m.sql': 'select 1 as id',
    });
    const dir = join(root, 'units'); // removed with the project
    const install = await cli(root, 'schedule', 'install', '--unit-dir', dir, '--no-enable');
    expect(install.stderr).toBe('');
    expect(install.code).toBe(0);
    const service = readFileSync(join(dir, 'framework-shop-quarter.service'), 'utf8');
    const timer = readFileSync(join(dir, 'framework-shop-quarter.timer'), 'utf8');
    expect(timer).toContain('OnCalendar=*-*-* *:00/15:00');
    expect(timer).toContain('Persistent=true');
    expect(service).toContain('Type=oneshot');
    expect(service).toContain('Restart=on-abnormal');
    expect(service).toContain('EnvironmentFile=-/etc/framework/shop.env');
    expect(service).toMatch(/ExecStart=\S+node\S* \S+bin\/framework\.js build --project-dir \S+ --wait --target dev --select silver\+ tag:gold/);
    expect(service).toContain('StandardOutput=journal');
    const verify = spawnSync('systemd-analyze', ['verify', join(dir, 'framework-shop-quarter.service'), join(dir, 'framework-shop-quarter.timer')], { encoding: 'utf8' });
    expect(verify.status, verify.stderr).toBe(0);
    const status = await cli(root, 'schedule', 'status', '--unit-dir', dir);
    expect(status.stdout).toMatch(/framework-shop-quarter: every 15m \(build --select silver\+ tag:gold\), installed, timer \S+, next \S+/);
    const removed = await cli(root, 'schedule', 'uninstall', '--unit-dir', dir, '--no-enable');
    expect(removed.code).toBe(0);
    expect(existsSync(join(dir, 'framework-shop-quarter.timer'))).toBe(false);
  });

  it('install writes the Kafka consumer as a systemd template service, one instance per consumer, next to the timer', async () => {
    const root = tempProject({
      'project.yml': 'name: shop\nschedules:\n  - {name: quarter, every: 15m, command: build}\nservices:\n  - {name: kafka, command: ingest kafka, args: [--to, s3, --group, shop-sink], instances: 2, environment_file: /etc/framework/shop.env}\n',
      'models/m.sql': 'select 1 as id',
    });
    const dir = join(root, 'units');
    const install = await cli(root, 'schedule', 'install', '--unit-dir', dir, '--no-enable');
    expect(install.stderr).toBe('');
    expect(install.code).toBe(0);
    const path = join(dir, 'framework-shop-kafka@.service');
    const service = readFileSync(path, 'utf8');
    expect(service).toMatch(/ExecStart=\S+node\S* \S+bin\/framework\.js ingest kafka --project-dir \S+ --instance %i --to s3 --group shop-sink\n/);
    for (const line of ['Restart=always', 'KillSignal=SIGTERM', 'KillMode=mixed', 'TimeoutStopSec=90', 'EnvironmentFile=-/etc/framework/shop.env', 'WantedBy=default.target']) expect(service).toContain(line);
    expect(existsSync(join(dir, 'framework-shop-quarter.timer'))).toBe(true);
    // The template, and an instance of it as systemd would load it.
    symlinkSync(path, join(dir, 'framework-shop-kafka@2.service'));
    for (const unit of [path, join(dir, 'framework-shop-kafka@2.service')]) {
      const verify = spawnSync('systemd-analyze', ['verify', unit], { encoding: 'utf8' });
      expect(verify.status, verify.stderr).toBe(0);
      // verify exits 0 on settings it ignores: its warnings must be empty too.
      expect(verify.stderr).toBe('');
    }
    const status = await cli(root, 'schedule', 'status', '--unit-dir', dir);
    expect(status.stdout).toMatch(/framework-shop-kafka: installed, framework-shop-kafka@1\.service \S+, framework-shop-kafka@2\.service \S+ \(health: framework ingest status\)/);
    const removed = await cli(root, 'schedule', 'uninstall', '--unit-dir', dir, '--no-enable');
    expect(removed.code).toBe(0);
    expect(existsSync(path)).toBe(false);
  });

  it('a service with an unknown command is a config error naming project.yml and the key', async () => {
    const root = tempProject({ 'project.yml': 'name: shop\nservices:\n  - name: kafka\n    command: run\n' });
    const r = await cli(root, 'schedule', 'install', '--no-enable', '--unit-dir', tmpdir());
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/project\.yml:4.*command/);
  });

  it('a project without schedules gets a clear error', async () => {
    const r = await cli(tempProject({}), 'schedule', 'install', '--no-enable', '--unit-dir', tmpdir());
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('project.yml declares no schedules');
  });
});
