import { ConfigError, ExecutionError, isError, WarningAsError } from '../errors.js';
import { redact } from '../project/secrets.js';
import { didYouMean } from '../project/suggest.js';
import { parseArgs, type ParsedArgs } from './args.js';
import { FLAG_HELP, GENERATOR_FLAGS, PROJECT_FLAGS, SELECT_FLAGS } from './flags.js';

type Command = {
  summary: string;
  /** Positional form, after `framework <command>`. */
  usage?: string;
  examples: string[];
  boolean?: string[];
  value?: string[];
} & (
  | { run(args: ParsedArgs): Promise<number> }
  /** Parses its own command line and help: its flags are declared by project code (generators). */
  | { runArgv(argv: string[]): Promise<number> }
);

const RUN_FLAGS = {
  boolean: ['fail-fast', 'full-refresh', 'wait', 'warn-error'],
  value: [...PROJECT_FLAGS, ...SELECT_FLAGS, 'threads', 'start', 'end'],
};
/** --defer --state <dir>: refs outside the selection read another run's relations (dbt's deferral). */
const DEFER = ['defer', 'favor-state'];
const run = (name: 'run' | 'build' | 'seed' | 'test' | 'clone' | 'snapshot') => async (args: ParsedArgs) =>
  (await import('./commands/run.js')).runCommand(name, args);

