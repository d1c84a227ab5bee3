import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { openSession, type Session } from '../execute/session.js';
import { ConfigError, WarningAsError } from '../errors.js';
import type { IndirectSelection, SelectionRequest } from '../graph/selector.js';
import { DEFAULT_INGEST, ingestConfig, type IngestConfig } from '../project/ingest.js';
import { readProjectYaml } from '../project/load.js';
import type { ResourceType } from '../project/types.js';
import { bool, flag, list, vars, type ParsedArgs } from './args.js';
import { Reporter, type LogFormat } from './output.js';

export function session(args: ParsedArgs): Promise<Session> {
  const stateDir = flag(args, 'state');
  const target = flag(args, 'target');
  const cliVars = vars(args);
  return openSession({
    root: resolve(flag(args, 'project-dir') ?? process.cwd()),
    ...(target ? { target } : {}),
    ...(cliVars ? { vars: cliVars } : {}),
    ...(stateDir ? { stateDir: resolve(stateDir) } : {}),
  });
}

/**
 * The selection flags as dbt reads them (`-m/--models` is --select; `ls` also keeps only models).
 * Warnings (a term that matches nothing, an empty selection) go to stderr, or stop the command
 * with exit 1 under --warn-error.
 */
export function selection(args: ParsedArgs, resourceTypes?: ResourceType[]): SelectionRequest {
  const terms = [...(list(args, 'select') ?? []), ...(list(args, 'models') ?? [])];
  const exclude = list(args, 'exclude');
  const selector = flag(args, 'selector');
  const indirect = flag(args, 'indirect-selection') as IndirectSelection | undefined;
  const out = reporter(args);
  return {
    ...(terms.length ? { select: terms } : {}),
    ...(exclude ? { exclude } : {}),
    ...(selector ? { selector } : {}),
    ...(indirect ? { indirectSelection: indirect } : {}),
    ...(resourceTypes ? { resourceTypes } : {}),
    onWarning: (message) => {
      if (bool(args, 'warn-error')) throw new WarningAsError(message);
      out.warn(message);
    },
  };
}

export function reporter(args: ParsedArgs): Reporter {
  return new Reporter((flag(args, 'log-format') ?? 'text') as LogFormat);
}

/** The ingest: block of the project in `root`; the generic defaults when no project is there (flags then name topic and bucket). */
export function projectIngest(root: string): IngestConfig {
  return existsSync(join(root, 'project.yml')) ? ingestConfig(readProjectYaml(root)) : DEFAULT_INGEST;
}

/** --defer [--favor-state]: refs outside the selection may read the --state run's relations. */
export function deferral(args: ParsedArgs): { favorState: boolean } | undefined {
  if (!bool(args, 'defer')) return undefined;
  if (!flag(args, 'state'))
    throw new ConfigError(
      "--defer needs --state <dir>: the folder holding the manifest.json of the run to defer to (e.g. a copy of prod's target/)",
    );
  return { favorState: bool(args, 'favor-state') };
}
