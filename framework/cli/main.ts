import { ConfigError, ExecutionError, WarningAsError } from '../errors.js';
import { redact } from '../project/secrets.js';
import { didYouMean } from '../project/suggest.js';
import { parseArgs, type ParsedArgs } from './args.js';
import { FLAG_HELP, PROJECT_FLAGS, SELECT_FLAGS } from './flags.js';

interface Command {
  summary: string;
  /** Positional form, after `framework <command>`. */
  usage?: string;
  examples: string[];
  boolean?: string[];
  value?: string[];
  run(args: ParsedArgs): Promise<number>;
}

const RUN_FLAGS = { boolean: ['fail-fast', 'full-refresh', 'wait', 'warn-error'], value: [...PROJECT_FLAGS, ...SELECT_FLAGS, 'threads', 'start', 'end'] };
const run = (name: 'run' | 'build' | 'seed' | 'test') => async (args: ParsedArgs) => (await import('./commands/run.js')).runCommand(name, args);

/** Each command loads its module on demand: `ls` and `compile` never load an engine they don't use. */
const COMMANDS: Record<string, Command> = {
  debug: { summary: 'check configuration and the connection', examples: ['framework debug --target prod'], value: PROJECT_FLAGS, run: async (a) => (await import('./commands/debug.js')).debugCommand(a) },
  compile: {
    summary: 'render models and tests to target/compiled, write manifest.json',
    examples: ['framework compile', 'framework compile --select silver+'],
    boolean: ['warn-error'],
    value: [...PROJECT_FLAGS, ...SELECT_FLAGS],
    run: async (a) => (await import('./commands/compile.js')).compileCommand(a),
  },
  run: {
    summary: 'build the selected models',
    examples: ['framework run --select silver+', 'framework run --select +fact_user_events --target prod --threads 4', 'framework run --empty --target prod'],
    ...RUN_FLAGS,
    boolean: [...RUN_FLAGS.boolean, 'empty'],
    run: run('run'),
  },
  seed: { summary: 'load CSV seeds', examples: ['framework seed', 'framework seed --select dim_event'], ...RUN_FLAGS, run: run('seed') },
  test: {
    summary: 'run unit tests and data tests of the selection (--unit / --data for one kind)',
    examples: ['framework test', 'framework test --select silver --data', 'framework test --select test_type:singular', 'framework test --full'],
    boolean: [...RUN_FLAGS.boolean, 'unit', 'data', 'full'],
    value: RUN_FLAGS.value,
    run: run('test'),
  },
  source: {
    summary: 'source freshness: check loaded_at_field against warn_after/error_after',
    usage: 'source freshness',
    examples: ['framework source freshness --select source:reciping'],
    boolean: ['warn-error'],
    value: [...PROJECT_FLAGS, ...SELECT_FLAGS],
    run: async (a) => (await import('./commands/source.js')).sourceCommand(a),
  },
  build: {
    summary: 'seeds, models and their tests in DAG order',
    examples: ['framework build', 'framework build --select silver+ --target prod', 'framework build --exclude tag:analytics', 'framework build --empty --target prod'],
    ...RUN_FLAGS,
    boolean: [...RUN_FLAGS.boolean, 'empty', 'full'],
    value: [...RUN_FLAGS.value, 'resource-type'],
    run: run('build'),
  },
  retry: {
    summary: 'run the previous run/build/seed/test again (same flags and selection) for the nodes that errored, failed or were skipped',
    examples: ['framework retry', 'framework retry --threads 1'],
    boolean: ['wait'],
    value: ['project-dir', 'log-format', 'threads'],
    run: async (a) => (await import('./commands/retry.js')).retryCommand(a),
  },
  ls: {
    summary: 'list selected nodes',
    examples: ['framework ls --select silver+', 'framework ls -m tag:gold --output json', 'framework ls --resource-type test --select fact_user_events'],
    boolean: ['warn-error'],
    value: [...PROJECT_FLAGS, ...SELECT_FLAGS, 'output', 'resource-type'],
    run: async (a) => (await import('./commands/ls.js')).lsCommand(a),
  },
  show: {
    summary: 'preview rows of a model or an inline query (--as-of <snapshot|timestamp> on Iceberg)',
    examples: ['framework show --select dim_user --limit 5', 'framework show --inline "select count(*) from {{ref \'user_events_silver\'}}"'],
    value: [...PROJECT_FLAGS, 'select', 'inline', 'limit', 'output', 'as-of'],
    run: async (a) => (await import('./commands/show.js')).showCommand(a),
  },
  rollback: {
    summary: 'restore the tables a run wrote to their snapshots before it (Iceberg)',
    examples: ['framework rollback --target prod', 'framework rollback --target prod --select gold'],
    value: [...PROJECT_FLAGS, ...SELECT_FLAGS, 'run-results'],
    run: async (a) => (await import('./commands/iceberg.js')).rollbackCommand(a),
  },
  maintain: {
    summary: 'optimize / expire_snapshots / remove_orphan_files per model config (Iceberg)',
    examples: ['framework maintain --target prod'],
    value: [...PROJECT_FLAGS, ...SELECT_FLAGS],
    run: async (a) => (await import('./commands/iceberg.js')).maintainCommand(a),
  },
  intervals: {
    summary: 'done, missing and late-input intervals of interval models',
    examples: ['framework intervals', 'framework intervals --select user_events_silver --output json'],
    value: [...PROJECT_FLAGS, ...SELECT_FLAGS, 'end', 'output'],
    run: async (a) => (await import('./commands/intervals.js')).intervalsCommand(a),
  },
  schedule: {
    summary: 'project.yml schedules as systemd timers',
    usage: 'schedule install|uninstall|status',
    examples: ['framework schedule install', 'framework schedule install --scope system --no-enable', 'framework schedule status'],
    boolean: ['no-enable'],
    value: ['project-dir', 'log-format', 'scope', 'unit-dir', 'name'],
    run: async (a) => (await import('./commands/schedule.js')).scheduleCommand(a),
  },
  clean: { summary: 'remove target/', examples: ['framework clean'], value: PROJECT_FLAGS, run: async (a) => (await import('./commands/clean.js')).cleanCommand(a) },
  docs: {
    summary: 'docs generate: catalog.json + static site in target/docs; docs serve: serve it',
    usage: 'docs generate|serve',
    examples: ['framework docs generate', 'framework docs generate --empty-catalog', 'framework docs serve --port 8080'],
    boolean: ['empty-catalog'],
    value: [...PROJECT_FLAGS, 'port'],
    run: async (a) => (await import('./commands/docs.js')).docsCommand(a),
  },
  dashboard: { summary: 'static ECharts dashboard of the analytics models in target/dashboard', examples: ['framework dashboard'], value: PROJECT_FLAGS, run: async (a) => (await import('./commands/dashboard.js')).dashboardCommand(a) },
  generate: {
    summary: 'generate Reciping events to staging files, S3 or Kafka',
    usage: 'generate events',
    examples: ['framework generate events --events 100000', 'framework generate events --mode window --windows 4 --to kafka --brokers 127.0.0.1:19092'],
    value: ['project-dir', 'log-format', 'seed', 'mode', 'start', 'end', 'events', 'windows', 'duplicate-rate', 'malformed-rate', 'encoded-rate', 'out', 'to', 'topic', 'brokers', 'bucket', 'prefix'],
    run: async (a) => (await import('./commands/generate.js')).generateCommand(a),
  },
  ingest: {
    summary: 'ingest kafka: Kafka records → JSON-lines staging files (S3 or --out dir); ingest staging: new staged files → bronze, each once',
    usage: 'ingest kafka|staging',
    examples: ['framework ingest kafka --brokers 127.0.0.1:19092 --to s3 --until-idle', 'framework ingest staging --target prod'],
    boolean: ['until-idle', ...RUN_FLAGS.boolean],
    value: [...new Set([...RUN_FLAGS.value, 'brokers', 'topic', 'group', 'to', 'out', 'bucket', 'prefix', 'flush-size', 'rotate-interval-ms', 'session-timeout-ms', 'progress-ms', 's3-max-attempts'])],
    run: async (a) => (await import('./commands/ingest.js')).ingestCommand(a),
  },
};

