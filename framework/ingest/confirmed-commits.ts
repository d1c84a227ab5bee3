/**
 * Offset commits that count only once the broker confirmed them. kafkajs skips a commit without
 * an error while its consumer stops, so a commit is taken only when its COMMIT_OFFSETS event
 * reported the offset; one not taken means the partition is read again from its committed offset
 * (partition-stream.ts).
 */
import type { Consumer } from 'kafkajs';
import { ExecutionError } from '../errors.js';

/** Errors meaning "this member's generation is gone": the commit is refused, the partition read again. */
const REBALANCE_ERRORS = new Set([
  'REBALANCE_IN_PROGRESS',
  'ILLEGAL_GENERATION',
  'UNKNOWN_MEMBER_ID',
  'FENCED_INSTANCE_ID',
]);

/**
 * Whether a failed commit only means "not now": the group is rebalancing, or the broker
 * is unreachable or moving its coordinator (kafkajs gave up retrying a retriable error).
 * Anything else (authorization, a malformed request) cannot succeed by trying again.
 */
function commitNotNow(error: unknown): boolean {
  const e = error as { type?: string; retriable?: boolean; cause?: { type?: string; retriable?: boolean } };
  return REBALANCE_ERRORS.has(e.type ?? e.cause?.type ?? '') || Boolean(e.retriable || e.cause?.retriable);
}

export class ConfirmedCommits {
  /** Offsets kafkajs reported as committed (its COMMIT_OFFSETS event), by partition. */
  private readonly confirmed = new Map<number, number>();
  /** Between kafkajs's GROUP_JOIN and STOP events: commits can be made. */
  private running = false;

  constructor(
    private readonly consumer: Consumer,
    private readonly topic: string,
  ) {
    consumer.on(consumer.events.GROUP_JOIN, () => (this.running = true));
    consumer.on(consumer.events.STOP, () => (this.running = false));
    consumer.on(consumer.events.COMMIT_OFFSETS, ({ payload }) => {
      for (const { topic: committed, partitions } of payload.topics) {
        if (committed === topic)
          for (const { partition, offset } of partitions) this.confirmed.set(partition, Number(offset));
      }
    });
  }

  /** Commits `offset` for the partition: true once the broker confirmed it, false when it was not taken now; throws when it never can be. */
  async commit(partition: number, offset: number): Promise<boolean> {
    const { topic } = this;
    this.confirmed.delete(partition);
    try {
      await this.consumer.commitOffsets([{ topic, partition, offset: String(offset) }]);
    } catch (error) {
      // Not taken now (or kafkajs is restarting its consumer after a crash): the partition is read again from its committed offset.
      if (this.running && !commitNotNow(error)) {
        throw new ExecutionError(
          `committing offset ${offset} of ${topic}[${partition}] failed: ${(error as Error).message}`,
        );
      }
    }
    return this.confirmed.get(partition) === offset;
  }
}
