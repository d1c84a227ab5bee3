/**
 * Seeded pseudo-random numbers. Everything the generator draws comes from here (ids
 * included) so that the same options always give byte-identical output, and so that
 * no per-event call into node:crypto slows the hot path.
 */

/** murmur3's 32-bit finaliser: turns nearby integers into unrelated ones. */
function mix32(x: number): number {
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}

/**
 * Folds integers (a seed and stream coordinates such as a day number) into one 32-bit
 * seed, so every slice of the output gets its own independent, reproducible stream.
 */
export function deriveSeed(...parts: number[]): number {
  let h = 0x811c9dc5;
  for (const part of parts) {
    const lo = part >>> 0;
    const hi = Math.floor(part / 0x1_0000_0000) >>> 0;
    h = mix32((h ^ mix32(lo + 0x9e3779b9)) + hi);
  }
  return h;
}

/** Char codes of the hex digits. */
const HEX = Array.from('0123456789abcdef', (c) => c.charCodeAt(0));
const DASH = 0x2d;
const FOUR = 0x34;

/** sfc32 (Chris Doty-Humphrey's small fast counting generator): 128-bit state, 32-bit output. */
export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  /**
   * `salt` widens the seed to 64 bits where many streams are drawn (one per session): with 32-bit
   * seeds alone, tens of thousands of sessions meet the birthday bound and two sessions would
   * replay the same ids.
   */
  constructor(seed: number, salt = 0) {
    this.a = mix32(seed ^ 0xa5a5a5a5);
    this.b = mix32(this.a + 0x9e3779b9);
    this.c = mix32((this.b + 0x9e3779b9) ^ salt);
    this.d = 1;
    // Discard the first outputs: they still correlate with the seed.
    for (let i = 0; i < 12; i++) this.next();
  }

  /** Uniform unsigned 32-bit integer. */
  next(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1). */
  float(): number {
    return this.next() / 0x1_0000_0000;
  }

  /** Uniform integer in [min, max], both inclusive. */
  int(min: number, max: number): number {
    return min + Math.floor(this.float() * (max - min + 1));
  }

  /** Uniform real in [min, max). */
  range(min: number, max: number): number {
    return min + this.float() * (max - min);
  }

  chance(p: number): boolean {
    return this.float() < p;
  }

  pick<T>(values: readonly T[]): T {
    return values[Math.floor(this.float() * values.length)];
  }

  /**
   * A random (version 4, RFC 4122 variant) UUID drawn from this stream. Built with one
   * String.fromCharCode call: that yields a flat string, where concatenating 2-digit
   * pieces would leave a rope of ~20 nodes behind every retained id.
   */
  uuid(): string {
    const a = this.next();
    const b = this.next();
    const c = this.next();
    const d = this.next();
    return String.fromCharCode(
      HEX[a >>> 28],
      HEX[(a >>> 24) & 15],
      HEX[(a >>> 20) & 15],
      HEX[(a >>> 16) & 15],
      HEX[(a >>> 12) & 15],
      HEX[(a >>> 8) & 15],
      HEX[(a >>> 4) & 15],
      HEX[a & 15],
      DASH,
      HEX[b >>> 28],
      HEX[(b >>> 24) & 15],
      HEX[(b >>> 20) & 15],
      HEX[(b >>> 16) & 15],
      DASH,
      FOUR,
      HEX[(b >>> 8) & 15],
      HEX[(b >>> 4) & 15],
      HEX[b & 15],
      DASH,
      HEX[8 | ((c >>> 28) & 3)],
      HEX[(c >>> 24) & 15],
      HEX[(c >>> 20) & 15],
      HEX[(c >>> 16) & 15],
      DASH,
      HEX[(c >>> 12) & 15],
      HEX[(c >>> 8) & 15],
      HEX[(c >>> 4) & 15],
      HEX[c & 15],
      HEX[d >>> 28],
      HEX[(d >>> 24) & 15],
      HEX[(d >>> 20) & 15],
      HEX[(d >>> 16) & 15],
      HEX[(d >>> 12) & 15],
      HEX[(d >>> 8) & 15],
      HEX[(d >>> 4) & 15],
      HEX[d & 15],
    );
  }
}

/** A fixed discrete distribution over values, sampled by one uniform draw. */
export class Weighted<T> {
  readonly values: readonly T[];
  private readonly cumulative: Float64Array;
  private readonly total: number;

  constructor(entries: readonly (readonly [T, number])[]) {
    if (entries.length === 0) throw new Error('Weighted: no entries');
    this.values = entries.map(([value]) => value);
    this.cumulative = new Float64Array(entries.length);
    let sum = 0;
    entries.forEach(([, weight], i) => {
      if (!(weight >= 0)) throw new Error(`Weighted: bad weight ${weight}`);
      sum += weight;
      this.cumulative[i] = sum;
    });
    if (sum <= 0) throw new Error('Weighted: weights sum to zero');
    this.total = sum;
  }

  /** Index of the drawn entry. */
  sampleIndex(rng: Rng): number {
    const x = rng.float() * this.total;
    const cumulative = this.cumulative;
    const last = cumulative.length - 1;
    let i = 0;
    while (i < last && x >= cumulative[i]) i++;
    return i;
  }

  sample(rng: Rng): T {
    return this.values[this.sampleIndex(rng)];
  }
}
