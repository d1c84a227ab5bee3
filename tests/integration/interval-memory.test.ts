/**
 * An interval batch over the memory Trino allows one query is split in two and run again, until
 * the pieces fit (issue 16: the first build of silver over a 2M-event history, one 93-day batch,
 * exceeded the stack's 2 GB per-node limit in its de-duplication). A target whose session allows
 * 16 MB per query builds an interval model that ranks 200,000 rows of one day in one batch of 96
 * intervals: the day fails, half a day fails, a quarter fits (measured on this stack). The table
 * equals its input, every interval is recorded done, and the next run finds nothing to do.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { dropCopy, fingerprint, ok, runResults, trinoProject, trinoTarget } from './support.js';

const copy = `it_memory_${randomBytes(3).toString('hex')}`;
const schema = `${copy}_m`;
const small = trinoTarget('small', schema, '    session_properties: {query_max_memory_per_node: 16MB}\n');

// 200 × 1,000 rows over the 96 intervals of 2025-09-01 (ts in UTC, as interval inputs hold it), loaded once.
const EVENTS = `{{config materialized="table"}}
select x * 1000 + y as id, timestamp '2025-09-01 00:00:00' + (x % 96) * interval '15' minute as ts,
  'payload-' || cast(y as varchar) as p, timestamp '2025-09-02 01:00:00 UTC' as loaded
from unnest(sequence(1, 200)) as a(x) cross join unnest(sequence(1, 1000)) as b(y)`;
// The first row of each id in the batch: Trino keeps every row of the batch in its ranking.
const FIRSTS = `select id, ts, p from (
  select e.id, e.ts, e.p, row_number() over (partition by e.id order by e.ts) as r
  from {{ref "events"}} as e
  where e.ts >= {{interval_start}} and e.ts < {{interval_end}}
) as k where k.r = 1`;
const FIRSTS_YML = `models:
  - name: firsts
    config:
      materialized: incremental
      interval: 15m
      time_column: ts
      start: "2025-09-01T00:00:00Z"
      batch_size: 96
      interval_input: {ref: events, time_column: ts, loaded_at: loaded}
`;

afterAll(async () => {
  await dropCopy(copy);
});

describe('an interval batch over the engine memory for one query, on Trino', () => {
  it('is split until its pieces fit: the table equals its input, every interval done, nothing left to redo', async () => {
    const { root } = trinoProject({ 'models/events.sql': EVENTS, 'models/firsts.sql': FIRSTS, 'models/firsts.yml': FIRSTS_YML }, schema, small);
    await ok(root, 'run', '--select', 'events');
    await ok(root, 'run', '--select', 'firsts', '--target', 'small');
    const [result] = runResults(root).results;
    // 96 → 48 + 48 → four of 24 (measured: 24 intervals fit in 16 MB, 48 do not).
    expect(result!.message).toMatch(/^96 intervals .*\(\d+ batch(es)? split on memory\) \(200000 rows\)/);
    expect(Number(/(\d+) batch(?:es)? split on memory/.exec(result!.message)![1])).toBeGreaterThanOrEqual(1);
    const columns = ['id', 'ts', 'p'];
    expect(await fingerprint(`iceberg.${schema}.firsts`, columns)).toEqual(await fingerprint(`iceberg.${schema}.events`, columns));
    await ok(root, 'run', '--select', 'firsts', '--target', 'small');
    expect(runResults(root).results[0]!.message).toMatch(/^0 intervals/);
  });
});
