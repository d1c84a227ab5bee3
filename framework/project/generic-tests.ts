import { createHash } from 'node:crypto';
import { ConfigError } from '../errors.js';
import { defaultConfig, mergeConfig, normalizeConfig } from './config.js';
import type { ModelNode, NodeConfig, SeedNode, SourceNode, TestNode } from './types.js';
import type { YamlFile } from './yaml-file.js';

/** Keys of a test entry that configure the test rather than feed its template. */
const TEST_CONFIG_KEYS = new Set(['severity', 'warn_if', 'error_if', 'where', 'limit', 'store_failures', 'tags', 'enabled', 'meta']);

/**
 * One YAML test entry (`not_null`, `{accepted_values: {values: [...]}}`) declared on a model, seed or
 * source table, optionally on one of its columns, becomes a test node. The SQL comes later, from the
 * generic test template of the same name (built in or macros/test_<name>.sql).
 */
export function genericTest(
  project: string,
  owner: ModelNode | SeedNode | SourceNode,
  entry: unknown,
  column: string | undefined,
  file: YamlFile,
  at: (string | number)[],
  defaults: Partial<NodeConfig>[],
): TestNode {
  const [testName, rawArgs] = typeof entry === 'string' ? [entry, {}] : Object.entries(entry as object)[0]!;
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(testName)) throw new ConfigError(`invalid test name "${testName}"`, file.locate(at));
  const args: Record<string, unknown> = {};
  let config = defaultConfig('view');
  for (const layer of defaults) config = mergeConfig(config, layer);
  for (const [key, value] of Object.entries((rawArgs ?? {}) as Record<string, unknown>)) {
    if (key === 'config') config = mergeConfig(config, normalizeConfig(value as Record<string, unknown>));
    else if (TEST_CONFIG_KEYS.has(key)) config = mergeConfig(config, normalizeConfig({ [key]: value }));
    else args[key] = value;
  }
  config.tags = [...new Set([...config.tags, ...owner.config.tags])];
  const ownerLabel = owner.resourceType === 'source' ? `source_${owner.sourceName}_${owner.tableName}` : owner.name;
  const argsKey = Object.keys(args).length ? `_${shortHash(JSON.stringify(args))}` : '';
  const name = [testName, ownerLabel, column].filter(Boolean).join('_') + argsKey;
  const position = file.locate(at);
  return {
    uniqueId: `test.${project}.${name}`,
    resourceType: 'test',
    name,
    path: file.path,
    fqn: [project, ...owner.fqn.slice(1, -1), name],
    description: '',
    columns: [],
    config,
    origin: { file: file.path, line: position.line, column: position.column },
    kind: 'generic',
    testName,
    args,
    ...(column ? { columnName: column } : {}),
    attachedTo: owner.uniqueId,
    rawSql: '',
  };
}

function shortHash(text: string): string {
  return createHash('md5').update(text).digest('hex').slice(0, 8);
}
