// The dbt equivalent of a project made by bench/gen-project.ts, translated mechanically from its files
// (so the models, graph, sources, vars, macro and tests are the same by construction, not by a second
// generator): handlebars calls become Jinja calls, project.yml becomes dbt_project.yml, profiles.yml a
// dbt-duckdb profile, sources/ move under models/, `tests:` becomes dbt's `data_tests:`.
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { parse, stringify } from 'yaml';

/** Env for every dbt command: profiles from the project itself, no telemetry (there is no network for it anyway). */
export function dbtEnvironment(project: string): NodeJS.ProcessEnv {
  return { ...process.env, DBT_PROFILES_DIR: project, DO_NOT_TRACK: '1', DBT_SEND_ANONYMOUS_USAGE_STATS: 'false' };
}

const files = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)))
    .sort();

/**
 * One handlebars mustache body (`ref "m"`, `add_one "value"`, `var "k"`, a macro parameter `expr`) as a
 * Jinja expression. Anything else (block helpers, subexpressions, hashes, comments) is outside what the
 * generated project uses: throw rather than guess.
 */
function jinjaExpression(body: string): string {
  const [name, ...args] = body.trim().split(/\s+/);
  if (!name || !/^[A-Za-z_]\w*$/.test(name) || !args.every((a) => /^"[^"]*"$/.test(a))) throw new Error(`cannot translate {{${body}}} to Jinja`);
  return args.length ? `${name}(${args.map((a) => `'${a.slice(1, -1)}'`).join(', ')})` : name;
}

function jinjaTemplate(text: string): string {
  return text.replace(/\{\{([^{}]+)\}\}/g, (_, body: string) => `{{ ${jinjaExpression(body)} }}`);
}

/** Our macro file (`{{!-- args: expr --}}` then the body) as a Jinja macro definition. */
function jinjaMacro(name: string, text: string): string {
  const header = /^\{\{!--\s*args:([^-]*)--\}\}\n?/.exec(text);
  const params = header ? header[1]!.trim().split(/\s+/).filter(Boolean) : [];
  return `{% macro ${name}(${params.join(', ')}) %}${jinjaTemplate(text.slice(header?.[0].length ?? 0)).trim()}{% endmacro %}\n`;
}

/** `tests:` keys of a models YAML renamed to `data_tests:` (dbt ≥ 1.8 warns on the old name). */
function dataTests(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(dataTests);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k === 'tests' ? 'data_tests' : k, dataTests(v)]));
  return value;
}

/** Write the dbt translation of our project `ours` into `dir` (replaced), with a dbt-duckdb profile on `dir`/dev.duckdb. */
export function dbtProjectFrom(ours: string, dir: string, threads: number): string {
  rmSync(dir, { recursive: true, force: true });
  const write = (path: string, text: string) => {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  };
  const read = (path: string) => readFileSync(join(ours, path), 'utf8');
  const project = parse(read('project.yml')) as { name: string; vars?: Record<string, unknown>; models?: Record<string, unknown> };
  write(
    'dbt_project.yml',
    stringify({
      name: project.name,
      version: '1.0.0',
      'config-version': 2,
      profile: project.name,
      vars: project.vars ?? {},
      models: { [project.name]: project.models ?? {} },
      flags: { send_anonymous_usage_stats: false },
    }),
  );
  // The DuckDB file outside target/, which the timed runs delete: opening it is dbt's cost, creating it is not.
  write('profiles.yml', stringify({ [project.name]: { target: 'dev', outputs: { dev: { type: 'duckdb', path: join(dir, 'dev.duckdb'), threads } } } }));
  for (const file of files(join(ours, 'sources'))) write(`models/_sources/${file}`, read(`sources/${file}`));
  for (const file of files(join(ours, 'macros'))) write(`macros/${file}`, jinjaMacro(file.replace(/\.sql$/, ''), read(`macros/${file}`)));
  for (const file of files(join(ours, 'models'))) {
    const text = read(`models/${file}`);
    write(`models/${file}`, file.endsWith('.sql') ? jinjaTemplate(text) : stringify(dataTests(parse(text))));
  }
  return dir;
}
