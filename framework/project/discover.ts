import { existsSync, readdirSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

/** Files under `dir` (relative to `root`, with forward slashes) whose names end in one of `extensions`, sorted. */
export function listFiles(root: string, dir: string, extensions: string[]): string[] {
  const base = join(root, dir);
  if (!existsSync(base)) return [];
  const out: string[] = [];
  const walk = (abs: string): void => {
    for (const entry of readdirSync(abs, { withFileTypes: true })) {
      if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
      const path = join(abs, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (extensions.some((e) => entry.name.endsWith(e))) out.push(relative(root, path).split(sep).join('/'));
    }
  };
  walk(base);
  return out.sort();
}

/** Folder names between the resource root and the file: models/gold/dims/x.sql → ['gold', 'dims']. */
export function foldersOf(relPath: string, resourceDir: string): string[] {
  const inner = relPath.slice(resourceDir.replace(/\/$/, '').length + 1).split('/');
  return inner.slice(0, -1);
}

export function baseName(relPath: string): string {
  const file = relPath.split('/').pop()!;
  return file.slice(0, file.indexOf('.'));
}
