import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { UnitFiles } from './units.js';

export type Scope = 'user' | 'system';

export function unitDirectory(scope: Scope, override?: string): string {
  return override ?? (scope === 'user' ? join(homedir(), '.config/systemd/user') : '/etc/systemd/system');
}

export function writeUnits(dir: string, units: UnitFiles): string[] {
  mkdirSync(dir, { recursive: true });
  const paths = [join(dir, `${units.name}.service`), join(dir, `${units.name}.timer`)];
  writeFileSync(paths[0]!, units.service);
  writeFileSync(paths[1]!, units.timer);
  return paths;
}

export function removeUnits(dir: string, name: string): string[] {
  const paths = [join(dir, `${name}.service`), join(dir, `${name}.timer`)].filter((p) => existsSync(p));
  for (const p of paths) rmSync(p);
  return paths;
}

/** systemd-analyze verify: the same checks systemd makes when loading the units. */
export function verify(paths: string[]): { ok: boolean; output: string } {
  const result = spawnSync('systemd-analyze', ['verify', ...paths], { encoding: 'utf8' });
  if (result.error)
    return { ok: false, output: `systemd-analyze not available: ${result.error.message} (apt-get install systemd)` };
  return { ok: result.status === 0, output: `${result.stdout}${result.stderr}`.trim() };
}

/** systemctl, which needs a running systemd (absent in most containers): failures are reported, not thrown. */
export function systemctl(scope: Scope, args: string[]): { ok: boolean; output: string } {
  const result = spawnSync('systemctl', [...(scope === 'user' ? ['--user'] : []), ...args], { encoding: 'utf8' });
  if (result.error) return { ok: false, output: result.error.message };
  return { ok: result.status === 0, output: `${result.stdout}${result.stderr}`.trim() };
}

/** When a calendar expression fires next, per systemd itself. */
export function nextElapse(calendar: string): string | undefined {
  try {
    const out = execFileSync('systemd-analyze', ['calendar', calendar], { encoding: 'utf8' });
    return /Next elapse: (.+)/.exec(out)?.[1]?.trim();
  } catch {
    return undefined;
  }
}