/** Each command loads its module on demand: `ls` and `compile` never load an engine they don't use. */
const COMMANDS: Record<string, Command> = {
  debug: {
    summary: 'check configuration and the connection',
    examples: ['framework debug --target prod'],
    value: PROJECT_FLAGS,
    run: async (a) => (await import('./commands/debug.js')).debugCommand(a),
  },
  compile: {
    summary: 'render models and tests to target/compiled, write manifest.json',
    examples: [
      'framework compile',
      'framework compile --select silver+',
      'framework compile --select dim_user --defer --state prod-artifacts',
    ],
    boolean: ['warn-error', ...DEFER],
    value: [...PROJECT_FLAGS, ...SELECT_FLAGS],
    run: async (a) => (await import('./commands/compile.js')).compileCommand(a),
  },
  run: {
    summary: 'build the selected models',
    examples: [
      'framework run --select silver+',
      'framework run --select +fact_user_events --target prod --threads 4',
      'framework run --empty --target prod',
      'framework run --select dim_user --defer --state prod-artifacts',
      'framework run --reconcile-files --target prod',
    ],
    ...RUN_FLAGS,
    boolean: [...RUN_FLAGS.boolean, 'empty', 'reconcile-files', ...DEFER],
    run: run('run'),
  },
  snapshot: {
    summary: 'record the history of the selected snapshots (SCD type 2: dbt_valid_from / dbt_valid_to)',
    examples: ['framework snapshot', 'framework snapshot --select dim_user_history --target prod'],
    boolean: ['fail-fast', 'wait', 'warn-error', 'empty'],
    value: [...PROJECT_FLAGS, ...SELECT_FLAGS, 'threads'],
    run: run('snapshot'),
  },
  seed: {
    summary: 'load CSV seeds',
    examples: ['framework seed', 'framework seed --select dim_event'],
    ...RUN_FLAGS,
    run: run('seed'),
  },
  test: {
    summary: 'run unit tests and data tests of the selection (--unit / --data for one kind)',
    examples: [
      'framework test',
      'framework test --select silver --data',
      'framework test --select test_type:singular',
      'framework test --full',
    ],
    boolean: [...RUN_FLAGS.boolean, 'unit', 'data', 'full', ...DEFER],
    value: RUN_FLAGS.value,
    run: run('test'),
  },
  source: {
    summary: 'source freshness: check loaded_at_field against warn_after/error_after',
    usage: 'source freshness',
    examples: ['framework source freshness --select source:events'],
    boolean: ['warn-error'],
    value: [...PROJECT_FLAGS, ...SELECT_FLAGS],
    run: async (a) => (await import('./commands/source.js')).sourceCommand(a),
  },
  build: {
    summary: 'seeds, models, snapshots and their tests in DAG order',
    examples: [
      'framework build',
      'framework build --select silver+ --target prod',
      'framework build --exclude tag:analytics',
      'framework build --empty --target prod',
      'framework build --select dim_user+ --defer --state prod-artifacts',
    ],
    ...RUN_FLAGS,
    boolean: [...RUN_FLAGS.boolean, 'empty', 'full', 'reconcile-files', ...DEFER],
    value: [...RUN_FLAGS.value, 'resource-type'],
    run: run('build'),
  },
  clone: {
    summary:
      "create the selected models and seeds in this target as views over the --state run's relations (existing ones kept unless --full-refresh)",
    examples: [
      'framework clone --state prod-artifacts',
      'framework clone --select gold --state prod-artifacts --full-refresh',
    ],
    boolean: RUN_FLAGS.boolean,
    value: [...PROJECT_FLAGS, ...SELECT_FLAGS, 'threads'],
    run: run('clone'),
  },
  retry: {
    summary:
      'run the previous run/build/seed/test again (same flags and selection) for the nodes that errored, failed or were skipped',
    examples: ['framework retry', 'framework retry --threads 1'],
    boolean: ['wait'],
    value: ['project-dir', 'log-format', 'threads'],
    run: async (a) => (await import('./commands/retry.js')).retryCommand(a),
  },
  ls: {
    summary: 'list selected nodes',
    examples: [
      'framework ls --select silver+',
      'framework ls -m tag:gold --output json',
      'framework ls --resource-type test --select fact_user_events',
    ],
    boolean: ['warn-error'],
    value: [...PROJECT_FLAGS, ...SELECT_FLAGS, 'output', 'resource-type'],
    run: async (a) => (await import('./commands/ls.js')).lsCommand(a),
  },
  show: {
    summary: 'preview rows of a model or an inline query (--as-of <snapshot|timestamp> on Iceberg)',
    examples: [
      'framework show --select dim_user --limit 5',
      'framework show --inline "select count(*) from {{ref \'user_events_silver\'}}"',
    ],
    boolean: DEFER,
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
    summary:
      'optimize / expire_snapshots / remove_orphan_files per model or project.yml config (Iceberg; DuckDB: CHECKPOINT)',
    examples: ['framework maintain --target prod', 'framework maintain --target prod --wait --select gold'],
    boolean: ['wait'],
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
    examples: [
      'framework schedule install',
      'framework schedule install --scope system --no-enable',
      'framework schedule status',
    ],
    boolean: ['no-enable'],
    value: ['project-dir', 'log-format', 'scope', 'unit-dir', 'name'],
    run: async (a) => (await import('./commands/schedule.js')).scheduleCommand(a),
  },
  clean: {
    summary: 'remove target/',
    examples: ['framework clean'],
    value: PROJECT_FLAGS,
    run: async (a) => (await import('./commands/clean.js')).cleanCommand(a),
  },
  docs: {
    summary: 'docs generate: catalog.json + static site in target/docs; docs serve: serve it',
    usage: 'docs generate|serve',
    examples: [
      'framework docs generate',
      'framework docs generate --empty-catalog',
      'framework docs serve --port 8080',
    ],
    boolean: ['empty-catalog'],
    value: [...PROJECT_FLAGS, 'port'],
    run: async (a) => (await import('./commands/docs.js')).docsCommand(a),
  },
  dashboard: {
    summary: 'static ECharts dashboard of the analytics models in target/dashboard',
    examples: ['framework dashboard'],
    value: PROJECT_FLAGS,
    run: async (a) => (await import('./commands/dashboard.js')).dashboardCommand(a),
  },
  generate: {
    summary:
      "run one of the project's generators (project.yml extensions:), e.g. sample events to staging files, S3 or Kafka",
    usage: 'generate <generator>',
    examples: ['framework generate events --events 100000', 'framework generate events --help'],
    value: GENERATOR_FLAGS,
    runArgv: async (argv) => (await import('./commands/generate.js')).generateCommand(argv),
  },
  ingest: {
    summary:
      "ingest kafka: Kafka records → JSON-lines staging files (S3 or --out dir); ingest staging: new staged files → bronze, each once; ingest status: consumers' health",
    usage: 'ingest kafka|staging|status',
    examples: [
      'framework ingest kafka --brokers 127.0.0.1:19092 --to s3 --until-idle',
      'framework ingest staging --target prod',
      'framework ingest status --output json',
    ],
    boolean: ['until-idle', 'reconcile-files', ...RUN_FLAGS.boolean],
    value: [
      ...new Set([
        ...RUN_FLAGS.value,
        'brokers',
        'topic',
        'group',
        'to',
        'out',
        'bucket',
        'prefix',
        'flush-size',
        'rotate-interval-ms',
        'session-timeout-ms',
        'progress-ms',
        's3-max-attempts',
        'instance',
        'status-dir',
        'output',
      ]),
    ],
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
  return [
    `usage: framework ${c.usage ?? name} [flags]`,
    '',
    c.summary,
    '',
    'flags:',
    ...lines,
    '',
    'examples:',
    ...c.examples.map((e) => `  ${e}`),
  ].join('\n');
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
    if (!command)
      throw new ConfigError(
        `unknown command "${asked}"`,
        undefined,
        didYouMean(asked, Object.keys(COMMANDS)) ?? usage(),
      );
    const askedHelp = name === 'help' || rest.includes('--help') || rest.includes('-h');
    // `generate <name> --help` is the generator's own help; `generate --help` the command's.
    const ownHelp = 'runArgv' in command && name !== 'help' && /^[^-]/.test(rest[0] ?? '');
    if (askedHelp && !ownHelp) {
      process.stdout.write(commandHelp(asked) + '\n');
      return 0;
    }
    if ('runArgv' in command) return await command.runArgv(rest);
    return await command.run(
      parseArgs(rest, { boolean: command.boolean ?? [], value: command.value ?? [] }, `framework ${asked} --help`),
    );
  } catch (error) {
    if (error instanceof WarningAsError) {
      process.stderr.write(redact(`error: ${error.message} (--warn-error)`) + '\n');
      return 1;
    }
    if (isError(error, ConfigError)) {
      process.stderr.write(redact(`error: ${error.format()}`) + '\n');
      return error.exitCode;
    }
    if (isError(error, ExecutionError)) {
      process.stderr.write(redact(`error: ${error.message}`) + '\n');
      return 1;
    }
    process.stderr.write(redact(`internal error: ${(error as Error).stack ?? error}`) + '\n');
    return 1;
  }
}
