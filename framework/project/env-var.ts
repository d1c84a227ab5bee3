import { ConfigError, type SourcePosition } from '../errors.js';
import { isSecretName, registerSecret } from './secrets.js';

/** Names read so far: a cached compile is only valid while these still hold the same values. */
const namesRead = new Set<string>();

export function envNamesRead(): string[] {
  return [...namesRead].sort();
}

/** env_var("NAME", default): the one way configuration reads the environment. */
export function envVar(name: string, fallback: unknown, where?: SourcePosition): string {
  namesRead.add(name);
  const value = process.env[name];
  if (value !== undefined) {
    if (isSecretName(name)) registerSecret(value);
    return value;
  }
  if (fallback !== undefined) return String(fallback);
  throw new ConfigError(
    `environment variable ${name} is not set and has no default`,
    where,
    `export ${name}=... or give a default: {{ env_var "${name}" "default" }}`,
  );
}

const ENV_PATTERN = /\{\{\s*env_var\s+(?:"([^"]+)"|'([^']+)')(?:\s+(?:"([^"]*)"|'([^']*)'))?\s*\}\}/g;

/** Interpolate {{ env_var "X" ["default"] }} inside a YAML string value (profiles.yml). */
export function interpolateEnv(text: string, where?: SourcePosition): string {
  return text.replace(ENV_PATTERN, (_m, a, b, c, d) => {
    const name = (a ?? b) as string;
    return envVar(name, c ?? d, where);
  });
}
