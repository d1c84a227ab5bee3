/**
 * Issue 18: staged files are a pure function of the Kafka records. The consumer (the real CLI)
 * is SIGKILLed at random points while events trickle into the real broker and `ingest staging`
 * loads at the same time (kill-replay.ts); afterwards a fresh group re-consumes the same offsets
 * into a second directory. Every object must have the same name and bytes in both, and every
 * produced event must be in bronze (once per staged line) and in silver exactly once.
 * The second test runs two consumers of one group, each stopped (SIGKILL, or SIGTERM: it leaves
 * the group) and restarted on its own, so partitions move between them on every start, stop and
 * kill: no rebalance may produce two different objects for the same records or lose a range.
 * bench/ingest-replay.ts runs the same scenarios longer.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { killReplay } from './kill-replay.js';
import { ensureStack } from './stack.js';

beforeAll(() => {
  if (!process.env.KAFKA_BROKERS) ensureStack();
});

describe('consumer SIGKILLed at random points, ingest staging in between', () => {
  it('replays write the same objects byte for byte, and every event reaches bronze and silver exactly once', async () => {
    const figures = await killReplay({ eventsPerWindow: 5_000, seconds: 90, seed: 18 });
    console.log(`[kill-replay] ${JSON.stringify({ ...figures, differing: figures.differing.length, bronzeMismatches: figures.bronzeMismatches.length })}`);
    expect(figures.kills, 'kills performed').toBeGreaterThanOrEqual(5);
    expect(figures.stagingRuns, 'ingest staging runs during the kills').toBeGreaterThanOrEqual(3);
    expect(figures.objects).toBeGreaterThan(50);
    expect(figures.differing, 'objects differing from a replay from scratch').toEqual([]);
    expect(figures.replayObjects).toBe(figures.objects);
    expect(figures.changedWarnings, 'staged files changed after they were loaded').toBe(0);
    expect(figures.stagedLines, 'each produced line staged once').toBe(figures.producedLines);
    expect(figures.bronzeMismatches, 'staged files not in bronze line for line').toEqual([]);
    expect(figures.bronzeRows).toBe(figures.producedLines);
    expect({ code: figures.buildCode, problems: figures.buildProblems }).toEqual({ code: 0, problems: [] });
    expect({ missing: figures.missingFromSilver, unexpected: figures.unexpectedInSilver, rows: figures.silverRows }).toEqual({ missing: 0, unexpected: 0, rows: figures.producedEvents });
  });

  it('two consumers of one group, stopped and killed in turn: rebalances write the same objects and lose no offset range', async () => {
    const figures = await killReplay({ eventsPerWindow: 5_000, seconds: 90, seed: 1802, consumers: 2, partitions: 4 });
    console.log(`[kill-replay x2] ${JSON.stringify({ ...figures, differing: figures.differing.length, bronzeMismatches: figures.bronzeMismatches.length })}`);
    expect(figures.kills, 'SIGKILLs performed').toBeGreaterThanOrEqual(5);
    expect(figures.stops, 'SIGTERM stops performed').toBeGreaterThanOrEqual(1);
    expect(figures.differing, 'objects differing from a replay from scratch').toEqual([]);
    expect(figures.replayObjects).toBe(figures.objects);
    expect(figures.changedWarnings, 'staged files changed after they were loaded').toBe(0);
    expect(figures.stagedLines, 'each produced line staged once').toBe(figures.producedLines);
    expect(figures.bronzeMismatches, 'staged files not in bronze line for line').toEqual([]);
    expect({ code: figures.buildCode, problems: figures.buildProblems }).toEqual({ code: 0, problems: [] });
    expect({ missing: figures.missingFromSilver, unexpected: figures.unexpectedInSilver, rows: figures.silverRows }).toEqual({ missing: 0, unexpected: 0, rows: figures.producedEvents });
  });
});
