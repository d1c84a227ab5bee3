// dbt-core and dbt-duckdb from PyPI in a virtualenv under bench/.work (never committed). Pinned to what
// PyPI served when the harness was written: dbt-duckdb's newest release, the newest dbt-core of its 1.11
// series (1.12.x builds dbt-core-experimental-parser by downloading a wheel from GitHub, which only
// PyPI-reachable hosts cannot), and the DuckDB engine our Node binding embeds (1.5.6), so both sides of
// the DuckDB comparisons run the same engine.
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { WORK } from './paths.js';

export const DBT_PINS = { 'dbt-core': '1.11.16', 'dbt-duckdb': '1.11.1', duckdb: '1.5.6' } as const;

const VENV = join(WORK, 'dbt-venv');
const python = join(VENV, 'bin/python');

export interface DbtEnv {
  /** The venv's dbt executable. */
  dbt: string;
  versions: Record<string, string>;
}

function run(command: string, args: string[], what: string): string {
  const result = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (result.error) throw new Error(`${what}: cannot run ${command}: ${result.error.message}`);
  if (result.status !== 0) throw new Error(`${what} failed (exit ${result.status}):\n${result.stderr}\n${result.stdout.slice(-2000)}`);
  return result.stdout;
}

/** Installed versions of the pinned packages, or undefined when the venv is missing or broken. */
function installed(): Record<string, string> | undefined {
  if (!existsSync(python)) return undefined;
  const script = `import importlib.metadata as m, json; print(json.dumps({p: m.version(p) for p in ${JSON.stringify(Object.keys(DBT_PINS))}}))`;
  const result = spawnSync(python, ['-c', script], { encoding: 'utf8' });
  return result.status === 0 ? (JSON.parse(result.stdout) as Record<string, string>) : undefined;
}

const matchesPins = (versions: Record<string, string> | undefined): versions is Record<string, string> =>
  !!versions && Object.entries(DBT_PINS).every(([name, version]) => versions[name] === version);

/** The venv, created or repaired when it is missing or holds other versions. Throws when python3, venv or pip fail. */
export function ensureDbtEnv(): DbtEnv {
  let versions = installed();
  if (!matchesPins(versions)) {
    rmSync(VENV, { recursive: true, force: true });
    console.log(`creating ${VENV} with ${Object.entries(DBT_PINS).map(([n, v]) => `${n}==${v}`).join(' ')} (pip, from PyPI)`);
    run('python3', ['-m', 'venv', VENV], 'python3 -m venv');
    run(python, ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', ...Object.entries(DBT_PINS).map(([n, v]) => `${n}==${v}`)], 'pip install');
    versions = installed();
    if (!matchesPins(versions)) throw new Error(`the venv holds ${JSON.stringify(versions)} after pip install, expected ${JSON.stringify(DBT_PINS)}`);
  }
  const dbt = join(VENV, 'bin/dbt');
  run(dbt, ['--version'], 'dbt --version'); // the entry point works, not only the packages' metadata
  return { dbt, versions };
}
