import type { IntervalRange } from './state-store.js';

/** A stored range of done intervals, with when its input was last looked at (undefined: not known). */
export interface DoneRange extends IntervalRange {
  seen?: number;
}

/**
 * The done intervals of a model as sorted, disjoint ranges: what planning asks of them (is this
 * interval done, since when, where is the first gap) costs the number of ranges, not the number of
 * intervals since the model's start (35,040 a year at 15 minutes).
 */
export class DoneIntervals {
  private readonly ends: number[];

  private constructor(private readonly list: DoneRange[]) {
    this.ends = list.map((r) => r.end);
  }

  /**
   * From state rows, which may overlap (a range recorded twice, a cut part inserted twice): a point
   * covered by several takes the newest `seen` among them, as an interval recorded again was looked
   * at again.
   */
  static of(rows: DoneRange[]): DoneIntervals {
    const valid = rows.filter((r) => r.start < r.end);
    const bounds = [...new Set(valid.flatMap((r) => [r.start, r.end]))].sort((a, b) => a - b);
    // Elementary segments between consecutive bounds: covered or not, and their newest seen.
    const covered = new Array<boolean>(bounds.length).fill(false);
    const seen = new Array<number | undefined>(bounds.length).fill(undefined);
    for (const r of valid) {
      for (let i = lowerBound(bounds, r.start); bounds[i]! < r.end; i++) {
        covered[i] = true;
        if (r.seen !== undefined) seen[i] = Math.max(seen[i] ?? r.seen, r.seen);
      }
    }
    const list: DoneRange[] = [];
    for (let i = 0; i + 1 < bounds.length; i++) {
      if (!covered[i]) continue;
      const last = list[list.length - 1];
      if (last && last.end === bounds[i] && last.seen === seen[i]) last.end = bounds[i + 1]!;
      else list.push({ start: bounds[i]!, end: bounds[i + 1]!, ...(seen[i] === undefined ? {} : { seen: seen[i] }) });
    }
    return new DoneIntervals(list);
  }

  static none(): DoneIntervals {
    return new DoneIntervals([]);
  }

  /** The range holding the interval that starts at `start`, if it is done. */
  private at(start: number): DoneRange | undefined {
    const r = this.list[lowerBound(this.ends, start + 1)];
    return r && r.start <= start ? r : undefined;
  }

  has(start: number): boolean {
    return this.at(start) !== undefined;
  }

  /** When the done interval at `start` last had its input looked at. */
  seen(start: number): number | undefined {
    return this.at(start)?.seen;
  }

  /** The first interval of the grid from `from` by `step` that is not done. */
  firstMissing(from: number, step: number): number {
    let t = from;
    for (let r = this.at(t); r; r = this.at(t)) t += Math.ceil((r.end - t) / step) * step;
    return t;
  }

  /** The intervals of the grid in [from, to) that are not done, oldest first. */
  missing(from: number, to: number, step: number): IntervalRange[] {
    const out: IntervalRange[] = [];
    for (let t = this.firstMissing(from, step); t + step <= to; t = this.firstMissing(t + step, step))
      out.push({ start: t, end: t + step });
    return out;
  }

  /** The end of the newest done range. */
  end(): number | undefined {
    return this.list[this.list.length - 1]?.end;
  }

  ranges(): readonly DoneRange[] {
    return this.list;
  }
}

/** The first index whose value is >= x in an ascending array. */
function lowerBound(sorted: number[], x: number): number {
  let [lo, hi] = [0, sorted.length];
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
