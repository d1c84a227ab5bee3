import { ConfigError } from '../errors.js';
import type { ScheduleDef } from '../project/types.js';

export interface UnitFiles {
  name: string;
  service: string;
  timer: string;
}

/** `every` → OnCalendar: only periods that divide the hour or day evenly, so runs land on the grid. */
export function onCalendar(every: string): string {
  const m = /^(\d+)(m|h|d)$/.exec(every);
  if (!m) throw new ConfigError(`schedule every must look like 15m, 1h or 1d, got "${every}"`);
  const n = Number(m[1]);
  if (m[2] === 'm' && n >= 1 && n < 60 && 60 % n === 0) return `*-*-* *:00/${n}:00`;
  if (m[2] === 'h' && n >= 1 && n <= 24 && 24 % n === 0) return `*-*-* 00/${n}:00:00`;
  if (m[2] === 'd' && n === 1) return '*-*-* 00:00:00';
  throw new ConfigError(
    `schedule every: ${every} does not divide an hour or a day evenly`,
    undefined,
    'use e.g. 5m, 15m, 30m, 1h, 6h or 1d',
  );
}

/** Quote one argument for a unit's ExecStart (systemd's own quoting rules, not a shell's); `%i`, the instance, is kept as a specifier. */
function quoteArg(arg: string): string {
  if (arg === '%i') return arg;
  if (/^[A-Za-z0-9_@+=:,./-]+$/.test(arg)) return arg;
  return `"${arg.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/%/g, '%%')}"`;
}

/**
 * A oneshot service running the framework with the schedule's command, target and selection, and
 * a timer on the schedule's grid: Persistent=true catches up runs missed while the machine was off;
 * systemd never starts a oneshot service twice at once, and the framework's lock covers manual runs.
 */
export function renderUnits(
  project: { name: string; root: string },
  schedule: ScheduleDef,
  runtime: { node: string; cli: string },
): UnitFiles {
  const name = `framework-${project.name}-${schedule.name}`;
  const args = [runtime.node, runtime.cli, schedule.command, '--project-dir', project.root, '--wait'];
  if (schedule.target) args.push('--target', schedule.target);
  if (schedule.full) args.push('--full');
  if (schedule.reconcile_files) args.push('--reconcile-files');
  if (schedule.select) args.push('--select', ...schedule.select.split(/\s+/));
  if (schedule.exclude) args.push('--exclude', ...schedule.exclude.split(/\s+/));
  const service = serviceText({
    name,
    description: `framework ${schedule.command} of ${project.name} (${schedule.name}, every ${schedule.every})`,
    root: project.root,
    type: 'oneshot',
    environmentFile: schedule.environment_file,
    args,
    // A killed run (OOM, SIGKILL) starts again 5 s later instead of at the next tick, taking over its lock;
    // a failing run (exit 1, e.g. a failing test) waits for the next tick.
    policy: ['Restart=on-abnormal', 'RestartSec=5'],
  });
  const timer = [
    '[Unit]',
    `Description=every ${schedule.every}: ${name}`,
    '',
    '[Timer]',
    `OnCalendar=${onCalendar(schedule.every)}`,
    'Persistent=true',
    'AccuracySec=1s',
    `Unit=${name}.service`,
    '',
    '[Install]',
    'WantedBy=timers.target',
    '',
  ].join('\n');
  return { name, service, timer };
}

/**
 * The [Unit] and [Service] sections of a unit running the framework: its working directory, the
 * environment file (secrets live there, never in the unit), `policy` (restart and stop settings)
 * and journal logging; `wantedBy` adds an [Install] section.
 */
export function serviceText(unit: {
  name: string;
  description: string;
  root: string;
  type: 'oneshot' | 'exec';
  environmentFile: string | undefined;
  args: string[];
  policy: string[];
  wantedBy?: string;
}): string {
  return [
    '[Unit]',
    `Description=${unit.description}`,
    'Wants=network-online.target',
    'After=network-online.target',
    '',
    '[Service]',
    `Type=${unit.type}`,
    `WorkingDirectory=${unit.root}`,
    ...(unit.environmentFile ? [`EnvironmentFile=-${unit.environmentFile}`] : []),
    `ExecStart=${unit.args.map(quoteArg).join(' ')}`,
    ...unit.policy,
    'StandardOutput=journal',
    'StandardError=journal',
    `SyslogIdentifier=${unit.name}`,
    '',
    ...(unit.wantedBy ? ['[Install]', `WantedBy=${unit.wantedBy}`, ''] : []),
  ].join('\n');
}