function usage(): string {
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(10)} ${c.summary}`);
  return `usage: framework <command> [flags]\n\ncommands:\n${lines.join('\n')}\n\nframework <command> --help (or framework help <command>) lists a command's flags with examples.`;
}

/** `framework <command> --help`: usage, every flag with one line, examples. */
export function commandHelp(name: string): string {
  const c = COMMANDS[name]!;
  const takesValue = (f: string) => (c.value ?? []).includes(f) && !(c.boolean ?? []).includes(f);
  const labels = commandFlags(c).map((f) => [`--${f}${takesValue(f) ? ' <value>' : ''}`, FLAG_HELP[f] ?? ''] as const);
  const width = Math.max(...labels.map(([l]) => l.length)) + 2;
  const lines = labels.map(([label, text]) => `  ${label.padEnd(width)}${text}`);
  return [`usage: framework ${c.usage ?? name} [flags]`, '', c.summary, '', 'flags:', ...lines, '', 'examples:', ...c.examples.map((e) => `  ${e}`)].join('\n');
}

export function commandNames(): string[] {
  return Object.keys(COMMANDS);
}

export function commandFlags(c: Command | string): string[] {
  const command = typeof c === 'string' ? COMMANDS[c]! : c;
  return [...new Set([...(command.boolean ?? []), ...(command.value ?? []), 'help'])];
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  const asked = name === 'help' ? (rest[0]?.startsWith('-') ? undefined : rest[0]) : name;
  if (!asked || asked === '--help' || asked === '-h') {
    process.stdout.write(usage() + '\n');
    return name ? 0 : 2;
  }
  const command = COMMANDS[asked];
  try {
    if (!command) throw new ConfigError(`unknown command "${asked}"`, undefined, didYouMean(asked, Object.keys(COMMANDS)) ?? usage());
    if (name === 'help' || rest.includes('--help') || rest.includes('-h')) {
      process.stdout.write(commandHelp(asked) + '\n');
      return 0;
    }
    return await command.run(parseArgs(rest, { boolean: command.boolean ?? [], value: command.value ?? [] }, `framework ${asked} --help`));
  } catch (error) {
    if (error instanceof WarningAsError) {
      process.stderr.write(redact(`error: ${error.message} (--warn-error)`) + '\n');
      return 1;
    }
    if (error instanceof ConfigError) {
      process.stderr.write(redact(`error: ${error.format()}`) + '\n');
      return error.exitCode;
    }
    if (error instanceof ExecutionError) {
      process.stderr.write(redact(`error: ${error.message}`) + '\n');
      return 1;
    }
    process.stderr.write(redact(`internal error: ${(error as Error).stack ?? error}`) + '\n');
    return 1;
  }
}
