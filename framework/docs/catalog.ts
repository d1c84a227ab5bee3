import type { Adapter } from '../adapters/adapter.js';
import type { Relation } from '../project/types.js';
import type { CompiledNode, Manifest } from '../template/manifest.js';

/** target/catalog.json: what the warehouse holds for each model, seed and source of the manifest. */
export interface Catalog {
  metadata: { generatedAt: string; target: { name: string; type: string } };
  nodes: Record<string, CatalogEntry>;
  sources: Record<string, CatalogEntry>;
  /** Nodes with no relation to read, and why (not built yet, read in place from files). */
  missing: Record<string, string>;
}

export interface CatalogEntry {
  unique_id: string;
  relation: Relation;
  type: 'table' | 'view';
  columns: { name: string; type: string; index: number }[];
  /** Counted for tables only: counting a view runs its whole query. */
  stats: { row_count: number | null };
}

type RelationNode = CompiledNode & { relation: Relation };

/** Ask the warehouse, through the adapter's introspector, about every relation of the manifest. */
export async function readCatalog(adapter: Adapter, manifest: Manifest, concurrency: number): Promise<Catalog> {
  const catalog: Catalog = { metadata: { generatedAt: new Date().toISOString(), target: manifest.metadata.target }, nodes: {}, sources: {}, missing: {} };
  const nodes = Object.values(manifest.nodes).filter((n): n is RelationNode => n.resourceType !== 'test' && n.config.materialized !== 'ephemeral');
  await forEachLimited(nodes, concurrency, async (node) => {
    if (node.resourceType === 'source' && node.external) {
      catalog.missing[node.uniqueId] = `external source, read in place from ${node.external.location}`;
      return;
    }
    const entry = await readEntry(adapter, node);
    if (!entry) catalog.missing[node.uniqueId] = 'not in the warehouse (not built yet?)';
    else (node.resourceType === 'source' ? catalog.sources : catalog.nodes)[node.uniqueId] = entry;
  });
  // Concurrent reads finish in any order; the file should not change when the warehouse doesn't.
  catalog.nodes = sortKeys(catalog.nodes);
  catalog.sources = sortKeys(catalog.sources);
  catalog.missing = sortKeys(catalog.missing);
  return catalog;
}

async function readEntry(adapter: Adapter, node: RelationNode): Promise<CatalogEntry | undefined> {
  const type = await adapter.introspector.relationType(node.relation);
  if (!type) return undefined;
  const columns = await adapter.introspector.columns(node.relation);
  let rowCount: number | null = null;
  if (type === 'table') {
    const result = await adapter.query(`select count(*) as n from ${adapter.dialect.relation(node.relation)}`);
    rowCount = Number(Object.values(result.rows[0] ?? {})[0] ?? 0);
  }
  return { unique_id: node.uniqueId, relation: node.relation, type, columns: columns.map((c, i) => ({ ...c, index: i + 1 })), stats: { row_count: rowCount } };
}

async function forEachLimited<T>(items: T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await fn(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
}

function sortKeys<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => a.localeCompare(b)));
}
