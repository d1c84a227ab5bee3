import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../errors.js';
import { writeJson, writeManifest, writeText, type RunResults } from '../execute/artifacts.js';
import type { Session } from '../execute/session.js';
import { readCatalog, type Catalog } from './catalog.js';
import { manifestLineage } from './manifest-lineage.js';
import { buildDocsData } from './site-data.js';
import { renderSite } from './site.js';

export interface DocsSummary {
  catalog?: Catalog;
  sitePath: string;
  /** Why the column lineage of a model is empty, one line each naming the model (its SQL did not parse). */
  lineageErrors: string[];
}

/**
 * manifest.json, catalog.json (unless `withCatalog` is false: no warehouse access) and the static
 * site target/docs/index.html. Everything is written through the artifact writers, which redact secrets.
 */
export async function generateDocs(session: Session, withCatalog: boolean): Promise<DocsSummary> {
  const { manifest, adapter, graph, targetDir, project } = session;
  writeManifest(targetDir, manifest);
  let catalog: Catalog | undefined;
  if (withCatalog) {
    await adapter.connect();
    catalog = await readCatalog(adapter, manifest, Math.max(4, project.target.threads));
    writeJson(join(targetDir, 'catalog.json'), catalog);
  }
  const lineage = await manifestLineage(manifest, adapter, catalog);
  const results = readRunResults(join(targetDir, 'run_results.json'));
  const data = buildDocsData({
    manifest,
    graph,
    adapter,
    lineage,
    ...(catalog ? { catalog } : {}),
    ...(results ? { results } : {}),
  });
  const sitePath = join(targetDir, 'docs', 'index.html');
  writeText(sitePath, renderSite(data));
  return {
    sitePath,
    lineageErrors: [...lineage.values()].flatMap((l) => ('error' in l ? [l.error] : [])),
    ...(catalog ? { catalog } : {}),
  };
}

function readRunResults(path: string): RunResults | undefined {
  if (!existsSync(path)) return undefined;
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as RunResults;
  } catch (error) {
    throw new ConfigError(
      `${path} is not valid JSON: ${(error as Error).message}`,
      undefined,
      'delete it or re-run `framework build`',
    );
  }
}
