import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../errors.js';
import { interpolateEnv } from './env-var.js';
import { isSecretName, registerSecret } from './secrets.js';
import { didYouMean } from './suggest.js';
import type { EngineSpec, Engines } from './engine.js';
import type { Target } from './types.js';
import { validate, validateWith } from './validate.js';
import { readYaml, type YamlFile } from './yaml-file.js';

/** Every target's keys, whatever its engine; the engine's settings schema adds its own. */
const COMMON_KEYS: Record<string, object> = {
  type: { type: 'string' },
  schema: { type: 'string' },
  threads: { type: 'integer', minimum: 1 },
  vars: { type: 'object', description: 'vars for this target, over project.yml vars (--vars wins)' },
};

/** The JSON schema of a profiles.yml target of `engine`: the common keys and the engine's, nothing else. */
export function targetSchema(engine: EngineSpec): object {
  return {
    type: 'object',
    additionalProperties: false,
    required: ['type', ...(engine.settings.required ?? [])],
    properties: { ...COMMON_KEYS, ...engine.settings.properties },
  };
}

/** The name a target schema's validator is kept under (validate.ts, scripts/build-validators.js). */
export const targetSchemaName = (engine: string) => `target_${engine}`;

/** profiles.yml: pick the target, interpolate env_var, validate; secrets stay in `settings` only. */
export function loadTarget(root: string, engines: Engines, requested?: string): Target {
  const path = join(root, 'profiles.yml');
  if (!existsSync(path))
    throw new ConfigError('profiles.yml not found', { file: path }, 'create profiles.yml with a `targets:` map');
  const file = readYaml(path, 'profiles.yml');
  validate('profiles', file);
  const doc = file.data as { default_target?: string; targets: Record<string, Record<string, unknown>> };
  for (const [name, raw] of Object.entries(doc.targets)) validateTarget(file, engines, name, raw);
  const name = requested ?? process.env.FRAMEWORK_TARGET ?? doc.default_target ?? 'dev';
  const raw = doc.targets[name];
  if (!raw) {
    throw new ConfigError(
      `target "${name}" is not defined in profiles.yml`,
      file.locate(['targets'], true),
      didYouMean(name, Object.keys(doc.targets)) ?? `defined: ${Object.keys(doc.targets).join(', ')}`,
    );
  }
  const settings = interpolate(raw, file, ['targets', name]) as Record<string, unknown>;
  const type = String(settings.type);
  return {
    name,
    type,
    schema: String(settings.schema ?? engines.get(type)!.defaultSchema),
    threads: Number(settings.threads ?? 4),
    settings,
  };
}

/** A target's `type` names a known engine, and its keys are that engine's. */
function validateTarget(file: YamlFile, engines: Engines, name: string, raw: Record<string, unknown>): void {
  const type = String(raw.type);
  const engine = engines.get(type);
  if (!engine) {
    const known = [...engines.keys()];
    throw new ConfigError(
      `key "targets.${name}.type": unknown engine "${type}" (known engines: ${known.join(', ')})`,
      file.locate(['targets', name, 'type']),
      didYouMean(type, known),
    );
  }
  validateWith(targetSchemaName(type), () => targetSchema(engine), file, raw, ['targets', name]);
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
