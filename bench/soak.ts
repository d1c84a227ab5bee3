/**
 * Issue 18's soak, run longer than its integration test (tests/integration/soak.test.ts): a
 * producer at a steady rate into the real broker, two consumers of one group (one SIGKILLed and
 * restarted every --kill-every seconds), the cycle (`framework build --wait`, as the systemd unit
 * runs it) every --cycle-every seconds on DuckDB with every third cycle SIGKILLed at a random point.
 * Records lost/doubled events and each event's freshness (send → first visible in the gold fact).
 *
 *   node --import tsx bench/soak.ts [--engine duckdb|trino] [--rate 2000] [--seconds 600] [--cycle-every 60] [--kill-every 60] [--seed 18] [--interval-minutes 15]
 *
 * DuckDB: local staging, the dev target; Trino: S3 staging, the prod target (schemas of its own).
 * Writes bench/results/soak-<engine>[-<rate>eps][-<interval>m].json (the suffixes when not the defaults). Targets: 0 lost or doubled; freshness p50 ≤ 75 s and
 * p99 ≤ 150 s on DuckDB, p99 ≤ 180 s on Trino.
 */
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { soak } from '../tests/integration/soak.js';
import { ensureStack } from '../tests/integration/stack.js';
import { removeTempDirs } from '../tests/unit/support/project.js';
import { writeResult } from './lib.js';

const { values } = parseArgs({
  options: {
    engine: { type: 'string', default: 'duckdb' },
    rate: { type: 'string', default: '2000' },
    seconds: { type: 'string', default: '600' },
    'cycle-every': { type: 'string', default: '60' },
    'kill-every': { type: 'string', default: '60' },
    seed: { type: 'string', default: '18' },
    // Staging buckets and interval models' intervals, minutes: the project's 15, or 1 for a live deployment.
    'interval-minutes': { type: 'string', default: '15' },
  },
});

if (!process.env.KAFKA_BROKERS) ensureStack();
const engine = values.engine as 'duckdb' | 'trino';
if (engine !== 'duckdb' && engine !== 'trino') throw new Error(`--engine must be duckdb or trino, got ${engine}`);
const p99Target = engine === 'trino' ? 180 : 150;
const loadAverageAtStart = loadavg()[0];
try {
  const figures = await soak({
    engine,
    eventsPerSecond: Number(values.rate),
    seconds: Number(values.seconds),
    cycleEveryMs: Number(values['cycle-every']) * 1000,
    killEveryMs: Number(values['kill-every']) * 1000,
    killEveryNthCycle: 3,
    seed: Number(values.seed),
    intervalMinutes: Number(values['interval-minutes']),
  });
  const { freshness } = figures;
  // Other rates and intervals than the defaults get files of their own (soak-trino-200eps-1m.json).
  const variant = [values.rate !== '2000' ? `-${values.rate}eps` : '', values['interval-minutes'] !== '15' ? `-${values['interval-minutes']}m` : ''].join('');
  const path = writeResult(`soak-${engine}${variant}`, {
    loadAverageAtStart,
    loadAverageAtEnd: loadavg()[0],
    options: { ...values, consumer: `--rotate-interval-ms 20000 --session-timeout-ms 6000, ${engine === 'trino' ? 'S3' : 'local'} staging; every 3rd cycle SIGKILLed 1 s–cycle/3 after its start` },
    figures,
    targets: { lostOrDoubled: 0, ...(engine === 'duckdb' ? { freshnessP50Seconds: 75 } : {}), freshnessP99Seconds: p99Target },
    met: {
      nothingLostOrDoubled: figures.missingFromSilver === 0 && figures.duplicatedInSilver === 0 && figures.silverRows === figures.producedEvents,
      noValidEventQuarantined: figures.quarantined === 0,
      booksAndTestsGreen: figures.finalBuild.code === 0 && figures.finalBuild.problems.length === 0 && figures.cycles.failed === 0,
      ...(engine === 'duckdb' ? { freshnessP50: freshness.p50 <= 75 } : {}),
      freshnessP99: freshness.p99 <= p99Target,
    },
  });
  console.log(`${figures.producedEvents} events, ${figures.consumerKills} consumer kills, cycles ${JSON.stringify(figures.cycles)}; freshness p50 ${freshness.p50} s, p99 ${freshness.p99} s; ${figures.missingFromSilver} lost, ${figures.duplicatedInSilver} doubled → ${path}`);
} finally {
  removeTempDirs();
}
