import { describe, expect, it } from 'vitest';
import { commandFlags, commandNames } from '../../../framework/cli/main.js';
import { FLAG_HELP } from '../../../framework/cli/flags.js';
import { cli, tempProject } from '../support/project.js';

describe('every command explains itself', () => {
  it.each(commandNames())('framework %s --help: usage, each flag with a line, examples; exit 0', async (name) => {
    for (const form of [[name, '--help'], [name, '-h'], ['help', name]]) {
      const result = await cli(tempProject({}), ...form);
      expect(result.code, result.stderr).toBe(0);
      const text = result.stdout;
      expect(text).toMatch(new RegExp(`^usage: framework ${name}\\b`));
      for (const flag of commandFlags(name)) expect(text).toContain(`--${flag}`);
      expect(text).toMatch(/\nexamples:\n {2}framework /);
    }
  });

  it.each(commandNames())('every flag of %s has a description', (name) => {
    for (const flag of commandFlags(name)) expect(FLAG_HELP[flag], `--${flag}`).toBeTruthy();
  });

  it('an unknown flag stays an error (exit 2) that lists the command\'s flags', async () => {
    const result = await cli(tempProject({}), 'ingest', 'kafka', '--brokerz', 'x');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('unknown flag --brokerz');
    expect(result.stderr).toContain('did you mean "brokers"');
    expect(result.stderr).toContain('--rotate-interval-ms');
    expect(result.stderr).toContain('framework ingest --help');
  });

  it('framework help alone lists the commands; an unknown one is an error', async () => {
    const root = tempProject({});
    const all = await cli(root, 'help');
    expect(all.code).toBe(0);
    for (const name of commandNames()) expect(all.stdout).toContain(`  ${name} `);
    const unknown = await cli(root, 'help', 'bild');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('did you mean "build"');
  });
});
