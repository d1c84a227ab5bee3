import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { directorySpan, visit } from '../../../framework/storage/partition-time.js';
import { cli, query, tempProject, writeFile } from '../support/project.js';

/** A staged file's path in the sink's layout, for a KST wall-clock hour and minute on a September day. */
const staged = (day: number, hour: number, minute: number, name: string) =>
  `staging/year=2025/month=09/day=${String(day).padStart(2, '0')}/hour=${String(hour).padStart(2, '0')}/minute=${String(minute).padStart(2, '0')}/${name}.json`;

/** Two days of 15-minute partitions (192), one file each: a history to list. */
function history(): Record<string, string> {
  const files: Record<string, string> = {};
  for (let day = 1; day <= 2; day++) for (let hour = 0; hour < 24; hour++) for (const minute of [0, 15, 30, 45]) files[staged(day, hour, minute, `h-${day}-${hour}-${minute}`)] = `${day}-${hour}-${minute}\n`;
  return files;
}

const project = (lookback: string) =>
  tempProject({
    ...history(),
    'sources/s.yml': `sources:
  - name: s
    tables:
      - name: lines
        external: {location: "staging/**/*.json", format: lines, time_zone: Asia/Seoul}
`,
    'models/raw.sql': `{{config materialized="incremental" incremental_strategy="new_files" file_column="source_file" discovery_lookback="${lookback}"}}
select s.line, s.file_name as source_file from {{source "s" "lines"}} as s`,
  });

interface Discovery {
  listing: string;
  since?: string;
  objects_listed: number;
  list_calls: number;
  ledger_files_read: number;
}

function discovery(root: string): Discovery {
  const results = JSON.parse(readFileSync(join(root, 'target/run_results.json'), 'utf8')) as { results: { unique_id: string; discovery?: Discovery }[] };
  return results.results.find((r) => r.unique_id === 'model.t.raw')!.discovery!;
}

const count = async (root: string, line: string) => Number((await query(root, `select count(*) as n from main.raw where line = '${line}'`))[0]!.n);

