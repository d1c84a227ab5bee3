import { existsSync } from 'node:fs';
import { basename, join, posix } from 'node:path';
import { ConfigError } from '../errors.js';
import { didYouMean } from '../project/suggest.js';
import type { CompiledNode, Manifest } from '../template/manifest.js';
import { fnmatch, hasWildcard, pathMatch } from './fnmatch.js';
import type { Criteria } from './selector-spec.js';

/** Previous artifacts for state: and result: methods (`--state <dir>`). */
export interface PreviousState {
  manifest?: Manifest;
  results?: Map<string, string>;
}

export interface MethodContext {
  nodes: CompiledNode[];
  project: string;
  root: string;
  previous: PreviousState;
}

type Match = (node: CompiledNode) => boolean;

const RESOURCE_TYPES = [
  'model',
  'seed',
  'source',
  'test',
  'snapshot',
  'analysis',
  'exposure',
  'metric',
  'saved_query',
  'semantic_model',
  'unit_test',
];
/** The config a source has in dbt: none of the model defaults (materialized, on_schema_change, …). */
const SOURCE_CONFIG = new Set(['enabled', 'tags', 'meta', 'freshness', 'loaded_at_field', 'event_time']);

/** Nodes matched directly by one term, before graph operators (dbt's selector methods). */
export function matchCriteria(criteria: Criteria, context: MethodContext): Set<string> {
  const method = criteria.method ?? defaultMethod(criteria.value);
  const match = matcher(method, criteria, context);
  const out = new Set<string>();
  for (const node of context.nodes) if (match(node)) out.add(node.uniqueId);
  // A bare word that is no node's name but a file or folder of the project reads as a path.
  if (
    !out.size &&
    criteria.method === undefined &&
    method === 'fqn' &&
    existsSync(join(context.root, criteria.value))
  ) {
    return matchCriteria({ ...criteria, method: 'path' }, context);
  }
  return out;
}

/** dbt: a value with a slash is a path, one ending in .sql/.py/.csv a file name, anything else an fqn. */
function defaultMethod(value: string): string {
  if (value.includes('/')) return 'path';
  if (/\.(sql|py|csv)$/i.test(value)) return 'file';
  return 'fqn';
}

function matcher(method: string, { value, args }: Criteria, context: MethodContext): Match {
  switch (method) {
    case 'fqn':
      // Name patterns select models, seeds, tests, snapshots: never sources (only source: does).
      return (n) => n.resourceType !== 'source' && (fqnMatch(n.fqn, value) || fqnMatch(n.fqn.slice(1), value));
    case 'tag':
      return (n) => n.config.tags.some((t) => fnmatch(t, value));
    case 'path':
      return pathMatcher(value);
    case 'file':
      return (n) => fnmatch(basename(n.path), value) || fnmatch(basename(n.path).replace(/\.[^.]*$/, ''), value);
    case 'package':
      return () => fnmatch(context.project, value);
    case 'source':
      return sourceMatcher(value, context.project);
    case 'resource_type':
      if (!RESOURCE_TYPES.includes(value))
        throw new ConfigError(
          `invalid selector "resource_type:${value}"`,
          undefined,
          didYouMean(value, RESOURCE_TYPES) ?? `types: ${RESOURCE_TYPES.join(', ')}`,
        );
      return (n) => n.resourceType === value;
    case 'test_type':
      return testTypeMatcher(value);
    case 'test_name':
      return (n) => n.resourceType === 'test' && n.kind === 'generic' && fnmatch(n.testName ?? '', value);
    case 'config':
      return configMatcher(args, value);
    case 'state':
      return stateMatcher(value, context.previous);
    case 'result': {
      const results = context.previous.results;
      if (!results) throw new ConfigError('result: selection needs --state <dir> with a previous run_results.json');
      return (n) => results.get(n.uniqueId) === value;
    }
    default:
      throw new ConfigError(`selector method "${method}:" cannot be used here`);
  }
}

/**
 * dbt's qualified-name rule: the leaf equals the value, or the value's dotted parts are a prefix of
 * the fqn (so a folder selects everything below it); from a wildcard part on, the rest must match,
 * and a bare wildcard (no dot) may match the leaf alone.
 */
