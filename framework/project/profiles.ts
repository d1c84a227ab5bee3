import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../errors.js';
import { interpolateEnv } from './env-var.js';
import { isSecretName, registerSecret } from './secrets.js';
import { didYouMean } from './suggest.js';
import type { Target } from './types.js';
import { validate } from './validate.js';
import { readYaml, type YamlFile } from './yaml-file.js';

/** profiles.yml: pick the target, interpolate env_var, validate; secrets stay in `settings` only. */
export function loadTarget(root: string, requested?: string): Target {
  const path = join(root, 'profiles.yml');
  if (!existsSync(path)) throw new ConfigError('profiles.yml not found', { file: path }, 'create profiles.yml with a `targets:` map');
  const file = readYaml(path, 'profiles.yml');
  validate('profiles', file);
  const doc = file.data as { default_target?: string; targets: Record<string, Record<string, unknown>> };
  const name = requested ?? process.env.FRAMEWORK_TARGET ?? doc.default_target ?? 'dev';
  const raw = doc.targets[name];
  if (!raw) {
    throw new ConfigError(`target "${name}" is not defined in profiles.yml`, file.locate(['targets'], true), didYouMean(name, Object.keys(doc.targets)) ?? `defined: ${Object.keys(doc.targets).join(', ')}`);
  }
  const settings = interpolate(raw, file, ['targets', name]) as Record<string, unknown>;
  const type = settings.type as Target['type'];
  return {
    name,
    type,
    schema: String(settings.schema ?? (type === 'duckdb' ? 'main' : 'default')),
    threads: Number(settings.threads ?? 4),
    settings,
  };
}

function interpolate(value: unknown, file: YamlFile, at: (string | number)[]): unknown {
  if (typeof value === 'string') {
    const text = interpolateEnv(value, file.locate(at));
    // A credential key's value never reaches a log or an artifact, whichever variable it came from.
    if (isSecretName(String(at[at.length - 1]))) registerSecret(text);
    return text;
  }
  if (Array.isArray(value)) return value.map((v, i) => interpolate(v, file, [...at, i]));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, interpolate(v, file, [...at, k])]));
  }
  return value;
}
