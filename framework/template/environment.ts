import type { Adapter } from '../adapters/adapter.js';
import { ConfigError } from '../errors.js';
import type { Project } from '../project/types.js';
import { didYouMean } from '../project/suggest.js';
import { builtinRowTests, builtinTests, type RowTest } from './builtins/tests.js';
import { coreHelpers, userArgs } from './helpers.js';
import { interpret, type Helper, type Template } from './interpreter.js';
import { macroHelpers, type ModuleMacro } from './macros.js';
import { parseTemplate } from './parse.js';

/**
 * One template environment per (project, adapter): core helpers, the adapter's cross-database
 * macros, then project macros (which may override them). parse.ts parses; interpreter.ts renders.
 */
export class TemplateEnvironment {
  readonly helpers = new Map<string, Helper>(Object.entries(coreHelpers));
  private readonly partials: Map<string, Template>;
  private readonly cache = new Map<string, Template>();
  private readonly asts = new Map<string, hbs.AST.Program>();
  readonly testTemplates = new Map<string, Template>();
  /** Built-in row tests a project macro does not override: their counts may share a scan. */
  readonly rowTests = new Map<string, RowTest>();

  constructor(
    readonly project: Project,
    readonly adapter: Adapter,
    modules: Map<string, Record<string, ModuleMacro>>,
  ) {
    for (const [name, fn] of Object.entries(adapter.macros)) {
      this.helpers.set(name, (...raw: unknown[]) => fn(...userArgs(raw).values.map(String)));
    }
    const macros = macroHelpers(
      project.macros,
      modules,
      adapter,
      (s, f) => this.compile(s, f),
      (name, args) => this.call(name, args),
    );
    this.partials = macros.templates;
    for (const [name, fn] of macros.helpers) {
      // macros named test_<name> are custom generic tests, not helpers
      if (name.startsWith('test_')) this.testTemplates.set(name.slice(5), macros.templates.get(name)!);
      else this.helpers.set(name, fn);
    }
    for (const [name, body] of Object.entries(builtinTests)) {
      // Compiled on first use: a project uses a few of them.
      if (this.testTemplates.has(name)) continue;
      this.testTemplates.set(name, (context, options) =>
        this.compile(body, `<builtin test ${name}>`)(context, options),
      );
      const row = builtinRowTests.get(name);
      if (row) this.rowTests.set(name, row);
    }
  }

  /** Parse a template (cached), turning handlebars syntax errors into file:line errors. */
  parse(source: string, file: string): hbs.AST.Program {
    const key = `${file}\0${source}`;
    let ast = this.asts.get(key);
    if (!ast) {
      try {
        ast = parseTemplate(source);
      } catch (error) {
        const message = (error as Error).message;
        const line = /line (\d+)/.exec(message)?.[1];
        throw new ConfigError(`template syntax error: ${message.split('\n').pop()}`, {
          file,
          ...(line ? { line: Number(line) } : {}),
        });
      }
      this.asts.set(key, ast);
    }
    return ast;
  }

  compile(source: string, file: string): Template {
    const key = `${file}\0${source}`;
    let template = this.cache.get(key);
    if (!template) {
      template = interpret(this.parse(source, file), file, this.helpers, (name) => this.partials.get(name));
      this.cache.set(key, template);
    }
    return template;
  }

  /** Call a helper by name from code (TS macros calling other macros). */
  private call(name: string, args: string[]): string {
    const fn = this.adapter.macros[name];
    if (!fn)
      throw new ConfigError(
        `unknown cross-database macro "${name}"`,
        undefined,
        didYouMean(name, Object.keys(this.adapter.macros)),
      );
    return fn(...args);
  }
}
