/**
 * Values that came from the environment into profiles (passwords, tokens) or from env_var names that
 * look secret. Anything printed, logged or written as an artifact passes through `redact`.
 */
const secrets = new Set<string>();
const SECRET_NAME = /PASS|SECRET|TOKEN|CREDENTIAL|JWT|ACCESS_KEY|API_KEY|PRIVATE_KEY|^key$/i;

export function registerSecret(value: string): void {
  if (value.length >= 4) secrets.add(value);
}

export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name);
}

export function redact(text: string): string {
  let out = text;
  for (const s of secrets) out = out.split(s).join('****');
  return out;
}
