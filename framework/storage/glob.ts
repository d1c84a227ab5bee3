import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { StoredFile } from './object-store.js';

const WILDCARD = /[*?[{]/;

/** A glob as a regular expression over whole paths: `**` spans directories, `*` and `?` do not, `{a,b}` alternates. */
export function globToRegExp(pattern: string): RegExp {
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '*' && pattern[i + 1] === '*') {
      // "**/" matches zero or more whole directories; a trailing "**" anything at all.
      if (pattern[i + 2] === '/') {
        out += '(?:.*/)?';
        i += 2;
      } else {
        out += '.*';
        i += 1;
      }
    } else if (c === '*') out += '[^/]*';
    else if (c === '?') out += '[^/]';
    else if (c === '{') out += '(?:';
    else if (c === '}') out += ')';
    else if (c === ',' && out.lastIndexOf('(?:') > out.lastIndexOf(')')) out += '|';
    else if (c === '[') {
      const end = pattern.indexOf(']', i);
      out += end > i ? pattern.slice(i, end + 1) : '\\[';
      if (end > i) i = end;
    } else out += c.replace(/[.+^$()|\\]/g, '\\$&');
  }
  return new RegExp(`^${out}$`);
}

/**
 * Files matching an absolute glob (or every file under a directory), with size and modification
 * time. Only the directory before the first wildcard is walked. Synchronous on purpose: Node 20's
 * recursive readdir is 4× slower async (0.6 s vs 0.14 s over 33,000 entries).
 */
export function listGlob(pattern: string): StoredFile[] {
  const segments = pattern.split('/');
  const firstWild = segments.findIndex((s) => WILDCARD.test(s));
  if (firstWild < 0) {
    const info = statOrUndefined(pattern);
    if (!info) return [];
    if (info.isFile()) return [{ path: pattern, size: info.size, modifiedAt: info.mtime }];
    return listGlob(join(pattern, '**', '*'));
  }
  const base = segments.slice(0, firstWild).join('/') || '/';
  const matcher = globToRegExp(pattern);
  if (!statOrUndefined(base)?.isDirectory()) return [];
  const entries = readdirSync(base, { recursive: true, withFileTypes: true });
  const paths = entries.filter((e) => e.isFile()).map((e) => join(e.parentPath ?? e.path, e.name)).filter((p) => matcher.test(p));
  return paths.sort().map((path) => {
    const info = statSync(path);
    return { path, size: info.size, modifiedAt: info.mtime };
  });
}

function statOrUndefined(path: string) {
  return statSync(path, { throwIfNoEntry: false });
}
