import { randomUUID } from 'node:crypto';
import { BasicAuth, Trino, type QueryResult as TrinoResult } from 'trino-client';
import type { Column, QueryResult } from '../adapter.js';
import { ExecutionError } from '../../errors.js';

export interface TrinoSettings {
  host: string;
  catalog: string;
  schema: string;
  user?: string;
  password?: string;
  jwt?: string;
  retries?: number;
  ssl_verify?: boolean;
  session_properties?: Record<string, unknown>;
}

/** Connection-level failures worth retrying: the request never reached Trino, or Trino said "not now". */
const UNREACHED = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH']);
const TRANSIENT_HTTP = new Set([502, 503, 504]);
const IN_FLIGHT = new Set(['ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ECONNABORTED']);

/**
 * Statements over Trino's HTTP protocol (trino-client), with retries on transient failures only:
 * a POST is retried only when it cannot have created a query; result polling (GET of the same
 * nextUri) is always safe to retry. Running query ids are kept so Ctrl-C can cancel them.
 */
export class TrinoConnection {
  private readonly client: Trino;
  readonly running = new Set<string>();
  /** Trino's `source` of every query this process sends: `framework/<tag>`, findable after a crash. */
  readonly tag = randomUUID();

  constructor(private readonly settings: TrinoSettings) {
    const headers: Record<string, string> = {};
    if (settings.jwt) headers.Authorization = `Bearer ${settings.jwt}`;
    this.client = Trino.create({
      server: settings.host,
      catalog: settings.catalog,
      schema: settings.schema,
      source: `framework/${this.tag}`,
      ...(settings.password ? { auth: new BasicAuth(settings.user ?? 'framework', settings.password) } : {}),
      ...(!settings.password
        ? { extraHeaders: { ...headers, 'X-Trino-User': settings.user ?? 'framework' } }
        : { extraHeaders: headers }),
      ...(settings.session_properties
        ? { session: Object.fromEntries(Object.entries(settings.session_properties).map(([k, v]) => [k, String(v)])) }
        : {}),
      ...(settings.host.startsWith('https') ? { ssl: { rejectUnauthorized: settings.ssl_verify !== false } } : {}),
    });
  }

  /** A statement Trino refused while starting up never ran: safe to send again. */
  async run(sql: string): Promise<QueryResult & { updateCount?: number }> {
    const attempts = (this.settings.retries ?? 3) + 1;
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.runOnce(sql);
      } catch (error) {
        const starting = error instanceof ExecutionError && error.message.includes('[SERVER_STARTING_UP]');
        if (!starting || attempt >= attempts * 5) throw error;
        await new Promise((r) => setTimeout(r, 1000));
      }
    }
  }

  private async runOnce(sql: string): Promise<QueryResult & { updateCount?: number }> {
    const iterator = await this.withRetry(() => this.client.query(sql), 'post');
    let columns: Column[] = [];
    const rows: Record<string, unknown>[] = [];
    let queryId: string | undefined;
    let last: TrinoResult | undefined;
    try {
      for (;;) {
        const step = await this.withRetry(() => iterator.next(), 'poll');
        const result = step.value as TrinoResult;
        if (result?.id && !queryId) {
          queryId = result.id;
          this.running.add(queryId);
        }
        if (result?.error) {
          throw new ExecutionError(`${result.error.message} [${result.error.errorName}]`, { queryId: result.id, sql });
        }
        if (result?.columns && !columns.length) columns = result.columns.map((c) => ({ name: c.name, type: c.type }));
        for (const values of result?.data ?? [])
          rows.push(Object.fromEntries(columns.map((c, i) => [c.name, values[i]])));
        last = result;
        if (step.done) break;
      }
    } finally {
      if (queryId) this.running.delete(queryId);
    }
    const updateCount = (last as { updateCount?: number } | undefined)?.updateCount;
    return { columns, rows, ...(queryId ? { queryId } : {}), ...(updateCount !== undefined ? { updateCount } : {}) };
  }

  async cancel(): Promise<void> {
    await Promise.all([...this.running].map((id) => this.client.cancel(id).catch(() => undefined)));
  }

  private async withRetry<T>(fn: () => Promise<T>, phase: 'post' | 'poll'): Promise<T> {
    const attempts = (this.settings.retries ?? 3) + 1;
    for (let attempt = 1; ; attempt++) {
      try {
        return await fn();
      } catch (error) {
        if (error instanceof ExecutionError) throw error;
        const code = (error as { code?: string }).code ?? '';
        const status = (error as { response?: { status?: number } }).response?.status;
        const transient =
          UNREACHED.has(code) ||
          (status !== undefined && TRANSIENT_HTTP.has(status)) ||
          (phase === 'poll' && IN_FLIGHT.has(code));
        if (!transient || attempt >= attempts) {
          const reason = status ? `HTTP ${status}` : code || (error as Error).message;
          throw new ExecutionError(
            `cannot reach Trino at ${this.settings.host}: ${reason}${transient ? ` (after ${attempt} attempts)` : ''}`,
          );
        }
        await new Promise((r) => setTimeout(r, 250 * 2 ** (attempt - 1)));
      }
    }
  }
}
