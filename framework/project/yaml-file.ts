import { readFileSync } from 'node:fs';
import { isMap, isSeq, LineCounter, parseDocument, type Node } from 'yaml';
import { ConfigError, type SourcePosition } from '../errors.js';

/** A parsed YAML file that can point back at the line and column of any value or key in it. */
export interface YamlFile {
  path: string;
  data: unknown;
  /** Position of the value at `path` (or of its key when `key` is set); falls back to the nearest ancestor. */
  locate(path: readonly (string | number)[], key?: boolean): SourcePosition;
}

/** `display` is the path shown in messages (relative to the project), `file` the one read. */
export function readYaml(file: string, display = file, text = readFileSync(file, 'utf8')): YamlFile {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const position = (offset: number): SourcePosition => {
    const { line, col } = lineCounter.linePos(offset);
    return { file: display, line, column: col };
  };
  const problem = doc.errors[0];
  if (problem) {
    throw new ConfigError(`invalid YAML: ${problem.message.split('\n')[0]}`, position(problem.pos[0]));
  }
  return {
    path: display,
    data: doc.toJS() ?? {},
    locate(path, key = false) {
      let node: unknown = doc.contents;
      let at = (node as Node | null)?.range?.[0] ?? 0;
      for (const [i, part] of path.entries()) {
        if (isMap(node)) {
          const pair = node.items.find((p) => (p.key as { value?: unknown } | null)?.value === part);
          if (!pair) break;
          const target = key && i === path.length - 1 ? pair.key : pair.value;
          at = (target as Node | null)?.range?.[0] ?? (pair.key as Node).range?.[0] ?? at;
          node = pair.value;
        } else if (isSeq(node) && typeof part === 'number' && node.items[part]) {
          node = node.items[part];
          at = (node as Node).range?.[0] ?? at;
        } else {
          break;
        }
      }
      return position(at);
    },
  };
}