describe('file discovery: a lookback from the newest loaded partition, and a full reconciliation', () => {
  it('a cycle lists only the lookback: a late file older than it waits for --reconcile-files, which loads it exactly once', async () => {
    const root = project('2h');
    expect((await cli(root, 'run')).code).toBe(0);
    // The first run has no watermark: everything.
    expect(discovery(root)).toEqual({ listing: 'full', objects_listed: 192, list_calls: 1 + 1 + 1 + 2 + 48 + 192, ledger_files_read: 0 });

    writeFile(root, staged(3, 0, 0, 'new'), 'new\n');
    // 4 h before the watermark (day 2, 23:45): outside the 2 h lookback.
    writeFile(root, staged(2, 19, 45, 'late-old'), 'late-old\n');
    // 1 h before it: inside.
    writeFile(root, staged(2, 22, 45, 'late-recent'), 'late-recent\n');
    expect((await cli(root, 'run')).code).toBe(0);
    const cycle = discovery(root);
    // Partitions from day 2 21:45: 9 of the history, late-recent's and the new one. The ledger is
    // read from the start of that day: day 2's 96 files, not day 1's.
    expect(cycle).toMatchObject({ listing: 'lookback', since: '2025-09-02T21:45', objects_listed: 11, ledger_files_read: 96 });
    expect(cycle.list_calls).toBeLessThan(20);
    expect(await count(root, 'new')).toBe(1);
    expect(await count(root, 'late-recent')).toBe(1);
    expect(await count(root, 'late-old')).toBe(0);

    expect((await cli(root, 'run', '--reconcile-files')).code).toBe(0);
    expect(discovery(root)).toMatchObject({ listing: 'full', objects_listed: 195, ledger_files_read: 194 });
    expect(await count(root, 'late-old')).toBe(1);

    // Found again by later reconciliations and cycles, loaded no more.
    expect((await cli(root, 'run', '--reconcile-files')).code).toBe(0);
    expect((await cli(root, 'run')).code).toBe(0);
    expect(await count(root, 'late-old')).toBe(1);
    expect(Number((await query(root, `select count(*) as n from framework_state.loaded_files where path like '%late-old%'`))[0]!.n)).toBe(1);
    expect(Number((await query(root, 'select count(*) as n from main.raw'))[0]!.n)).toBe(195);
  });

  it('the listing shrinks with the lookback, whatever the history', async () => {
    const listed: Record<string, Discovery> = {};
    for (const lookback of ['30m', '6h', '3d']) {
      const root = project(lookback);
      expect((await cli(root, 'run')).code).toBe(0);
      writeFile(root, staged(3, 0, 0, 'new'), 'new\n');
      expect((await cli(root, 'run')).code).toBe(0);
      listed[lookback] = discovery(root);
      expect(await count(root, 'new')).toBe(1);
    }
    expect(listed['30m']).toMatchObject({ listing: 'lookback', objects_listed: 3 + 1 });
    expect(listed['6h']).toMatchObject({ listing: 'lookback', objects_listed: 25 + 1 });
    // A lookback longer than the history lists it all.
    expect(listed['3d']).toMatchObject({ listing: 'lookback', objects_listed: 192 + 1 });
    expect(listed['30m']!.list_calls).toBeLessThan(listed['6h']!.list_calls);
    expect(listed['6h']!.list_calls).toBeLessThan(listed['3d']!.list_calls);
  });

  it('--full-refresh lists everything', async () => {
    const root = project('1h');
    expect((await cli(root, 'run')).code).toBe(0);
    expect((await cli(root, 'run', '--full-refresh')).code).toBe(0);
    expect(discovery(root)).toMatchObject({ listing: 'full', objects_listed: 192 });
  });

  it('a partition named after now (a clock gone wrong) does not become the watermark', async () => {
    const root = project('1h');
    writeFile(root, 'staging/year=2999/month=01/day=01/hour=00/minute=00/future.json', 'future\n');
    expect((await cli(root, 'run')).code).toBe(0);
    writeFile(root, staged(3, 0, 0, 'new'), 'new\n');
    expect((await cli(root, 'run')).code).toBe(0);
    expect(discovery(root)).toMatchObject({ listing: 'lookback', since: '2025-09-02T22:45' });
    expect(await count(root, 'new')).toBe(1);
  });

  it('the ledger read stays a day of files as the history grows; a file naming only since\'s day is known once loaded', async () => {
    const root = project('2h');
    expect((await cli(root, 'run')).code).toBe(0);
    // A third and fourth day loaded: the cycle after them reads day 4's files only.
    for (const day of [3, 4]) for (let hour = 0; hour < 24; hour++) writeFile(root, staged(day, hour, 0, `more-${day}-${hour}`), `more-${day}-${hour}\n`);
    expect((await cli(root, 'run')).code).toBe(0);
    writeFile(root, staged(5, 0, 0, 'next'), 'next\n');
    // Directly under day 4, which straddles since (day 4 21:00): listed, and its partition is the day's start.
    writeFile(root, 'staging/year=2025/month=09/day=04/daily.json', 'daily\n');
    expect((await cli(root, 'run')).code).toBe(0);
    expect(discovery(root)).toMatchObject({ listing: 'lookback', since: '2025-09-04T21:00', objects_listed: 5, ledger_files_read: 24 });
    expect((await cli(root, 'run')).code).toBe(0);
    expect(discovery(root)).toMatchObject({ listing: 'lookback', since: '2025-09-04T22:00', objects_listed: 4, ledger_files_read: 24 + 2 });
    expect(await count(root, 'daily')).toBe(1);
    expect(await count(root, 'next')).toBe(1);
    expect(Number((await query(root, `select count(*) as n from framework_state.loaded_files where path like '%daily%'`))[0]!.n)).toBe(1);
  });

  it('a ledger written before it named partitions gets them from its paths once; the watermark is the same', async () => {
    const root = project('2h');
    expect((await cli(root, 'run')).code).toBe(0);
    await query(root, 'update framework_state.loaded_files set partition_at = null');
    writeFile(root, staged(3, 0, 0, 'new'), 'new\n');
    expect((await cli(root, 'run')).code).toBe(0);
    expect(discovery(root)).toMatchObject({ listing: 'lookback', since: '2025-09-02T21:45', ledger_files_read: 96 });
    const [filled] = await query(root, `select count(*) as n, count(partition_at) as named, cast(min(partition_at) as varchar) as first from framework_state.loaded_files`);
    expect([Number(filled!.n), Number(filled!.named), filled!.first]).toEqual([193, 193, '2025-09-01 00:00:00']);
    expect(await count(root, 'new')).toBe(1);
  });

  it('a bad discovery_lookback is a config error naming file:line and the key', async () => {
    const root = tempProject({ 'models/a.sql': 'select 1 as x', 'models/a.yml': 'models:\n  - name: a\n    config:\n      discovery_lookback: 2 hours\n' });
    const run = await cli(root, 'run');
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('models/a.yml:4');
    expect(run.stderr).toContain('discovery_lookback');
  });
});

describe('partition spans', () => {
  it('a directory spans the partitions its time keys allow', () => {
    const at = (text: string) => Date.parse(`${text}Z`);
    expect(directorySpan('s/replay')).toBeUndefined();
    expect(directorySpan('s/year=2025')).toEqual({ start: at('2025-01-01T00:00'), end: at('2026-01-01T00:00') });
    expect(directorySpan('s/year=2025/month=12/')).toEqual({ start: at('2025-12-01T00:00'), end: at('2026-01-01T00:00') });
    expect(directorySpan('s/year=2025/month=02/day=28/hour=23')).toEqual({ start: at('2025-02-28T23:00'), end: at('2025-03-01T00:00') });
    const since = at('2025-09-02T21:45');
    expect(visit('s/year=2025/month=09/day=01', since)).toBe('skip');
    expect(visit('s/year=2025/month=09/day=02', since)).toBe('walk');
    expect(visit('s/year=2025/month=09/day=02/hour=21/minute=30', since)).toBe('skip');
    expect(visit('s/year=2025/month=09/day=02/hour=21/minute=45', since)).toBe('all');
    expect(visit('s/year=2025/month=09/day=03', since)).toBe('all');
    expect(visit('s/year=2025/month=09/day=01', undefined)).toBe('all');
  });
});
