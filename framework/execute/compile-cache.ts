import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { envNamesRead, envVar } from '../project/env-var.js';
import type { Project } from '../project/types.js';
import { FRAMEWORK_VERSION } from '../template/compile.js';
import type { Manifest } from '../template/manifest.js';
import { writeJson } from './artifacts.js';

interface CacheFile {
  key: string;
  /** Environment variables the templates read, with a hash of each value at compile time. */
  env: Record<string, string>;
  manifest: Manifest;
}

/**
 * Partial parsing, whole-project grain: when nothing a compile reads has changed (files, config,
 * vars, target, macros, the environment variables templates used, the framework version), the
 * previous manifest is reused instead of rendering every template again. FRAMEWORK_NO_CACHE=1
 * turns it off.
 */
export function compileKey(project: Project): string {
  const hash = createHash('sha256');
  hash.update(FRAMEWORK_VERSION);
  hash.update(JSON.stringify({ target: { name: project.target.name, type: project.target.type, schema: project.target.schema }, vars: project.vars }));
  for (const node of project.nodes.values()) hash.update(JSON.stringify(node));
  for (const macro of project.macros) {
    hash.update(macro.path);
    hash.update(macro.body ?? `${statSync(macro.path).mtimeMs}:${statSync(macro.path).size}`);
  }
  return hash.digest('hex');
}

export function readCompileCache(path: string, key: string): Manifest | undefined {
  if (process.env.FRAMEWORK_NO_CACHE === '1' || !existsSync(path)) return undefined;
  try {
    const cache = JSON.parse(readFileSync(path, 'utf8')) as CacheFile;
    if (cache.key !== key) return undefined;
    for (const [name, digest] of Object.entries(cache.env)) {
      if (valueHash(process.env[name]) !== digest) return undefined;
      // Reading it again registers secret-looking values for redaction, as a render would have.
      if (process.env[name] !== undefined) envVar(name, undefined);
    }
    return cache.manifest;
  } catch {
    return undefined; // unreadable or from another version: compile afresh
  }
}

export function writeCompileCache(path: string, key: string, manifest: Manifest): void {
  if (process.env.FRAMEWORK_NO_CACHE === '1') return;
  const env = Object.fromEntries(envNamesRead().map((name) => [name, valueHash(process.env[name])]));
  writeJson(path, { key, env, manifest } satisfies CacheFile);
}

function valueHash(value: string | undefined): string {
  return value === undefined ? 'unset' : createHash('sha256').update(value).digest('hex');
}
