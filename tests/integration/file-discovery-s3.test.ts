/**
 * Issue 16, file discovery on real S3 (MinIO): a listing from a partition on lists by prefix and
 * delimiter only the partitions from then on (the calls and objects are those of the real
 * ListObjectsV2 pages), and on Trino a new_files model's cycle lists only its lookback while
 * `run --reconcile-files` lists everything and loads a late file in an older partition once.
 */
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TrinoAdapter } from '../../framework/adapters/trino/adapter.js';
import { listFiles } from '../../framework/storage/list.js';
import { partitionWallTime } from '../../framework/storage/partition-time.js';
import { deletePrefix, s3, uniqueName } from './ingest-support.js';
import { ensureStack } from './stack.js';
import { dropSchemas, ok, rows, runResults, trinoProject } from './support.js';

const prefix = uniqueName('discovery');
const schema = `it_discovery_${prefix.slice(-6)}`;
const key = (day: number, hour: number, minute: number, name: string) =>
  `${prefix}/year=2025/month=09/day=${String(day).padStart(2, '0')}/hour=${String(hour).padStart(2, '0')}/minute=${String(minute).padStart(2, '0')}/${name}.json`;

async function put(keys: string[]): Promise<void> {
  const client = s3();
  try {
    for (let i = 0; i < keys.length; i += 16) {
      await Promise.all(keys.slice(i, i + 16).map((Key) => client.send(new PutObjectCommand({ Bucket: process.env.S3_STAGING_BUCKET!, Key, Body: `${Key.split('/').pop()!.replace('.json', '')}\n` }))));
    }
  } finally {
    client.destroy();
  }
}

beforeAll(async () => {
  ensureStack();
  // Two days of 15-minute partitions, one file each.
  const history: string[] = [];
  for (let day = 1; day <= 2; day++) for (let hour = 0; hour < 24; hour++) for (const minute of [0, 15, 30, 45]) history.push(key(day, hour, minute, `h-${day}-${hour}-${minute}`));
  await put(history);
});

afterAll(async () => {
  await deletePrefix(prefix).catch(() => {});
  await dropSchemas(schema).catch(() => {});
});

