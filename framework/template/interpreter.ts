import { ConfigError } from '../errors.js';
import { didYouMean } from '../project/suggest.js';

/** A helper as handlebars calls it: the user's arguments, then an options object. */
export type Helper = (...args: any[]) => unknown;

export interface HelperOptions {
  name: string;
  hash: Record<string, unknown>;
  data: Record<string, unknown>;
  loc: hbs.AST.SourceLocation;
  fn?: (context: unknown, options?: { data?: Record<string, unknown> }) => string;
  inverse?: (context: unknown, options?: { data?: Record<string, unknown> }) => string;
}

export type Template = (context: unknown, options?: { data?: Record<string, unknown> }) => string;

interface Frame {
  contexts: unknown[];
  data: Record<string, unknown>;
}

/**
 * Renders a handlebars syntax tree directly. Handlebars itself compiles each template to a JS
 * function, which costs far more than rendering it once (a project compiles thousands of models
 * and renders each once or twice). Semantics follow handlebars with `strict` and `noEscape`:
 * unknown names are errors, output is never HTML-escaped.
 */
export function interpret(
  ast: hbs.AST.Program,
  file: string,
  helpers: Map<string, Helper>,
  partials: (name: string) => Template | undefined,
): Template {
  const fail = (message: string, loc: hbs.AST.SourceLocation, hint?: string): never => {
    throw new ConfigError(message, { file, line: loc.start.line, column: loc.start.column + 1 }, hint);
  };

  const program = (p: hbs.AST.Program | undefined, frame: Frame): string => {
    if (!p) return '';
    let out = '';
    for (const s of p.body) out += statement(s, frame);
    return out;
  };

  const statement = (s: hbs.AST.Statement, frame: Frame): string => {
    switch (s.type) {
      case 'ContentStatement':
        return (s as hbs.AST.ContentStatement).value;
      case 'CommentStatement':
        return '';
      case 'MustacheStatement': {
        const m = s as hbs.AST.MustacheStatement;
        return text(call(m.path, m.params, m.hash, frame, m.loc));
      }
      case 'BlockStatement':
        return block(s as hbs.AST.BlockStatement, frame);
      case 'PartialStatement': {
        const p = s as hbs.AST.PartialStatement;
        const name = (p.name as hbs.AST.PathExpression).original;
        const partial = partials(name) ?? fail(`unknown partial "${name}"`, p.loc);
        const context = p.params.length ? expression(p.params[0]!, frame) : frame.contexts[0];
        const hash = p.hash ? hashOf(p.hash, frame) : {};
        return partial(Object.keys(hash).length ? { ...(context as object), ...hash } : context, { data: frame.data });
      }
      default:
        return fail(`unsupported template syntax (${s.type})`, s.loc);
    }
  };

  const block = (b: hbs.AST.BlockStatement, frame: Frame): string => {
    const name = (b.path as hbs.AST.PathExpression).original;
    const fn = (context: unknown, options?: { data?: Record<string, unknown> }) =>
      program(b.program, push(frame, context, options?.data));
    const inverse = (context: unknown, options?: { data?: Record<string, unknown> }) =>
      program(b.inverse, push(frame, context, options?.data));
    // Block conditions may test optional names ({{#if allow}}): missing is falsy there, not an error.
    const args = () =>
      b.params.map((p) =>
        p.type === 'PathExpression' && BUILTIN_BLOCKS.has(name)
          ? lookup(p as hbs.AST.PathExpression, frame, true)
          : expression(p, frame),
      );
    switch (name) {
      case 'if':
        return truthy(args()[0]) ? program(b.program, frame) : program(b.inverse, frame);
      case 'unless':
        return truthy(args()[0]) ? program(b.inverse, frame) : program(b.program, frame);
      case 'with': {
        const value = args()[0];
        return truthy(value) ? fn(value) : program(b.inverse, frame);
      }
      case 'each': {
        const value = args()[0];
        const entries: [string | number, unknown][] = Array.isArray(value)
          ? value.map((v, i) => [i, v])
          : value && typeof value === 'object'
            ? Object.entries(value)
            : [];
        if (!entries.length) return program(b.inverse, frame);
        return entries
          .map(([key, item], i) =>
            fn(item, { data: { ...frame.data, index: i, key, first: i === 0, last: i === entries.length - 1 } }),
          )
          .join('');
      }
    }
    const helper =
      helpers.get(name) ?? fail(`"${name}" is not a known block helper`, b.loc, didYouMean(name, helpers.keys()));
    const options: HelperOptions = {
      name,
      hash: b.hash ? hashOf(b.hash, frame) : {},
      data: frame.data,
      loc: b.loc,
      fn: (c, o) => fn(c, o),
      inverse: (c, o) => inverse(c, o),
    };
    return text(helper.call(frame.contexts[0], ...args(), options));
  };

  /** A mustache or subexpression: a helper call when the name is a helper, else a lookup. */
  const call = (
    path: hbs.AST.Expression,
    params: hbs.AST.Expression[],
    hash: hbs.AST.Hash | undefined,
    frame: Frame,
    loc: hbs.AST.SourceLocation,
  ): unknown => {
    if (path.type === 'PathExpression') {
      const p = path as hbs.AST.PathExpression;
      const helper = p.parts.length === 1 && !p.data && p.depth === 0 ? helpers.get(p.parts[0]!) : undefined;
      if (helper) {
        const options: HelperOptions = {
          name: p.original,
          hash: hash ? hashOf(hash, frame) : {},
          data: frame.data,
          loc,
        };
        return helper.call(frame.contexts[0], ...params.map((e) => expression(e, frame)), options);
      }
      if (params.length || hash)
        fail(`"${p.original}" is not a known macro or helper`, loc, didYouMean(p.original, helpers.keys()));
    }
    return expression(path, frame);
  };

  const expression = (e: hbs.AST.Expression, frame: Frame): unknown => {
    switch (e.type) {
      case 'StringLiteral':
      case 'NumberLiteral':
      case 'BooleanLiteral':
        return (e as hbs.AST.StringLiteral).value;
      case 'UndefinedLiteral':
        return undefined;
      case 'NullLiteral':
        return null;
      case 'SubExpression': {
        const sub = e as hbs.AST.SubExpression;
        return call(sub.path, sub.params, sub.hash, frame, sub.loc);
      }
      case 'PathExpression':
        return lookup(e as hbs.AST.PathExpression, frame);
      default:
        return fail(`unsupported expression (${e.type})`, e.loc);
    }
  };

  const lookup = (p: hbs.AST.PathExpression, frame: Frame, lenient = false): unknown => {
    let value: unknown = p.data ? frame.data : frame.contexts[Math.min(p.depth, frame.contexts.length - 1)];
    for (const part of p.parts) {
      if (value === null || value === undefined || !(part in Object(value))) {
        if (lenient) return undefined;
        const known = p.data ? Object.keys(frame.data) : [...helpers.keys(), ...Object.keys(Object(frame.contexts[0]))];
        return fail(`"${p.original}" is not a known variable, macro or helper`, p.loc, didYouMean(part, known));
      }
      value = (value as Record<string, unknown>)[part];
    }
    return value;
  };

  const hashOf = (hash: hbs.AST.Hash, frame: Frame): Record<string, unknown> =>
    Object.fromEntries(hash.pairs.map((pair) => [pair.key, expression(pair.value, frame)]));

  return (context, options) => program(ast, { contexts: [context], data: { root: context, ...(options?.data ?? {}) } });
}

const BUILTIN_BLOCKS = new Set(['if', 'unless', 'with', 'each']);

function push(frame: Frame, context: unknown, data?: Record<string, unknown>): Frame {
  return { contexts: [context, ...frame.contexts], data: data ?? frame.data };
}

/** Handlebars truthiness: empty arrays are false, 0 is false. */
function truthy(value: unknown): boolean {
  return Array.isArray(value) ? value.length > 0 : !!value;
}

function text(value: unknown): string {
  return value === null || value === undefined ? '' : String(value);
}