function fqnMatch(fqn: string[], selector: string): boolean {
  if (fqn.at(-1) === selector) return true;
  const flat = fqn.flatMap((part) => part.split('.'));
  const parts = selector.split('.');
  if (flat.length < parts.length) return false;
  for (let i = 0; i < parts.length; i++) {
    if (hasWildcard(parts[i]!))
      return (
        fnmatch(flat.slice(i).join('.'), parts.slice(i).join('.')) ||
        (parts.length === 1 && fnmatch(fqn.at(-1)!, selector))
      );
    if (flat[i] !== parts[i]) return false;
  }
  return true;
}

/** A file, a folder (everything below it) or a glob, relative to the project root; a properties YAML selects what it describes. */
function pathMatcher(value: string): Match {
  const pattern = posix.normalize(value.replace(/\\/g, '/')).replace(/^\.\//, '').replace(/\/+$/, '');
  const hits = (path: string | undefined): boolean => {
    if (!path) return false;
    if (pathMatch(path, pattern)) return true;
    for (let dir = posix.dirname(path); dir !== '.' && dir !== '/'; dir = posix.dirname(dir))
      if (pathMatch(dir, pattern)) return true;
    return pattern === '.' || pattern === '';
  };
  return (n) => hits(n.path) || hits(n.patchPath);
}

function sourceMatcher(value: string, project: string): Match {
  const parts = value.split('.');
  if (parts.length > 3)
    throw new ConfigError(
      `invalid source selector "source:${value}"`,
      undefined,
      'use source:<source>, source:<source>.<table> or source:<project>.<source>.<table>',
    );
  const [pkg, source, table] = parts.length === 3 ? parts : ['*', parts[0]!, parts[1] ?? '*'];
  return (n) =>
    n.resourceType === 'source' &&
    fnmatch(project, pkg!) &&
    fnmatch(n.sourceName, source!) &&
    fnmatch(n.tableName, table!);
}

function testTypeMatcher(value: string): Match {
  const kinds: Record<string, string[]> = {
    generic: ['generic'],
    schema: ['generic'],
    singular: ['singular'],
    data: ['generic', 'singular'],
    unit: [],
  };
  const wanted = kinds[value];
  if (!wanted)
    throw new ConfigError(
      `invalid selector "test_type:${value}"`,
      undefined,
      'test types: generic, singular, data (both), unit',
    );
  return (n) => n.resourceType === 'test' && wanted.includes(n.kind);
}

/** Exact match as dbt compares config: strings equal (severity in any case), list members, true/false. */
function configMatcher(keys: string[], value: string): Match {
  const equal = (actual: unknown): boolean => {
    if (typeof actual === 'boolean') return value.toLowerCase() === String(actual);
    if (keys.length === 1 && keys[0] === 'severity' && typeof actual === 'string')
      return actual.toLowerCase() === value.toLowerCase();
    return actual === value;
  };
  return (n) => {
    if (n.resourceType === 'source' && !SOURCE_CONFIG.has(keys[0]!)) return false;
    let actual: unknown = n.config;
    for (const key of keys) {
      if (!actual || typeof actual !== 'object' || !(key in actual)) return false;
      actual = (actual as Record<string, unknown>)[key];
    }
    return Array.isArray(actual) ? actual.some(equal) : equal(actual);
  };
}

function stateMatcher(value: string, previous: PreviousState): Match {
  const manifest = previous.manifest;
  if (!manifest) throw new ConfigError('state: selection needs --state <dir> with a previous manifest.json');
  const before = (n: CompiledNode) => manifest.nodes[n.uniqueId];
  switch (value) {
    case 'new':
      return (n) => !before(n);
    case 'modified':
      return (n) => !before(n) || before(n)!.checksum !== n.checksum;
    case 'modified.body':
      return (n) => {
        const b = before(n);
        return !b || ('rawSql' in b && 'rawSql' in n && b.rawSql !== n.rawSql);
      };
    case 'modified.configs':
      return (n) => !before(n) || JSON.stringify(before(n)!.config) !== JSON.stringify(n.config);
    case 'unmodified':
      return (n) => !!before(n) && before(n)!.checksum === n.checksum;
    default:
      throw new ConfigError(
        `unknown state selector "state:${value}"`,
        undefined,
        didYouMean(value, ['new', 'modified', 'modified.body', 'modified.configs', 'unmodified']),
      );
  }
}
