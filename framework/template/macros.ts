import type { Adapter } from '../adapters/adapter.js';
import type { MacroFile } from '../project/types.js';
import { userArgs } from './helpers.js';
import type { Helper, Template } from './interpreter.js';

/** What a TS/JS macro receives as its first argument. */
export interface MacroContext {
  adapter: Adapter['type'];
  quote(identifier: string): string;
  literal(value: unknown): string;
  /** Call another cross-database macro (the adapter's or the project's). */
  call(name: string, ...args: string[]): string;
}

export type ModuleMacro = (ctx: MacroContext, ...args: any[]) => string;
type Compile = (source: string, file: string) => Template;

/**
 * Dispatch: a macro in macros/<adapter>/ wins over macros/ which wins over the adapter's built-in
 * of the same name. Template macros see positional args as arg0.., declared names, and hash args.
 */
export function macroHelpers(
  files: MacroFile[],
  modules: Map<string, Record<string, ModuleMacro>>,
  adapter: Adapter,
  compile: Compile,
  call: (name: string, args: string[]) => string,
): { helpers: Map<string, Helper>; templates: Map<string, Template> } {
  const helpers = new Map<string, Helper>();
  const templates = new Map<string, Template>();
  const rank = (f: MacroFile) => (f.adapter === adapter.type ? 2 : f.adapter ? 0 : 1);
  const chosen = new Map<string, MacroFile>();
  for (const f of files) {
    if (rank(f) === 0) continue;
    const current = chosen.get(f.name);
    if (!current || rank(f) > rank(current)) chosen.set(f.name, f);
  }
  for (const f of chosen.values()) {
    if (f.kind === 'template') {
      const { names, body } = declaredArgs(f.body ?? '');
      const template = compile(body, f.path);
      templates.set(f.name, template);
      helpers.set(f.name, (...raw: unknown[]) => {
        const { values, options } = userArgs(raw);
        const ctx: Record<string, unknown> = { args: values, ...options.hash };
        values.forEach((v, i) => (ctx[`arg${i}`] = v));
        names.forEach(
          ([name, fallback], i) => (ctx[name] = i < values.length ? values[i] : (options.hash[name] ?? fallback)),
        );
        return template(ctx, { data: options.data }).trim();
      });
    } else {
      for (const [name, fn] of Object.entries(modules.get(f.path) ?? {})) {
        if (typeof fn !== 'function') continue;
        helpers.set(name, (...raw: unknown[]) => fn(contextFor(adapter, call), ...userArgs(raw).values));
      }
    }
  }
  return { helpers, templates };
}

function contextFor(adapter: Adapter, call: (name: string, args: string[]) => string): MacroContext {
  return {
    adapter: adapter.type,
    quote: (id) => adapter.dialect.quote(id),
    literal: (v) => adapter.dialect.literal(v),
    call: (name, ...args) => call(name, args),
  };
}

/** `{{!-- args: column scale=2 --}}` on the first line names positional arguments (with defaults). */
function declaredArgs(source: string): { names: [string, string | undefined][]; body: string } {
  const match = /^\s*\{\{!--\s*args:\s*(.*?)\s*--\}\}\s*\n?/.exec(source);
  if (!match) return { names: [], body: source };
  const names = match[1]!
    .split(/[\s,]+/)
    .filter(Boolean)
    .map((part) => {
      const [name, fallback] = part.split('=');
      return [name!, fallback] as [string, string | undefined];
    });
  return { names, body: source.slice(match[0].length) };
}
