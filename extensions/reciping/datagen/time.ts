/**
 * Korea Standard Time helpers. Every date the generator reasons about (days, hours,
 * weekdays, staging buckets, the A/B window) is a KST date, and KST has no daylight
 * saving, so plain arithmetic on epoch milliseconds with a fixed +9 h offset is exact.
 */

export const KST_OFFSET_MS = 9 * 3_600_000;
export const DAY_MS = 86_400_000;
export const HOUR_MS = 3_600_000;

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const OFFSET_RE = /(Z|[+-]\d{2}:\d{2})$/;

/** KST day number (days since 1970-01-01 KST) of the instant `ms`. */
export function kstDay(ms: number): number {
  return Math.floor((ms + KST_OFFSET_MS) / DAY_MS);
}

/** The instant at which KST day `day` begins. */
export function kstDayStart(day: number): number {
  return day * DAY_MS - KST_OFFSET_MS;
}

/** Weekday of a KST day number, Monday = 0 … Sunday = 6 (1970-01-01 was a Thursday). */
export function weekday(day: number): number {
  return (((day + 3) % 7) + 7) % 7;
}

export function isWeekend(day: number): boolean {
  return weekday(day) >= 5;
}

/** Parses 'YYYY-MM-DD' as a KST calendar day and returns its day number. */
export function parseKstDate(text: string): number {
  const m = DATE_RE.exec(text);
  if (!m) throw new Error(`expected a date 'YYYY-MM-DD', got '${text}'`);
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  if (new Date(ms).toISOString().slice(0, 10) !== text) throw new Error(`not a calendar date: '${text}'`);
  return ms / DAY_MS;
}

/** Parses an ISO-8601 instant; one written without an offset is read as KST. */
export function parseInstant(text: string): number {
  const ms = Date.parse(OFFSET_RE.test(text) ? text : `${text}+09:00`);
  if (Number.isNaN(ms)) throw new Error(`not an ISO-8601 instant: '${text}'`);
  return ms;
}

const PAD2: readonly string[] = Array.from({ length: 100 }, (_, i) => String(i).padStart(2, '0'));
const PAD3: readonly string[] = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, '0'));

/** Zero-padded two-digit rendering of 0..99 (hours, minutes, month days…). */
export function pad2(n: number): string {
  return PAD2[n];
}

/** 'YYYY-MM-DD' of a KST day number. */
export function formatKstDate(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

// Formatting runs once per event; consecutive events nearly always share a day, so the
// date part is cached for the last day seen.
let cachedDay = Number.NaN;
let cachedPrefix = '';

/** KST ISO-8601 with milliseconds, e.g. 2025-08-03T21:04:32.000+09:00. */
export function formatKst(ms: number): string {
  const local = ms + KST_OFFSET_MS;
  const day = Math.floor(local / DAY_MS);
  if (day !== cachedDay) {
    cachedDay = day;
    cachedPrefix = formatKstDate(day) + 'T';
  }
  let rest = local - day * DAY_MS;
  const millis = rest % 1000;
  rest = (rest - millis) / 1000;
  const seconds = rest % 60;
  rest = (rest - seconds) / 60;
  const minutes = rest % 60;
  const hours = (rest - minutes) / 60;
  return cachedPrefix + PAD2[hours] + ':' + PAD2[minutes] + ':' + PAD2[seconds] + '.' + PAD3[millis] + '+09:00';
}
