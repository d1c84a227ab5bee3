import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { ConfigError } from '../errors.js';
import { didYouMean } from './suggest.js';
import type { YamlFile } from './yaml-file.js';

export type SchemaName = 'project' | 'profiles' | 'properties' | 'selectors' | 'config';

const ajv = new Ajv({ allErrors: false, verbose: true, strict: false });
const compiled = new Map<SchemaName, ValidateFunction>();

function validator(name: SchemaName): ValidateFunction {
  let fn = compiled.get(name);
  if (!fn) {
    // dist/project/ and framework/project/ sit at the same depth, so one relative path serves both.
    const path = fileURLToPath(new URL(`../../framework/project/schemas/${name}.schema.json`, import.meta.url));
    fn = ajv.compile(JSON.parse(readFileSync(path, 'utf8')));
    compiled.set(name, fn);
  }
  return fn;
}

/**
 * Validate `value` (found at `at` inside `file`) against a repo schema; the first problem becomes
 * a ConfigError naming file:line:column, the key, and a suggestion for unknown keys.
 */
export function validate(name: SchemaName, file: YamlFile, value: unknown = file.data, at: (string | number)[] = []): void {
  const fn = validator(name);
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
    throw new ConfigError(`missing required key "${error.params.missingProperty}" in ${describe(path)}`, file.locate(path));
  }
  const allowed = error.keyword === 'enum' ? (error.params.allowedValues as unknown[]).map(String) : undefined;
  const hint =
    allowed && typeof error.data === 'string' ? (didYouMean(error.data, allowed) ?? `allowed: ${allowed.join(', ')}`) : undefined;
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
  return path.length ? `key "${path.map((p) => (typeof p === 'number' ? `[${p}]` : p)).join('.')}"`.replace(/\.\[/g, '[') : 'document';
}
