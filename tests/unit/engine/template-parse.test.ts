import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Handlebars from 'handlebars';
import { describe, expect, it } from 'vitest';
import { parseTemplate, scanTemplate } from '../../../framework/template/parse.js';

// The scanner must build exactly handlebars' tree, or leave the template to handlebars.
const root = join(import.meta.dirname, '../../..');
/** JSON that keeps `undefined` members (hash: undefined, loc.source: undefined) visible. */
const shape = (tree: unknown) => JSON.stringify(tree, (_, v: unknown) => (v === undefined ? '<undefined>' : v));

function handlebars(source: string): string | Error {
  try {
    return shape(Handlebars.parse(source));
  } catch (error) {
    return error as Error;
  }
}

/** Scanned: the same tree as handlebars; not scanned: parseTemplate still gives handlebars' tree. */
function check(source: string): boolean {
  const expected = handlebars(source);
  const scanned = scanTemplate(source);
  if (expected instanceof Error) {
    expect(scanned, source).toBeUndefined();
    return false;
  }
  if (scanned) expect(shape(scanned), source).toBe(expected);
  expect(shape(parseTemplate(source)), source).toBe(expected);
  return scanned !== undefined;
}

function sqlFiles(dir: string): string[] {
  return readdirSync(join(root, dir), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.sql'))
    .map((f) => readFileSync(join(root, dir, f), 'utf8'));
}

/** Deterministic pseudo-random numbers (mulberry32). */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), seed | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('template scanner', () => {
  it('reads text with helper calls, literals, paths, hashes and sub expressions as handlebars does', () => {
    const simple = [
      '',
      'select 1',
      'select {{a}} x',
      '{{ref "m_1"}}',
      "select id, {{add_one \"value\"}} as value\nfrom {{ref 'm_0'}}\nwhere id > {{var \"min_id\"}}\n",
      '{{ref "m_1" 2 true x.y/z -1.5 null undefined false 0.25}}\nfoo\n  {{b}}',
      '{{a (b "x" k=1) k = x.y j=(c)}}',
      '{{config materialized="table" tags=(list "a" "b") n=3}}select 1',
      '{{ a\n  "x"\n}}{{b}}{{c}}',
      '{{x "a""b" (c)(d) "e"f}}',
      '{{a-b c:d e?f 12abc}}',
      '{{true.x}} {{null.y}}',
      'tail }} and { braces }',
      'ünïcødé {{ref "ü"}} €',
      '{{elsewhere}}',
    ];
    for (const source of simple) expect(check(source), source).toBe(true);
  });

  it('leaves everything else to handlebars, which builds the same tree or the same error', () => {
    const other = [
      '{{#if a}}x{{/if}}',
      '{{!-- c --}}select',
      '{{! c }}',
      '{{~a}}',
      '{{a~}}',
      '{{{a}}}',
      '{{&a}}',
      '{{> p}}',
      '{{^a}}x{{/a}}',
      '{{else}}',
      '{{ else x}}',
      '\\{{a}}',
      '\\\\{{a}}',
      'a\r\nb{{c}}',
      '{{this}}',
      '{{this.a}}',
      '{{../a}}',
      '{{a.}}',
      '{{a..b}}',
      '{{@root}}',
      '{{[a b]}}',
      '{{a "x\\"y"}}',
      '{{a as |x|}}',
      '{{a}}}',
      '{{}}',
      '{{ }}',
      '{{a',
      '{{a (b}}',
      '{{a k=1 b}}',
      '{{a b.c=1}}',
      '{{a=1}}',
      '{{a(b)}}',
      '{{a 1"x"}}',
      '{{1}}',
      '{{"x"}}',
      '{{"a""b"}}',
      '{{a.1}}',
      '{{*a}}',
      'x\u2028{{a}}',
    ];
    for (const source of other) expect(check(source), source).toBe(false);
  });

  it('agrees with handlebars on every template of the project and on random ones', () => {
    for (const source of [...sqlFiles('models'), ...sqlFiles('macros'), ...sqlFiles('tests')]) check(source);
    const pieces = ['{{', '}}', ' ', '\n', '\t', 'a', 'ref', '"x"', "'y'", '"', '1', '-2.5', 'true', 'null', 'undefined', '.', '/', '=', '(', ')',
      'k=', 'this', '..', '#if', '/if', '~', '!', '@', '[', ']', '\\', 'as |x|', '}', '{', 'else', 'b.c', 'x/y', 'select ', '-'];
    const next = random(9);
    let scanned = 0;
    for (let i = 0; i < 20_000; i++) {
      const length = 1 + Math.floor(next() * 12);
      let source = '';
      for (let j = 0; j < length; j++) source += pieces[Math.floor(next() * pieces.length)];
      // Half of them shaped as calls, so that many are within what the scanner reads.
      if (i % 2) source = `x {{${source.replace(/[{}]/g, '')}}} y`;
      if (check(source)) scanned++;
    }
    expect(scanned).toBeGreaterThan(1000);
  });
});
