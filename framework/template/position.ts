import type { SourcePosition } from '../errors.js';
import type { RenderState } from './state.js';

/** Best line for an error inside a template: the first line mentioning `needle` (and `detail`). */
export function positionOf(state: RenderState, needle: string, detail?: string): SourcePosition {
  const lines = state.source.split('\n');
  let index = lines.findIndex((l) => l.includes(needle) && (!detail || l.includes(detail)));
  if (index < 0) index = lines.findIndex((l) => detail && l.includes(detail));
  if (index < 0) return { file: state.file };
  const column = lines[index]!.indexOf(detail ?? needle) + 1;
  return { file: state.file, line: index + 1, column };
}
