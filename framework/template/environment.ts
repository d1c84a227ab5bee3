import Handlebars from 'handlebars';
import type { Adapter } from '../adapters/adapter.js';
import { ConfigError } from '../errors.js';
import type { Project } from '../project/types.js';
import { didYouMean } from '../project/suggest.js';
import { builtinTests } from './builtins/tests.js';
import { coreHelpers, userArgs } from './helpers.js';
import { macroHelpers, type ModuleMacro } from './macros.js';

/**
 * One handlebars environment per (project, adapter): core helpers, the adapter's cross-database
 * macros, then project macros (which may override them). Templates compile once and are cached.
 */
export class TemplateEnvironment {
  readonly hb = Handlebars.create();
  private readonly cache = new Map<string, HandlebarsTemplateDelegate>();
  readonly testTemplates = new Map<string, HandlebarsTemplateDelegate>();

  constructor(
    readonly project: Project,
    readonly adapter: Adapter,
    modules: Map<string, Record<string, ModuleMacro>>,
  ) {
    this.hb.registerHelper(coreHelpers);
    for (const [name, fn] of Object.entries(adapter.macros)) {
      this.hb.registerHelper(name, (...raw: unknown[]) => fn(...userArgs(raw).values.map(String)));
    }
    const project_macros = macroHelpers(project.macros, modules, adapter, (s, f) => this.compile(s, f), (name, args) => this.call(name, args));
    for (const [name, fn] of Object.entries(project_macros)) {
      // macros named test_<name> are custom generic tests, not helpers
      if (name.startsWith('test_')) continue;
      this.hb.registerHelper(name, fn);
    }
    for (const [name, body] of Object.entries(builtinTests)) this.testTemplates.set(name, this.compile(body, `<builtin test ${name}>`));
    for (const macro of project.macros) {
      if (macro.kind === 'template' && macro.name.startsWith('test_') && (!macro.adapter || macro.adapter === adapter.type)) {
        this.testTemplates.set(macro.name.slice(5), this.compile(macro.body ?? '', macro.path));
      }
    }
  }

  /** Compile a template, turning handlebars syntax errors into file:line errors. */
  compile(source: string, file: string): HandlebarsTemplateDelegate {
    const key = `${file}\0${source}`;
    let template = this.cache.get(key);
    if (!template) {
      try {
        this.hb.parse(source);
      } catch (error) {
        const message = (error as Error).message;
        const line = /line (\d+)/.exec(message)?.[1];
        throw new ConfigError(`template syntax error: ${message.split('\n').pop()}`, { file, ...(line ? { line: Number(line) } : {}) });
      }
      template = this.hb.compile(source, { noEscape: true, strict: true });
      this.cache.set(key, template);
    }
    return template;
  }

  /** Call a helper by name from code (TS macros calling other macros). */
  private call(name: string, args: string[]): string {
    const fn = this.adapter.macros[name];
    if (!fn) throw new ConfigError(`unknown cross-database macro "${name}"`, undefined, didYouMean(name, Object.keys(this.adapter.macros)));
    return fn(...args);
  }
}
