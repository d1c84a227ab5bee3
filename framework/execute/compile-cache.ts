import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
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
 * vars, target, macros, the environment variables templates used, the framework's own code), the
 * previous manifest is reused instead of rendering every template again. FRAMEWORK_NO_CACHE=1
 * turns it off.
 */
export function compileKey(project: Project): string {
  const hash = createHash('sha256');
  hash.update(FRAMEWORK_VERSION);
  hash.update(frameworkStamp());
  hash.update(
    JSON.stringify({
      target: { name: project.target.name, type: project.target.type, schema: project.target.schema },
      vars: project.vars,
    }),
  );
  for (const node of project.nodes.values()) hash.update(JSON.stringify(node));
  for (const macro of project.macros) {
    hash.update(macro.path);
    hash.update(macro.body ?? `${statSync(macro.path).mtimeMs}:${statSync(macro.path).size}`);
  }
  return hash.digest('hex');
}

const FRAMEWORK_ROOT = dirname(dirname(fileURLToPath(import.meta.url)));
let stamp: string | undefined;

/**
 * The framework's own files (names, sizes, times), so an upgrade that changes how nodes compile
 * (test names, config defaults) never reuses a manifest an older build wrote, even at the same
 * version. Read once per process for the framework's own folder.
 */
export function frameworkStamp(root = FRAMEWORK_ROOT): string {
  if (root === FRAMEWORK_ROOT && stamp !== undefined) return stamp;
  const hash = createHash('sha256');
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (/\.(js|ts)$/.test(entry.name)) {
        const { size, mtimeMs } = statSync(path);
        hash.update(`${path}:${size}:${mtimeMs}\n`);
      }
    }
  };
  walk(root);
  const value = hash.digest('hex');
  if (root === FRAMEWORK_ROOT) stamp = value;
  return value;
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
