import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError } from '../../errors.js';
import type { RunResults } from '../../execute/artifacts.js';
import { ENGINES } from '../../adapters/registry.js';
import { loadProject } from '../../project/load.js';
import { didYouMean } from '../../project/suggest.js';
import { renderService } from '../../schedule/service-unit.js';
import {
  nextElapse,
  removeUnits,
  systemctl,
  unitDirectory,
  verify,
  writeUnits,
  type Scope,
} from '../../schedule/systemd.js';
import { onCalendar, renderUnits } from '../../schedule/units.js';
import { bool, flag, type ParsedArgs } from '../args.js';
import { reporter } from '../common.js';

/** `schedule install | uninstall | status`: project.yml schedules as systemd timers, its services (the Kafka consumer) as systemd services. */
export async function scheduleCommand(args: ParsedArgs): Promise<number> {
  const out = reporter(args);
  const action = args.positionals[0];
  const project = loadProject({ root: resolve(flag(args, 'project-dir') ?? process.cwd()), engines: ENGINES });
  const scope = (flag(args, 'scope') ?? 'user') as Scope;
  if (scope !== 'user' && scope !== 'system') throw new ConfigError(`--scope must be user or system, got "${scope}"`);
  const dir = unitDirectory(scope, flag(args, 'unit-dir'));
  const only = flag(args, 'name');
  const schedules = project.file.schedules.filter((s) => !only || s.name === only);
  const services = project.file.services.filter((s) => !only || s.name === only);
  const names = [...project.file.schedules, ...project.file.services].map((s) => s.name);
  if (only && !schedules.length && !services.length)
    throw new ConfigError(
      `no schedule or service named "${only}" in project.yml`,
      { file: 'project.yml' },
      didYouMean(only, names),
    );
  if (!names.length)
    throw new ConfigError(
      'project.yml declares no schedules',
      { file: 'project.yml' },
      'schedules:\n  - {name: every-15m, every: 15m, command: build, select: "silver+", target: dev}',
    );
  const runtime = { node: process.execPath, cli: fileURLToPath(new URL('../../../bin/framework.js', import.meta.url)) };
  const where = { name: project.file.name, root: project.file.root };
  const units = schedules.map((s) => ({ schedule: s, units: renderUnits(where, s, runtime) }));
  const serviceUnits = services.map((s) => renderService(where, s, runtime));
  const instances = (u: ReturnType<typeof renderService>) => u.instances.map((i) => `${u.name}@${i}.service`);

  switch (action) {
    case 'install': {
      let failed = false;
      for (const { units: u } of units) {
        const paths = writeUnits(dir, u);
        const check = verify(paths);
        out.info(`${check.ok ? 'wrote' : 'INVALID'} ${paths.join(', ')}${check.output ? `\n${check.output}` : ''}`);
        failed ||= !check.ok;
        if (check.ok && !bool(args, 'no-enable')) {
          const enabled =
            systemctl(scope, ['daemon-reload']).ok && systemctl(scope, ['enable', '--now', `${u.name}.timer`]);
          out.info(
            enabled && enabled.ok
              ? `enabled ${u.name}.timer`
              : `could not enable ${u.name}.timer (is systemd running for this ${scope}?): ${enabled ? enabled.output : 'daemon-reload failed'}`,
          );
        }
      }
      for (const u of serviceUnits) {
        const path = join(dir, u.file);
        mkdirSync(dir, { recursive: true });
        writeFileSync(path, u.text);
        const check = verify([path]);
        out.info(`${check.ok ? 'wrote' : 'INVALID'} ${path}${check.output ? `\n${check.output}` : ''}`);
        failed ||= !check.ok;
        if (check.ok && !bool(args, 'no-enable')) {
          const enabled =
            systemctl(scope, ['daemon-reload']).ok && systemctl(scope, ['enable', '--now', ...instances(u)]);
          out.info(
            enabled && enabled.ok
              ? `enabled ${instances(u).join(', ')}`
              : `could not enable ${u.name} (is systemd running for this ${scope}?): ${enabled ? enabled.output : 'daemon-reload failed'}`,
          );
        }
      }
      return failed ? 1 : 0;
    }
    case 'uninstall':
      for (const u of serviceUnits) {
        // Stopping sends SIGTERM: each consumer flushes and commits before it exits.
        if (!bool(args, 'no-enable')) systemctl(scope, ['disable', '--now', ...instances(u)]);
        const path = join(dir, u.file);
        out.info(existsSync(path) ? `removed ${path}` : `${u.name}: no unit file in ${dir}`);
        rmSync(path, { force: true });
      }
      for (const { units: u } of units) {
        if (!bool(args, 'no-enable')) systemctl(scope, ['disable', '--now', `${u.name}.timer`]);
        const removed = removeUnits(dir, u.name);
        out.info(removed.length ? `removed ${removed.join(', ')}` : `${u.name}: no unit files in ${dir}`);
      }
      if (!bool(args, 'no-enable')) systemctl(scope, ['daemon-reload']);
      return 0;
    case 'status': {
      const last = lastRun(join(project.file.root, project.file.paths.target, 'run_results.json'));
      for (const { schedule, units: u } of units) {
        const installed = existsSync(join(dir, `${u.name}.timer`));
        const active = systemctl(scope, ['is-active', `${u.name}.timer`]);
        out.info(
          `${u.name}: every ${schedule.every} (${schedule.command}${schedule.select ? ` --select ${schedule.select}` : ''}), ${installed ? 'installed' : 'not installed'}, timer ${active.ok ? active.output : 'inactive'}, next ${nextElapse(onCalendar(schedule.every)) ?? 'unknown'}`,
        );
      }
      for (const u of serviceUnits) {
        const installed = existsSync(join(dir, u.file));
        const states = instances(u).map((unit) => {
          const active = systemctl(scope, ['is-active', unit]);
          return `${unit} ${active.ok ? active.output : 'inactive'}`;
        });
        out.info(
          `${u.name}: ${installed ? 'installed' : 'not installed'}, ${states.join(', ')} (health: framework ingest status)`,
        );
      }
      out.info(last ?? 'last run: none recorded in target/run_results.json');
      return 0;
    }
    default:
      throw new ConfigError(
        `unknown schedule action "${action ?? ''}"`,
        undefined,
        'usage: framework schedule install|uninstall|status [--scope user|system] [--name <schedule>]',
      );
  }
}

function lastRun(path: string): string | undefined {
  if (!existsSync(path)) return undefined;
  const run = JSON.parse(readFileSync(path, 'utf8')) as RunResults;
  const counts = new Map<string, number>();
  for (const r of run.results) counts.set(r.status, (counts.get(r.status) ?? 0) + 1);
  return `last run: ${run.metadata.command} on ${run.metadata.target} at ${run.metadata.generatedAt}: ${[...counts].map(([s, n]) => `${s}=${n}`).join(' ')}`;
}
