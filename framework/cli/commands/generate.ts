import { resolve } from 'node:path';
import { ConfigError } from '../../errors.js';
import { didYouMean } from '../../project/suggest.js';
import { flag, parseArgs } from '../args.js';
import { projectIngest, reporter } from '../common.js';
import { loadGenerators, type Generator } from '../extensions.js';
import { FLAG_HELP, GENERATOR_FLAGS } from '../flags.js';

/** `framework generate <name>`: one of the generators the project's extensions export. */
export async function generateCommand(argv: string[]): Promise<number> {
  const projectDir = resolve(projectDirOf(argv) ?? '.');
  const generators = await loadGenerators(projectDir);
  const name = argv[0]?.startsWith('-') ? undefined : argv[0];
  if (name === undefined) throw new ConfigError('generate: name a generator', undefined, overview(generators));
  const generator = generators.get(name);
  if (!generator)
    throw new ConfigError(
      `generate: unknown generator "${name}"`,
      undefined,
      didYouMean(name, [...generators.keys()]) ?? overview(generators),
    );
  if (argv.includes('--help') || argv.includes('-h')) return print(generatorHelp(name, generator));
  const known = [...GENERATOR_FLAGS, ...Object.keys(generator.flags)];
  const args = parseArgs(argv.slice(1), { boolean: [], value: known }, `framework generate ${name} --help`);
  if (args.positionals.length) throw new ConfigError(`generate ${name}: unexpected argument "${args.positionals[0]}"`);
  const log = reporter(args);
  return generator.run({
    projectDir,
    ingest: projectIngest(projectDir),
    flag: (f) => flag(args, f),
    info: (message, fields) => log.info(message, fields),
  });
}

/** --project-dir is read before the generator (and so its flags) is known. */
function projectDirOf(argv: string[]): string | undefined {
  const i = argv.findIndex((a) => a === '--project-dir' || a.startsWith('--project-dir='));
  if (i < 0) return undefined;
  return argv[i]!.includes('=') ? argv[i]!.split(/=(.*)/s)[1] : argv[i + 1];
}

function overview(generators: Map<string, Generator>): string {
  if (!generators.size)
    return 'the project declares no generators (project.yml extensions: [path], a module exporting `generators`)';
  return `generators of this project:\n${[...generators].map(([n, g]) => `  ${n.padEnd(12)} ${g.summary}`).join('\n')}`;
}

function generatorHelp(name: string, generator: Generator): string {
  const flags = [...GENERATOR_FLAGS.map((f) => [f, FLAG_HELP[f] ?? ''] as const), ...Object.entries(generator.flags)];
  const width = Math.max(...flags.map(([f]) => f.length)) + 12;
  return [
    `usage: framework generate ${name} [flags]`,
    '',
    generator.summary,
    '',
    'flags:',
    ...flags.map(([f, text]) => `  ${`--${f} <value>`.padEnd(width)}${text}`),
    '',
    'examples:',
    ...generator.examples.map((e) => `  ${e}`),
  ].join('\n');
}

function print(text: string): number {
  process.stdout.write(text + '\n');
  return 0;
}
