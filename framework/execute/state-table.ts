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
      await this.adapter.ensureSchema(this.table.schema);
      await this.adapter.execute(this.adapter.dialect.createTableColumns(this.table, this.columns));
    })();
    await this.ready;
    return this.adapter.dialect.relation(this.table);
  }
}
