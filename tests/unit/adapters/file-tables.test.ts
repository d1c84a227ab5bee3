import { describe, expect, it } from 'vitest';
import { trinoDialect } from '../../../framework/adapters/trino/dialect.js';
import { directoryOf, FileTables } from '../../../framework/adapters/trino/file-tables.js';

const prefix = 's3://staging/events/';
const file = (dir: string, name: string) => `${prefix}${dir}${name}.json`;
const minute = (m: string) => `year=2025/month=09/day=01/hour=00/minute=${m}/`;

/** The statements a FileTables sends, each taking `delay` ms; `show tables` answers `existing`. */
function recorder(existing: string[] = [], delay = 5) {
  const statements: string[] = [];
  const send = async (sql: string) => {
    statements.push(sql.replace(/ \(line varchar\).*$/, ''));
    await new Promise((r) => setTimeout(r, delay));
    return { rows: sql.startsWith('show tables') ? existing.map((t) => ({ Table: t })) : [] };
  };
  return { statements, tables: new FileTables(trinoDialect, send, send) };
}

describe('Trino file tables: named files read through a table over their directory', () => {
  it('reads through the deepest directory holding every file, never above the source prefix', () => {
    expect(directoryOf([file(minute('15'), 'a'), file(minute('15'), 'b')], prefix)).toBe(`${prefix}${minute('15')}`);
    expect(directoryOf([file(minute('15'), 'a'), file(minute('30'), 'b')], prefix)).toBe(
      `${prefix}year=2025/month=09/day=01/hour=00/`,
    );
    expect(directoryOf([file(minute('15'), 'a'), file('year=2025/month=08/day=31/', 'late')], prefix)).toBe(
      `${prefix}year=2025/`,
    );
    expect(directoryOf([file('', 'top'), file(minute('15'), 'a')], prefix)).toBe(prefix);
    expect(directoryOf(['s3://other/x/a.json'], prefix)).toBe(prefix);
  });

  it('creates one table for reads of the same files at once and drops it after the last', async () => {
    const { statements, tables } = recorder();
    const source = { database: 'hive', schema: 'staging', name: 'events' };
    const files = [file(minute('15'), 'a')];
    const name = trinoDialect.relation(tables.relation(source, prefix, files));
    const seen: string[] = [];
    await Promise.all(
      [1, 2, 3].map((i) =>
        tables.reading(source, prefix, files, 'TEXTFILE', async () => {
          seen.push(`read ${i} after ${statements.length} statements`);
          await new Promise((r) => setTimeout(r, 10));
        }),
      ),
    );
    expect(statements).toEqual([`create table if not exists ${name}`, `drop table if exists ${name}`]);
    expect(seen).toEqual([1, 2, 3].map((i) => `read ${i} after 1 statements`));
    // Other files, another directory: another table.
    expect(tables.relation(source, prefix, [file(minute('30'), 'b')]).name).not.toBe(
      tables.relation(source, prefix, files).name,
    );
  });

  it('a read that starts while the last one drops the table creates it again after the drop', async () => {
    const { statements, tables } = recorder([], 20);
    const source = { database: 'hive', schema: 'staging', name: 'events' };
    const files = [file(minute('15'), 'a')];
    const name = trinoDialect.relation(tables.relation(source, prefix, files));
    let second: Promise<void> | undefined;
    await tables.reading(source, prefix, files, 'TEXTFILE', async () => {
      // Starts once the first read's drop is under way.
      setTimeout(() => (second = tables.reading(source, prefix, files, 'TEXTFILE', async () => {})), 5);
    });
    await second;
    expect(statements).toEqual([
      `create table if not exists ${name}`,
      `drop table if exists ${name}`,
      `create table if not exists ${name}`,
      `drop table if exists ${name}`,
    ]);
  });

  it("drops the file tables a dead run left, not one a read holds, nor another source's", async () => {
    const source = { database: 'hive', schema: 'staging', name: 'events' };
    const files = [file(minute('15'), 'a')];
    const probe = recorder();
    const held = probe.tables.relation(source, prefix, files).name;
    const { statements, tables } = recorder([held, 'events__f_0123456789ab']);
    await tables.reading(source, prefix, files, 'TEXTFILE', () => tables.leftovers(source));
    expect(statements).toEqual([
      `create table if not exists "hive"."staging"."${held}"`,
      `show tables from "hive"."staging" like 'events\\_\\_f\\_%' escape '\\'`,
      `drop table if exists "hive"."staging"."events__f_0123456789ab"`,
      `drop table if exists "hive"."staging"."${held}"`,
    ]);
  });
});
