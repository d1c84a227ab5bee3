import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Adapter, ExecResult } from '../../../framework/adapters/adapter.js';
import { retryCommitConflicts } from '../../../framework/adapters/commit-conflicts.js';
import { TrinoAdapter } from '../../../framework/adapters/trino/adapter.js';
import { trinoDialect } from '../../../framework/adapters/trino/dialect.js';
import { ExecutionError } from '../../../framework/errors.js';
import { apply, type MaterializeContext } from '../../../framework/materialize/context.js';
import type { CompiledNode } from '../../../framework/template/manifest.js';
import { cli, query, tempProject } from '../support/project.js';

/** Trino's text for a commit that lost to a concurrent one (issue 17). */
const CONFLICT = "Failed to commit the transaction during write: Found new conflicting delete files that can apply to records matching (model_table in ('s.m')) [ICEBERG_COMMIT_ERROR]";
const trino = new TrinoAdapter({ name: 'prod', type: 'trino', schema: 's', threads: 1, settings: { host: 'http://127.0.0.1:1', catalog: 'iceberg' } } as never, '/');

/** An engine whose atomically() fails with `errors` first (one per call), then succeeds. */
function engine(errors: Error[]) {
  const calls: string[][] = [];
  const adapter = {
    isCommitConflict: (e: unknown) => trino.isCommitConflict(e),
    atomically: async (statements: string[]): Promise<ExecResult[]> => {
      calls.push(statements);
      const error = errors.shift();
      if (error) throw error;
      return statements.map(() => ({ rowsAffected: 1 }));
    },
  };
  const recorded: string[] = [];
  const ctx = { adapter: adapter as unknown as Adapter, compiler: undefined as never, fullRefresh: false, record: (s: string) => recorded.push(s) } satisfies MaterializeContext;
  return { ctx, calls, recorded };
}
const node = { name: 'user_events_silver' } as CompiledNode;

describe('commit conflicts', () => {
  it("Trino: ICEBERG_COMMIT_ERROR is a commit conflict, other failures are not", () => {
    expect(trino.isCommitConflict(new ExecutionError(CONFLICT))).toBe(true);
    expect(trino.isCommitConflict(new ExecutionError('Division by zero [DIVISION_BY_ZERO]'))).toBe(false);
    expect(trino.isCommitConflict(new Error(CONFLICT))).toBe(false);
  });

  it('work is repeated while it loses commit races, up to the backoff list; other failures end it at once', async () => {
    let attempts = 0;
    const seen: string[] = [];
    const flaky = () => (++attempts <= 2 ? Promise.reject(new ExecutionError(CONFLICT)) : Promise.resolve('done'));
    expect(await retryCommitConflicts(trino, flaky, (e) => seen.push(e.message), [0, 0, 0])).toBe('done');
    expect([attempts, seen.length]).toEqual([3, 2]);

    attempts = 0;
    await expect(retryCommitConflicts(trino, () => (attempts++, Promise.reject(new ExecutionError(CONFLICT))), undefined, [0, 0])).rejects.toThrow('ICEBERG_COMMIT_ERROR');
    expect(attempts).toBe(3);

    attempts = 0;
    await expect(retryCommitConflicts(trino, () => (attempts++, Promise.reject(new ExecutionError('Division by zero [DIVISION_BY_ZERO]'))), undefined, [0, 0])).rejects.toThrow('Division by zero');
    expect(attempts).toBe(1);
  });

  it('a repeatable model statement that lost a commit race is run again, and the retry is recorded', async () => {
    const { ctx, calls, recorded } = engine([new ExecutionError(CONFLICT)]);
    expect(await apply(ctx, node, ['merge into t ...'], true)).toEqual([{ rowsAffected: 1 }]);
    expect(calls).toEqual([['merge into t ...'], ['merge into t ...']]);
    expect(recorded).toEqual(['merge into t ...', expect.stringMatching(/^-- commit conflict, retried: .*Found new conflicting delete files/)]);
  });

  it('one that is not safe to repeat (an append) is not run again: the error names the model and says so', async () => {
    const { ctx, calls } = engine([new ExecutionError(CONFLICT, { queryId: 'q1' })]);
    const failure = await apply(ctx, node, ['insert into t ...'], false).catch((e: ExecutionError) => e);
    expect(calls).toEqual([['insert into t ...']]);
    expect(failure).toBeInstanceOf(ExecutionError);
    expect((failure as ExecutionError).message).toMatch(/^model "user_events_silver": commit conflict, NOT retried .*Found new conflicting delete files/);
    expect((failure as ExecutionError).details.queryId).toBe('q1');
  });

  it('Trino state tables are partitioned by model_table; an interval is replaced by one MERGE', () => {
    const ddl = trinoDialect.createTableColumns({ schema: 'framework_state', name: 'intervals' }, [{ name: 'model_table', type: 'varchar' }], ['model_table']);
    expect(ddl).toBe('create table if not exists "framework_state"."intervals" ("model_table" varchar) with (partitioning = ARRAY[\'model_table\'])');
    const statements = trinoDialect.replaceRange({ schema: 's', name: 't' }, 'at', "TIMESTAMP '2025-09-01 00:00:00'", "TIMESTAMP '2025-09-01 00:15:00'", ['id', 'at'], 'select 1 as id, now() as at');
    expect(statements).toHaveLength(1);
    expect(statements[0]).toMatch(/^merge into "s"\."t" as "__target" using \(.*\) as "__source" on .* when matched then delete when not matched and "__source"\."__fw_drop" is null then insert \("id", "at"\)/);
  });
});

describe('replacing intervals on DuckDB is atomic', () => {
  it('an interval whose new rows fail to compute keeps its old rows', async () => {
    const root = tempProject({
      'data/events.csv': 'id,ts,v\n1,2025-09-01 00:10:00,1\n2,2025-09-01 01:20:00,2\n',
      'sources/s.yml': 'sources:\n  - name: s\n    tables:\n      - {name: events, external: {location: data/events.csv, format: csv}}\n',
      'models/hourly.sql': `{{config materialized="incremental" interval="1h" time_column="hour" start="2025-09-01T00:00:00Z"}}
select date_trunc('hour', ts) as hour, count(*) as events, sum(cast(v as integer)) as total
from {{source "s" "events"}}
where ts >= {{interval_start}} and ts < {{interval_end}}
group by 1`,
    });
    expect((await cli(root, 'run', '--end', '2025-09-01T02:00:00Z')).code).toBe(0);
    const table = () => query(root, "select strftime(hour, '%H') as h, events, total from main.hourly order by hour");
    expect(await table()).toEqual([
      { h: '00', events: 1, total: 1 },
      { h: '01', events: 1, total: 2 },
    ]);
    // Hour 01 restated from a row that cannot be cast: its DELETE ran, its INSERT failed.
    writeFileSync(join(root, 'data/events.csv'), 'id,ts,v\n1,2025-09-01 00:10:00,1\n2,2025-09-01 01:20:00,x\n');
    const r = await cli(root, 'run', '--start', '2025-09-01T01:00:00Z', '--end', '2025-09-01T02:00:00Z');
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('Could not convert');
    expect(await table()).toEqual([
      { h: '00', events: 1, total: 1 },
      { h: '01', events: 1, total: 2 },
    ]);
  });
});
