// Build step after tsc: the schema validators as standalone code (dist/project/schemas/validators.cjs),
// so that no command compiles JSON schemas at start-up: the repo's schemas and each engine's target schema.
import { mkdirSync, writeFileSync } from 'node:fs';
import { standaloneValidators } from '../dist/project/standalone.js';
import { targetSchema, targetSchemaName } from '../dist/project/profiles.js';
import { ENGINES } from '../dist/adapters/registry.js';

const out = new URL('../dist/project/schemas/', import.meta.url);
mkdirSync(out, { recursive: true });
const targets = Object.fromEntries([...ENGINES.values()].map((engine) => [targetSchemaName(engine.name), targetSchema(engine)]));
writeFileSync(new URL('validators.cjs', out), standaloneValidators(targets));
