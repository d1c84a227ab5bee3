import type { Adapter, Column } from '../adapters/adapter.js';
import type { Relation } from '../project/types.js';

/**
 * A table of the framework's own bookkeeping in the target (schema framework_state), created on
 * first use, so every machine that runs the project against the target agrees on its state.
 */
export class StateTable {
  readonly table: Relation;
  private ready?: Promise<void>;

  constructor(
    readonly adapter: Adapter,
    name: string,
    readonly columns: Column[],
  ) {
    this.table = { schema: 'framework_state', name };
  }

  /** The quoted relation, once the table exists. */
  async relation(): Promise<string> {
    this.ready ??= (async () => {
      const { dialect, introspector } = this.adapter;
      await this.adapter.ensureSchema(this.table.schema);
      await this.adapter.execute(dialect.createTableColumns(this.table, this.columns));
      // A table left by an older version gains the columns it lacks; its rows read as NULL there,
      // i.e. as state of no table, which only repeats idempotent work.
      const present = new Set((await introspector.columns(this.table)).map((c) => c.name.toLowerCase()));
      for (const column of this.columns.filter((c) => !present.has(c.name))) await this.adapter.execute(dialect.addColumn(this.table, column));
    })();
    await this.ready;
    return this.adapter.dialect.relation(this.table);
  }
}

/** A table's name as state rows key it: the books belong to the table, not to a model's name. */
export function tableKey(table: Relation): string {
  return [table.database, table.schema, table.name].filter(Boolean).join('.');
}
