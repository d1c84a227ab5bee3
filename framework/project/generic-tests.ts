import { createHash } from 'node:crypto';
import { ConfigError } from '../errors.js';
import { defaultConfig, mergeConfig, normalizeConfig } from './config.js';
import type { ModelNode, NodeConfig, SeedNode, SnapshotNode, SourceNode, TestNode } from './types.js';
import type { YamlFile } from './yaml-file.js';

/** Keys of a test entry that configure the test rather than feed its template. */
const TEST_CONFIG_KEYS = new Set([
  'severity',
  'warn_if',
  'error_if',
  'where',
  'limit',
  'store_failures',
  'tags',
  'enabled',
  'meta',
  'alias',
  'schema',
  'test_scope',
]);

export interface TestSite {
  project: string;
  owner: ModelNode | SeedNode | SnapshotNode | SourceNode;
  column?: { name: string; tags?: string[] };
  file: YamlFile;
  at: (string | number)[];
  /** Folders of the YAML file under its resource folder: the test's fqn, as in dbt. */
  folders: string[];
  /** project.yml `tests:`/`data_tests:` config for a test of this fqn. */
  folderConfig: (fqn: string[]) => Partial<NodeConfig>[];
}

/** dbt's test defaults: a test materializes as "test" and fails at error severity. */
export function testDefaults(): NodeConfig {
  return { ...defaultConfig('test'), severity: 'error' };
}

/**
 * One YAML test entry (`not_null`, `{accepted_values: {values: [...]}}`) declared on a model, seed or
 * source table, optionally on one of its columns, becomes a test node named as dbt names it, so
 * the names users type in `--select` and CI scripts are the same. The SQL comes later, from the
 * generic test template of the same name (built in or macros/test_<name>.sql).
 */
export function genericTest(site: TestSite, entry: unknown): TestNode {
  const { project, owner, column, file, at } = site;
  const [testName, rawArgs] = typeof entry === 'string' ? [entry, {}] : Object.entries(entry as object)[0]!;
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(testName))
    throw new ConfigError(`invalid test name "${testName}"`, file.locate(at));
  const args: Record<string, unknown> = {};
  let inline: Partial<NodeConfig> = {};
  let customName: string | undefined;
  for (const [key, value] of Object.entries((rawArgs ?? {}) as Record<string, unknown>)) {
    if (key === 'config') inline = { ...inline, ...normalizeConfig(value as Record<string, unknown>) };
    else if (key === 'arguments') Object.assign(args, value as object);
    else if (key === 'name') customName = String(value);
    else if (key === 'description') continue;
    else if (TEST_CONFIG_KEYS.has(key)) inline = { ...inline, ...normalizeConfig({ [key]: value }) };
    else args[key] = value;
  }
  const { full, short } = dbtTestName(owner, testName, column ? { column_name: column.name, ...args } : args);
  const name = customName ?? full;
  const fqn = [project, ...site.folders, name];
  let config = [...site.folderConfig(fqn), inline].reduce(mergeConfig, testDefaults());
  // dbt: a test carries its own tags and its column's; a source test also its source's and table's.
  const inherited = [...(owner.resourceType === 'source' ? owner.config.tags : []), ...(column?.tags ?? [])];
  config = mergeConfig(config, { tags: inherited });
  if (!config.alias && !customName && short !== full) config.alias = short;
  const position = file.locate(at);
  return {
    uniqueId: `test.${project}.${name}`,
    resourceType: 'test',
    name,
    path: file.path,
    fqn,
    description: '',
    columns: [],
    config,
    origin: { file: file.path, line: position.line, column: position.column },
    kind: 'generic',
    testName,
    args,
    ...(column ? { columnName: column.name } : {}),
    attachedTo: owner.uniqueId,
    rawSql: '',
  };
}

/**
 * dbt's synthesized name: `<test>_<model>_<args>` (`source_<test>_<source>_<table>_<args>` on sources),
 * the argument values in key order, cleaned to [0-9A-Za-z_] and joined by "__". From 64 characters
 * on, relations and files use the short form: 30 characters and an md5 of the full name.
 */
export function dbtTestName(
  owner: TestSite['owner'],
  testName: string,
  args: Record<string, unknown>,
): { full: string; short: string } {
  const identifier =
    owner.resourceType === 'source'
      ? `source_${testName}_${owner.sourceName}_${owner.tableName}`
      : `${testName}_${owner.name}`;
  const flat = Object.keys(args)
    .sort()
    .filter((key) => key !== 'model')
    .flatMap((key) => {
      const value = args[key];
      const parts = Array.isArray(value) ? value : value && typeof value === 'object' ? Object.values(value) : [value];
      return parts.map((part) => pythonStr(part).replace(/[^0-9a-zA-Z_]+/g, '_'));
    });
  const full = `${identifier}_${flat.join('__')}`;
  const short = full.length >= 64 ? `${identifier.slice(0, 30)}_${createHash('md5').update(full).digest('hex')}` : full;
  return { full, short };
}

/** The text Python's str() gives a YAML value, which is what dbt's names are made of. */
function pythonStr(value: unknown): string {
  if (value === null || value === undefined) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  if (Array.isArray(value)) return `[${value.map(pythonRepr).join(', ')}]`;
  return `{${Object.entries(value as object)
    .map(([k, v]) => `'${k}': ${pythonRepr(v)}`)
    .join(', ')}}`;
}

function pythonRepr(value: unknown): string {
  return typeof value === 'string' ? `'${value}'` : pythonStr(value);
}
