import { readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { Ajv, ErrorObject, Options, ValidateFunction } from 'ajv';
import { ConfigError } from '../errors.js';
import { didYouMean } from './suggest.js';
import type { YamlFile } from './yaml-file.js';

export const SCHEMA_NAMES = ['project', 'profiles', 'properties', 'selectors', 'config', 'dashboard'] as const;
export type SchemaName = (typeof SCHEMA_NAMES)[number];
export const AJV_OPTIONS: Options = { allErrors: false, verbose: true, strict: false };

const require = createRequire(import.meta.url);
/** Written into dist/project/ by the build (scripts/build-validators.js); absent when running from source. */
const PRECOMPILED = fileURLToPath(new URL('./schemas/validators.cjs', import.meta.url));
let precompiled: Record<string, ValidateFunction> | null | undefined;
let ajv: Ajv | undefined;
const compiled = new Map<string, ValidateFunction>();

/**
 * The build's standalone validators when present: compiling the schemas at start-up costs more than
 * the rest of loading a project. From source, ajv compiles each schema on first use, same options.
 * `name` is a repo schema or a schema built in code (an engine's target settings, profiles.ts).
 */
function validator(name: string, schema: () => object): ValidateFunction {
  precompiled ??= isCurrent(PRECOMPILED) ? (require(PRECOMPILED) as Record<string, ValidateFunction>) : null;
  const built = precompiled?.[name];
  if (built) return built;
  let fn = compiled.get(name);
  if (!fn) {
    ajv ??= new (require('ajv') as typeof import('ajv')).Ajv(AJV_OPTIONS);
    fn = ajv.compile(schema());
    compiled.set(name, fn);
  }
  return fn;
}

/** The precompiled validators exist and no schema was edited after they were built. */
function isCurrent(file: string): boolean {
  const built = statSync(file, { throwIfNoEntry: false })?.mtimeMs;
  return built !== undefined && SCHEMA_NAMES.every((name) => statSync(schemaPath(name)).mtimeMs <= built);
}

function schemaPath(name: SchemaName): string {
  // dist/project/ and framework/project/ sit at the same depth, so one relative path serves both.
  return fileURLToPath(new URL(`../../framework/project/schemas/${name}.schema.json`, import.meta.url));
}

export function readSchema(name: SchemaName): object {
  return JSON.parse(readFileSync(schemaPath(name), 'utf8'));
}

/**
 * Validate `value` (found at `at` inside `file`) against a repo schema; the first problem becomes
 * a ConfigError naming file:line:column, the key, and a suggestion for unknown keys.
 */
export function validate(
  name: SchemaName,
  file: YamlFile,
  value: unknown = file.data,
  at: (string | number)[] = [],
): void {
  validateWith(name, () => readSchema(name), file, value, at);
}

/** `validate` against a schema built in code; `name` keys its precompiled validator (scripts/build-validators.js). */
export function validateWith(
  name: string,
  schema: () => object,
  file: YamlFile,
  value: unknown,
  at: (string | number)[],
): void {
  const fn = validator(name, schema);
  if (fn(value)) return;
  const error = pickError(fn.errors ?? []);
  const path = [...at, ...pointerToPath(error.instancePath)];
  if (error.keyword === 'additionalProperties') {
    const key = String(error.params.additionalProperty);
    const known = Object.keys((error.parentSchema as { properties?: object })?.properties ?? {});
    throw new ConfigError(
      `unknown key "${key}"${path.length ? ` in ${describe(path)}` : ''}`,
      file.locate([...path, key], true),
      didYouMean(key, known) ?? (known.length ? `allowed keys: ${known.join(', ')}` : undefined),
    );
  }
  if (error.keyword === 'required') {
    throw new ConfigError(
      `missing required key "${error.params.missingProperty}" in ${describe(path)}`,
      file.locate(path),
    );
  }
  const allowed = error.keyword === 'enum' ? (error.params.allowedValues as unknown[]).map(String) : undefined;
  const hint =
    allowed && typeof error.data === 'string'
      ? (didYouMean(error.data, allowed) ?? `allowed: ${allowed.join(', ')}`)
      : undefined;
  throw new ConfigError(`${describe(path)} ${error.message}`, file.locate(path), hint);
}

/** The deepest error is the most specific one (anyOf/if-then produce wrapper errors). */
function pickError(errors: ErrorObject[]): ErrorObject {
  return [...errors].sort((a, b) => b.instancePath.length - a.instancePath.length)[0]!;
}

function pointerToPath(pointer: string): (string | number)[] {
  if (!pointer) return [];
  return pointer
    .slice(1)
    .split('/')
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((p) => (/^\d+$/.test(p) ? Number(p) : p));
}

function describe(path: (string | number)[]): string {
  return path.length
    ? `key "${path.map((p) => (typeof p === 'number' ? `[${p}]` : p)).join('.')}"`.replace(/\.\[/g, '[')
    : 'document';
}
