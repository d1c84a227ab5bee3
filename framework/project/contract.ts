import { ConfigError, type SourcePosition } from '../errors.js';
import type { EngineCapabilities } from './engine.js';
import type { Constraint, ModelNode } from './types.js';

/** Where a key of the model's properties entry sits, for errors (`['columns', 2, 'data_type']`). */
export type Locate = (path: (string | number)[]) => SourcePosition;

/**
 * An enforced contract needs every column declared with a data_type (dbt refuses the same): the
 * check compares names and types, and the table is created from them.
 */
export function checkContract(node: ModelNode, locate: Locate): void {
  if (!node.config.contract?.enforced) return;
  if (node.config.materialized === 'ephemeral') {
    throw new ConfigError(
      `model "${node.name}": contract.enforced on an ephemeral model (it is never built, so there is nothing to check)`,
      locate(['config', 'contract']),
    );
  }
  if (!node.columns.length) {
    throw new ConfigError(
      `model "${node.name}": contract.enforced but no columns are declared`,
      locate(['columns']),
      'declare each column with its data_type in a properties file',
    );
  }
  const untyped = node.columns.findIndex((c) => !c.data_type);
  if (untyped >= 0) {
    throw new ConfigError(
      `model "${node.name}": contract.enforced but column "${node.columns[untyped]!.name}" has no data_type`,
      locate(['columns', untyped]),
      'an enforced contract needs data_type on every column',
    );
  }
}

/** A check needs its expression; a model-level constraint the columns it is on. */
export function checkConstraints(node: ModelNode, locate: Locate): void {
  (node.constraints ?? []).forEach((k, i) => {
    if (k.type === 'check' && !k.expression)
      throw new ConfigError(`model "${node.name}": a check constraint needs expression`, locate(['constraints', i]));
    if (k.type !== 'check' && !k.columns?.length)
      throw new ConfigError(
        `model "${node.name}": a model-level ${k.type} constraint needs columns`,
        locate(['constraints', i]),
      );
  });
  node.columns.forEach((c, i) =>
    (c.constraints ?? []).forEach((k, j) => {
      if (k.type === 'check' && !k.expression)
        throw new ConfigError(
          `model "${node.name}": the check constraint of column "${c.name}" needs expression`,
          locate(['columns', i, 'constraints', j]),
        );
    }),
  );
}

/** The constraints of a model, each with the columns it is on (a column's own constraints name it). */
export function constraintsOf(node: ModelNode): (Constraint & { columns: string[] })[] {
  const ofColumns = node.columns.flatMap((c) => (c.constraints ?? []).map((k) => ({ ...k, columns: [c.name] })));
  return [...ofColumns, ...(node.constraints ?? []).map((k) => ({ ...k, columns: k.columns ?? [] }))];
}

/** Whether the engine itself refuses rows breaking this constraint: only when the table is created from an enforced contract. */
export function engineEnforces(type: Constraint['type'], engine: EngineCapabilities, enforced: boolean): boolean {
  // UNIQUE/PRIMARY KEY are never the engine's (an index over the whole table on every write): tests cover them.
  return enforced && (engine.enforcedConstraints as readonly string[]).includes(type);
}

/**
 * The blocking (error-severity) tests that stand in for the constraints the engine does not
 * enforce, as YAML test entries: `[column or undefined, entry]`. primary_key is unique + not null.
 */
export function constraintTests(node: ModelNode, engine: EngineCapabilities): [string | undefined, unknown][] {
  const enforced = !!node.config.contract?.enforced;
  const blocking = { config: { severity: 'error' } };
  const out: [string | undefined, unknown][] = [];
  for (const k of constraintsOf(node)) {
    const notNull = k.type === 'not_null' || k.type === 'primary_key';
    if (notNull && !engineEnforces('not_null', engine, enforced))
      for (const c of k.columns) out.push([c, { not_null: blocking }]);
    if (k.type === 'unique' || k.type === 'primary_key') {
      if (k.columns.length === 1) out.push([k.columns[0], { unique: blocking }]);
      else out.push([undefined, { unique_combination_of_columns: { combination_of_columns: k.columns, ...blocking } }]);
    }
    if (k.type === 'check' && !engineEnforces('check', engine, enforced))
      out.push([undefined, { expression_is_true: { expression: k.expression, ...blocking } }]);
  }
  return out;
}