describe('file discovery on S3', () => {
  const location = () => `s3://${process.env.S3_STAGING_BUCKET}/${prefix}/`;

  it('lists only the partitions from `since`, by prefix and delimiter, with the real pages counted', async () => {
    const full = await listFiles(location());
    expect(full).toMatchObject({ objects: 192, calls: 1 });

    const since = Date.parse('2025-09-02T21:45:00Z');
    const recent = await listFiles(location(), since);
    // The prefix, year=, month=, day=02, hour=21 level by level; minute=45, hour=22 and hour=23 whole.
    expect(recent).toMatchObject({ objects: 9, calls: 8 });
    expect(recent.files.map((f) => f.path)).toEqual(full.files.filter((f) => partitionWallTime(f.path)! >= since).map((f) => f.path));
    expect(recent.files.every((f) => f.etag && f.size > 0)).toBe(true);
  });

  it('on Trino, a cycle lists its lookback; --reconcile-files lists everything and loads a late file once', async () => {
    const { root } = trinoProject(
      {
        'sources/s.yml': `sources:
  - name: s
    tables:
      - name: lines
        external: {location: "${location()}", format: lines}
`,
        'models/raw.sql': `{{config materialized="incremental" incremental_strategy="new_files" file_column="source_file" discovery_lookback="2h"}}
select s.line, s.file_name as source_file from {{source "s" "lines"}} as s`,
      },
      schema,
    );
    const discovery = () => runResults(root).results.find((r) => r.unique_id === 'model.t.raw')!.discovery;
    const count = async (line: string) => Number((await rows(`select count(*) as n from iceberg.${schema}.raw where line = '${line}'`))[0]!.n);

    await ok(root, 'run');
    expect(discovery()).toMatchObject({ listing: 'full', objects_listed: 192, list_calls: 1 });

    await put([key(3, 0, 0, 'new'), key(2, 19, 45, 'late-old'), key(2, 22, 45, 'late-recent')]);
    await ok(root, 'run');
    expect(discovery()).toMatchObject({ listing: 'lookback', since: '2025-09-02T21:45', objects_listed: 11 });
    expect(await count('new')).toBe(1);
    expect(await count('late-recent')).toBe(1);
    expect(await count('late-old')).toBe(0);

    await ok(root, 'run', '--reconcile-files');
    expect(discovery()).toMatchObject({ listing: 'full', objects_listed: 195, list_calls: 1 });
    await ok(root, 'run', '--reconcile-files');
    expect(await count('late-old')).toBe(1);
    expect(Number((await rows(`select count(*) as n from iceberg.${schema}.raw`))[0]!.n)).toBe(195);

    // A ledger an older version wrote has no partition_at: the next cycle fills it in from the
    // paths (an UPDATE on the Iceberg state table), then reads the rows from since's day on: day 2's
    // 96, late-old's, late-recent's and day 3's.
    const ledger = `iceberg.framework_state.loaded_files where model_table = '${schema}.raw'`;
    await rows(`update ${ledger.replace(' where ', ' set partition_at = null where ')}`);
    await ok(root, 'run');
    expect(discovery()).toMatchObject({ listing: 'lookback', since: '2025-09-02T22:00', ledger_files_read: 96 + 2 + 1 });
    const [filled] = await rows(`select count(*) as n, count(partition_at) as named from ${ledger}`);
    expect([Number(filled!.n), Number(filled!.named)]).toEqual([195, 195]);
    expect(Number((await rows(`select count(*) as n from iceberg.${schema}.raw`))[0]!.n)).toBe(195);
  });

  it('on Trino, named files are read through a table over their own directory, and none is left behind', async () => {
    const settings = { host: process.env.TRINO_URL!, catalog: 'iceberg', schema, user: 'test' };
    const adapter = new TrinoAdapter({ name: 'files', type: 'trino', schema, threads: 1, settings } as never, '.');
    const source = { schema: `${schema}_files`, name: 'lines' };
    const external = { location: location(), format: 'lines' as const };
    const fileTables = async () => (await rows(`show tables from hive.${source.schema}`)).map((r) => String(Object.values(r)[0])).filter((t) => t !== 'lines');
    await adapter.prepareExternal(source, external);
    const named = [key(2, 21, 30, 'h-2-21-30'), key(2, 21, 45, 'h-2-21-45')].map((k) => `s3://${process.env.S3_STAGING_BUCKET}/${k}`);
    const seen = await adapter.readingFiles(source, external, named, async () => {
      const tables = await fileTables();
      const ddl = String((await rows(`show create table hive.${source.schema}."${tables[0]}"`))[0]!['Create Table']);
      const lines = await rows(`select line from ${adapter.externalRelation(source, external, named)} order by line`);
      return { tables, ddl, lines: lines.map((r) => r.line) };
    });
    expect(seen.tables).toHaveLength(1);
    // The hour both files are in: Trino lists its 4 objects, not the prefix's 195.
    expect(seen.ddl).toMatch(new RegExp(`external_location = '${location()}year=2025/month=09/day=02/hour=21/?'`));
    expect(seen.lines).toEqual(['h-2-21-30', 'h-2-21-45']);
    expect(await fileTables()).toEqual([]);

    // A run that died during a read left its file table: preparing the source drops it.
    await rows(`create table hive.${source.schema}."lines__f_deadbeef0000" (line varchar) with (external_location = '${location()}', format = 'TEXTFILE')`);
    expect(await fileTables()).toEqual(['lines__f_deadbeef0000']);
    await adapter.prepareExternal(source, external);
    expect(await fileTables()).toEqual([]);
  });

  it("on Trino, a source's table is kept while it points at the same location, and re-pointed when that moves", async () => {
    const settings = { host: process.env.TRINO_URL!, catalog: 'iceberg', schema, user: 'test' };
    const adapter = new TrinoAdapter({ name: 'keep', type: 'trino', schema, threads: 1, settings } as never, '.');
    const source = { schema: `${schema}_keep`, name: 'lines' };
    // A comment lives as long as the table: a table created again has none.
    const comment = async () =>
      (await rows(`select comment from system.metadata.table_comments where catalog_name = 'hive' and schema_name = '${source.schema}' and table_name = 'lines'`))[0]?.comment;
    const lines = async () => (await rows(`select line from hive.${source.schema}.lines order by line`)).map((r) => r.line);
    await adapter.prepareExternal(source, { location: location(), format: 'lines' });
    await rows(`comment on table hive.${source.schema}.lines is 'prepared once'`);
    await adapter.prepareExternal(source, { location: location(), format: 'lines' });
    expect(await comment()).toBe('prepared once');

    const hour = `${location()}year=2025/month=09/day=01/hour=01/`;
    await adapter.prepareExternal(source, { location: hour, format: 'lines' });
    expect(await comment()).toBeNull();
    expect(await lines()).toEqual(['h-1-1-0', 'h-1-1-15', 'h-1-1-30', 'h-1-1-45']);
  });
});
