/**
 * Offset arithmetic for progress and --until-idle, kept free of Kafka so it is testable.
 * Offsets are JS numbers: exact up to 2^53, far beyond any partition's life.
 */

export interface PartitionOffsets {
  partition: number;
  /** Offset of the earliest record still in the log. */
  low: number;
  /** High watermark: the offset the next produced record will get. */
  high: number;
  /** The group's committed offset, undefined when it has none. */
  committed: number | undefined;
}

/**
 * Records between `from` and the high watermark. `from` is this consumer's position
 * when it reads the partition, else the group's committed offset, else the log start
 * (a new group reads from the beginning). Offsets below the log start were deleted by
 * retention and count for nothing.
 */
export function partitionLag(p: PartitionOffsets, position?: number): number {
  const from = Math.max(position ?? p.committed ?? p.low, p.low);
  return Math.max(0, p.high - from);
}

export function totalLag(
  partitions: readonly PartitionOffsets[],
  positions: ReadonlyMap<number, number> = new Map(),
): number {
  return partitions.reduce((sum, p) => sum + partitionLag(p, positions.get(p.partition)), 0);
}

/** kafkajs reports offsets as strings, with '-1' (or '') for "no committed offset". */
export function parseOffset(text: string | undefined): number | undefined {
  if (text === undefined || text === '') return undefined;
  const n = Number(text);
  return Number.isInteger(n) && n >= 0 ? n : undefined;
}
