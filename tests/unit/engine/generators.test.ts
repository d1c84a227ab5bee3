/** `framework generate <name>` runs a generator the project's extensions export (project.yml extensions:). */
import { describe, expect, it } from 'vitest';
import { cli, tempProject } from '../support/project.js';

const GENERATOR = `export const generators = {
  hello: {
    summary: 'writes a greeting',
    flags: { who: 'whom to greet' },
    examples: ['framework generate hello --who you'],
    async run({ flag, ingest, info }) {
      info('hello ' + (flag('who') ?? 'world') + ' on ' + ingest.topic, { event: 'hello' });
      return 0;
    },
  },
};
`;

const project = (extensions = '[ext/hello.ts]') =>
  tempProject({ 'project.yml': `name: t\nextensions: ${extensions}\ningest: {topic: events}\n`, 'ext/hello.ts': GENERATOR });

describe('project generators', () => {
  it("runs the generator with its flags and the project's ingest settings", async () => {
    const result = await cli(project(), 'generate', 'hello', '--who', 'you');
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('hello you on events');
  });

  it('lists its own flags under generate <name> --help', async () => {
    const result = await cli(project(), 'generate', 'hello', '--help');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^usage: framework generate hello/);
    expect(result.stdout).toMatch(/--who <value> +whom to greet/);
  });

  it('names an unknown generator or flag with a suggestion (exit 2)', async () => {
    const unknown = await cli(project(), 'generate', 'helo');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown generator "helo"');
    expect(unknown.stderr).toContain('did you mean "hello"');
    const flag = await cli(project(), 'generate', 'hello', '--woh', 'x');
    expect(flag.code).toBe(2);
    expect(flag.stderr).toContain('unknown flag --woh');
  });

  it('points at the project.yml line of an extension that is not there', async () => {
    const result = await cli(project('\n  - ext/hello.ts\n  - ext/missing.ts'), 'generate', 'hello');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('project.yml:4:5: extension "ext/missing.ts" not found');
  });

  it('says how to declare one when the project has none', async () => {
    const result = await cli(tempProject({}), 'generate', 'events');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('the project declares no generators');
  });
});
