import type { Column, Dialect, MacroSet } from '../adapters/adapter.js';
import { utcTimestamp } from '../adapters/timestamp.js';
import { ExecutionError } from '../errors.js';
import { snapshotConfig, type SnapshotConfig } from '../project/snapshot-config.js';
import type { Relation, SnapshotNode } from '../project/types.js';
import type { CompiledNode } from '../template/manifest.js';
import { apply, ids, render, type MaterializeContext, type MaterializeResult } from './context.js';

const IS_DELETED = 'dbt_is_deleted';

export interface SnapshotPlanInput {
  relation: Relation;
  /** The snapshot's rendered query. */
  sql: string;
  config: SnapshotConfig;
  /** Output columns of `sql`. */
  queryColumns: Column[];
  /** Columns of the snapshot table, or undefined when it does not exist yet. */
  existing?: Column[];
  /** This run's time as a SQL timestamp (dbt's snapshot_get_time): one value for the whole run. */
  now: string;
  /** Table properties of the first run's CREATE (Iceberg partitioning, ...). */
  properties?: Record<string, unknown>;
}

/**
 * The statements of one snapshot run, as dbt-core's snapshot materialization: the first run creates
 * the table from the query plus the meta columns; later runs add the query's new columns, then
 * apply one MERGE whose source is dbt's staging query (snapshot_staging_table): 'insert' rows carry
 * a new dbt_scd_id that matches nothing and are inserted, 'update'/'delete' rows carry the current
 * version's dbt_scd_id and close it (dbt_valid_to). So each target row gets at most one action,
 * as Iceberg's MERGE requires, and a changed key gets both its old version closed and its new one
 * inserted in one commit.
 */
export function snapshotPlan(
  dialect: Dialect,
  macros: MacroSet,
  input: SnapshotPlanInput,
): { create?: string; addColumns: string[]; merge?: string } {
  const q = (c: string) => dialect.quote(c);
  const { config, now } = input;
  const newRecord = config.hardDeletes === 'new_record';
  const updatedAt = (alias: string) => (config.updatedAt ? `${alias}.${config.updatedAt}` : now);
  const validToCurrent = config.validToCurrent ?? 'null';
  const scdId = (alias: string, time: string) => macros.md5_hex!(...config.uniqueKey.map((k) => `${alias}.${k}`), time);
  if (!input.existing) {
    const select =
      `select s.*, ${scdId('s', updatedAt('s'))} as dbt_scd_id, ${updatedAt('s')} as dbt_updated_at, ${updatedAt('s')} as dbt_valid_from, ` +
      `coalesce(nullif(${updatedAt('s')}, ${updatedAt('s')}), ${validToCurrent}) as dbt_valid_to${newRecord ? `, 'False' as ${IS_DELETED}` : ''} from (${input.sql}) as s`;
    return { create: dialect.createTable(input.relation, select, input.properties ?? {}), addColumns: [] };
  }

  const existing = new Set(input.existing.map((c) => c.name.toLowerCase()));
  if (!existing.has('dbt_scd_id') || !existing.has('dbt_valid_to')) {
    throw new ExecutionError(
      `${dialect.relation(input.relation)} exists but is not a snapshot table (no dbt_scd_id/dbt_valid_to): drop it or choose another name`,
    );
  }
  // dbt adds the query's new columns to the table; columns the query dropped stay, NULL from now on.
  const addColumns = input.queryColumns
    .filter((c) => !existing.has(c.name.toLowerCase()))
    .map((c) => dialect.addColumn(input.relation, c));
  // A snapshot switched to new_record keeps its history and gains the flag (NULL on older rows, as dbt).
  if (newRecord && !existing.has(IS_DELETED))
    addColumns.push(dialect.addColumn(input.relation, { name: IS_DELETED, type: 'varchar' }));
  const names = input.queryColumns.map((c) => c.name);
  const cols = names.map(q);
  const keys = config.uniqueKey.map((_, i) => `dbt_unique_key_${i + 1}`);
  const keyFields = config.uniqueKey.map((k, i) => `${k} as ${keys[i]}`).join(', ');
  const join = keys.map((k) => `t.${k} = s.${k}`).join(' and ');
  const isCurrent = (prefix: string) =>
    `(${prefix}dbt_valid_to is null${config.validToCurrent ? ` or ${prefix}dbt_valid_to = ${config.validToCurrent}` : ''})`;
  const changed = rowChanged(config, names, existing, q);
  const restored = newRecord ? ` or t.${IS_DELETED} = 'True'` : '';
  const gone = `s.${keys[0]} is null${newRecord ? ` and not (t.${IS_DELETED} = 'True' and ${isCurrent('t.')})` : ''}`;
  const time = ['dbt_updated_at', 'dbt_valid_from', 'dbt_valid_to'];
  const staged = [...cols, ...time, 'dbt_scd_id', ...(newRecord ? [IS_DELETED] : [])];

  const ctes = [
    `snapshot_query as (${input.sql})`,
    `snapshotted_data as (select *, ${keyFields} from ${dialect.relation(input.relation)} where ${isCurrent('')})`,
    `insertions_source_data as (select ${cols.join(', ')}, ${keyFields}, ${updatedAt('snapshot_query')} as dbt_updated_at, ${updatedAt('snapshot_query')} as dbt_valid_from, ` +
      `coalesce(nullif(${updatedAt('snapshot_query')}, ${updatedAt('snapshot_query')}), ${validToCurrent}) as dbt_valid_to, ${scdId('snapshot_query', updatedAt('snapshot_query'))} as dbt_scd_id from snapshot_query)`,
    `updates_source_data as (select ${cols.join(', ')}, ${keyFields}, ${updatedAt('snapshot_query')} as dbt_updated_at, ${updatedAt('snapshot_query')} as dbt_valid_from, ${updatedAt('snapshot_query')} as dbt_valid_to from snapshot_query)`,
    `insertions as (select 'insert' as dbt_change_type, ${[...cols, ...time, 'dbt_scd_id'].map((c) => `s.${c}`).join(', ')}${newRecord ? `, 'False' as ${IS_DELETED}` : ''} ` +
      `from insertions_source_data as s left join snapshotted_data as t on ${join} where t.${keys[0]} is null or (t.${keys[0]} is not null and (${changed}${restored})))`,
    `updates as (select 'update' as dbt_change_type, ${[...cols, ...time].map((c) => `s.${c}`).join(', ')}, t.dbt_scd_id${newRecord ? `, t.${IS_DELETED}` : ''} ` +
      `from updates_source_data as s join snapshotted_data as t on ${join} where (${changed}${restored}))`,
  ];
  const parts = ['insertions', 'updates'];
  if (config.hardDeletes !== 'ignore') {
    // The table's values of the gone key (columns added above are in it by the time the MERGE runs).
    const tCols = cols.map((c) => `t.${c}`);
    ctes.push(`deletes_source_data as (select ${keyFields} from snapshot_query)`);
    ctes.push(
      `deletes as (select 'delete' as dbt_change_type, ${tCols.join(', ')}, ${now} as dbt_updated_at, ${now} as dbt_valid_from, ${now} as dbt_valid_to, t.dbt_scd_id${newRecord ? `, t.${IS_DELETED}` : ''} ` +
        `from snapshotted_data as t left join deletes_source_data as s on ${join} where ${gone})`,
    );
    parts.push('deletes');
    if (newRecord) {
      ctes.push(
        `deletion_records as (select 'insert' as dbt_change_type, ${tCols.join(', ')}, ${now} as dbt_updated_at, ${now} as dbt_valid_from, t.dbt_valid_to, ` +
          `${macros.md5_hex!(...keys.map((k) => `t.${k}`), now)} as dbt_scd_id, 'True' as ${IS_DELETED} from snapshotted_data as t left join deletes_source_data as s on ${join} where ${gone})`,
      );
      parts.push('deletion_records');
    }
  }
  const staging = `with ${ctes.join(',\n')}\n${parts.map((p) => `select * from ${p}`).join('\nunion all\n')}`;
  const merge =
    `merge into ${dialect.relation(input.relation)} as d using (${staging}) as s on s.dbt_scd_id = d.dbt_scd_id\n` +
    `when matched and ${isCurrent('d.')} and s.dbt_change_type in ('update', 'delete') then update set dbt_valid_to = s.dbt_valid_to\n` +
    `when not matched and s.dbt_change_type = 'insert' then insert (${staged.join(', ')}) values (${staged.map((c) => `s.${c}`).join(', ')})`;
  return { addColumns, merge };
}

