import { resolve } from 'node:path';
import { openSession, type Session } from '../execute/session.js';
import type { SelectionRequest } from '../graph/selector.js';
import { flag, list, vars, type ParsedArgs } from './args.js';
import { Reporter, type LogFormat } from './output.js';

/** Flags every project command understands. */
export const PROJECT_FLAGS = ['project-dir', 'target', 'vars', 'log-format', 'state'];
export const SELECT_FLAGS = ['select', 'exclude', 'selector'];

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

export function selection(args: ParsedArgs): SelectionRequest {
  const select = list(args, 'select');
  const exclude = list(args, 'exclude');
  const selector = flag(args, 'selector');
  return { ...(select ? { select } : {}), ...(exclude ? { exclude } : {}), ...(selector ? { selector } : {}) };
}

export function reporter(args: ParsedArgs): Reporter {
  return new Reporter((flag(args, 'log-format') ?? 'text') as LogFormat);
}
