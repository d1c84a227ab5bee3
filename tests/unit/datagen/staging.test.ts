/**
 * What lands in staging: the file layout of spec §2, byte-for-byte determinism, and the
 * injected bad input (re-deliveries and malformed lines) at the configured rates.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EVENT_NAMES, MALFORMED_KINDS, generateEvents, localDirectorySink, type GenerateOptions, type GenerateStats } from '../../../extensions/reciping/datagen/index.js';
import { kafkaPartition } from '../../../extensions/reciping/datagen/partition.js';
import { BASE, bucketOfTime, bucketPath, parseEvent, stream } from './helpers.js';

const EVENT_NAME_SET = new Set<string>(EVENT_NAMES);

/** The kind of a malformed line, or null for a valid one. */
function malformedKind(line: string): string | null {
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(line);
  } catch {
    return 'truncated_json';
  }
  if (!('event_id' in raw)) return 'missing_event_id';
  if (Number.isNaN(Date.parse(String(raw.timestamp)))) return 'bad_timestamp';
  if (!EVENT_NAME_SET.has(String(raw.event_name))) return 'unknown_event_name';
  if (!/^\d+$/.test(String(raw.user_id))) return 'non_numeric_user_id';
  return parseEvent(line) === null ? 'unexpected' : null;
}

const sha1 = (text: string) => createHash('sha1').update(text).digest('base64');

async function listFiles(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => relative(root, join(e.parentPath, e.name))).sort();
}

const SMALL: GenerateOptions = { ...BASE, mode: 'bulk', start: '2025-08-31', end: '2025-09-01', events: 8_000 };

describe('local directory sink', () => {
  const dirs: string[] = [];
  const run = async (opts: GenerateOptions) => {
    const dir = await mkdtemp(join(tmpdir(), 'datagen-test-'));
    dirs.push(dir);
    const stats = await generateEvents(opts, localDirectorySink(dir));
    return { dir, stats, files: await listFiles(dir) };
  };
  let a: { dir: string; stats: GenerateStats; files: string[] };

  beforeAll(async () => {
    a = await run(SMALL);
  });
  afterAll(async () => {
    await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
  });

  it('writes identical bytes for the same options, and different ones for another seed', async () => {
    const b = await run(SMALL);
    expect(b.files).toEqual(a.files);
    for (const file of a.files) expect(await readFile(join(b.dir, file), 'utf8'), file).toBe(await readFile(join(a.dir, file), 'utf8'));
    const c = await run({ ...SMALL, seed: 43 });
    const differs = await Promise.all(
      c.files.filter((f) => a.files.includes(f)).map(async (f) => (await readFile(join(c.dir, f), 'utf8')) !== (await readFile(join(a.dir, f), 'utf8'))),
    );
    expect(differs.every(Boolean)).toBe(true);
  });

  it('lays files out as spec §2, one per partition and quarter hour, with running offsets', async () => {
    expect(a.stats.files).toBe(a.files.length);
    const pattern = /^replay-user-events\/year=(\d{4})\/month=(\d{2})\/day=(\d{2})\/hour=(\d{2})\/minute=(00|15|30|45)\/replay-user-events\+([0-2])\+(\d{10})\.json$/;
    const nextOffset = [0, 0, 0];
    const byOffset = a.files
      .map((file) => ({ file, match: pattern.exec(file) }))
      .sort((x, y) => Number(x.match?.[7]) - Number(y.match?.[7]));
    let lines = 0;
    for (const { file, match } of byOffset) {
      expect(match, file).not.toBeNull();
      const [, year, month, day, hour, minute, partition, offset] = match!;
      const bucket = `${year}-${month}-${day}T${hour}:${minute}`;
      // A partition's files continue each other's offsets, like Kafka's.
      expect(Number(offset), file).toBe(nextOffset[Number(partition)]);
      const content = await readFile(join(a.dir, file), 'utf8');
      expect(content.endsWith('\n')).toBe(true);
      const fileLines = content.slice(0, -1).split('\n');
      nextOffset[Number(partition)] += fileLines.length;
      lines += fileLines.length;
      for (const line of fileLines) {
        const event = parseEvent(line);
        if (event === null) continue;
        expect(kafkaPartition(event.user_id, 3)).toBe(Number(partition));
        // Valid lines sit in their event time's bucket; a re-delivery may sit in the next one.
        const own = bucketOfTime(event.time);
        expect([own, bucketOfTime(event.time + 15 * 60_000)]).toContain(bucket);
      }
    }
    expect(lines).toBe(a.stats.lines);
  });
});

