import { ConfigError } from '../errors.js';
import type { Materialization, NodeConfig } from './types.js';
import { validate } from './validate.js';
import type { YamlFile } from './yaml-file.js';

export function defaultConfig(materialized: Materialization): NodeConfig {
  return {
    enabled: true,
    materialized,
    tags: [],
    meta: {},
    on_schema_change: 'ignore',
    pre_hook: [],
    post_hook: [],
    properties: {},
  };
}

const LISTS = ['tags', 'unique_key', 'cluster_by', 'pre_hook', 'post_hook'] as const;
/** Keys whose values merge (dbt semantics) instead of replacing the inherited value. */
const MERGED = new Set(['tags', 'meta', 'properties']);

/** Turn user-written config (strings where lists are allowed) into the normal form. */
export function normalizeConfig(raw: Record<string, unknown>): Partial<NodeConfig> {
  const out: Record<string, unknown> = { ...raw };
  for (const key of LISTS) {
    if (typeof out[key] === 'string') out[key] = [out[key]];
  }
  return out as Partial<NodeConfig>;
}

/** Layer `over` on `base`: tags accumulate, meta/properties merge, everything else replaces. */
export function mergeConfig(base: NodeConfig, over: Partial<NodeConfig>): NodeConfig {
  const out: NodeConfig = { ...base };
  for (const [key, value] of Object.entries(over)) {
    if (value === undefined) continue;
    if (key === 'tags') out.tags = [...new Set([...base.tags, ...(value as string[])])];
    else if (MERGED.has(key)) out[key] = { ...(base[key] as object), ...(value as object) };
    else out[key] = value;
  }
  return out;
}

/**
 * Per-folder defaults from project.yml (`models:`, `seeds:`, `tests:` trees): keys starting with `+`
 * are config, other keys are subfolders. dbt's form nests the folders under the project's name
 * (`models: {my_project: {silver: ...}}`); both forms apply. Returns the config for a file in `folders`.
 */
export function folderDefaults(
  file: YamlFile,
  treeKey: string,
  folders: string[],
  project?: string,
): Partial<NodeConfig>[] {
  const tree = (file.data as Record<string, unknown>)[treeKey] as Record<string, unknown> | undefined;
  const layers = walk(file, tree, [treeKey], folders);
  const scoped = project && tree && typeof tree === 'object' ? tree[project] : undefined;
  if (scoped && typeof scoped === 'object')
    layers.push(...walk(file, scoped as Record<string, unknown>, [treeKey, project!], folders));
  return layers;
}

function walk(
  file: YamlFile,
  start: Record<string, unknown> | undefined,
  path: (string | number)[],
  folders: string[],
): Partial<NodeConfig>[] {
  const layers: Partial<NodeConfig>[] = [];
  let node = start;
  const at = [...path];
  for (let depth = 0; node && typeof node === 'object'; depth++) {
    layers.push(configOf(node, file, at));
    const next = folders[depth];
    if (next === undefined) break;
    node = node[next] as Record<string, unknown> | undefined;
    at.push(next);
  }
  return layers;
}

function configOf(node: Record<string, unknown>, file: YamlFile, at: (string | number)[]): Partial<NodeConfig> {
  const raw: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) if (key.startsWith('+')) raw[key.slice(1)] = value;
  try {
    validate('config', file, raw, at);
  } catch (error) {
    // The schema knows the keys without "+": point the user at the key as written.
    const unknown = error instanceof ConfigError && /unknown key "([^"]+)"/.exec(error.message);
    if (!unknown) throw error;
    const key = `+${unknown[1]}`;
    throw new ConfigError(
      `unknown key "${key}" in ${at.join('.')}`,
      file.locate([...at, key], true),
      (error as ConfigError).hint?.replace(/did you mean "/, 'did you mean "+'),
    );
  }
  return normalizeConfig(raw);
}
