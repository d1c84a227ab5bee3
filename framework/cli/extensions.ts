/**
 * Project extensions: code a project ships next to its models, declared in project.yml
 * (`extensions: [path, …]`, relative to the project root) and loaded by the CLI. An extension
 * module exports `generators`: each one is a `framework generate <name>` with its own flags.
 * TypeScript runs without a build step: under a TypeScript-aware runtime (tsx, vitest) the module
 * is imported as it is, else through tsx's loader.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ConfigError } from '../errors.js';
import type { IngestConfig } from '../project/ingest.js';
import { readProjectYaml } from '../project/load.js';

export interface GeneratorContext {
  projectDir: string;
  /** The project's ingest: block (topic, bucket, staging layout). */
  ingest: IngestConfig;
  /** The value of one of the generator's flags, as given. */
  flag(name: string): string | undefined;
  /** A progress or summary line (text, or a JSON event under --log-format json). */
  info(message: string, fields: Record<string, unknown>): void;
}

export interface Generator {
  summary: string;
  /** Flag name → one line of help. */
  flags: Record<string, string>;
  examples: string[];
  run(context: GeneratorContext): Promise<number>;
}

export interface ProjectExtension {
  generators?: Record<string, Generator>;
}

/** The generators of every extension the project declares, by name. */
export async function loadGenerators(root: string): Promise<Map<string, Generator>> {
  const yaml = readProjectYaml(root);
  const paths = ((yaml.data as { extensions?: string[] }).extensions ?? []).map(String);
  const generators = new Map<string, Generator>();
  for (const [i, path] of paths.entries()) {
    const file = join(root, path);
    if (!existsSync(file)) throw new ConfigError(`extension "${path}" not found`, yaml.locate(['extensions', i]));
    const module = (await importModule(file)) as ProjectExtension;
    for (const [name, generator] of Object.entries(module.generators ?? {})) {
      if (typeof generator?.run !== 'function')
        throw new ConfigError(`extension "${path}": generator "${name}" has no run()`, yaml.locate(['extensions', i]));
      generators.set(name, generator);
    }
  }
  return generators;
}

async function importModule(file: string): Promise<unknown> {
  const url = pathToFileURL(file).href;
  try {
    return await import(url);
  } catch (error) {
    if ((error as { code?: string }).code !== 'ERR_UNKNOWN_FILE_EXTENSION') throw error;
    // The compiled CLI runs on plain node: tsx's loader compiles the extension on import.
    const { tsImport } = await import('tsx/esm/api');
    return tsImport(url, import.meta.url);
  }
}
