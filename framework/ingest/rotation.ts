/**
 * Where a partition's open window is cut. Every cut is decided by the records read (their
 * offsets, sizes and Kafka timestamps, and flush markers), never by the clock of the process
 * reading them, so a replay from any committed offset cuts at the same places and writes the
 * same objects byte for byte (docs/ingestion.md).
 */
import type { PartitionWindow } from './partition-window.js';

export interface RotationLimits {
  /** Records per file (per topic-partition and bucket). */
  flushSize: number;
  /**
   * Record time a window spans: a record whose Kafka timestamp is this much past the window's
   * first record starts a new window. A quiet partition's window is closed by a flush marker
   * once it has been open this long by the clock (flush-marker.ts).
   */
  rotateIntervalMs: number;
  /** Bytes held by the window: bounds memory when many buckets are open at once. */
  maxWindowBytes: number;
}

export type RotationReason = 'count' | 'size' | 'time';

/** Checked after every record: a file is cut exactly at flush-size records. */
export function rotationBySize(window: PartitionWindow, limits: RotationLimits): RotationReason | undefined {
  if (window.fullest >= limits.flushSize) return 'count';
  if (window.bytes >= limits.maxWindowBytes) return 'size';
  return undefined;
}

/** Checked before every record, with its Kafka timestamp: a window spans less than rotate-interval of record time. */
export function rotationByRecordTime(
  window: PartitionWindow,
  timestamp: number,
  limits: RotationLimits,
): RotationReason | undefined {
  return window.records > 0 && timestamp - window.firstTimestamp >= limits.rotateIntervalMs ? 'time' : undefined;
}

/** Checked on a timer: the window has waited rotate-interval by the clock for a record to close it. */
export function quietTooLong(window: PartitionWindow, now: number, limits: RotationLimits): boolean {
  return window.records > 0 && now - window.openedAt >= limits.rotateIntervalMs;
}
