import type { Column, TypedColumn } from '../adapters/adapter.js';
import { ExecutionError } from '../errors.js';
import { constraintsOf, engineEnforces } from '../project/contract.js';
import type { ModelNode } from '../project/types.js';
import type { CompiledNode } from '../template/manifest.js';
import type { MaterializeContext } from './context.js';

/**
 * An enforced contract: the query's columns (a limit-0 query, nothing built) against the declared
 * ones, names case-insensitively and order-free, types through the engine's spellings. Every
 * mismatch is listed in one error, raised before any statement touches the relation. Returns the
 * query's columns (what the typed table is created with).
 */
export async function checkContract(
  ctx: MaterializeContext,
  node: CompiledNode & ModelNode,
  sql: string,
  known?: Column[],
): Promise<Column[] | undefined> {
  if (!node.config.contract?.enforced) return undefined;
  const actual = known ?? (await ctx.adapter.introspector.queryColumns(sql));
  const byName = new Map(actual.map((c) => [c.name.toLowerCase(), c]));
  const declared = new Set(node.columns.map((c) => c.name.toLowerCase()));
  const problems: string[] = [];
  for (const column of node.columns) {
    const got = byName.get(column.name.toLowerCase());
    if (!got) problems.push(`column ${column.name}: declared ${column.data_type}, missing from the query`);
    else if (!ctx.adapter.dialect.sameType(column.data_type!, got.type))
      problems.push(`column ${column.name}: declared ${column.data_type}, query gives ${got.type.toLowerCase()}`);
  }
  for (const c of actual)
    if (!declared.has(c.name.toLowerCase()))
      problems.push(`column ${c.name}: query gives ${c.type.toLowerCase()}, not declared`);
  if (problems.length) {
    throw new ExecutionError(
      `model "${node.name}": contract not met, ${node.relation.name} left as it was (${problems.length} mismatch${problems.length === 1 ? '' : 'es'}): ${problems.join('; ')}`,
    );
  }
  return actual;
}

/**
 * The columns and CHECKs to create the table with when the engine enforces some of the
 * contract's constraints; undefined when none applies (the plain CREATE OR REPLACE AS does).
 */
export function enforcedDefinition(
  ctx: MaterializeContext,
  node: ModelNode,
  columns: Column[],
): { columns: TypedColumn[]; checks: string[] } | undefined {
  const applied = constraintsOf(node).filter((k) =>
    engineEnforces(k.type === 'primary_key' ? 'not_null' : k.type, ctx.adapter.capabilities, true),
  );
  if (!applied.length) return undefined;
  const notNull = new Set(
    applied.filter((k) => k.type !== 'check').flatMap((k) => k.columns.map((c) => c.toLowerCase())),
  );
  return {
    columns: columns.map((c) => ({ ...c, notNull: notNull.has(c.name.toLowerCase()) })),
    checks: applied.filter((k) => k.type === 'check').map((k) => k.expression!),
  };
}
