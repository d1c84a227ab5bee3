import type { Adapter, Column, Dialect } from '../adapters/adapter.js';
import type { Relation } from '../project/types.js';
import { SingleFlight } from '../adapters/single-flight.js';

/** Every state row names the table it is about (its key) and the model that wrote it. */
const KEY_COLUMNS: Column[] = [
  { name: 'model_table', type: 'varchar' },
  { name: 'model_id', type: 'varchar' },
];

/**
 * State tables are partitioned by the model's table (Iceberg identity partitioning). Models write
 * their state concurrently (threads), and Iceberg checks a commit that deletes rows against the
 * files other commits added meanwhile that its predicate could match. Unpartitioned, a delete file
 * carries no value of model_table, so one model's delete (cutting or clearing its intervals)
 * conflicted with another's ("Found new conflicting delete files"). Partitioned, every statement
 * names its model_table, the check is scoped to that partition, and models never conflict. (Their
 * commits still race for the table's metadata pointer; a write that loses it more often than
 * Iceberg retries is run again by interval-state.ts.) State stays one table per kind that
 * `framework intervals` and users can query.
 */
const PARTITION_BY = ['model_table'];

export const STATE_SCHEMA = 'framework_state';
/** Every state table: interval state and the file ledger. */
export const STATE_TABLES = ['intervals', 'loaded_files'] as const;

/**
 * A table of the framework's own bookkeeping in the target (schema framework_state), created on
 * first use, so every machine that runs the project against the target agrees on its state.
 * Rows are keyed by the model's table, not its name: two copies of a project writing other
 * schemas of one target keep their own state.
 */
export class StateTable {
  readonly table: Relation;
  readonly columns: Column[];
  private ready?: Promise<void>;

  constructor(
    readonly adapter: Adapter,
    name: (typeof STATE_TABLES)[number],
    columns: Column[],
  ) {
    this.table = { schema: STATE_SCHEMA, name };
    this.columns = [...KEY_COLUMNS, ...columns];
  }

  /** `model_table = '<schema.name>'`: the rows about one model's table. */
  about(table: Relation): string {
    return `model_table = ${this.adapter.dialect.literal(tableKey(table))}`;
  }

  /** The key columns' values of a row about `table`, written by `modelId`. */
  keyValues(table: Relation, modelId: string): string[] {
    return [this.adapter.dialect.literal(tableKey(table)), this.adapter.dialect.literal(modelId)];
  }

  /** The quoted relation, once the table exists. */
  async relation(): Promise<string> {
    // Several stores over one adapter (threads, commands) create it once at a time.
    this.ready ??= creating(this.adapter).run(this.table.name, async () => {
      const { dialect, introspector } = this.adapter;
      await this.adapter.ensureSchema(this.table.schema);
      await this.adapter.execute(dialect.createTableColumns(this.table, this.columns, PARTITION_BY));
      // A table left by an older version gains the columns it lacks; its rows read as NULL there,
      // i.e. as state of no table, which only repeats idempotent work.
      const present = new Set((await introspector.columns(this.table)).map((c) => c.name.toLowerCase()));
      for (const column of this.columns.filter((c) => !present.has(c.name)))
        await this.adapter.execute(dialect.addColumn(this.table, column));
      await this.adapter.partitionBy?.(this.table, PARTITION_BY);
    });
    await this.ready;
    return this.adapter.dialect.relation(this.table);
  }
}

const creators = new WeakMap<Adapter, SingleFlight>();
function creating(adapter: Adapter): SingleFlight {
  let flight = creators.get(adapter);
  if (!flight) creators.set(adapter, (flight = new SingleFlight()));
  return flight;
}

/** `model_table in (…)`: the state rows about any of `tables` (maintenance compacts only those). */
export function aboutTables(dialect: Dialect, tables: Relation[]): string {
  return `model_table in (${tables.map((t) => dialect.literal(tableKey(t))).join(', ')})`;
}

/** How state rows name a table: `[database.]schema.name`. */
export function tableKey(table: Relation): string {
  return [table.database, table.schema, table.name].filter(Boolean).join('.');
}
