/**
 * The adapter conformance suite: what the layers above rely on of every engine, one set of tests
 * run against each (DuckDB in the unit suite, Trino/Iceberg in the integration suite). An engine
 * added to adapters/registry.ts passes this before anything else runs on it.
 */
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Adapter } from '../../framework/adapters/adapter.js';
import { freshnessQuery } from '../../framework/adapters/freshness-query.js';
import { utcInstant } from '../../framework/adapters/timestamp.js';
import type { Relation } from '../../framework/project/types.js';
import type { DoneIntervals } from '../../framework/state/done-intervals.js';
import { IntervalState } from '../../framework/state/interval-state.js';
import { tempDir } from '../unit/support/project.js';

export interface ConformanceHarness {
  adapter: Adapter;
  /** A schema of this run alone; the suite creates it, `cleanup` drops it. */
  schema: string;
  /** Writes `files` (name → text) where the engine reads external sources; returns their location. */
  putFiles(files: Record<string, string>): Promise<string>;
  cleanup(): Promise<void>;
}

export function describeAdapter(engine: string, makeHarness: () => Promise<ConformanceHarness>): void {
  // Concurrent: each test has tables of its own, and on a server most of the time is commit latency.
  describe.concurrent(`adapter conformance: ${engine}`, () => {
    let h: ConformanceHarness;
    let a: Adapter;
    const rel = (name: string): Relation => ({ schema: h.schema, name });
    const rows = async (sql: string) => (await a.query(sql)).rows;
    const table = (name: string) => a.dialect.relation(rel(name));
    const idRows = (...pairs: [number, string][]) =>
      pairs.map(([id, v]) => `select ${id} as id, ${a.dialect.literal(v)} as v`).join(' union all ');
    const ordered = (name: string) => rows(`select id, v from ${table(name)} order by id`);

    beforeAll(async () => {
      h = await makeHarness();
      a = h.adapter;
      await a.connect();
      await a.ensureSchema(h.schema);
    });
    afterAll(async () => {
      await h?.cleanup();
    });

    it('is the registered engine, and its capability flags match the members it has', () => {
      expect(a.type).toBe(engine);
      expect(a.capabilities.snapshots).toBe(a.snapshots !== undefined);
      expect(a.capabilities.commitConflicts).toBe(typeof a.isCommitConflict === 'function');
      expect(a.isCommitConflict?.(new Error('some other failure')) ?? false).toBe(false);
      expect(a.isOutOfMemory(new Error('some other failure'))).toBe(false);
    });

    it('queries and executes: rows with named columns, a failing statement rejects', async () => {
      const result = await a.query('select 1 as n, 2 as m');
      expect(result.columns.map((c) => c.name)).toEqual(['n', 'm']);
      expect(result.rows).toEqual([{ n: 1, m: 2 }]);
      await expect(a.query('select * from no_such_relation_anywhere')).rejects.toThrow();
    });

    it('creates a schema asked for by several callers at once: every call succeeds, and again once it exists', async () => {
      const schema = `${h.schema}_at_once`;
      const made = a.dialect.relation({ schema, name: 'made' });
      try {
        await Promise.all([1, 2, 3, 4].map(() => a.ensureSchema(schema)));
        await a.ensureSchema(schema);
        await a.execute(a.dialect.createTable({ schema, name: 'made' }, 'select 1 as id', {}));
        expect(await rows(`select id from ${made}`)).toEqual([{ id: 1 }]);
      } finally {
        await a.execute(`drop table if exists ${made}`);
        await a.execute(`drop schema if exists ${a.dialect.quote(schema)}`);
      }
    });

    it('quotes identifiers and literals so odd text round-trips', async () => {
      const values = ["it's", 'say "hi"', '한국어 ✓ é', 'back\\slash', 'two\nlines', ''];
      const column = 'odd "name" ü';
      for (const value of values) {
        expect(await rows(`select ${a.dialect.literal(value)} as ${a.dialect.quote(column)}`)).toEqual([
          { [column]: value },
        ]);
      }
      expect(await rows(`select ${a.dialect.literal(42)} as n, ${a.dialect.literal(true)} as b`)).toEqual([
        { n: 42, b: true },
      ]);
    });

    it('reads timestamps with a zone through the cross-engine macros, and hashes keys as every engine does', async () => {
      const m = a.macros;
      const instant = m.parse_ts!(a.dialect.literal('2025-09-01T00:15:30.250+09:00'));
      const [row] = await rows(
        `select ${m.format_ts!(m.to_zone!(instant, 'UTC'), '%Y-%m-%d %H:%M:%S')} as utc, ${m.format_ts!(m.to_zone!(instant, 'Asia/Seoul'), '%Y-%m-%d %H:%M')} as seoul, ` +
          `${m.ms_between!(m.ts_literal!('2025-08-31 15:15:00'), m.to_zone!(instant, 'UTC'))} as ms, ${m.md5_hex!(a.dialect.literal('a'), 'cast(null as varchar)', '7')} as md5, ` +
          `${utcInstant(m, Date.parse('2025-08-31T15:15:30.250Z'))} = ${instant} as same_instant`,
      );
      expect(row).toEqual({
        utc: '2025-08-31 15:15:30',
        seoul: '2025-09-01 00:15',
        ms: 30_250,
        md5: createHash('md5').update('a||7').digest('hex'),
        same_instant: true,
      });
    });

    it('reads several JSON paths at once exactly as one at a time, indexed from 1', async () => {
      const m = a.macros;
      const paths = ['$.s', '$.n', '$.o.k', '$.missing', '$.enc'];
      const doc = (text: string | null) => (text === null ? 'CAST(NULL AS VARCHAR)' : a.dialect.literal(text));
      const read = (text: string | null) =>
        `select ${paths.map((p, i) => `${m.json_strs!(doc(text), ...paths)}[${i + 1}] as many_${i}, ${m.json_str!(doc(text), p)} as one_${i}`).join(', ')}`;
      const [full] = await rows(read('{"s": "text", "n": 42, "o": {"k": "deep"}, "enc": "{\\"a\\": 1}"}'));
      const [none] = await rows(read(null));
      for (const row of [full!, none!]) for (const i of paths.keys()) expect(row[`many_${i}`]).toEqual(row[`one_${i}`]);
      expect(paths.map((_, i) => full![`many_${i}`])).toEqual(['text', '42', 'deep', null, '{"a": 1}']);
      expect(paths.map((_, i) => none![`many_${i}`])).toEqual(paths.map(() => null));
    });

    it('creates, fills, merges, replaces and drops tables and views; introspection sees each', async () => {
      const t = rel('conf_rows');
      await a.execute(a.dialect.createTable(t, idRows([1, 'a'], [2, 'b']), {}));
      expect(await a.introspector.relationType(t)).toBe('table');
      expect((await a.introspector.columns(t)).map((c) => c.name)).toEqual(['id', 'v']);
      await a.execute(a.dialect.insert(t, ['id', 'v'], idRows([3, 'c'])));
      expect(await ordered('conf_rows')).toEqual([
        { id: 1, v: 'a' },
        { id: 2, v: 'b' },
        { id: 3, v: 'c' },
      ]);

      const merge = a.dialect.merge(t, idRows([2, 'B'], [4, 'd']), ['id'], ['id', 'v']);
      if (a.capabilities.merge) await a.execute(merge);
      else await expect(a.execute(merge)).rejects.toThrow();
      await a.execute(a.dialect.deleteMatching(t, 'select 1 as id', ['id']));
      await a.atomically(a.dialect.replaceRange(t, 'id', '3', '4', ['id', 'v'], idRows([3, 'C'])));
      expect(await ordered('conf_rows')).toEqual(
        a.capabilities.merge
          ? [
              { id: 2, v: 'B' },
              { id: 3, v: 'C' },
              { id: 4, v: 'd' },
            ]
          : [
              { id: 2, v: 'b' },
              { id: 3, v: 'C' },
            ],
      );

      const view = rel('conf_view');
      await a.execute(a.dialect.createView(view, `select count(*) as n from ${table('conf_rows')}`));
      expect(await a.introspector.relationType(view)).toBe('view');
      await a.execute(a.dialect.replaceTable(t, idRows([9, 'z']), {}));
      expect(await rows(`select n from ${a.dialect.relation(view)}`)).toEqual([{ n: 1 }]);
      await a.execute(a.dialect.drop(view, 'view'));
      await a.execute(a.dialect.drop(t, 'table'));
      expect(await a.introspector.relationType(view)).toBeUndefined();
      expect(await a.introspector.relationType(t)).toBeUndefined();
    });

    it("lists a run's relation types in one query: each answered once as the run started, then from the catalog", async () => {
      const [t, v, absent] = [rel('listed_table'), rel('listed_view'), rel('listed_absent')];
      await a.execute(a.dialect.createTable(t, idRows([1, 'a']), {}));
      await a.execute(a.dialect.createView(v, 'select 1 as id'));
      await a.introspector.listRelationTypes([t, v, absent]);
      // Changed after the listing: the first asks answer from it (no query), the next ones see the change.
      await a.execute(a.dialect.drop(v, 'view'));
      await a.execute(a.dialect.createTable(absent, idRows([2, 'b']), {}));
      expect(await a.introspector.relationType(t)).toBe('table');
      expect(await a.introspector.relationType(v)).toBe('view');
      expect(await a.introspector.relationType(absent)).toBeUndefined();
      expect(await a.introspector.relationType(v)).toBeUndefined();
      expect(await a.introspector.relationType(absent)).toBe('table');
      // A relation forgotten (its node has run) is never answered from the listing.
      await a.introspector.listRelationTypes([t]);
      await a.execute(a.dialect.drop(t, 'table'));
      a.introspector.forgetRelationType(t);
      expect(await a.introspector.relationType(t)).toBeUndefined();
      await a.introspector.listRelationTypes([]);
      await a.execute(a.dialect.drop(absent, 'table'));
    });

    it('composes the reads of tests, previews, freshness and the catalog: counts, literal rows, listings', async () => {
      expect(await rows(a.dialect.ping())).toHaveLength(1);
      const values = a.dialect.values(
        [
          { name: 'id', type: 'BIGINT' },
          { name: 'odd "v"', type: 'VARCHAR' },
        ],
        [
          [1, "it's"],
          [null, undefined],
        ],
      );
      expect(await rows(`select * from (${values}) as t order by id`)).toEqual([
        { id: 1, 'odd "v"': "it's" },
        { id: null, 'odd "v"': null },
      ]);
      expect(await rows(a.dialect.values([{ name: 'id', type: 'BIGINT' }], []))).toEqual([]);
      expect(await rows(a.dialect.countRows(values))).toEqual([{ n: 2 }]);
      // Several tests' counts in one query (an audit's batch): one row per select, by index.
      const each = await rows(
        `${a.dialect.countRowsEach([values, `select * from (${values}) as v where id = 1`, a.dialect.values([{ name: 'id', type: 'BIGINT' }], [])])}`,
      );
      expect(each.map((r) => [Number(r.i), Number(r.n)]).sort()).toEqual([
        [0, 2],
        [1, 1],
        [2, 0],
      ]);
      // Row tests of one relation share its scan: a conditional count each, indexed among the others.
      const v = a.dialect.quote('odd "v"');
      const shared = await rows(
        a.dialect.countRowsEach([
          `select * from (${values}) as one where id is null`,
          [
            { from: `(${values})`, where: 'id is null' },
            { from: `(${values})`, where: `${v} is not null and ${v} not in ('x')`, distinct: v },
            { from: `(${values})`, where: 'id > 5' },
          ],
          values,
        ]),
      );
      expect(shared.map((r) => [Number(r.i), Number(r.n)]).sort()).toEqual([
        [0, 1],
        [1, 1],
        [2, 1],
        [3, 0],
        [4, 2],
      ]);
      expect(await rows(a.dialect.filter(`(${values})`, `${a.dialect.quote('id')} = 1`))).toEqual([{ id: 1, 'odd "v"': "it's" }]);
      // A period scope's values: text and the engine's type name, which cast back to the same constants.
      const days = a.dialect.values([{ name: 'd', type: 'DATE' }], [['2025-01-02'], ['2025-01-01'], ['2025-01-02'], [null]]);
      const typed = await rows(a.dialect.distinctTyped(days, a.dialect.quote('d')));
      expect(typed.map((r) => [r.v, String(r.t).toLowerCase()])).toEqual([
        ['2025-01-01', 'date'],
        ['2025-01-02', 'date'],
      ]);
      const constants = typed.map((r) => `cast(${a.dialect.literal(r.v)} as ${String(r.t)})`).join(', ');
      expect(await rows(a.dialect.countRows(a.dialect.filter(`(${days})`, `d in (${constants})`)))).toEqual([{ n: 3 }]);
      // cluster_by orders a write's rows or leaves them to the table's layout: either way the same rows.
      const clustered = await rows(`select * from (${a.dialect.clustered(days, ['d'])}) as c`);
      expect(clustered.map((r) => (r.d === null ? null : String(r.d).slice(0, 10))).sort()).toEqual(['2025-01-01', '2025-01-02', '2025-01-02', null].sort());

      const t = rel('conf_listed');
      await a.execute(
        a.dialect.createTable(
          t,
          `select 1 as id, ${a.macros.parse_ts!(a.dialect.literal('2025-01-01T00:00:00Z'))} as loaded_at`,
          {},
        ),
      );
      await a.execute(a.dialect.createView(rel('conf_listed_view'), a.dialect.selectAll(table('conf_listed'))));
      expect(await rows(a.dialect.selectAll(table('conf_listed_view')))).toHaveLength(1);
      const listed = (await a.introspector.listRelations([h.schema])).filter((r) => r.name.startsWith('conf_listed'));
      expect(
        listed
          .sort((p, q) => p.name.localeCompare(q.name))
          .map((r) => [r.schema, r.name, r.type, r.columns.map((c) => c.name)]),
      ).toEqual([
        [h.schema, 'conf_listed', 'table', ['id', 'loaded_at']],
        [h.schema, 'conf_listed_view', 'view', ['id', 'loaded_at']],
      ]);
      expect(await a.introspector.listRelations([`${h.schema}_none`])).toEqual([]);

      const [fresh] = await rows(freshnessQuery(a.macros, table('conf_listed'), 'loaded_at'));
      expect(String(fresh!.max_loaded_at)).toMatch(/^2025-01-01/);
      expect(Number(fresh!.age_seconds)).toBeGreaterThan(3e7);
      expect(
        (await rows(freshnessQuery(a.macros, table('conf_listed'), 'loaded_at', 'id > 1')))[0]!.age_seconds,
      ).toBeNull();
    });

    it('evolves a state table: explicit columns, add and drop a column', async () => {
      const t = rel('conf_state');
      await a.execute(
        a.dialect.createTableColumns(t, [
          { name: 'k', type: 'varchar' },
          { name: 'n', type: 'bigint' },
        ]),
      );
      await a.execute(a.dialect.createTableColumns(t, [{ name: 'k', type: 'varchar' }]));
      await a.execute(a.dialect.addColumn(t, { name: 'extra', type: 'integer' }));
      await a.execute(a.dialect.dropColumn(t, 'n'));
      expect((await a.introspector.columns(t)).map((c) => c.name)).toEqual(['k', 'extra']);
    });

    it('spells types as type-names.ts expects: contracts accept every alias and refuse other types', async () => {
      const select =
        `select cast(1 as integer) as i, cast(1 as bigint) as b, cast('x' as varchar) as s, cast(1.5 as double) as d, true as t, ` +
        `date '2025-01-01' as dt, cast(1.5 as decimal(10,2)) as dec, cast(${a.dialect.literal('2025-01-01 00:00:00')} as timestamp) as ts, ` +
        `${a.macros.parse_ts!(a.dialect.literal('2025-01-01T00:00:00Z'))} as tz`;
      const types = Object.fromEntries((await a.introspector.queryColumns(select)).map((c) => [c.name, c.type]));
      const accepts: Record<string, string[]> = {
        i: ['int', 'integer', 'INT4', 'int32'],
        b: ['bigint', 'int8', 'long', 'int64'],
        s: ['varchar', 'string', 'text'],
        d: ['double', 'float8', 'double precision'],
        t: ['bool', 'boolean'],
        dt: ['date'],
        dec: ['decimal(10,2)', 'numeric(10, 2)', 'decimal'],
        ts: ['timestamp', 'timestamp without time zone'],
        tz: ['timestamptz', 'timestamp with time zone'],
      };
      for (const [column, declared] of Object.entries(accepts)) {
        for (const d of declared) expect(a.dialect.sameType(d, types[column]!), `${d} ~ ${types[column]}`).toBe(true);
      }
      for (const [d, column] of [
        ['bigint', 'i'],
        ['integer', 'b'],
        ['decimal(12,2)', 'dec'],
        ['timestamp', 'tz'],
        ['date', 'ts'],
      ] as const) {
        expect(a.dialect.sameType(d, types[column]!), `${d} !~ ${types[column]}`).toBe(false);
      }
    });

    it('atomicMultiStatement is true to behaviour: a failing statement undoes those before it, or not', async () => {
      const t = rel('conf_atomic');
      await a.execute(a.dialect.createTable(t, idRows([1, 'a']), {}));
      await expect(
        a.atomically([a.dialect.insert(t, ['id', 'v'], idRows([2, 'b'])), 'select * from no_such_relation_anywhere']),
      ).rejects.toThrow();
      expect(await ordered('conf_atomic')).toEqual(
        a.capabilities.atomicMultiStatement
          ? [{ id: 1, v: 'a' }]
          : [
              { id: 1, v: 'a' },
              { id: 2, v: 'b' },
            ],
      );
    });

    it('enforcedConstraints are true to behaviour: an enforced contract refuses the rows that break them, the old table stays', async () => {
      const t = rel('conf_contract');
      await a.execute(a.dialect.createTable(t, idRows([1, 'a']), {}));
      const build = async (select: string) => {
        const create = a.dialect.replaceTableTyped(
          t,
          [
            { name: 'id', type: 'integer', notNull: true },
            { name: 'v', type: 'varchar', notNull: false },
          ],
          ['id > 0'],
          select,
          {},
        );
        try {
          await a.atomically(create.statements);
          return 'built';
        } catch {
          if (create.cleanup) await a.execute(create.cleanup);
          return 'refused';
        }
      };
      const enforced = a.capabilities.enforcedConstraints;
      expect(await build("select cast(null as integer) as id, 'n' as v")).toBe(
        enforced.includes('not_null') ? 'refused' : 'built',
      );
      if (enforced.includes('not_null')) expect(await ordered('conf_contract')).toEqual([{ id: 1, v: 'a' }]);
      expect(await build("select -1 as id, 'c' as v")).toBe(enforced.includes('check') ? 'refused' : 'built');
    });

    it('loads a seed from a CSV file, quoted fields and declared column types kept', async () => {
      const csv = join(tempDir('fw-seed-'), 'countries.csv');
      writeFileSync(csv, 'code,name,rank\nKR,Korea,1\nUS,"United States, of",2\n');
      const t = rel('conf_seed');
      expect(await a.loadSeed(t, csv, { rank: 'bigint' })).toBe(2);
      expect(await rows(`select code, name, rank from ${table('conf_seed')} order by code`)).toEqual([
        { code: 'KR', name: 'Korea', rank: 1 },
        { code: 'US', name: 'United States, of', rank: 2 },
      ]);
      expect(a.dialect.sameType('bigint', (await a.introspector.columns(t)).find((c) => c.name === 'rank')!.type)).toBe(
        true,
      );
    });

    it('lists an external source and reads it in place, all files or only those named', async () => {
      const location = await h.putFiles({ 'part-1.txt': 'x\ny\n', 'part-2.txt': 'z\n' });
      const external = { location, format: 'lines' as const };
      const source = rel('conf_external');
      await a.prepareExternal(source, external);
      const listing = await a.listExternal(external);
      // A local listing reads every entry of the directories it visits, matching or not.
      expect(listing.objects, 'objects the listing read').toBeGreaterThanOrEqual(2);
      expect(listing.calls, 'list calls').toBeGreaterThanOrEqual(1);
      const files = listing.files.sort((p, q) => p.path.localeCompare(q.path));
      expect(files.map((f) => f.path.split('/').pop())).toEqual(['part-1.txt', 'part-2.txt']);
      expect(files.map((f) => f.size)).toEqual([4, 2]);
      const read = (only?: string[]) =>
        rows(`select line, file_name from ${a.externalRelation(source, external, only)} order by line`);
      expect(await read()).toEqual([
        { line: 'x', file_name: files[0]!.path },
        { line: 'y', file_name: files[0]!.path },
        { line: 'z', file_name: files[1]!.path },
      ]);
      const named = (only: string[]) => a.readingFiles(source, external, only, () => read(only));
      expect((await named([files[1]!.path])).map((r) => r.line)).toEqual(['z']);
      // Reads of named files at once, and again after they ended, each see their own files.
      const [both, first] = await Promise.all([named(files.map((f) => f.path)), named([files[0]!.path])]);
      expect(both.map((r) => r.line)).toEqual(['x', 'y', 'z']);
      expect(first.map((r) => r.line)).toEqual(['x', 'y']);
      expect((await named([files[1]!.path])).map((r) => r.line)).toEqual(['z']);
    });

    // Interval state on an hourly grid from 2025-01-01: `at(k)` is the k-th hour.
    const [base, hour] = [Date.UTC(2025, 0, 1), 3_600_000];
    const at = (k: number) => ({ start: base + k * hour, end: base + (k + 1) * hour });
    // The done hours, and when each was looked at.
    const doneHours = (done: DoneIntervals) =>
      done.ranges().flatMap((r) => Array.from({ length: (r.end - r.start) / hour }, (_, i) => [r.start + i * hour, r.seen] as const));

    it('keeps interval state: forgetting intervals scattered inside one recorded range cuts the range around them', async () => {
      const state = new IntervalState(a);
      const t = rel('conf_intervals');
      const done = async () =>
        doneHours((await state.read(t)).done).map(([s, seen]) => [(s - base) / hour, seen! - base]);
      try {
        await state.record(
          t,
          'model.conformance.intervals',
          [0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map(at),
          'first',
          base + 20 * hour,
        );
        await state.record(t, 'model.conformance.intervals', [12, 13].map(at), 'second', base + 30 * hour);
        await state.forget(t, [2, 3, 6, 8, 9, 12].map(at));
        expect(await done()).toEqual([0, 1, 4, 5, 7].map((k) => [k, 20 * hour]).concat([[13, 30 * hour]]));
        await state.forget(t, [0, 1, 4, 5, 7, 13].map(at));
        expect(await done()).toEqual([]);
      } finally {
        await state.clear(t);
      }
    });

    it('records intervals and the complete read of their input in one statement: the mark replaced in place', async () => {
      const state = new IntervalState(a);
      const t = rel('conf_marked');
      const marks = async () =>
        rows(
          `select count(*) as n from framework_state.intervals where model_table = ${a.dialect.literal(`${h.schema}.conf_marked`)} and interval_start = interval_end`,
        );
      try {
        expect((await state.read(t)).inputReadUntil).toBeUndefined();
        await state.record(t, 'model.conformance.marked', [0, 1].map(at), 'first', base + 5 * hour, {
          gridStart: base,
          readAt: base + 5 * hour + 123,
        });
        expect((await state.read(t)).inputReadUntil).toBe(base + 5 * hour + 123);
        // Later runs: the mark moves, the intervals add up, and a run with no interval still moves the mark.
        await state.record(t, 'model.conformance.marked', [2].map(at), 'second', base + 6 * hour, {
          gridStart: base,
          readAt: base + 6 * hour,
        });
        await state.record(t, 'model.conformance.marked', [], 'third', undefined, { gridStart: base, readAt: base + 7 * hour });
        expect((await state.read(t)).inputReadUntil).toBe(base + 7 * hour);
        expect(await marks()).toEqual([{ n: 1 }]);
        expect(doneHours((await state.read(t)).done).map(([s]) => s)).toEqual([0, 1, 2].map((k) => at(k).start));
        // Forgetting the interval at the grid's start leaves the mark, an empty range.
        await state.forget(t, [at(0)]);
        expect((await state.read(t)).inputReadUntil).toBe(base + 7 * hour);
      } finally {
        await state.clear(t);
      }
    });

    it('folds settled rows into one range in the statement that records: the same intervals, the mark kept, newer rows left', async () => {
      const state = new IntervalState(a);
      const t = rel('conf_folded');
      const other = rel('conf_folded_other');
      const count = async (table: string) =>
        (await rows(`select count(*) as n from framework_state.intervals where model_table = ${a.dialect.literal(`${h.schema}.${table}`)}`))[0]!.n;
      const readAt = (k: number) => ({ gridStart: base, readAt: base + k * hour });
      try {
        // A run per hour, each its own row, looked at an hour after its interval; a row of another model alongside.
        for (const k of [0, 1, 2, 3, 4, 5]) await state.record(t, 'model.conformance.folded', [at(k)], `run${k}`, base + (k + 1) * hour, readAt(k + 1));
        await state.record(other, 'model.conformance.other', [at(0)], 'other', base + hour, readAt(1));
        const before = doneHours((await state.read(t)).done);
        expect(await count('conf_folded')).toBe(7);
        // Hours 0-3 are settled, but hour 3 was looked at after seenBy: hours 0-2 fold into one row.
        await state.record(t, 'model.conformance.folded', [at(6)], 'run6', base + 7 * hour, readAt(7), {
          from: base,
          before: at(4).start,
          seenBy: base + 3 * hour,
        });
        expect(await count('conf_folded')).toBe(6);
        const folded = await state.read(t);
        expect(folded.inputReadUntil).toBe(base + 7 * hour);
        // The folded hours keep the earliest instant they were looked at; the others their own.
        expect(doneHours(folded.done)).toEqual([
          ...[0, 1, 2].map((k) => [at(k).start, base + hour]),
          ...before.slice(3),
          [at(6).start, base + 7 * hour],
        ]);
        // Nothing more to fold (one row): recording changes only what it records.
        await state.record(t, 'model.conformance.folded', [at(7)], 'run7', base + 8 * hour, readAt(8), { from: base, before: at(3).start });
        expect(await count('conf_folded')).toBe(7);
        expect(doneHours((await state.read(other)).done)).toEqual([[at(0).start, base + hour]]);
        expect(await count('conf_folded_other')).toBe(2);
      } finally {
        await state.clear(t);
        await state.clear(other);
      }
    });

    it('several models write (and fold) their interval state at once: each keeps its own intervals and mark', async () => {
      const state = new IntervalState(a);
      const tables = ['conf_parallel_a', 'conf_parallel_b', 'conf_parallel_c'].map(rel);
      try {
        // A window each: forget the interval being redone, then record it with the input's read,
        // folding the rows before it (hours 0 and 1 at the third window, cut again by the fourth).
        for (const k of [0, 1, 2, 0]) {
          await Promise.all(
            tables.map(async (t, i) => {
              await state.forget(t, [at(k)]);
              await state.record(
                t,
                `model.conformance.p${i}`,
                [at(k)],
                `run${k}`,
                base + k * hour,
                { gridStart: base, readAt: base + (k + i) * hour },
                { from: base, before: at(k).start },
              );
            }),
          );
        }
        for (const [i, t] of tables.entries()) {
          expect(doneHours((await state.read(t)).done).map(([s]) => s)).toEqual([0, 1, 2].map((k) => at(k).start));
          expect((await state.read(t)).inputReadUntil).toBe(base + i * hour);
        }
      } finally {
        for (const t of tables) await state.clear(t);
      }
    });

    it('snapshots, where the engine keeps them: each commit a new one, readable as of an older one', async () => {
      const history = a.snapshots;
      if (!a.capabilities.snapshots || !history) return expect(history).toBeUndefined();
      const t = rel('conf_history');
      expect(await history.current([t])).toEqual([undefined]);
      await a.execute(a.dialect.createTable(t, idRows([1, 'a']), {}));
      const [first] = await history.current([t]);
      await a.execute(a.dialect.insert(t, ['id', 'v'], idRows([2, 'b'])));
      const other = rel('conf_history_other');
      await a.execute(a.dialect.createTable(other, idRows([3, 'c']), {}));
      // One read for several tables, an absent one among them, answers each in order.
      const [second, ofOther, absent] = await history.current([t, other, rel('conf_history_absent')]);
      expect(second).toMatch(/^-?\d+$/);
      expect(second).not.toBe(first);
      expect(ofOther).toMatch(/^-?\d+$/);
      expect(ofOther).not.toBe(second);
      expect(absent).toBeUndefined();
      expect(await history.current([t, other])).toEqual([second, ofOther]);
      expect(await rows(`select count(*) as n from ${history.asOf(t, { snapshot: first! })}`)).toEqual([{ n: 1 }]);
      expect(await rows(a.dialect.selectAll(history.asOf(t, { snapshot: first! })))).toEqual([{ id: 1, v: 'a' }]);
    });

    // Alone: DuckDB refuses a CHECKPOINT while another write is open, and `maintain` runs it alone.
    it.sequential('checkpoints where the engine keeps no snapshots, the data intact', async () => {
      if (a.snapshots) return expect(a.capabilities.snapshots).toBe(true);
      await a.execute(a.dialect.createTable(rel('conf_checkpoint'), idRows([1, 'a']), {}));
      await a.checkpoint!();
      expect(await ordered('conf_checkpoint')).toEqual([{ id: 1, v: 'a' }]);
    });
  });
}
