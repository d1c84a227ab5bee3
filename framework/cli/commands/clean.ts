import { rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ENGINES } from '../../adapters/registry.js';
import { loadProject } from '../../project/load.js';
import { flag, type ParsedArgs } from '../args.js';
import { reporter } from '../common.js';

/** Remove target/ (artifacts, compiled SQL and the local DuckDB file). */
export async function cleanCommand(args: ParsedArgs): Promise<number> {
  const project = loadProject({ root: resolve(flag(args, 'project-dir') ?? process.cwd()), engines: ENGINES });
  const dir = join(project.file.root, project.file.paths.target);
  rmSync(dir, { recursive: true, force: true });
  reporter(args).info(`removed ${dir}`);
  return 0;
}
