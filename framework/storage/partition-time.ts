/**
 * The time a staged file's Hive-style path names (…/year=2025/month=09/day=01/hour=00/minute=15/…),
 * read as wall-clock time in `zone`; undefined when the path names no date.
 */
export function partitionTime(path: string, zone = 'UTC'): number | undefined {
  const key = (name: string) => /^\d+$/.exec(new RegExp(`(?:^|/)${name}=([^/]+)`).exec(path)?.[1] ?? '')?.[0];
  const [year, month, day] = [key('year'), key('month'), key('day')];
  if (!year || !month || !day) return undefined;
  const wall = Date.UTC(Number(year), Number(month) - 1, Number(day), Number(key('hour') ?? 0), Number(key('minute') ?? 0));
  return wall - offsetMs(wall, zone);
}

/** The zone's UTC offset at (approximately) the given wall-clock instant, e.g. +9 h for Asia/Seoul. */
function offsetMs(wall: number, zone: string): number {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric' })
      .formatToParts(new Date(wall))
      .map((p) => [p.type, Number(p.value)]),
  );
  return Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!) - wall;
}
