import { join } from 'node:path';
import { writeManifest, writeTexts } from '../../execute/artifacts.js';
import type { ParsedArgs } from '../args.js';
import { reporter, selection, session } from '../common.js';
import { sqlFilePath } from '../../template/manifest.js';

/** Render every selected model and test to target/compiled/ and write manifest.json; no warehouse access. */
export async function compileCommand(args: ParsedArgs): Promise<number> {
  const s = await session(args);
  const ids = s.selector.select(selection(args));
  const files = new Map<string, string>();
  for (const id of ids) {
    const node = s.manifest.nodes[id]!;
    if (node.compiledSql === undefined) continue;
    files.set(join(s.targetDir, 'compiled', sqlFilePath(node)), node.compiledSql + '\n');
  }
  await writeTexts(files);
  const written = files.size;
  writeManifest(s.targetDir, s.manifest);
  reporter(args).info(`Compiled ${written} nodes (${Object.keys(s.manifest.nodes).length} in the project) to ${join(s.project.file.paths.target, 'compiled')}`);
  return 0;
}
