/**
 * Issue 18's soak, short enough for CI (bench/soak.ts runs it longer and records freshness
 * against the targets): a steady producer, two consumers of one group with one SIGKILLed and
 * restarted every 30 s, and the cycle every 30 s as the systemd unit runs it, every second one
 * SIGKILLed at a random point. Nothing may be lost, doubled or quarantined; the last cycle's tests (the books) are green.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { soak } from './soak.js';
import { ensureStack } from './stack.js';

beforeAll(() => {
  if (!process.env.KAFKA_BROKERS) ensureStack();
});

describe('soak: producer, two consumers killed in turn, the cycle killed now and then', () => {
  it('every produced event reaches silver exactly once and the fact; the books balance', async () => {
    const figures = await soak({ engine: 'duckdb', eventsPerSecond: 1_000, seconds: 120, cycleEveryMs: 30_000, killEveryMs: 30_000, killEveryNthCycle: 2, seed: 1805 });
    console.log(`[soak] ${JSON.stringify(figures)}`);
    expect(figures.consumerKills, 'consumer SIGKILLs').toBeGreaterThanOrEqual(3);
    expect(figures.cycles.killed, 'cycles SIGKILLed').toBeGreaterThanOrEqual(1);
    expect(figures.cycles.ok, 'cycles completed (the last one included)').toBeGreaterThanOrEqual(2);
    expect({ failed: figures.cycles.failed, failures: figures.failures }).toEqual({ failed: 0, failures: [] });
    expect(figures.finalBuild).toEqual({ code: 0, problems: [] });
    expect({ missing: figures.missingFromSilver, duplicated: figures.duplicatedInSilver, rows: figures.silverRows }).toEqual({ missing: 0, duplicated: 0, rows: figures.producedEvents });
    expect(figures.quarantined, 'valid events quarantined').toBe(0);
    expect(figures.deployedEvents, 'events of the deploy build').toBeGreaterThan(0);
    expect(figures.freshness.events, 'events produced on the clock, each seen in the fact').toBe(figures.producedEvents - figures.deployedEvents);
  });
});
