/**
 * The kill-and-replay scenario of tests/integration/ingest-replay.test.ts, run longer: events
 * trickle into the real broker while the consumer (the real CLI) is SIGKILLed at random points
 * and restarted, `ingest staging` loads on DuckDB meanwhile, then a drain, a build, and a replay
 * from scratch by a fresh group compared object by object.
 *
 *   node --import tsx bench/ingest-replay.ts [--seconds 480] [--events 10000] [--seed 18]
 *
 * --events is per 15-minute window (4 windows). Writes bench/results/ingest-replay.json.
 */
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { killReplay } from '../tests/integration/kill-replay.js';
import { ensureStack } from '../tests/integration/stack.js';
import { removeTempDirs } from '../tests/unit/support/project.js';
import { writeResult } from './lib.js';

const { values } = parseArgs({ options: { seconds: { type: 'string', default: '480' }, events: { type: 'string', default: '10000' }, seed: { type: 'string', default: '18' } } });

if (!process.env.KAFKA_BROKERS) ensureStack();
const loadAverageAtStart = loadavg()[0];
try {
  const figures = await killReplay({ eventsPerWindow: Number(values.events), seconds: Number(values.seconds), seed: Number(values.seed) });
  const lost = figures.missingFromSilver;
  const doubled = figures.silverRows - (figures.producedEvents - lost);
  const path = writeResult('ingest-replay', {
    loadAverageAtStart,
    loadAverageAtEnd: loadavg()[0],
    options: { ...values, consumer: '--rotate-interval-ms 300 --flush-size 200 --session-timeout-ms 6000, killed 0.3–3 s after it starts reading' },
    figures,
    met: { sameBytes: figures.differing.length === 0, nothingLostOrDoubled: lost === 0 && doubled === 0 && figures.unexpectedInSilver === 0, bronzeLineForLine: figures.bronzeMismatches.length === 0, buildGreen: figures.buildCode === 0 },
  });
  console.log(`${figures.kills} kills, ${figures.stagingRuns} ingest staging runs, ${figures.objects} objects (${figures.differing.length} differing from the replay), ${lost} events lost, ${doubled} doubled; ${path}`);
} finally {
  removeTempDirs();
}