/** dbt's row_changed: a newer updated_at (timestamp), or any checked column differing, NULL-aware (check). */
function rowChanged(
  config: SnapshotConfig,
  queryColumns: string[],
  existing: Set<string>,
  q: (c: string) => string,
): string {
  if (config.strategy === 'timestamp') return `t.dbt_valid_from < s.${config.updatedAt}`;
  const all = config.checkCols === 'all';
  // check_cols: all and a column the table lacks: every row changed (dbt: a new column is a change).
  if (all && queryColumns.some((c) => !existing.has(c.toLowerCase()))) return 'true';
  const checked = all ? queryColumns.map(q) : (config.checkCols as string[]);
  return checked.map((c) => `t.${c} <> s.${c} or (t.${c} is null) <> (s.${c} is null)`).join(' or ');
}

/** One snapshot run: create the table, or add new columns and MERGE the changes. Never full-refreshed (dbt). */
export async function snapshot(
  ctx: MaterializeContext,
  node: CompiledNode & SnapshotNode,
  at: Date = new Date(),
): Promise<MaterializeResult> {
  const { dialect, macros, introspector } = ctx.adapter;
  const sql = render(ctx, node, { isIncremental: false });
  const config = snapshotConfig(node.name, node.config, node.configOrigin ?? node.origin);
  const exists = (await introspector.relationType(node.relation)) === 'table';
  const existing = exists ? await introspector.columns(node.relation) : undefined;
  const queryColumns = await introspector.queryColumns(sql);
  const now = utcTimestamp(macros, at, 'ms');
  const plan = snapshotPlan(dialect, macros, {
    relation: node.relation,
    sql,
    config,
    queryColumns,
    ...(existing ? { existing } : {}),
    now,
    properties: node.config.properties,
  });
  // --empty checks the query on the engine but merges nothing: zero rows would read as every key deleted.
  if (ctx.empty && !plan.create) return { message: 'snapshot query checked (--empty: nothing merged)', queryIds: [] };
  if (plan.create) {
    const results = await apply(ctx, node, [plan.create], true);
    const rows = results[0]!.rowsAffected;
    return {
      ...(rows !== undefined ? { rowsAffected: rows } : {}),
      message: `snapshot created${rows !== undefined ? ` (${rows} rows)` : ''}`,
      queryIds: ids(results),
    };
  }
  if (plan.addColumns.length) await apply(ctx, node, plan.addColumns, false);
  // Retrying is safe: a merge that did commit leaves nothing changed for the next attempt.
  const results = await apply(ctx, node, [plan.merge!], true);
  const rows = results[0]!.rowsAffected;
  return {
    ...(rows !== undefined ? { rowsAffected: rows } : {}),
    message: `snapshot merged${rows !== undefined ? ` (${rows} rows)` : ''}`,
    queryIds: ids(results),
  };
}
