/** A copy of the Reciping project for tests and benchmarks (free of vitest, so bench/ can use it too). */
import { cpSync, existsSync, symlinkSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { recipeMaster, recipeMasterCsv } from '../../../extensions/reciping/datagen/index.js';
import { tempDir } from '../support/project.js';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const PROJECT_FILES = ['project.yml', 'profiles.yml', 'selectors.yml', 'sources', 'models', 'macros', 'seeds', 'snapshots', 'tests/data', 'dashboards'];

/**
 * A copy of the project in a temporary directory (with the recipe master, generated if the repo
 * has none yet), so the repository's own target/ and data/ are never touched; removed when the
 * test file ends.
 */
export function copyProject(): string {
  const root = tempDir('reciping-');
  for (const path of PROJECT_FILES) {
    if (existsSync(join(REPO, path))) cpSync(join(REPO, path), join(root, path), { recursive: true });
  }
  // Linked, not copied: the project's extension imports the framework by a path relative to the repository.
  symlinkSync(join(REPO, 'extensions'), join(root, 'extensions'));
  const seed = join(root, 'seeds', 'recipe_master.csv');
  if (!existsSync(seed)) {
    mkdirSync(dirname(seed), { recursive: true });
    writeFileSync(seed, recipeMasterCsv(recipeMaster()));
  }
  return root;
}
