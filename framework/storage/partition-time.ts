/**
 * The time a staged file's Hive-style path names (…/year=2025/month=09/day=01/hour=00/minute=15/…),
 * read as wall-clock time in `zone`; undefined when the path names no date.
 */
export function partitionTime(path: string, zone = 'UTC'): number | undefined {
  const wall = partitionWallTime(path);
  return wall === undefined ? undefined : fromWallTime(wall, zone);
}

/** The instant a wall-clock time (as from partitionWallTime) is in `zone`. */
export function fromWallTime(wall: number, zone = 'UTC'): number {
  return wall - offsetMs(wall, zone);
}

/** The wall-clock time the path names, as milliseconds of a UTC clock showing it; undefined without a date. */
export function partitionWallTime(path: string): number | undefined {
  const [year, month, day, hour, minute] = KEYS.map((name) => keyOf(path, name));
  if (!year || !month || !day) return undefined;
  return Date.UTC(Number(year), Number(month) - 1, Number(day), Number(hour ?? 0), Number(minute ?? 0));
}

const KEYS = ['year', 'month', 'day', 'hour', 'minute'] as const;
const KEY_PATTERNS = Object.fromEntries(KEYS.map((name) => [name, new RegExp(`(?:^|/)${name}=([^/]+)`)])) as Record<
  (typeof KEYS)[number],
  RegExp
>;

function keyOf(path: string, name: (typeof KEYS)[number]): string | undefined {
  return /^\d+$/.exec(KEY_PATTERNS[name].exec(path)?.[1] ?? '')?.[0];
}

/**
 * The wall-clock span [start, end) of every partition a directory can hold, from the time keys its
 * path names (year=2025/month=09 → September 2025); undefined before the first (year=) key.
 */
export function directorySpan(path: string): { start: number; end: number } | undefined {
  const values = KEYS.map((name) => keyOf(path, name));
  const depth = values.findIndex((v) => v === undefined);
  const named = depth < 0 ? KEYS.length : depth;
  if (named === 0) return undefined;
  const [year, month = 1, day = 1, hour = 0, minute = 0] = values.slice(0, named).map(Number) as number[];
  const start = Date.UTC(year!, month - 1, day, hour, minute);
  const next = [
    Date.UTC(year! + 1, 0, 1),
    Date.UTC(year!, month, 1),
    start + 86_400_000,
    start + 3_600_000,
    start + 60_000,
  ][named - 1]!;
  return { start, end: next };
}

/** One formatter per zone: making one costs about as much as a hundred uses, and listings use it per file. */
const formats = new Map<string, Intl.DateTimeFormat>();

function wallClockIn(zone: string): Intl.DateTimeFormat {
  let format = formats.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
    });
    formats.set(zone, format);
  }
  return format;
}

/** The zone's UTC offset at (approximately) the given wall-clock instant, e.g. +9 h for Asia/Seoul. */
function offsetMs(wall: number, zone: string): number {
  const parts = Object.fromEntries(
    wallClockIn(zone)
      .formatToParts(new Date(wall))
      .map((p) => [p.type, Number(p.value)]),
  );
  return Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!) - wall;
}

/**
 * What a listing of partitions from `since` (wall clock; undefined: everything) does with a
 * directory: skip it (all its partitions are older), list all of it, or walk into it level by level.
 */
export function visit(dir: string, since: number | undefined): 'skip' | 'all' | 'walk' {
  if (since === undefined) return 'all';
  const span = directorySpan(dir);
  if (!span) return 'walk';
  if (span.end <= since) return 'skip';
  return span.start >= since ? 'all' : 'walk';
}
