import { describe, expect, it } from 'vitest';
import { formatKst, kstDay, kstDayStart, parseInstant, parseKstDate, weekday } from '../../../extensions/reciping/datagen/time.js';

describe('KST time', () => {
  it('formats instants as KST ISO-8601 with milliseconds', () => {
    expect(formatKst(Date.parse('2025-08-03T21:04:32.000+09:00'))).toBe('2025-08-03T21:04:32.000+09:00');
    expect(formatKst(Date.parse('2025-08-31T15:00:00.007Z'))).toBe('2025-09-01T00:00:00.007+09:00');
    expect(formatKst(Date.parse('2025-12-31T23:59:59.999+09:00'))).toBe('2025-12-31T23:59:59.999+09:00');
  });

  it('counts KST days and weekdays (Monday = 0)', () => {
    const saturday = parseKstDate('2025-08-09');
    expect(weekday(saturday)).toBe(5);
    expect(weekday(parseKstDate('2025-09-01'))).toBe(0);
    expect(kstDayStart(saturday)).toBe(Date.parse('2025-08-09T00:00:00+09:00'));
    expect(kstDay(Date.parse('2025-08-09T23:59:59.999+09:00'))).toBe(saturday);
    expect(kstDay(Date.parse('2025-08-09T15:00:00Z'))).toBe(saturday + 1);
  });

  it('rejects what is not a date or an instant, and reads offset-less instants as KST', () => {
    expect(() => parseKstDate('2025-02-30')).toThrow();
    expect(() => parseKstDate('2025/08/01')).toThrow();
    expect(() => parseInstant('yesterday')).toThrow();
    expect(parseInstant('2025-09-01T00:00:00')).toBe(Date.parse('2025-09-01T00:00:00+09:00'));
  });
});
