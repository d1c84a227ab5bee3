import { duckdbCapabilities } from '../../../framework/adapters/duckdb/capabilities.js';
import { duckdbDialect } from '../../../framework/adapters/duckdb/dialect.js';
import { duckdbMacros } from '../../../framework/adapters/duckdb/macros.js';
import type { Engine } from '../../../framework/materialize/strategy.js';
import type { ModelNode, NodeConfig, SeedNode, SourceNode } from '../../../framework/project/types.js';
import type { CompiledNode } from '../../../framework/template/manifest.js';

/** DuckDB's compile-only members: what a strategy's plan gets, no database behind it. */
export const engine: Engine = { dialect: duckdbDialect, macros: duckdbMacros, capabilities: duckdbCapabilities };

const BASE: NodeConfig = { enabled: true, materialized: 'table', tags: [], meta: {}, on_schema_change: 'ignore', pre_hook: [], post_hook: [], properties: {} };

/** A compiled model `main.m` in models/m.sql with the given config. */
export function model(config: Partial<NodeConfig> = {}, fields: Partial<ModelNode> & { dependsOn?: string[] } = {}): CompiledNode & ModelNode {
  return {
    uniqueId: 'model.p.m',
    resourceType: 'model',
    name: 'm',
    path: 'models/m.sql',
    fqn: ['p', 'm'],
    description: '',
    columns: [],
    origin: { file: 'models/m.sql' },
    rawSql: 'select 1 as id',
    relation: { schema: 'main', name: 'm' },
    dependsOn: [],
    checksum: '',
    ...fields,
    config: { ...BASE, ...config },
  };
}

export function seedNode(): CompiledNode & SeedNode {
  return { uniqueId: 'seed.p.s', resourceType: 'seed', name: 's', path: 'seeds/s.csv', fqn: ['p', 's'], description: '', columns: [], origin: { file: 'seeds/s.csv' }, csvPath: '/p/seeds/s.csv', relation: { schema: 'main', name: 's' }, dependsOn: [], checksum: '', config: { ...BASE, materialized: 'seed' } };
}

/** An external source `source.p.raw.lines` reading staged JSON lines. */
export function externalSource(): CompiledNode & SourceNode {
  return {
    uniqueId: 'source.p.raw.lines',
    resourceType: 'source',
    name: 'lines',
    path: 'sources/raw.yml',
    fqn: ['p', 'raw', 'lines'],
    description: '',
    columns: [],
    origin: { file: 'sources/raw.yml' },
    dependsOn: [],
    checksum: '',
    config: { ...BASE },
    sourceName: 'raw',
    tableName: 'lines',
    relation: { schema: 'raw', name: 'lines' },
    external: { location: 'staging/**/*.json', format: 'lines' },
  };
}
