import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '../..');

/**
 * Bring the local stack up (idempotent: a running stack is reused) and load its endpoints into
 * process.env. A missing Java/Maven/Go makes up.sh fail with what is missing: the suite fails, it
 * never skips.
 */
export function ensureStack(): void {
  execFileSync('bash', [join(root, 'scripts/stack/up.sh')], { stdio: ['ignore', 'inherit', 'inherit'] });
  const envFile = join(process.env.STACK_HOME ?? join(root, '.stack'), 'stack.env');
  if (!existsSync(envFile)) throw new Error(`stack is up but ${envFile} is missing`);
  for (const line of readFileSync(envFile, 'utf8').split('\n')) {
    const m = /^export ([A-Z0-9_]+)=(.*)$/.exec(line.trim());
    if (m) process.env[m[1]!] = m[2]!.replace(/^["']|["']$/g, '');
  }
}
