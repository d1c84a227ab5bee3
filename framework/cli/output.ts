import { redact } from '../project/secrets.js';
import type { NodeResult } from '../execute/results.js';
import type { CompiledNode } from '../template/manifest.js';

export type LogFormat = 'text' | 'json';

/** Live progress: one line per node start/finish and a summary; JSON lines for tools. */
export class Reporter {
  private total = 0;

  constructor(private readonly format: LogFormat = 'text') {}

  info(message: string, fields: Record<string, unknown> = {}): void {
    if (this.format === 'json') this.json({ level: 'info', msg: message, ...fields });
    else process.stdout.write(`${time()}  ${redact(message)}\n`);
  }

  /** Warnings go to stderr so that `ls` output stays a clean list. */
  warn(message: string): void {
    if (this.format === 'json') this.json({ level: 'warn', msg: message });
    else process.stderr.write(`${time()}  warning: ${redact(message)}\n`);
  }

  error(message: string): void {
    if (this.format === 'json') this.json({ level: 'error', msg: message });
    else process.stderr.write(`${redact(message)}\n`);
  }

  plan(nodes: CompiledNode[]): void {
    this.total = nodes.length;
    const counts = new Map<string, number>();
    for (const n of nodes) counts.set(n.resourceType, (counts.get(n.resourceType) ?? 0) + 1);
    this.info(`Running ${[...counts].map(([t, c]) => `${c} ${t}${c === 1 ? '' : 's'}`).join(', ') || 'nothing'}`, {
      event: 'plan',
      nodes: nodes.length,
    });
  }

  start(node: CompiledNode, index: number): void {
    if (this.format === 'json')
      this.json({ level: 'info', event: 'node_start', unique_id: node.uniqueId, index, total: this.total });
    else this.info(`${index} of ${this.total} START ${describe(node)}`);
  }

  done(node: CompiledNode, result: NodeResult, index: number): void {
    if (this.format === 'json') {
      this.json({
        level: result.status === 'error' || result.status === 'fail' ? 'error' : 'info',
        event: 'node_done',
        ...result,
      });
      return;
    }
    const label = { success: 'OK', pass: 'PASS', warn: 'WARN', fail: 'FAIL', error: 'ERROR', skipped: 'SKIP' }[
      result.status
    ];
    const rows = result.rows_affected !== undefined ? `, ${result.rows_affected} rows` : '';
    const line = `${index} of ${this.total} ${label} ${describe(node)} `.padEnd(72, '.');
    // Interval models say which intervals they processed: the one thing a scheduled run's log must show.
    const detail = result.status === 'success' && node.config.interval ? ` ${result.message}` : '';
    this.info(`${line} [${label} in ${result.execution_time.toFixed(2)}s${rows}]${detail}`);
    if (result.status === 'error' || result.status === 'fail' || result.status === 'warn') {
      process.stdout.write(`    ${redact(result.message).split('\n').join('\n    ')}\n`);
      if (result.sample?.length)
        process.stdout.write(`    sample: ${redact(JSON.stringify(result.sample.slice(0, 3)))}\n`);
    }
  }

  unit(result: NodeResult & { diff?: string[] }, index: number, total: number): void {
    if (this.format === 'json') {
      this.json({ level: result.status === 'pass' ? 'info' : 'error', event: 'unit_test_done', ...result });
      return;
    }
    const label =
      { pass: 'PASS', fail: 'FAIL', error: 'ERROR' }[result.status as 'pass' | 'fail' | 'error'] ??
      result.status.toUpperCase();
    const name = result.unique_id.split('.').slice(2).join('.');
    this.info(
      `${`${index} of ${total} ${label} unit test ${name} `.padEnd(72, '.')} [${label} in ${result.execution_time.toFixed(2)}s]`,
    );
    if (result.status !== 'pass')
      process.stdout.write(
        `    ${redact(result.message)}\n${(result.diff ?? []).map((d) => `      ${redact(d)}\n`).join('')}`,
      );
  }

  summary(results: NodeResult[], elapsed: number): void {
    const count = (s: string) => results.filter((r) => r.status === s).length;
    const parts = ['success', 'pass', 'warn', 'fail', 'error', 'skipped']
      .map((s) => [s, count(s)] as const)
      .filter(([, c]) => c > 0);
    const line = `Done in ${elapsed.toFixed(2)}s. ${parts.map(([s, c]) => `${s.toUpperCase()}=${c}`).join(' ')} TOTAL=${results.length}`;
    if (this.format === 'json') this.json({ level: 'info', event: 'summary', elapsed, ...Object.fromEntries(parts) });
    else this.info(line);
  }

  private json(value: Record<string, unknown>): void {
    process.stdout.write(redact(JSON.stringify({ ts: new Date().toISOString(), ...value })) + '\n');
  }
}

function describe(node: CompiledNode): string {
  if (node.resourceType === 'test') return `test ${node.name}`;
  if (node.resourceType === 'seed') return `seed ${node.relation.schema}.${node.relation.name}`;
  if (node.resourceType === 'model')
    return `${node.config.materialized} model ${node.relation.schema}.${node.relation.name}`;
  if (node.resourceType === 'snapshot') return `snapshot ${node.relation.schema}.${node.relation.name}`;
  return node.name;
}

function time(): string {
  return new Date().toISOString().slice(11, 19);
}
