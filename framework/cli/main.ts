import { ConfigError, ExecutionError } from '../errors.js';
import { redact } from '../project/secrets.js';
import { didYouMean } from '../project/suggest.js';
import { parseArgs, type ParsedArgs } from './args.js';
import { PROJECT_FLAGS, SELECT_FLAGS } from './common.js';

interface Command {
  summary: string;
  boolean?: string[];
  value?: string[];
  run(args: ParsedArgs): Promise<number>;
}

const RUN_FLAGS = { boolean: ['fail-fast', 'full-refresh', 'wait'], value: [...PROJECT_FLAGS, ...SELECT_FLAGS, 'threads', 'start', 'end'] };
const run = (name: 'run' | 'build' | 'seed' | 'test') => async (args: ParsedArgs) => (await import('./commands/run.js')).runCommand(name, args);

/** Each command loads its module on demand: `ls` and `compile` never load an engine they don't use. */
const COMMANDS: Record<string, Command> = {
  debug: { summary: 'check configuration and the connection', value: PROJECT_FLAGS, run: async (a) => (await import('./commands/debug.js')).debugCommand(a) },
  compile: { summary: 'render models and tests to target/compiled, write manifest.json', value: [...PROJECT_FLAGS, ...SELECT_FLAGS], run: async (a) => (await import('./commands/compile.js')).compileCommand(a) },
  run: { summary: 'build the selected models', ...RUN_FLAGS, run: run('run') },
  seed: { summary: 'load CSV seeds', ...RUN_FLAGS, run: run('seed') },
  test: { summary: 'run unit tests and data tests of the selection (--unit / --data for one kind)', boolean: [...RUN_FLAGS.boolean, 'unit', 'data'], value: RUN_FLAGS.value, run: run('test') },
  source: { summary: 'source freshness: check loaded_at_field against warn_after/error_after', value: [...PROJECT_FLAGS, ...SELECT_FLAGS], run: async (a) => (await import('./commands/source.js')).sourceCommand(a) },
  build: { summary: 'seeds, models and their tests in DAG order', ...RUN_FLAGS, run: run('build') },
  ls: { summary: 'list selected nodes', value: [...PROJECT_FLAGS, ...SELECT_FLAGS, 'output', 'resource-type'], run: async (a) => (await import('./commands/ls.js')).lsCommand(a) },
  show: { summary: 'preview rows of a model or an inline query (--as-of <snapshot|timestamp> on Iceberg)', value: [...PROJECT_FLAGS, 'select', 'inline', 'limit', 'output', 'as-of'], run: async (a) => (await import('./commands/show.js')).showCommand(a) },
  rollback: { summary: 'restore the tables a run wrote to their snapshots before it (Iceberg)', value: [...PROJECT_FLAGS, ...SELECT_FLAGS, 'run-results'], run: async (a) => (await import('./commands/iceberg.js')).rollbackCommand(a) },
  maintain: { summary: 'optimize / expire_snapshots / remove_orphan_files per model config (Iceberg)', value: [...PROJECT_FLAGS, ...SELECT_FLAGS], run: async (a) => (await import('./commands/iceberg.js')).maintainCommand(a) },
  intervals: { summary: 'done, missing and late-input intervals of interval models', value: [...PROJECT_FLAGS, ...SELECT_FLAGS, 'end', 'output'], run: async (a) => (await import('./commands/intervals.js')).intervalsCommand(a) },
  schedule: { summary: 'project.yml schedules as systemd timers: schedule install|uninstall|status', boolean: ['no-enable'], value: ['project-dir', 'log-format', 'scope', 'unit-dir', 'name'], run: async (a) => (await import('./commands/schedule.js')).scheduleCommand(a) },
  clean: { summary: 'remove target/', value: PROJECT_FLAGS, run: async (a) => (await import('./commands/clean.js')).cleanCommand(a) },
  docs: {
    summary: 'docs generate: catalog.json + static site target/docs (--empty-catalog: no warehouse); docs serve [--port N]',
    boolean: ['empty-catalog'],
    value: [...PROJECT_FLAGS, 'port'],
    run: async (a) => (await import('./commands/docs.js')).docsCommand(a),
  },
  dashboard: { summary: 'static ECharts dashboard of the analytics models in target/dashboard', value: PROJECT_FLAGS, run: async (a) => (await import('./commands/dashboard.js')).dashboardCommand(a) },
  generate: {
    summary: 'generate Reciping events: generate events [--mode bulk|window] ...',
    value: ['project-dir', 'log-format', 'seed', 'mode', 'start', 'end', 'events', 'windows', 'duplicate-rate', 'malformed-rate', 'encoded-rate', 'out', 'to', 'topic', 'brokers', 'bucket', 'prefix'],
    run: async (a) => (await import('./commands/generate.js')).generateCommand(a),
  },
  ingest: {
    summary: 'ingest kafka: Kafka records → JSON-lines staging files (S3 or --out dir); ingest staging [--start --end]: new staged files → bronze, each once',
    boolean: ['until-idle', ...RUN_FLAGS.boolean],
    value: [...new Set([...RUN_FLAGS.value, 'brokers', 'topic', 'group', 'to', 'out', 'bucket', 'prefix', 'flush-size', 'rotate-interval-ms', 'session-timeout-ms', 'progress-ms', 's3-max-attempts'])],
    run: async (a) => (await import('./commands/ingest.js')).ingestCommand(a),
  },
};

function usage(): string {
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(10)} ${c.summary}`);
  return `usage: framework <command> [flags]\n\ncommands:\n${lines.join('\n')}\n\nflags: --select/-s, --exclude, --selector, --target/-t, --vars, --threads, --full-refresh, --fail-fast, --state, --log-format json, --project-dir`;
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(usage() + '\n');
    return name ? 0 : 2;
  }
  const command = COMMANDS[name];
  try {
    if (!command) throw new ConfigError(`unknown command "${name}"`, undefined, didYouMean(name, Object.keys(COMMANDS)) ?? usage());
    return await command.run(parseArgs(rest, { boolean: command.boolean ?? [], value: command.value ?? [] }));
  } catch (error) {
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
