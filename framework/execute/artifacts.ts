import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { ConfigError } from '../errors.js';
import type { PreviousState } from '../graph/selector.js';
import { redact } from '../project/secrets.js';
import type { Manifest } from '../template/manifest.js';
import type { NodeResult } from './results.js';

export interface RunResults {
  /** `args`: the command's flags as given (not --project-dir), so `retry` can repeat the invocation. */
  metadata: {
    generatedAt: string;
    command: string;
    target: string;
    invocationId: string;
    args?: Record<string, string[]>;
  };
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

/**
 * Many small files at once (compile writes one per node): parallel writes, each folder made once,
 * started one folder after another in turn: creates in one folder queue on its lock, so writes of
 * neighbouring files would wait for each other instead of running side by side.
 */
export async function writeTexts(files: Map<string, string>): Promise<void> {
  const folders = new Map<string, [string, string][]>();
  for (const entry of files) {
    const folder = dirname(entry[0]);
    const inFolder = folders.get(folder);
    if (inFolder) inFolder.push(entry);
    else folders.set(folder, [entry]);
  }
  await Promise.all([...folders.keys()].map((d) => mkdir(d, { recursive: true })));
  const writes: Promise<void>[] = [];
  for (let i = 0; writes.length < files.size; i++) {
    for (const inFolder of folders.values())
      if (i < inFolder.length) writes.push(writeFile(inFolder[i]![0], redact(inFolder[i]![1])));
  }
  await Promise.all(writes);
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
  if (!state.manifest && !state.results)
    throw new ConfigError(`--state directory ${dir} holds neither manifest.json nor run_results.json`);
  return state;
}
