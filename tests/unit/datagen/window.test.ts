/** Window mode, the "September replay": N valid events in each 15-minute window. */
import { beforeAll, describe, expect, it } from 'vitest';
import type { GenerateOptions, GenerateStats } from '../../../extensions/reciping/datagen/index.js';
import { BASE, bucketOfTime, bucketPath, collect, parseEvent, type Staged } from './helpers.js';

const START = Date.parse('2025-09-01T00:00:00+09:00');
const WINDOW = 15 * 60_000;
const OPTS: GenerateOptions = { ...BASE, mode: 'window', start: '2025-09-01T00:00:00+09:00', events: 2_500, windows: 4 };

describe('window mode', () => {
  let stats: GenerateStats;
  let lines: Staged[];

  beforeAll(async () => {
    ({ stats, lines } = await collect(OPTS));
  });

  it('makes exactly N valid events in each window, all inside it', () => {
    expect(stats.events).toBe(4 * 2_500);
    const perWindow = [0, 0, 0, 0];
    const seen = new Set<string>();
    for (const { line } of lines) {
      const event = parseEvent(line);
      if (event === null || seen.has(event.event_id)) continue;
      seen.add(event.event_id);
      const k = Math.floor((event.time - START) / WINDOW);
      expect(k >= 0 && k < 4, event.timestamp).toBe(true);
      perWindow[k]++;
    }
    expect(perWindow).toEqual([2_500, 2_500, 2_500, 2_500]);
    expect(stats.firstEventTime >= '2025-09-01T00:00:00.000+09:00').toBe(true);
    expect(stats.lastEventTime < '2025-09-01T01:00:00.000+09:00').toBe(true);
  });

  it("stages lines in their window's bucket (a re-delivery possibly in the next), never outside the run", () => {
    const buckets = ['00:00', '00:15', '00:30', '00:45'].map((t) => `2025-09-01T${t}`);
    for (const { line, bucket } of lines) {
      const at = bucketPath(bucket);
      expect(buckets).toContain(at);
      const event = parseEvent(line);
      if (event !== null) expect([bucketOfTime(event.time), bucketOfTime(event.time + WINDOW)]).toContain(at);
    }
    expect(lines).toHaveLength(stats.lines);
  });

  it('has no ab_test context in September', () => {
    for (const { line } of lines) expect(parseEvent(line)?.context.ab_test).toBeUndefined();
  });

  it('makes the same events for a window whether run alone or in a batch', async () => {
    const valid = (staged: Staged[], k: number) =>
      staged.map(({ line }) => parseEvent(line)).filter((e) => e !== null && Math.floor((e.time - START) / WINDOW) === k).map((e) => e!.event_id);
    const alone = await collect({ ...OPTS, start: '2025-09-01T00:30:00+09:00', windows: 1 });
    expect(new Set(valid(alone.lines, 2))).toEqual(new Set(valid(lines, 2)));
  });
});
