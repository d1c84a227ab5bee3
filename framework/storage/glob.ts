import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { StoredFile } from './object-store.js';
import { visit } from './partition-time.js';

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

/** Files a listing found, with what it cost: objects seen and list calls (directory reads, S3 requests). */
export interface Listing {
  files: StoredFile[];
  objects: number;
  calls: number;
}

/** Files matching an absolute glob (or every file under a directory), with size and modification time. */
export function listGlob(pattern: string): StoredFile[] {
  return walkGlob(pattern).files;
}

/**
 * Files matching an absolute glob (or every file under a directory), in partitions from `since`
 * (wall clock, partition-time.ts; undefined: all). Only the directory before the first wildcard is
 * walked, and of it only directories that can hold such partitions. Synchronous on purpose: Node
 * 20's recursive readdir is 4× slower async (0.6 s vs 0.14 s over 33,000 entries).
 */
export function walkGlob(pattern: string, since?: number): Listing {
  const segments = pattern.split('/');
  const firstWild = segments.findIndex((s) => WILDCARD.test(s));
  if (firstWild < 0) {
    const info = statOrUndefined(pattern);
    if (info?.isDirectory()) return walkGlob(join(pattern, '**', '*'), since);
    return {
      files: info?.isFile() ? [{ path: pattern, size: info.size, modifiedAt: info.mtime }] : [],
      objects: info ? 1 : 0,
      calls: 1,
    };
  }
  const base = segments.slice(0, firstWild).join('/') || '/';
  const matcher = globToRegExp(pattern);
  const listing: Listing = { files: [], objects: 0, calls: 0 };
  const paths: string[] = [];
  const walk = (dir: string, how: 'all' | 'walk') => {
    listing.calls++;
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        const next = how === 'all' ? 'all' : visit(path, since);
        if (next !== 'skip') walk(path, next);
      } else if (entry.isFile()) {
        listing.objects++;
        if (matcher.test(path)) paths.push(path);
      }
    }
  };
  const first = visit(base, since);
  if (!statOrUndefined(base)?.isDirectory() || first === 'skip') return { ...listing, calls: 1 };
  walk(base, first);
  listing.files = paths.sort().map((path) => {
    const info = statSync(path);
    return { path, size: info.size, modifiedAt: info.mtime };
  });
  return listing;
}

function statOrUndefined(path: string) {
  return statSync(path, { throwIfNoEntry: false });
}
