// Build step after tsc: the schema validators as standalone code (dist/project/schemas/validators.cjs),
// so that no command compiles JSON schemas at start-up.
import { mkdirSync, writeFileSync } from 'node:fs';
import { standaloneValidators } from '../dist/project/standalone.js';

const out = new URL('../dist/project/schemas/', import.meta.url);
mkdirSync(out, { recursive: true });
writeFileSync(new URL('validators.cjs', out), standaloneValidators());
