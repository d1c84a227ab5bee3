/** Shell wildcards as dbt's selectors read them: Python's fnmatch, and pathlib's glob for `path:`. */
const WILDCARD = /[*?[\]]/;

export function hasWildcard(pattern: string): boolean {
  return WILDCARD.test(pattern);
}

const cache = new Map<string, RegExp>();

/** fnmatch: `*` and `?` cross every character (dots and slashes too); `[abc]`, `[a-z]`, `[!a]`. */
export function fnmatch(text: string, pattern: string): boolean {
  if (!hasWildcard(pattern)) return text === pattern;
  return compiled(`f:${pattern}`, () => toRegExp(pattern, false)).test(text);
}

/** pathlib glob over a relative path: `*` and `?` stay inside one segment, `**` spans segments. */
export function pathMatch(path: string, pattern: string): boolean {
  if (!hasWildcard(pattern)) return path === pattern;
  return compiled(`p:${pattern}`, () => toRegExp(pattern, true)).test(path);
}

function compiled(key: string, make: () => RegExp): RegExp {
  let re = cache.get(key);
  if (!re) cache.set(key, (re = make()));
  return re;
}

function toRegExp(pattern: string, segments: boolean): RegExp {
  const any = segments ? '[^/]' : '.';
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (segments && c === '*' && pattern[i + 1] === '*') {
      // "**/" is zero or more whole directories; a final "**" is everything below.
      const slash = pattern[i + 2] === '/';
      out += slash ? '(?:.*/)?' : '.*';
      i += slash ? 2 : 1;
    } else if (c === '*') out += `${any}*`;
    else if (c === '?') out += any;
    else if (c === '[') {
      const end = pattern.indexOf(']', i + 2);
      if (end < 0) out += '\\[';
      else {
        const body = pattern.slice(i + 1, end).replace(/\\/g, '\\\\');
        out += body.startsWith('!') ? `[^${body.slice(1)}]` : `[${body}]`;
        i = end;
      }
    } else out += c.replace(/[.+^$(){}|\\\]]/g, '\\$&');
  }
  return new RegExp(`^${out}$`, 's');
}
