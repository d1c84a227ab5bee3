import type { Adapter } from '../adapters/adapter.js';
import { allAnswered } from '../all-answered.js';
import { ConfigError } from '../errors.js';
import { didYouMean } from '../project/suggest.js';
import type { Compiler } from '../template/compile.js';
import type { CompiledNode } from '../template/manifest.js';
import type { Runtime } from '../template/state.js';
import { countRows } from '../execute/count-batch.js';
import type { TestOptions, TestOutcome } from '../execute/data-tests.js';

/**
 * Run one data test: count the rows its query returns, judge the count with warn_if / error_if
 * (default "!= 0") and the severity, and keep a few failing rows to show.
 */
export async function runTest(
  adapter: Adapter,
  compiler: Compiler,
  node: CompiledNode,
  record: (sql: string) => void,
  auditSchema: string,
  options: TestOptions = {},
): Promise<TestOutcome> {
  const { empty, standIn, scope, written } = options;
  // Checked while the rows are counted (a round trip each); a missing column is the error said.
  const checked = assertColumnExists(adapter, compiler, node, options);
  checked.catch(() => {});
  const runtime: Runtime = {
    isIncremental: false,
    ...(empty ? { empty } : {}),
    ...(standIn ? { relations: new Map([[standIn.id, standIn.sql]]) } : {}),
    ...(scope ? { testScope: scope } : {}),
    ...(written ? { written } : {}),
  };
  const sql = compiler.render(node, runtime);
  record(sql);
  const limit = node.config.limit;
  const select = limit ? adapter.dialect.limit(sql, limit) : sql;
  // A limit caps the count: such a test counts its own query.
  const count = options.count
    ? options.count(select, limit ? undefined : compiler.rowCount(node, runtime))
    : countRows(adapter, select);
  const [, counted] = await allAnswered([checked, count]);
  const failures = counted.n;
  const severity = node.config.severity ?? 'error';
  const errorIf = threshold(node.config.error_if ?? '!= 0');
  const warnIf = threshold(node.config.warn_if ?? '!= 0');
  const status = severity === 'error' && errorIf(failures) ? 'fail' : warnIf(failures) ? 'warn' : 'pass';
  const sample = status === 'pass' ? [] : (await adapter.query(adapter.dialect.limit(sql, 5))).rows;
  const queryIds = counted.queryId ? [counted.queryId] : [];
  let message = status === 'pass' ? 'pass' : `${failures} failing row${failures === 1 ? '' : 's'}`;
  if (node.config.store_failures || (standIn && status === 'fail')) {
    // Failing rows kept for inspection, replaced on every run, in the target's audit schema.
    const audit = { schema: auditSchema, name: node.config.alias ?? node.name };
    await adapter.ensureSchema(audit.schema);
    const statement = adapter.dialect.replaceTable(audit, sql, {});
    record(statement);
    await adapter.execute(statement);
    if (status !== 'pass') message += `; failing rows stored in ${adapter.dialect.relation(audit)}`;
  }
  return { status, failures, message, sample, queryIds };
}

/**
 * A generic test on a column the tested relation does not have fails before any SQL runs, naming
 * the YAML file and line that declared it.
 */
async function assertColumnExists(
  adapter: Adapter,
  compiler: Compiler,
  node: CompiledNode,
  options: TestOptions,
): Promise<void> {
  const { standIn } = options;
  if (node.resourceType !== 'test' || node.kind !== 'generic' || !node.columnName || !node.attachedTo) return;
  const tested = compiler.nodeById(node.attachedTo);
  if (!tested || !('relation' in tested) || (tested.resourceType === 'source' && tested.external)) return;
  // Audited before publishing: the columns are the staged table's, which the published one will get.
  const relation = standIn?.id === tested.uniqueId ? standIn.relation : tested.relation;
  const columns = await (options.columns ?? ((r) => adapter.introspector.columns(r)))(relation);
  if (columns.length && !columns.some((c) => c.name.toLowerCase() === node.columnName!.toLowerCase())) {
    const where = `${node.origin.file}${node.origin.line ? `:${node.origin.line}` : ''}`;
    throw new ConfigError(
      `test ${node.testName} (${where}) refers to column "${node.columnName}", which ${tested.name} does not have`,
      node.origin,
      didYouMean(
        node.columnName,
        columns.map((c) => c.name),
      ),
    );
  }
}

/** "> 10", "!= 0", ">= 5": dbt's threshold syntax. */
export function threshold(expression: string): (n: number) => boolean {
  const m = /^\s*(>=|<=|!=|==|=|>|<)\s*(\d+)\s*$/.exec(expression);
  if (!m) throw new Error(`invalid threshold "${expression}" (expected e.g. "> 10" or "!= 0")`);
  const limit = Number(m[2]);
  const compare: Record<string, (n: number) => boolean> = {
    '>': (n) => n > limit,
    '>=': (n) => n >= limit,
    '<': (n) => n < limit,
    '<=': (n) => n <= limit,
    '!=': (n) => n !== limit,
    '==': (n) => n === limit,
    '=': (n) => n === limit,
  };
  return compare[m[1]!]!;
}
