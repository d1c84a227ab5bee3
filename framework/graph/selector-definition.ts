import { ConfigError } from '../errors.js';
import type { NamedSelector } from '../project/types.js';
import {
  ALL,
  INDIRECT_MODES,
  METHODS,
  parseCriteria,
  parseUnion,
  splitMethod,
  type Criteria,
  type Group,
  type IndirectSelection,
  type Spec,
} from './selector-spec.js';

/**
 * A selectors.yml entry as dbt reads it: `definition:` as a CLI string, `{method: value}`, a full
 * `{method, value, children, parents, ...}` mapping, or `union`/`intersection` lists whose `exclude`
 * items are subtracted. `select:`/`exclude:` strings are this framework's shorthand for the same.
 */
export function namedSelectorSpec(
  selector: NamedSelector,
  all: NamedSelector[],
  indirect: IndirectSelection,
  seen: string[] = [],
): Spec {
  if (seen.includes(selector.name))
    throw new ConfigError(
      `selectors.yml: selector "${selector.name}" refers to itself (${[...seen, selector.name].join(' -> ')})`,
    );
  const context = { all, seen: [...seen, selector.name], name: selector.name };
  if (selector.definition !== undefined) return definition(selector.definition, indirect, context);
  const included = parseUnion([selector.select ?? ''], indirect, false);
  const excluded = parseUnion(selector.exclude ? [selector.exclude] : [], indirect, false);
  return { kind: 'difference', indirect, components: [included, excluded] };
}

interface Context {
  all: NamedSelector[];
  seen: string[];
  name: string;
}

function definition(raw: unknown, indirect: IndirectSelection, context: Context): Spec {
  // dbt reads a string definition as one term: no space unions or comma intersections.
  if (typeof raw === 'string') return parseCriteria(raw, indirect);
  if (!raw || typeof raw !== 'object' || Array.isArray(raw))
    throw invalid(context, `expected a string or a mapping, got ${JSON.stringify(raw)}`);
  const dict = raw as Record<string, unknown>;
  for (const kind of ['union', 'intersection'] as const)
    if (kind in dict) return group(kind, dict[kind], indirect, context);
  if ('method' in dict && 'exclude' in dict) {
    const { exclude, ...rest } = dict;
    return {
      kind: 'difference',
      indirect,
      components: [criteria(rest, indirect, context), group('union', exclude, indirect, context)],
    };
  }
  if ('method' in dict) return criteria(dict, indirect, context);
  const keys = Object.keys(dict);
  if (keys.length === 1 && METHODS.includes(keys[0]!.split('.')[0]!))
    return criteria({ method: keys[0], value: dict[keys[0]!] }, indirect, context);
  throw invalid(
    context,
    `expected union, intersection, method or one "method: value" pair, got keys ${keys.join(', ')}`,
  );
}

function group(kind: 'union' | 'intersection', items: unknown, indirect: IndirectSelection, context: Context): Spec {
  if (!Array.isArray(items)) throw invalid(context, `${kind} must be a list`);
  const included: Spec[] = [];
  const excluded: Spec[] = [];
  for (const item of items) {
    if (item && typeof item === 'object' && 'exclude' in item) {
      const list = (item as { exclude: unknown }).exclude;
      if (!Array.isArray(list)) throw invalid(context, 'exclude must be a list');
      excluded.push(...list.map((e) => definition(e, indirect, context)));
    } else included.push(definition(item, indirect, context));
  }
  const base: Group = { kind, indirect, components: included };
  return excluded.length
    ? { kind: 'difference', indirect, components: [base, { kind: 'union', indirect, components: excluded }] }
    : base;
}

function criteria(dict: Record<string, unknown>, inherited: IndirectSelection, context: Context): Spec {
  const method = String(dict.method);
  const value = dict.value === undefined ? undefined : String(dict.value);
  if (value === undefined) throw invalid(context, `method "${method}" has no value`);
  const indirect = (dict.indirect_selection as IndirectSelection | undefined) ?? inherited;
  if (!INDIRECT_MODES.includes(indirect))
    throw invalid(context, `indirect_selection must be one of ${INDIRECT_MODES.join(', ')}, got "${indirect}"`);
  if (method === 'selector') {
    const target = context.all.find((s) => s.name === value);
    if (!target) throw invalid(context, `selector:${value} names no selector`);
    return namedSelectorSpec(target, context.all, indirect, context.seen);
  }
  const depth = (flag: unknown, d: unknown): number | undefined =>
    d !== undefined ? Number(d) : flag === true ? ALL : undefined;
  const parents = depth(dict.parents, dict.parents_depth);
  const children = depth(dict.children, dict.children_depth);
  const raw = `${method}:${value}`;
  const out: Criteria = {
    kind: 'criteria',
    raw,
    ...splitMethod(method, raw),
    value,
    indirect,
    childrensParents: dict.childrens_parents === true,
    ...(parents !== undefined ? { parents } : {}),
    ...(children !== undefined ? { children } : {}),
  };
  if (out.childrensParents && out.children !== undefined)
    throw invalid(context, '"childrens_parents" and "children" cannot be combined');
  return out;
}

function invalid(context: Context, message: string): ConfigError {
  return new ConfigError(`selectors.yml: selector "${context.name}": ${message}`, { file: 'selectors.yml' });
}
