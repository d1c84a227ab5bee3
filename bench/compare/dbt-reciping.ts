// A dbt-duckdb project equivalent to the Reciping build on an empty DuckDB file, generated mechanically
// from the framework's manifest rather than by porting ~40 handlebars models and their engine macros
// by hand: each model's compiled SQL (its full-build form) with every relation of a model or seed
// turned back into ref(), the seed with its column types, each data test as a singular test. dbt then
// builds the same DAG from the same SQL through its own materializations (view, table, and incremental,
// whose first run is a plain create-table-as on both sides). Only equivalent for a build from empty:
// incremental settings (unique_key, strategy) are not carried over.
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { stringify } from 'yaml';
import type { CompiledNode, Manifest } from '../../framework/template/manifest.js';

const MATERIALIZATIONS = new Set(['view', 'table', 'incremental']);
/** dbt names schemas <target schema>_<custom>; this keeps the framework's names. */
const SCHEMA_NAMES = '{% macro generate_schema_name(custom_schema_name, node) %}{{ (custom_schema_name or target.schema) | trim }}{% endmacro %}\n';

/** Jinja that renders to `sql`, with the given quoted relation names as ref() calls and everything else kept verbatim. */
function withRefs(sql: string, refs: Map<string, string>): string {
  const pattern = new RegExp([...refs.keys()].map((r) => r.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'g');
  const verbatim = (text: string) => (/\{[{%#]/.test(text) ? `{% raw %}${text}{% endraw %}` : text);
  let out = '';
  let at = 0;
  for (const match of sql.matchAll(pattern)) {
    out += verbatim(sql.slice(at, match.index)) + `{{ ref('${refs.get(match[0])}') }}`;
    at = match.index + match[0].length;
  }
  return out + verbatim(sql.slice(at));
}

/** Write the dbt translation of the project at `ours` (whose target/manifest.json is current) into `dir` (replaced). */
export function dbtRecipingFrom(ours: string, dir: string): string {
  const manifest = JSON.parse(readFileSync(join(ours, 'target/manifest.json'), 'utf8')) as Manifest;
  rmSync(dir, { recursive: true, force: true });
  const write = (path: string, text: string) => {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  };
  const nodes = Object.values(manifest.nodes);
  const built = nodes.filter((n): n is CompiledNode & { relation: { schema: string; name: string } } => (n.resourceType === 'model' && n.config.materialized !== 'ephemeral') || n.resourceType === 'seed');
  const refs = new Map(built.map((n) => [`"${n.relation.schema}"."${n.relation.name}"`, n.name]));
  const seeds: Record<string, unknown> = {};

  for (const node of nodes) {
    if (node.resourceType === 'model' && node.config.materialized !== 'ephemeral') {
      if (!MATERIALIZATIONS.has(node.config.materialized)) throw new Error(`${node.uniqueId}: no dbt equivalent for materialized=${node.config.materialized}`);
      const config = `{{ config(materialized='${node.config.materialized}', schema='${node.relation.schema}') }}\n`;
      write(`models/${node.name}.sql`, config + withRefs(node.compiledSql!, refs));
    } else if (node.resourceType === 'seed') {
      mkdirSync(join(dir, 'seeds'), { recursive: true });
      copyFileSync(node.csvPath, join(dir, 'seeds', `${node.name}.csv`));
      seeds[node.name] = { '+schema': node.relation.schema, '+column_types': node.config.column_types ?? {} };
    } else if (node.resourceType === 'test') {
      // Every Reciping test uses the defaults (error on any row); anything else would need carrying over.
      const custom = ['severity', 'warn_if', 'error_if', 'limit', 'store_failures'].filter((k) => k in node.config);
      if (custom.length) throw new Error(`${node.uniqueId}: test config ${custom.join(', ')} is not carried over to dbt`);
      write(`tests/${node.name}.sql`, withRefs(node.compiledSql!, refs));
    }
  }

  const name = manifest.metadata.project;
  write(
    'dbt_project.yml',
    stringify({ name, version: '1.0.0', 'config-version': 2, profile: name, seeds: { [name]: seeds }, flags: { send_anonymous_usage_stats: false } }),
  );
  write('profiles.yml', stringify({ [name]: { target: 'dev', outputs: { dev: { type: 'duckdb', path: join(dir, 'target/dev.duckdb'), threads: 1 } } } }));
  write('macros/generate_schema_name.sql', SCHEMA_NAMES);
  return dir;
}
