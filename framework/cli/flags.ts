/** One line per flag, shown by `framework <command> --help` and when a flag is mistyped. */
export const FLAG_HELP: Record<string, string> = {
  'project-dir': 'the project folder (default: the current directory)',
  target: 'profiles.yml target to use, -t (default: default_target)',
  vars: 'variables as YAML or JSON, over project.yml vars: --vars \'{start_date: "2025-06-01"}\'',
  'log-format': 'text (default) or json: one JSON object per line for tools',
  state:
    "folder of a previous run's artifacts (manifest.json, run_results.json): state: and result: selectors, --defer, clone",
  defer:
    "refs to models and seeds outside the selection that this target has not built read the --state run's relations",
  'favor-state': "with --defer: read the --state run's relations even where this target has built them",
  select: 'nodes to include, dbt syntax, -s: space = union, comma = intersection, +/@ graph operators',
  models: 'like --select; with ls, lists models only, -m',
  exclude: 'nodes to remove from the selection (their tests go too)',
  selector: 'a named selector of selectors.yml, used alone (--select/--exclude are ignored)',
  'indirect-selection': 'tests of selected nodes: eager (default), cautious, buildable or empty',
  'warn-error': 'treat warnings (a term that matches nothing, an empty selection) as errors: exit 1',
  'resource-type': 'keep only these resource types: model seed snapshot source test',
  threads: "nodes built at the same time (default: the target's threads)",
  'fail-fast': 'stop at the first error or failing test',
  'full-refresh': 'rebuild incremental and interval models from scratch',
  'reconcile-files':
    'new_files models list every staged partition, not only those of the discovery_lookback: loads late files in older partitions',
  empty: 'build models with zero rows: every ref and source read with limit 0 (checks SQL and schemas fast)',
  wait: 'wait for another run of the same target to finish instead of exiting',
  start: 'first instant to process (ISO-8601); with --end, restates that closed range',
  end: 'end of the range to process (ISO-8601), instead of now',
  unit: 'only unit tests (in-memory DuckDB, no warehouse)',
  full: 'data tests check every row, not only the rows the last run wrote (written_at models)',
  data: 'only data tests (skip unit tests)',
  output: 'output form: name, json, path or selector (ls); table or json (show, intervals, ingest status)',
  inline: 'a SQL query to preview instead of a model (may use ref and source)',
  limit: 'rows to show (default 10)',
  'as-of': 'an Iceberg snapshot id or timestamp to read the model as it was',
  'run-results': 'run_results.json of the run to undo (default: target/run_results.json)',
  'no-enable': 'write the units but do not enable or start them',
  scope: 'systemd scope: user (default) or system',
  'unit-dir': "where to write the systemd units (default: the scope's unit folder)",
  name: 'only this schedule of project.yml',
  'empty-catalog': 'generate docs without connecting to the warehouse',
  port: 'port for docs serve (default 8080)',
  out: 'local folder for staged files',
  to: 'where records go: local, s3 or kafka',
  topic: 'Kafka topic',
  brokers: 'Kafka bootstrap servers, host:port[,host:port]',
  bucket: 'S3 bucket for staged files',
  prefix: 'key prefix inside the bucket',
  group: 'Kafka consumer group',
  'flush-size': 'records per staged file before it is cut',
  'rotate-interval-ms': 'time span of one staged file (record time)',
  'session-timeout-ms': 'Kafka consumer session timeout',
  'progress-ms': 'how often the consumer reports progress',
  's3-max-attempts': 'attempts per S3 request before giving up',
  instance: 'name of this consumer among several of one group on a host: its status file (default 1)',
  'status-dir': "folder of the consumers' status files (default: the target folder + /ingest)",
  'until-idle': 'stop after this many ms without records (bare flag: 5000)',
  help: 'show this help, -h',
};

/** Flags every project command understands. */
export const PROJECT_FLAGS = ['project-dir', 'target', 'vars', 'log-format', 'state'];
/** Every generator takes these; the rest of its flags it declares itself (framework generate <name> --help). */
export const GENERATOR_FLAGS = ['project-dir', 'log-format'];
/** Node selection, as dbt's commands take it. */
export const SELECT_FLAGS = ['select', 'models', 'exclude', 'selector', 'indirect-selection'];
