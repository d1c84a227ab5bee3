/**
 * When the open window of a partition is cut. Every cut closes all of the partition's
 * files and commits, so the next window starts at a committed offset; see
 * docs/ingestion.md for why that keeps file names stable on replay.
 */
import type { PartitionWindow } from './partition-window.js';

export interface RotationLimits {
  /** Records per file (per topic-partition and bucket). */
  flushSize: number;
  /** Wall-clock age of the window's first record. */
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

/** Checked after every batch and on a timer, so a quiet partition still gets flushed. */
export function rotationByTime(window: PartitionWindow, now: number, limits: RotationLimits): RotationReason | undefined {
  return window.records > 0 && now - window.openedAt >= limits.rotateIntervalMs ? 'time' : undefined;
}
