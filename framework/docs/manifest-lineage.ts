import type { Adapter } from '../adapters/adapter.js';
import type { CompiledNode, Manifest } from '../template/manifest.js';
import type { Catalog } from './catalog.js';
import type { Relation } from '../project/types.js';
import { columnLineage, type LineageKind } from './column-lineage.js';
import { SqlParser, type ParsedSql } from '../adapters/duckdb/sql-tree.js';

/** Column lineage of one model in manifest terms: sources are nodes, not SQL relation names. */
export type NodeLineage = { error: string } | { complete: boolean; columns: Record<string, ModelColumnLineage> };

export interface ModelColumnLineage {
  kind: LineageKind;
  /** `node` is set when the relation is a node of the project. */
  sources: { node?: string; relation: string; column: string }[];
  note?: string;
}

/** The compiler names the CTE of an inlined ephemeral model this way (template/compile.ts). */
const EPHEMERAL_CTE = '__cte__';

/** A model whose SQL does not parse gets `{ error }` naming it (shown on its docs page), never a crash. */
export async function manifestLineage(
  manifest: Manifest,
  adapter: Adapter,
  catalog: Catalog | undefined,
): Promise<Map<string, NodeLineage>> {
  const nodes = Object.values(manifest.nodes);
  const byRelation = new Map<string, CompiledNode>();
  for (const node of nodes) {
    if (node.resourceType === 'test') continue;
    if (node.config.materialized === 'ephemeral') byRelation.set(EPHEMERAL_CTE + node.name.toLowerCase(), node);
    else {
      const parts = relationParts(node.relation);
      byRelation.set(parts.join('.'), node);
      byRelation.set(parts.slice(-2).join('.'), node);
    }
  }
  const nodeOf = (relation: string) =>
    byRelation.get(relation) ?? byRelation.get(relation.split('.').slice(-2).join('.'));
  const columnsOf = (relation: string) => {
    const node = nodeOf(relation);
    const entry = node && (catalog?.nodes[node.uniqueId] ?? catalog?.sources[node.uniqueId]);
    return entry?.columns.map((c) => c.name);
  };
  // An external source renders as a table function (read_csv(...)); put its name back so lineage reaches it.
  const externals = nodes.flatMap((n) =>
    n.resourceType === 'source' && n.external
      ? [[adapter.externalRelation(n.relation, n.external), adapter.dialect.relation(n.relation)] as const]
      : [],
  );

  const models = nodes.filter((n) => n.resourceType === 'model' && n.compiledSql !== undefined);
  const sqls = models.map((node) =>
    externals.reduce((sql, [rendered, name]) => sql.split(rendered).join(name), node.compiledSql!),
  );
  const parser = await SqlParser.open();
  let trees: ParsedSql[];
  try {
    trees = await parser.parse(sqls);
  } finally {
    parser.close();
  }
  const out = new Map<string, NodeLineage>();
  models.forEach((node, i) => {
    const result = columnLineage(trees[i]!, {
      columnsOf,
      opaqueCte: (name) => name.toLowerCase().startsWith(EPHEMERAL_CTE),
    });
    if ('error' in result) {
      out.set(node.uniqueId, { error: `${node.uniqueId}: ${result.error}` });
      return;
    }
    const columns: Record<string, ModelColumnLineage> = {};
    for (const c of result.columns) {
      const sources = c.sources.map((s) => {
        const source = nodeOf(s.relation);
        return { relation: s.relation, column: s.column, ...(source ? { node: source.uniqueId } : {}) };
      });
      columns[c.name] = { kind: c.kind, sources, ...(c.note ? { note: c.note } : {}) };
    }
    out.set(node.uniqueId, { complete: result.complete, columns });
  });
  return out;
}

/** The relation as the lineage reports it: lower-cased parts, as the SQL names it. */
function relationParts(relation: Relation): string[] {
  return [relation.database, relation.schema, relation.name].flatMap((p) => (p ? [p.toLowerCase()] : []));
}
