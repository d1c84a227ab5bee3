/**
 * When a commit counts, without Kafka: only once the broker confirmed it; a refusal of a
 * rebalancing group or an unreachable broker means "read the partition again", anything else
 * while the consumer runs stops the run.
 */
import type { Consumer } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { ConfirmedCommits } from '../../../framework/ingest/confirmed-commits.js';
import { ExecutionError } from '../../../framework/errors.js';

const EVENTS = { GROUP_JOIN: 'join', STOP: 'stop', COMMIT_OFFSETS: 'commit' } as const;

/** The consumer's side: emits kafkajs's events; a commit confirms, is skipped silently, or fails. */
function fakeConsumer(commit: (offset: string) => 'confirm' | 'skip' | Error) {
  const listeners = new Map<string, (event: { payload: unknown }) => void>();
  const emit = (name: string, payload: unknown = {}) => listeners.get(name)?.({ payload });
  const consumer = {
    events: EVENTS,
    on: (name: string, listener: (event: { payload: unknown }) => void) => listeners.set(name, listener),
    commitOffsets: async ([{ topic, partition, offset }]: { topic: string; partition: number; offset: string }[]) => {
      const outcome = commit(offset);
      if (outcome instanceof Error) throw outcome;
      if (outcome === 'confirm') emit(EVENTS.COMMIT_OFFSETS, { topics: [{ topic, partitions: [{ partition, offset }] }] });
    },
  };
  return { consumer: consumer as unknown as Consumer, emit };
}

const kafkaError = (type: string, retriable = false) => Object.assign(new Error(type), { type, retriable });

describe('confirmed commits', () => {
  it('takes a commit only once the broker confirmed it (kafkajs skips one without an error while stopping)', async () => {
    const { consumer, emit } = fakeConsumer((offset) => (offset === '10' ? 'confirm' : 'skip'));
    const commits = new ConfirmedCommits(consumer, 't');
    emit(EVENTS.GROUP_JOIN);
    expect(await commits.commit(0, 10)).toBe(true);
    expect(await commits.commit(0, 20)).toBe(false);
  });

  it('answers "not now" to a rebalance or an unreachable broker, and fails on any other error while running', async () => {
    let error = kafkaError('REBALANCE_IN_PROGRESS');
    const { consumer, emit } = fakeConsumer(() => error);
    const commits = new ConfirmedCommits(consumer, 't');
    emit(EVENTS.GROUP_JOIN);
    expect(await commits.commit(0, 5)).toBe(false);
    error = kafkaError('NETWORK_EXCEPTION', true);
    expect(await commits.commit(0, 5)).toBe(false);
    error = kafkaError('TOPIC_AUTHORIZATION_FAILED');
    await expect(commits.commit(0, 5)).rejects.toThrow(ExecutionError);
    emit(EVENTS.STOP);
    expect(await commits.commit(0, 5)).toBe(false);
  });
});
