import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ConfigError } from '../../errors.js';
import type { RunResults } from '../../execute/artifacts.js';
import type { RunCommand } from '../../execute/run.js';
import type { NodeStatus } from '../../execute/results.js';
import { ENGINES } from '../../adapters/registry.js';
import { loadProject } from '../../project/load.js';
import { flag, type ParsedArgs } from '../args.js';
import { reporter } from '../common.js';

/** dbt's retryable statuses: what did not finish well. A warning is a success. */
const RETRY: NodeStatus[] = ['error', 'fail', 'skipped'];
const COMMANDS: RunCommand[] = ['run', 'build', 'seed', 'test', 'snapshot'];
/** Flags of `retry` itself that override the previous run's. */
const OVERRIDES = ['log-format', 'threads', 'wait'];

/**
 * `framework retry`: the previous invocation (command, flags, selection: read from
 * target/run_results.json) again, limited to the nodes that errored, failed or were skipped.
 */
export async function retryCommand(args: ParsedArgs): Promise<number> {
  const root = resolve(flag(args, 'project-dir') ?? process.cwd());
  const project = loadProject({ root, engines: ENGINES });
  const path = join(project.file.root, project.file.paths.target, 'run_results.json');
  if (!existsSync(path))
    throw new ConfigError(`nothing to retry: ${path} does not exist (run, build, seed, test or snapshot first)`);
  const previous = JSON.parse(readFileSync(path, 'utf8')) as RunResults;
  const { command, args: given } = previous.metadata;
  if (!COMMANDS.includes(command as RunCommand) || !given) {
    throw new ConfigError(
      `nothing to retry: ${path} does not record a run, build, seed, test or snapshot invocation with its flags (written by an older version?)`,
    );
  }
  const only = new Set(previous.results.filter((r) => RETRY.includes(r.status)).map((r) => r.unique_id));
  if (!only.size) {
    reporter(args).info(`the previous "framework ${command}" succeeded entirely: nothing to retry`);
    return 0;
  }
  const flags = new Map(Object.entries(given));
  flags.set('project-dir', [root]);
  for (const name of OVERRIDES) if (args.flags.has(name)) flags.set(name, args.flags.get(name)!);
  reporter(args).info(
    `retrying ${only.size} node${only.size === 1 ? '' : 's'} of "framework ${command}" (errored, failed or skipped)`,
  );
  const { runCommand } = await import('./run.js');
  return runCommand(command as RunCommand, { positionals: [], flags }, only);
}
