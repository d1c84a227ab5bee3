import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { ConfigError } from '../errors.js';
import type { PreviousState } from '../graph/selector.js';
import { redact } from '../project/secrets.js';
import type { Manifest } from '../template/manifest.js';
import type { NodeResult } from './results.js';

export interface RunResults {
  metadata: { generatedAt: string; command: string; target: string; invocationId: string };
  elapsed_time: number;
  results: NodeResult[];
}

/** Artifacts go through `redact`: a secret that slipped into SQL or a message never reaches disk. */
export function writeJson(path: string, value: unknown): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, redact(JSON.stringify(value, null, 2)));
}

export function writeText(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, redact(text));
}

/** Many small files at once (compile writes one per node): parallel writes, each folder made once. */
export async function writeTexts(files: Map<string, string>): Promise<void> {
  const folders = new Set([...files.keys()].map((p) => dirname(p)));
  await Promise.all([...folders].map((d) => mkdir(d, { recursive: true })));
  await Promise.all([...files].map(([path, text]) => writeFile(path, redact(text))));
}

export function writeManifest(targetDir: string, manifest: Manifest): void {
  writeJson(join(targetDir, 'manifest.json'), manifest);
}

export function readPreviousState(dir: string): PreviousState {
  if (!existsSync(dir)) throw new ConfigError(`--state directory ${dir} does not exist`);
  const state: PreviousState = {};
  const manifest = join(dir, 'manifest.json');
  if (existsSync(manifest)) state.manifest = JSON.parse(readFileSync(manifest, 'utf8')) as Manifest;
  const results = join(dir, 'run_results.json');
  if (existsSync(results)) {
    const parsed = JSON.parse(readFileSync(results, 'utf8')) as RunResults;
    state.results = new Map(parsed.results.map((r) => [r.unique_id, r.status]));
  }
  if (!state.manifest && !state.results) throw new ConfigError(`--state directory ${dir} holds neither manifest.json nor run_results.json`);
  return state;
}
