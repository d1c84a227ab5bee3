import { join } from 'node:path';

export const ROOT = join(import.meta.dirname, '../..');
/** Scratch space for generated projects, data and the dbt venv (gitignored). */
export const WORK = join(ROOT, 'bench/.work');
/** The CLI as users run it: bin/framework.js over the compiled dist/. */
export const CLI = join(ROOT, 'bin/framework.js');
