import { ConfigError } from '../errors.js';
import { ledgerRows } from '../state/file-ledger.js';
import type { ModelNode } from '../project/types.js';
import { envVar } from '../project/env-var.js';
import { didYouMean } from '../project/suggest.js';
import type { RenderState } from './state.js';
import type { Helper, HelperOptions } from './interpreter.js';
import { positionOf } from './position.js';

/** Helpers receive an options object last; they want only the user's arguments. */
export function userArgs(args: unknown[]): { values: unknown[]; options: HelperOptions } {
  return { values: args.slice(0, -1), options: args[args.length - 1] as HelperOptions };
}

export function stateOf(options: HelperOptions): RenderState {
  return (options.data as { render: RenderState }).render;
}

/** The framework's own helpers: graph (ref, source, this), configuration (var, env_var, config), logic. */
export const coreHelpers: Record<string, Helper> = {
  ref(...args) {
    const { values, options } = userArgs(args);
    const state = stateOf(options);
    const name = String(values[0]);
    const id = state.project.byName.get(name);
    if (!id) {
      throw new ConfigError(
        `ref "${name}" does not match any model or seed`,
        positionOf(state, `ref "${name}"`, name),
        didYouMean(name, state.project.byName.keys()),
      );
    }
    state.dependsOn.add(id);
    return state.relationOf(id);
  },
  source(...args) {
    const { values, options } = userArgs(args);
    const state = stateOf(options);
    const [sourceName, tableName] = values.map(String);
    const id = `source.${state.project.file.name}.${sourceName}.${tableName}`;
    if (!state.project.nodes.has(id)) {
      const known = [...state.project.nodes.values()].filter((n) => n.resourceType === 'source').map((n) => n.name);
      throw new ConfigError(
        `source "${sourceName}.${tableName}" is not declared in any sources/*.yml`,
        positionOf(state, `source`, String(tableName)),
        didYouMean(`${sourceName}.${tableName}`, known),
      );
    }
    state.dependsOn.add(id);
    return state.relationOf(id);
  },
  /** The file ledger of a new_files model's table (path, row_count, staged_rows); depends on the model like ref. */
  loaded_files(...args) {
    const { values, options } = userArgs(args);
    const state = stateOf(options);
    coreHelpers.ref!(values[0], options);
    const node = state.nodeOf(state.project.byName.get(String(values[0]))!) as ModelNode;
    if (node.config.incremental_strategy !== 'new_files') {
      throw new ConfigError(
        `loaded_files "${node.name}": the model is not incremental_strategy new_files, so it has no file ledger`,
        positionOf(state, 'loaded_files', node.name),
      );
    }
    return ledgerRows(state.adapter.dialect, node.relation);
  },
  /**
   * A model's rows that its last run wrote (a singular test on a scheduled `test`: models with
   * written_at), else the whole model (--full, or that run's writes are unknown), as ref would.
   */
  written(...args) {
    const { values, options } = userArgs(args);
    const state = stateOf(options);
    const relation = coreHelpers.ref!(values[0], options) as string;
    const predicate = state.runtime.written?.get(state.project.byName.get(String(values[0]))!);
    return predicate ? `(select * from ${relation} where ${predicate})` : relation;
  },
  var(...args) {
    const { values, options } = userArgs(args);
    const state = stateOf(options);
    const name = String(values[0]);
    if (state.runtime.vars && name in state.runtime.vars) return state.runtime.vars[name];
    if (name in state.project.vars) return state.project.vars[name];
    if (values.length > 1) return values[1];
    throw new ConfigError(
      `var "${name}" is not defined in project.yml vars or --vars and has no default`,
      positionOf(state, `var "${name}"`, name),
      didYouMean(name, Object.keys(state.project.vars)),
    );
  },
  env_var(...args) {
    const { values, options } = userArgs(args);
    const state = stateOf(options);
    return envVar(String(values[0]), values[1], positionOf(state, 'env_var', String(values[0])));
  },
  // Read statically before rendering (static-config.ts); renders as nothing.
  config: () => '',
  is_incremental(...args) {
    return stateOf(userArgs(args).options).runtime.isIncremental;
  },
  quote(...args) {
    const { values, options } = userArgs(args);
    return stateOf(options).adapter.dialect.quote(String(values[0]));
  },
  lit(...args) {
    const { values, options } = userArgs(args);
    return stateOf(options).adapter.dialect.literal(values[0]);
  },
  literal_list(...args) {
    const { values, options } = userArgs(args);
    const dialect = stateOf(options).adapter.dialect;
    return (values[0] as unknown[]).map((v) => dialect.literal(v)).join(', ');
  },
  /** A relation given as a model name, ref('x') or source('a','b') (dbt-style test arguments). */
  relation(...args) {
    const { values, options } = userArgs(args);
    const text = String(values[0]);
    const source = /^source\(\s*['"]([^'"]+)['"]\s*,\s*['"]([^'"]+)['"]\s*\)$/.exec(text);
    if (source) return coreHelpers.source!(source[1], source[2], options);
    const ref = /^ref\(\s*['"]([^'"]+)['"]\s*\)$/.exec(text);
    return coreHelpers.ref!(ref ? ref[1] : text, options);
  },
  eq: (a, b) => a === b,
  ne: (a, b) => a !== b,
  gt: (a, b) => a > b,
  lt: (a, b) => a < b,
  not: (a) => !a,
  and: (...args) => userArgs(args).values.every(Boolean),
  or: (...args) => userArgs(args).values.some(Boolean),
  defined: (a) => a !== undefined && a !== null,
  list: (...args) => userArgs(args).values,
  join: (items: unknown[], separator: unknown) => items.join(typeof separator === 'string' ? separator : ', '),
};
