/**
 * @module sim/rng
 * Seeded randomness for the simulator. Every agent, path and bootstrap draws from its own stream,
 * derived from the scenario seed and a stable label, so adding one agent never changes what the
 * others do and the same seed always gives the same run. Never Math.random.
 */

/** 32-bit FNV-1a then a murmur3 finaliser: a stable label hash, the same on every machine. */
export function hash32(text: string, seed = 0): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b) >>> 0;
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35) >>> 0;
  h ^= h >>> 16;
  return h >>> 0;
}

/** Seeded draws for the simulator, on an sfc32 stream keyed by a seed and a label. */
export class Rng {
  private readonly core: Sfc32;
  private spareNormal: number | undefined;

  constructor(seed: number, label = '') {
    this.core = new Sfc32(1, hash32(label, seed) | 0, hash32(`${label}#b`, seed ^ 0x9e3779b9) | 0,
      hash32(`${label}#c`, seed ^ 0x243f6a88) | 0, 15);
  }

  /** An independent stream for a sub-component (agent, path, bootstrap). */
  derive(label: string): Rng {
    return new Rng(this.nextU32(), label);
  }

  nextU32(): number {
    return this.core.next();
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.nextU32() / 4294967296;
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  uniform(min: number, max: number): number {
    return min + (max - min) * this.next();
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  /** Standard normal (Marsaglia polar method). */
  normal(): number {
    if (this.spareNormal !== undefined) {
      const value = this.spareNormal;
      this.spareNormal = undefined;
      return value;
    }
    for (;;) {
      const u = this.next() * 2 - 1;
      const v = this.next() * 2 - 1;
      const s = u * u + v * v;
      if (s > 0 && s < 1) {
        const m = Math.sqrt((-2 * Math.log(s)) / s);
        this.spareNormal = v * m;
        return u * m;
      }
    }
  }

  /** Exponential with the given mean (waiting times between an agent's decisions). */
  exponential(mean: number): number {
    return -Math.log(1 - this.next()) * mean;
  }

  /** Log-uniform in [min, max] (capital sizes span orders of magnitude). */
  logUniform(min: number, max: number): number {
    return Math.exp(this.uniform(Math.log(min), Math.log(max)));
  }

  /** Index drawn with probability proportional to weights. */
  weighted(weights: readonly number[]): number {
    let total = 0;
    for (const w of weights) total += w;
    let x = this.next() * total;
    for (let i = 0; i < weights.length; i++) {
      x -= weights[i]!;
      if (x < 0) return i;
    }
    return weights.length - 1;
  }
}

/**
 * sfc32: small, fast, passes PractRand to large sizes; state is four 32-bit words. `new Sfc32(seed)`
 * seeds it with fixed constants (the stream benchmarks and test workloads use, the same on every
 * machine); Rng seeds all four words from a label hash.
 */
export class Sfc32 {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number, a = 0x9e3779b9, b = 0x243f6a88, c = 0xb7e15162, warmup = 16) {
    this.a = a;
    this.b = b;
    this.c = c;
    this.d = seed | 0;
    for (let i = 0; i < warmup; i++) this.next();
  }

  /** Next unsigned 32-bit value. */
  next(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform float in [0, 1). */
  float(): number {
    return this.next() / 4294967296;
  }

  /** Uniform integer in [0, n). */
  below(n: number): number {
    return Math.floor(this.float() * n);
  }

  /** Uniform integer in [low, high]. */
  between(low: number, high: number): number {
    return low + this.below(high - low + 1);
  }
}