describe('bad input at scale (bulk, 150,000 events)', () => {
  let stats: GenerateStats;
  const kinds: Record<string, number> = {};
  let valid = 0;
  let repeats = 0;
  let repeatsIdentical = 0;
  let repeatsInPlace = 0;

  beforeAll(async () => {
    const first = new Map<string, { hash: string; bucket: string }>();
    stats = await stream({ ...BASE, mode: 'bulk', start: '2025-08-01', end: '2025-08-14', events: 150_000 }, (line, bucket) => {
      const kind = malformedKind(line);
      if (kind !== null) {
        kinds[kind] = (kinds[kind] ?? 0) + 1;
        return;
      }
      const event = parseEvent(line)!;
      const seen = first.get(event.event_id);
      if (seen === undefined) {
        valid++;
        first.set(event.event_id, { hash: sha1(line), bucket: bucketPath(bucket) });
        return;
      }
      repeats++;
      if (seen.hash === sha1(line)) repeatsIdentical++;
      const here = bucketPath(bucket);
      const original = Date.parse(`${seen.bucket}:00+09:00`);
      if (here === seen.bucket || here === bucketOfTime(original + 15 * 60_000)) repeatsInPlace++;
    });
  });

  it('counts every line: lines = events + duplicates + malformed', () => {
    expect(stats.events).toBe(150_000);
    expect(valid).toBe(stats.events);
    expect(stats.lines).toBe(stats.events + stats.duplicates + stats.malformed);
  });

  it('re-delivers 0.7% of lines as exact copies, later in the same or the next bucket', () => {
    expect(repeats).toBe(stats.duplicates);
    expect(Math.abs(stats.duplicates / stats.lines - 0.007)).toBeLessThan(0.0002);
    expect(repeatsIdentical).toBe(repeats);
    expect(repeatsInPlace).toBe(repeats);
  });

  it('adds 0.1% malformed lines, of every kind, as counted in the stats', () => {
    expect(Math.abs(stats.malformed / stats.lines - 0.001)).toBeLessThan(0.0001);
    const total = Object.values(kinds).reduce((x, y) => x + y, 0);
    expect(total).toBe(stats.malformed);
    expect(kinds).toEqual(stats.malformedByKind);
    for (const kind of MALFORMED_KINDS) expect(kinds[kind], kind).toBeGreaterThan(10);
  });

  it('honours other rates, including none', async () => {
    const none = await stream({ ...BASE, mode: 'bulk', start: '2025-08-01', events: 5_000, duplicateRate: 0, malformedRate: 0 }, () => {});
    expect(none).toMatchObject({ events: 5_000, duplicates: 0, malformed: 0, lines: 5_000 });
    const many = await stream({ ...BASE, mode: 'bulk', start: '2025-08-01', events: 20_000, duplicateRate: 0.05, malformedRate: 0.02 }, () => {});
    expect(Math.abs(many.duplicates / many.lines - 0.05)).toBeLessThan(0.001);
    expect(Math.abs(many.malformed / many.lines - 0.02)).toBeLessThan(0.001);
  });

  it('rejects options it cannot honour', async () => {
    const sink = { write() {}, async close() { return { lines: 0, files: 0, bytes: 0 }; } };
    const bad: Partial<GenerateOptions>[] = [
      { events: 0 }, { duplicateRate: 1 }, { malformedRate: -0.1 }, { duplicateRate: 0.6, malformedRate: 0.5 },
      { start: '2025-02-30' }, { end: '2025-07-01' }, { encodedRate: 2 }, { seed: 1.5 },
    ];
    for (const override of bad) {
      await expect(generateEvents({ ...SMALL, ...override } as GenerateOptions, sink), JSON.stringify(override)).rejects.toThrow();
    }
    await expect(generateEvents({ ...BASE, mode: 'window', start: '2025-09-01T00:07:00+09:00', events: 10 }, sink)).rejects.toThrow(/quarter hour/);
  });
});
