/** The project's ingest: block: what it sets, and bad values as one line naming project.yml:line and the key. */
import { describe, expect, it } from 'vitest';
import { DEFAULT_INGEST } from '../../../framework/project/ingest.js';
import { cli, tempProject } from '../support/project.js';
import { projectIngest } from '../../../framework/cli/common.js';

const project = (ingest: string) => tempProject({ 'project.yml': `name: t\ningest:\n${ingest}` });

async function expectIngestError(ingest: string, ...fragments: string[]) {
  // `ingest kafka` reads the block before it looks for brokers: a bad block fails first, exit 2.
  const result = await cli(project(ingest), 'ingest', 'kafka', '--brokers', '127.0.0.1:1');
  expect(result.code).toBe(2);
  for (const f of fragments) expect(result.stderr).toContain(f);
}

describe('ingest: in project.yml', () => {
  it('sets topic, bucket, bucket width, clock and time field', () => {
    const root = project('  topic: events\n  bucket: my-staging\n  bucket_minutes: 15\n  utc_offset: "-03:00"\n  time_field: occurred_at\n');
    expect(projectIngest(root)).toEqual({ topic: 'events', bucket: 'my-staging', bucketMs: 900_000, offsetMs: -3 * 3_600_000, timeField: 'occurred_at' });
  });

  it('defaults to hourly UTC buckets of `timestamp`, with no topic or bucket, also when no project is there', () => {
    expect(projectIngest(project('  topic: events\n'))).toEqual({ ...DEFAULT_INGEST, topic: 'events' });
    expect(DEFAULT_INGEST).toEqual({ topic: undefined, bucket: undefined, bucketMs: 3_600_000, offsetMs: 0, timeField: 'timestamp' });
    expect(projectIngest(tempProject({ 'project.yml': 'name: t\n' }))).toEqual(DEFAULT_INGEST);
  });

  it('names a misspelled key and suggests the right one', () =>
    expectIngestError('  topik: events\n', 'project.yml:3:3', 'unknown key "topik" in key "ingest"', 'did you mean "topic"'));

  it('takes only bucket widths that divide an hour', () =>
    expectIngestError('  bucket_minutes: 7\n', 'project.yml:3:19', 'key "ingest.bucket_minutes" must be equal to one of the allowed values'));

  it('takes offsets written ±hh:mm or Z', () => expectIngestError('  utc_offset: Asia/Seoul\n', 'project.yml:3:15', 'key "ingest.utc_offset" must match pattern'));

  it('refuses an offset that is not a whole number of buckets (directories would not start on the local clock)', () =>
    expectIngestError('  bucket_minutes: 30\n  utc_offset: "+05:45"\n', 'project.yml:4:15', 'key "ingest.utc_offset" +05:45 is not a whole number of 30-minute buckets'));

  it('refuses a bucket name S3 would refuse', () => expectIngestError('  bucket: My_Bucket\n', 'project.yml:3:11', 'key "ingest.bucket" must match pattern'));

  it('is checked when the project loads, too', async () => {
    const result = await cli(project('  bucket_minutes: 30\n  utc_offset: "+05:45"\n'), 'ls');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('project.yml:4:15: key "ingest.utc_offset"');
  });
});
