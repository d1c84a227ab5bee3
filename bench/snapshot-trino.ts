// Snapshots on Trino/Iceberg (issue 19 target): a snapshot run over 1M silver events' users ≤ 30 s.
// Reciping's own dim_user_history SQL over 1M synthetic silver events of 100,000 users (stand-ins
// named user_events_silver and dim_user, built in a schema of the bench's own and dropped after):
// the first run creates the table, reruns with nothing changed are one MERGE each, then a run where
// 1% of the users moved segment. Node times from run_results.json; the load average is recorded.
// Run: STACK_HOME=... node --import tsx bench/snapshot-trino.ts   (BENCH_RUNS, default 2)
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { dropSchemas, ensureStackEnv } from '../tests/integration/stack-queries.js';
import { cli, tempProject } from '../tests/unit/support/project.js';
import { summarize, writeResult } from './lib.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 2);
const repo = join(import.meta.dirname, '..');
const segments = "ARRAY['FEMALE_20S', 'FEMALE_30S', 'FEMALE_40_PLUS', 'MALE_20S', 'MALE_30S', 'MALE_40_PLUS']";
// 1,000 x 1,000 events; user = n % 100,000; from the (var "moved") day on, users with user_id % 100 = 0 change segment.
const silver = `{{config materialized="table"}}
select
  cast(n as varchar) as event_id,
  cast(n % 100000 as bigint) as user_id,
  element_at(${segments}, cast((n % 100000 + if(n % 100000 % 100 = 0 and n >= {{var "moved"}}, 1, 0)) % 6 + 1 as integer)) as user_segment,
  'COMFORT_FOOD' as cooking_style,
  if(n % 2 = 0, 'treatment', 'control') as ab_test_group,
  date_add('second', cast(n as bigint) * 5, TIMESTAMP '2025-06-01 00:00:00') as kst_timestamp
from (select a.x * 1000 + b.x as n from unnest(sequence(0, 999)) as a(x) cross join unnest(sequence(0, 999)) as b(x)) as t
`;
const dimUser = `{{config materialized="table"}}
select user_id, user_segment, cooking_style, ab_test_group
from (
  select s.*, row_number() over (partition by s.user_id order by s.kst_timestamp desc, s.event_id desc) as recency
  from {{ref "user_events_silver"}} as s
) as r
where r.recency = 1
`;
ensureStackEnv();
const schema = `bench_snap_${randomBytes(3).toString('hex')}`;
const root = tempProject({
  'profiles.yml': `default_target: prod\ntargets:\n  prod: {type: trino, host: '{{ env_var "TRINO_URL" }}', catalog: iceberg, schema: ${schema}, user: framework, location_root: 's3://warehouse', threads: 2}\n`,
  'models/user_events_silver.sql': silver,
  'models/dim_user.sql': dimUser,
  'snapshots/dim_user_history.sql': readFileSync(join(repo, 'snapshots/dim_user_history.sql'), 'utf8'),
});

async function run(...args: string[]): Promise<{ seconds: number; rows?: number }> {
  const r = await cli(root, ...args, '--vars', `{moved: ${moved}}`);
  if (r.code !== 0) throw new Error(`${args.join(' ')} failed:\n${r.stdout.slice(-3000)}\n${r.stderr}`);
  const results = JSON.parse(readFileSync(join(root, 'target/run_results.json'), 'utf8')) as { results: { unique_id: string; execution_time: number; rows_affected?: number }[] };
  const node = results.results.find((x) => x.unique_id.endsWith('.dim_user_history'));
  return node ? { seconds: node.execution_time, ...(node.rows_affected !== undefined ? { rows: node.rows_affected } : {}) } : { seconds: NaN };
}

let moved = 2_000_000; // no event moves
const loadStart = loadavg()[0]!;
try {
  await run('run');
  const first = await run('snapshot');
  console.log(`first run (creates the table): ${first.seconds.toFixed(1)} s, ${first.rows} rows`);
  const unchanged = [];
  for (let k = 0; k < RUNS; k++) unchanged.push(await run('snapshot'));
  console.log(`unchanged reruns (one MERGE each): ${unchanged.map((u) => `${u.seconds.toFixed(1)} s (${u.rows} rows)`).join(', ')}`);
  moved = 900_000; // the last 10% of events: 1% of the users changed segment
  await run('run');
  const changed = await run('snapshot');
  console.log(`1% of users changed: ${changed.seconds.toFixed(1)} s, ${changed.rows} rows merged`);
  const path = writeResult('snapshot-trino', {
    load: { start: loadStart, end: loadavg()[0]! },
    events: 1_000_000,
    users: 100_000,
    targets: { snapshotRunSeconds: 30 },
    firstRun: first,
    unchanged: { ...summarize(unchanged.map((u) => u.seconds)), rows: unchanged.map((u) => u.rows) },
    changed,
    met: { firstRun: first.seconds <= 30, unchanged: Math.max(...unchanged.map((u) => u.seconds)) <= 30, changed: changed.seconds <= 30 },
  });
  console.log(`results: ${path}`);
} finally {
  await dropSchemas(schema);
}
process.exit(0);
