/** How the lineages of parts combine (expressions, set operations, renames) and the unknown and constant cases. */
import type { ColumnLineage, ColumnSource, LineageKind, LineageResult } from './column-lineage.js';

/** The output columns of a query. */
export type Outputs = Extract<LineageResult, { complete: boolean }>;

/** What a name in an expression resolves to; like ColumnLineage without the output name. */
export type Resolution = Omit<ColumnLineage, 'name'>;

/** No column feeds it: a literal, NULL, current_timestamp. */
export const CONSTANT: Resolution = { kind: 'constant', sources: [] };

/** UNION BY NAME: columns meet by name; a column missing from a branch is NULL there. */
export function byName(left: Outputs, right: Outputs): Outputs {
  const find = (outputs: Outputs, name: string) =>
    outputs.columns.find((c) => c.name.toLowerCase() === name.toLowerCase()) ?? CONSTANT;
  const names = [...left.columns, ...right.columns]
    .map((c) => c.name)
    .filter((name, i, all) => all.findIndex((n) => n.toLowerCase() === name.toLowerCase()) === i);
  return {
    columns: names.map((name) => ({ name, ...merge([find(left, name), find(right, name)]) })),
    complete: left.complete && right.complete,
  };
}

/** A CTE's or FROM item's column list renames its query's columns by position. */
export function rename(outputs: Outputs, names: string[]): Outputs {
  return { columns: outputs.columns.map((c, i) => ({ ...c, name: names[i] ?? c.name })), complete: outputs.complete };
}

/** Sources of all parts; the weakest kind wins (unknown > expression > column > constant). */
export function merge(parts: Resolution[]): Resolution {
  const sources: ColumnSource[] = [];
  const seen = new Set<string>();
  const notes: string[] = [];
  for (const part of parts) {
    for (const s of part.sources) {
      const key = `${s.relation}\u0000${s.column.toLowerCase()}`;
      if (!seen.has(key)) {
        seen.add(key);
        sources.push(s);
      }
    }
    if (part.note && !notes.includes(part.note)) notes.push(part.note);
  }
  const rank: LineageKind[] = ['constant', 'column', 'expression', 'unknown'];
  const kinds = new Set(parts.map((p) => p.kind));
  let kind = rank.reduce((weakest, k) => (kinds.has(k) ? k : weakest), 'constant');
  // A constant in one branch and a column in another is a computed value, not a copy.
  if (kind === 'column' && kinds.has('constant')) kind = 'expression';
  return { kind, sources, ...(notes.length && kind === 'unknown' ? { note: notes.join('; ') } : {}) };
}

export function withoutName(column: ColumnLineage): Resolution {
  return { kind: column.kind, sources: column.sources, ...(column.note ? { note: column.note } : {}) };
}

export function unknownResolution(note: string): Resolution {
  return { kind: 'unknown', sources: [], note };
}

export function unknown(name: string, note: string): ColumnLineage {
  return { name, ...unknownResolution(note) };
}
