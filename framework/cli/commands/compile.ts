import { join } from 'node:path';
import { writeManifest, writeTexts } from '../../execute/artifacts.js';
import type { ParsedArgs } from '../args.js';
import { deferral, reporter, selection, session } from '../common.js';
import { deferredRelations } from '../../execute/defer.js';
import { sqlFilePath } from '../../template/manifest.js';

/** Render every selected model and test to target/compiled/ and write manifest.json; no warehouse access. */
export async function compileCommand(args: ParsedArgs): Promise<number> {
  const defer = deferral(args);
  const s = await session(args);
  const ids = s.selector.select(selection(args));
  // --defer: rendered again with the state's relations (looking up which this target lacks needs the warehouse).
  if (defer) s.compiler.defer(await deferredRelations(s, ids, defer.favorState).finally(() => s.adapter.close()));
  const files = new Map<string, string>();
  for (const id of ids) {
    const node = s.manifest.nodes[id]!;
    if (node.compiledSql === undefined) continue;
    const sql = defer ? s.compiler.render(node, { isIncremental: false }) : node.compiledSql;
    files.set(join(s.targetDir, 'compiled', sqlFilePath(node)), sql + '\n');
  }
  await writeTexts(files);
  const written = files.size;
  writeManifest(s.targetDir, s.manifest);
  reporter(args).info(
    `Compiled ${written} nodes (${Object.keys(s.manifest.nodes).length} in the project) to ${join(s.project.file.paths.target, 'compiled')}`,
  );
  return 0;
}
