/** The repository's Reciping project copied aside (no vitest here: the benches use it too). */
import { cpSync, existsSync, symlinkSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isMap, isScalar, isSeq, parseDocument, visit } from 'yaml';
import { tempDir } from '../unit/support/project.js';

const REPO = join(import.meta.dirname, '../..');

const PROJECT_FILES = ['project.yml', 'profiles.yml', 'selectors.yml', 'sources', 'models', 'macros', 'seeds', 'snapshots', 'tests/data', 'dashboards'];

/**
 * The repository's Reciping project copied to a temporary directory. With `isolate`, the copy
 * reads and writes only schemas named `<isolate>_<schema>`: every `+schema` of project.yml and
 * every source's schema (for the staging source, the Hive schema of its external table) is
 * renamed, so the copy can be built on the stack next to the suites that use the spec's names.
 * `manifestRelations` shows what the compiled copy actually uses, to check that nothing escaped.
 */
export function copyProject(isolate?: string): string {
  const root = tempDir('reciping-trino-');
  for (const path of PROJECT_FILES) if (existsSync(join(REPO, path))) cpSync(join(REPO, path), join(root, path), { recursive: true });
  // Linked, not copied: the project's extension imports the framework by a path relative to the repository.
  symlinkSync(join(REPO, 'extensions'), join(root, 'extensions'));
  if (isolate) {
    const rename = (schema: string) => `${isolate}_${schema}`;
    rewriteYaml(join(root, 'project.yml'), (doc) =>
      visit(doc, {
        Pair(_, pair) {
          if (isScalar(pair.key) && pair.key.value === '+schema' && isScalar(pair.value)) pair.value.value = rename(String(pair.value.value));
        },
      }),
    );
    for (const file of readdirSync(join(root, 'sources')).filter((f) => /\.ya?ml$/.test(f))) {
      rewriteYaml(join(root, 'sources', file), (doc) => {
        const sources = doc.get('sources');
        if (isSeq(sources)) for (const source of sources.items) if (isMap(source)) source.set('schema', rename(String(source.get('schema') ?? source.get('name'))));
      });
    }
  }
  return root;
}

function rewriteYaml(path: string, edit: (doc: ReturnType<typeof parseDocument>) => void): void {
  const doc = parseDocument(readFileSync(path, 'utf8'));
  edit(doc);
  writeFileSync(path, doc.toString());
}
