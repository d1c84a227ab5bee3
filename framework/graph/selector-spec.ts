import { ConfigError } from '../errors.js';
import { didYouMean } from '../project/suggest.js';

/** How tests next to a selected node come along (dbt's --indirect-selection). */
export type IndirectSelection = 'eager' | 'cautious' | 'buildable' | 'empty';
export const INDIRECT_MODES: IndirectSelection[] = ['eager', 'cautious', 'buildable', 'empty'];

/** One selector term: `[@][n+]method[.args]:value[+n]`. */
export interface Criteria {
  kind: 'criteria';
  raw: string;
  /** undefined: dbt's default method, decided by the value (path, file or fqn). */
  method?: string;
  args: string[];
  value: string;
  childrensParents: boolean;
  parents?: number;
  children?: number;
  indirect: IndirectSelection;
}

export interface Group {
  kind: 'union' | 'intersection' | 'difference';
  components: Spec[];
  indirect: IndirectSelection;
  /** Warn when this group selects nothing (terms the user typed, not defaults). */
  expectExists?: boolean;
  raw?: string;
}

export type Spec = Criteria | Group;

export const METHODS = [
  'fqn',
  'tag',
  'path',
  'file',
  'package',
  'source',
  'resource_type',
  'state',
  'result',
  'test_type',
  'test_name',
  'config',
  'selector',
];
/** Depth of an unbounded graph operator. */
export const ALL = Number.POSITIVE_INFINITY;

// dbt's grammar: the method is word characters and dots; the value is lazy so a trailing "+n" stays an operator.
const TERM = /^(@)?(?:(\d*)\+)?(?:([\w.]+):)?(.*?)(\+(\d*))?$/s;

export function parseCriteria(raw: string, indirect: IndirectSelection): Criteria {
  const m = TERM.exec(raw);
  if (!m || !m[4]) throw new ConfigError(`invalid selector "${raw}": no value to select`);
  const [, at, up, method, value, down, downDepth] = m;
  if (at && down !== undefined)
    throw new ConfigError(
      `invalid selector "${raw}": the "@" prefix and a "+" suffix cannot be combined`,
      undefined,
      `"@${value}" already selects everything downstream and its parents`,
    );
  return {
    kind: 'criteria',
    raw,
    ...(method !== undefined ? splitMethod(method, raw) : { args: [] }),
    value: value!,
    childrensParents: !!at,
    ...(up !== undefined ? { parents: up ? Number(up) : ALL } : {}),
    ...(down !== undefined ? { children: downDepth ? Number(downDepth) : ALL } : {}),
    indirect,
  };
}

/** `config.materialized` → method config with argument materialized; unknown methods are errors. */
export function splitMethod(text: string, raw: string): { method: string; args: string[] } {
  const [method, ...args] = text.split('.') as [string, ...string[]];
  if (!METHODS.includes(method))
    throw new ConfigError(
      `unknown selector method "${method}:" in "${raw}"`,
      undefined,
      didYouMean(method, METHODS) ?? `methods: ${METHODS.join(', ')}`,
    );
  if (method === 'config' && !args.length)
    throw new ConfigError(`invalid selector "${raw}": config needs a key, e.g. config.materialized:table`);
  return { method, args };
}

/** CLI values: each argument may hold several terms; space = union, comma = intersection. */
export function parseUnion(values: string[], indirect: IndirectSelection, expectExists: boolean): Group {
  const terms = values.flatMap((v) => v.split(/\s+/)).filter(Boolean);
  return {
    kind: 'union',
    indirect,
    components: terms.map((term) => ({
      kind: 'intersection',
      indirect,
      expectExists,
      raw: term,
      components: term.split(',').map((part) => parseCriteria(part, indirect)),
    })),
  };
}

/** --select/--exclude as dbt combines them; without --select everything is selected. */
export function parseDifference(
  select: string[] | undefined,
  exclude: string[] | undefined,
  indirect: IndirectSelection,
): Group {
  const included = select?.length
    ? parseUnion(select, indirect, true)
    : parseUnion(['fqn:*', 'source:*'], indirect, false);
  const excluded = parseUnion(exclude ?? [], indirect, true);
  return { kind: 'difference', indirect, components: [included, excluded] };
}
