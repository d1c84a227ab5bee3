import type { Adapter } from '../adapters/adapter.js';
import type { RunResults } from '../execute/artifacts.js';
import type { Graph } from '../graph/dag.js';
import type { CompiledNode, Manifest } from '../template/manifest.js';
import type { Catalog } from './catalog.js';
import type { ModelColumnLineage, NodeLineage } from './manifest-lineage.js';

/** Everything the static site shows, embedded in index.html as one JSON document. */
export interface DocsData {
  project: string;
  target: { name: string; type: string };
  generatedAt: string;
  /** When run_results.json was written, and by which command; absent if there was none. */
  results?: { generatedAt: string; command: string };
  catalog: boolean;
  nodes: DocsNode[];
}

export interface DocsNode {
  id: string;
  name: string;
  type: CompiledNode['resourceType'];
  path: string;
  description: string;
  relation?: string;
  materialized?: string;
  tags: string[];
  config: Record<string, unknown>;
  parents: string[];
  children: string[];
  columns: DocsColumn[];
  /** Tests on this node (tests of a column are also listed on the column). */
  tests: string[];
  sql?: string;
  rawSql?: string;
  result?: {
    status: string;
    message: string;
    execution_time: number;
    rows_affected?: number;
    failures?: number;
    completed_at: string;
  };
  warehouse?: { type: string; rowCount: number | null } | { missing: string };
  lineageError?: string;
  /** Some output columns come from a `*` the lineage could not expand. */
  lineageIncomplete?: boolean;
  /** Tests: what they test. */
  testOf?: string;
  testName?: string;
  column?: string;
  args?: Record<string, unknown>;
}

export interface DocsColumn {
  name: string;
  /** Type in the warehouse. */
  type?: string;
  /** Type declared in YAML. */
  declaredType?: string;
  description?: string;
  tests: string[];
  /** Declared in YAML but not in the warehouse relation. */
  notInWarehouse?: boolean;
  lineage?: ModelColumnLineage;
}

export interface DocsInputs {
  manifest: Manifest;
  graph: Graph;
  adapter: Adapter;
  catalog?: Catalog;
  results?: RunResults;
  lineage: Map<string, NodeLineage>;
}

export function buildDocsData({ manifest, graph, adapter, catalog, results, lineage }: DocsInputs): DocsData {
  const resultOf = new Map((results?.results ?? []).map((r) => [r.unique_id, r]));
  const testsOf = new Map<string, string[]>();
  for (const node of Object.values(manifest.nodes)) {
    if (node.resourceType !== 'test') continue;
    const owners = node.attachedTo ? [node.attachedTo] : node.dependsOn;
    for (const owner of owners) testsOf.set(owner, [...(testsOf.get(owner) ?? []), node.uniqueId]);
  }
  const nodes = Object.values(manifest.nodes).map((node): DocsNode => {
    const result = resultOf.get(node.uniqueId);
    const entry = catalog?.nodes[node.uniqueId] ?? catalog?.sources[node.uniqueId];
    const missing = catalog?.missing[node.uniqueId];
    const nodeLineage = lineage.get(node.uniqueId);
    const tests = testsOf.get(node.uniqueId) ?? [];
    const out: DocsNode = {
      id: node.uniqueId,
      name: node.name,
      type: node.resourceType,
      path: node.path,
      description: node.description,
      tags: node.config.tags,
      config: node.config,
      parents: graph.parents.get(node.uniqueId) ?? [],
      children: graph.children.get(node.uniqueId) ?? [],
      columns: columns(node, entry?.columns, nodeLineage, tests, manifest),
      tests,
    };
    if ('relation' in node && node.config.materialized !== 'ephemeral')
      out.relation = adapter.dialect.relation(node.relation);
    if (node.resourceType === 'model') out.materialized = node.config.materialized;
    if (node.compiledSql !== undefined) out.sql = node.compiledSql;
    if ('rawSql' in node && node.rawSql) out.rawSql = node.rawSql;
    if (result) {
      out.result = {
        status: result.status,
        message: result.message,
        execution_time: result.execution_time,
        completed_at: result.completed_at,
        ...(result.rows_affected !== undefined ? { rows_affected: result.rows_affected } : {}),
        ...(result.failures !== undefined ? { failures: result.failures } : {}),
      };
    }
    if (entry) out.warehouse = { type: entry.type, rowCount: entry.stats.row_count };
    else if (missing) out.warehouse = { missing };
    if (nodeLineage && 'error' in nodeLineage) out.lineageError = nodeLineage.error;
    else if (nodeLineage && !nodeLineage.complete) out.lineageIncomplete = true;
    if (node.resourceType === 'test') {
      if (node.attachedTo) out.testOf = node.attachedTo;
      if (node.testName) out.testName = node.testName;
      if (node.columnName) out.column = node.columnName;
      out.args = node.args;
    }
    return out;
  });
  return {
    project: manifest.metadata.project,
    target: manifest.metadata.target,
    generatedAt: new Date().toISOString(),
    ...(results ? { results: { generatedAt: results.metadata.generatedAt, command: results.metadata.command } } : {}),
    catalog: !!catalog,
    nodes,
  };
}

/** Warehouse columns in warehouse order, then declared-only ones; lineage-only ones when nothing else is known. */
function columns(
  node: CompiledNode,
  warehouse: { name: string; type: string }[] | undefined,
  lineage: NodeLineage | undefined,
  tests: string[],
  manifest: Manifest,
): DocsColumn[] {
  const declared = new Map(node.columns.map((c) => [c.name.toLowerCase(), c]));
  const derived = lineage && !('error' in lineage) ? lineage.columns : {};
  const derivedByKey = new Map(Object.entries(derived).map(([name, l]) => [name.toLowerCase(), l]));
  const names = warehouse?.map((c) => c.name) ?? [];
  const seen = new Set(names.map((n) => n.toLowerCase()));
  for (const source of [node.columns.map((c) => c.name), warehouse ? [] : Object.keys(derived)]) {
    for (const name of source) {
      if (!seen.has(name.toLowerCase())) {
        seen.add(name.toLowerCase());
        names.push(name);
      }
    }
  }
  const typeOf = new Map(warehouse?.map((c) => [c.name.toLowerCase(), c.type]));
  return names.map((name) => {
    const key = name.toLowerCase();
    const doc = declared.get(key);
    const column: DocsColumn = {
      name,
      tests: tests.filter((t) => (manifest.nodes[t] as { columnName?: string }).columnName?.toLowerCase() === key),
    };
    const type = typeOf.get(key);
    if (type) column.type = type;
    if (doc?.data_type) column.declaredType = doc.data_type;
    if (doc?.description) column.description = doc.description;
    if (warehouse && !type) column.notInWarehouse = true;
    const columnLineage = derivedByKey.get(key);
    if (columnLineage) column.lineage = columnLineage;
    return column;
  });
}
