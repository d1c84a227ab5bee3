import type { Adapter } from '../adapters/adapter.js';
import { scratchAdapter } from '../adapters/registry.js';
import { ConfigError } from '../errors.js';
import type { Session } from '../execute/session.js';
import type { NodeResult } from '../execute/results.js';
import type { UnitTest } from '../project/types.js';
import { Compiler } from '../template/compile.js';
import type { CompiledNode } from '../template/manifest.js';
import { normalize, readRows, valuesQuery } from './unit-rows.js';

export interface UnitOutcome extends NodeResult {
  diff?: string[];
}

/**
 * Unit tests of models: the model's SQL rendered against fixed input rows (one VALUES query per
 * ref/source, and for {{this}}), executed on a throw-away in-process database (adapters/registry.ts: DuckDB) — no warehouse is touched —
 * and compared with the expected rows on the expected columns, as multisets.
 */
export async function runUnitTests(session: Session, tests: UnitTest[]): Promise<UnitOutcome[]> {
  if (!tests.length) return [];
  const { project } = session;
  const adapter = await scratchAdapter(project.file.root);
  const compiler = new Compiler(project, adapter, session.modules);
  const manifest = compiler.compile();
  try {
    const outcomes: UnitOutcome[] = [];
    for (const test of tests) outcomes.push(await runOne(test, manifest.nodes, compiler, adapter, project.file.root));
    return outcomes;
  } finally {
    await adapter.close();
  }
}

async function runOne(
  test: UnitTest,
  nodes: Record<string, CompiledNode>,
  compiler: Compiler,
  adapter: Adapter,
  root: string,
): Promise<UnitOutcome> {
  const started = new Date();
  const model = Object.values(nodes).find((n) => n.resourceType === 'model' && n.name === test.model)!;
  const uniqueId = `unit_test.${model.fqn[0]}.${test.model}.${test.name}`;
  const done = (status: NodeResult['status'], message: string, diff?: string[]): UnitOutcome => ({
    unique_id: uniqueId,
    status,
    message,
    execution_time: (Date.now() - started.getTime()) / 1000,
    started_at: started.toISOString(),
    completed_at: new Date().toISOString(),
    query_ids: [],
    ...(diff ? { diff } : {}),
  });
  const relations = new Map<string, string>();
  let self: string | undefined;
  for (const given of test.given) {
    const id = inputId(given.input, nodes, test);
    const input = id === 'this' ? model : nodes[id]!;
    const sql = `(${valuesQuery(adapter.dialect, readRows(given, root), input.columns)})`;
    if (id === 'this') self = sql;
    else relations.set(id, sql);
  }
  // Ephemeral parents are inlined, so what they read needs rows too (unless given themselves).
  const required = (id: string): string[] =>
    nodes[id]!.dependsOn.flatMap((d) =>
      relations.has(d) ? [] : nodes[d]?.config.materialized === 'ephemeral' ? required(d) : [d],
    );
  const missing = [...new Set(required(model.uniqueId))];
  if (missing.length) {
    throw new ConfigError(
      `unit test "${test.name}" gives no rows for ${missing.map((m) => nodes[m]?.name ?? m).join(', ')}, which ${test.model} reads`,
      test.origin,
      'add a `given` entry for each ref/source the model uses (rows: [] for an empty input)',
    );
  }
  const saved = swapEnv(test.overrides.env_vars);
  try {
    const sql = compiler.render(model, {
      isIncremental: test.overrides.is_incremental ?? false,
      ...(test.overrides.interval
        ? { intervalStart: new Date(test.overrides.interval.start), intervalEnd: new Date(test.overrides.interval.end) }
        : {}),
      relations,
      ...(self ? { self } : {}),
      ...(test.overrides.vars ? { vars: test.overrides.vars } : {}),
    });
    const actual = (await adapter.query(sql)).rows;
    const expected = readRows(test.expect, root);
    const columns = [...new Set(expected.flatMap((r) => Object.keys(r)))];
    const key = (row: Record<string, unknown>) => JSON.stringify(columns.map((c) => normalize(row[c])));
    const diff = multisetDiff(expected.map(key), actual.map(key), columns);
    return diff.length
      ? done('fail', `${test.model} returned rows that differ from expect (${diff.length} lines of diff)`, diff)
      : done('pass', 'pass');
  } catch (error) {
    return done('error', (error as Error).message);
  } finally {
    swapEnv(saved);
  }
}

function inputId(input: string, nodes: Record<string, CompiledNode>, test: UnitTest): string {
  if (input.trim() === 'this') return 'this';
  const ref = /^ref\(\s*['"]([^'"]+)['"]\s*\)$/.exec(input.trim());
  const source = /^source\(\s*['"]([^'"]+)['"]\s*,\s*['"]([^'"]+)['"]\s*\)$/.exec(input.trim());
  const found = Object.values(nodes).find((n) =>
    ref
      ? (n.resourceType === 'model' || n.resourceType === 'seed' || n.resourceType === 'snapshot') && n.name === ref[1]
      : source
        ? n.resourceType === 'source' && n.name === `${source[1]}.${source[2]}`
        : false,
  );
  if (!found)
    throw new ConfigError(
      `unit test "${test.name}": input ${input} is not ref('model'), source('src', 'table') or this, or names nothing in the project`,
      test.origin,
    );
  return found.uniqueId;
}

/** "- row" for an expected row that is missing, "+ row" for an unexpected one. */
function multisetDiff(expected: string[], actual: string[], columns: string[]): string[] {
  const counts = new Map<string, number>();
  for (const e of expected) counts.set(e, (counts.get(e) ?? 0) + 1);
  const unexpected: string[] = [];
  for (const a of actual) {
    const left = counts.get(a) ?? 0;
    if (left > 0) counts.set(a, left - 1);
    else unexpected.push(a);
  }
  const missing = [...counts].flatMap(([row, n]) => Array<string>(n).fill(row));
  const show = (row: string) => (JSON.parse(row) as string[]).map((v, i) => `${columns[i]}=${v}`).join(', ');
  return [...missing.map((r) => `- ${show(r)}`), ...unexpected.map((r) => `+ ${show(r)}`)];
}

function swapEnv(
  values: Record<string, string | undefined> | undefined,
): Record<string, string | undefined> | undefined {
  if (!values) return undefined;
  const previous: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(values)) {
    previous[k] = process.env[k];
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  return previous;
}
