import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../support/project.js';
import { copyProject } from '../reciping/support.js';

// The README's CLI block, run as printed (without `npx framework`), in order, on a copy of Reciping.
const readme = readFileSync(join(import.meta.dirname, '../../../README.md'), 'utf8');
const block = readme.slice(readme.indexOf('## CLI'));
const examples = block
  .slice(block.indexOf('```\n') + 4, block.indexOf('\n```', block.indexOf('```\n') + 4))
  .split('\n')
  .map((line) => line.split(/\s{2,}/)[0]!)
  .filter((line) => line.startsWith('npx framework '));

describe('README examples run as printed', () => {
  const root = copyProject();

  it('the block holds the commands a new user types first', () => {
    expect(examples.length).toBeGreaterThanOrEqual(10);
    expect(examples).toContain('npx framework run --select silver+');
  });

  it.each(examples)('%s', async (example) => {
    const words = [...example.slice('npx framework '.length).matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2]!);
    const result = await cli(root, ...words);
    expect(result.code, `${result.stdout.slice(-2000)}\n${result.stderr}`).toBe(0);
    expect(result.stderr).not.toContain('nothing selected');
  });
});
