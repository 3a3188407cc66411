/**
 * @module book/level-bitmap
 * Hierarchical bitset over [0, maxBit] answering "nearest set bit at or above / at or below i"
 * in O(depth) word operations (depth = ceil(log32(maxBit + 1)), 6 for 45 million ticks).
 *
 * Invariants:
 * - Layer 0 has one bit per index. Bit b of word w in layer k + 1 is set iff word 32·w + b of
 *   layer k is non-zero, so a search climbs until a word has a candidate bit, then descends
 *   taking the lowest (or highest) set bit of each word.
 * - All layers live in one Int32Array (`layerOffset` locates each) so the hot loops touch a
 *   single typed array and never allocate.
 * - maxBit < 2^31 so every index and shifted word index stays an int32.
 */
import { assert, AssertionFailure } from '../assert.js';

const MAX_INDEX = 0x7fffffff;

export class LevelBitmap {
  readonly maxBit: number;
  private readonly words: Int32Array;
  private readonly layerOffset: Int32Array;
  private readonly layerWords: Int32Array;
  private readonly depth: number;

  constructor(maxBit: number) {
    assert(Number.isSafeInteger(maxBit) && maxBit >= 0 && maxBit <= MAX_INDEX,
      `bitmap maxBit must be in [0, 2^31), got ${maxBit}`);
    this.maxBit = maxBit;
    const counts: number[] = [];
    let bits = maxBit + 1;
    while (true) {
      const words = (bits + 31) >>> 5;
      counts.push(words);
      if (words === 1) break;
      bits = words;
    }
    this.depth = counts.length;
    this.layerOffset = new Int32Array(this.depth);
    this.layerWords = new Int32Array(this.depth);
    let total = 0;
    for (let k = 0; k < this.depth; k++) {
      this.layerOffset[k] = total;
      const words = counts[k] ?? 0;
      this.layerWords[k] = words;
      total += words;
    }
    this.words = new Int32Array(total);
  }

  has(index: number): boolean {
    return (this.words[index >>> 5]! & (1 << (index & 31))) !== 0;
  }

  set(index: number): void {
    const words = this.words;
    const offsets = this.layerOffset;
    let pos = index;
    for (let k = 0; k < this.depth; k++) {
      const w = offsets[k]! + (pos >>> 5);
      const old = words[w]!;
      words[w] = old | (1 << (pos & 31));
      // A word that was already non-zero is already announced in the layer above.
      if (old !== 0) return;
      pos >>>= 5;
    }
  }

  clear(index: number): void {
    const words = this.words;
    const offsets = this.layerOffset;
    let pos = index;
    for (let k = 0; k < this.depth; k++) {
      const w = offsets[k]! + (pos >>> 5);
      const now = words[w]! & ~(1 << (pos & 31));
      words[w] = now;
      if (now !== 0) return;
      pos >>>= 5;
    }
  }

  /** Smallest set index >= from, or -1. */
  nextAtOrAbove(from: number): number {
    if (from > this.maxBit) return -1;
    const words = this.words;
    const offsets = this.layerOffset;
    let pos = from < 0 ? 0 : from;
    let k = 0;
    while (true) {
      const w = pos >>> 5;
      if (w >= this.layerWords[k]!) return -1;
      const m = words[offsets[k]! + w]! & (-1 << (pos & 31));
      if (m !== 0) {
        pos = (w << 5) | (31 - Math.clz32(m & -m));
        break;
      }
      k++;
      if (k === this.depth) return -1;
      pos = w + 1;
    }
    while (k > 0) {
      k--;
      const m = words[offsets[k]! + pos]!;
      pos = (pos << 5) | (31 - Math.clz32(m & -m));
    }
    return pos;
  }

  /** Largest set index <= from, or -1. */
  nextAtOrBelow(from: number): number {
    if (from < 0) return -1;
    const words = this.words;
    const offsets = this.layerOffset;
    let pos = from > this.maxBit ? this.maxBit : from;
    let k = 0;
    while (true) {
      const w = pos >>> 5;
      const m = words[offsets[k]! + w]! & (-1 >>> (31 - (pos & 31)));
      if (m !== 0) {
        pos = (w << 5) | (31 - Math.clz32(m));
        break;
      }
      k++;
      if (k === this.depth || w === 0) return -1;
      pos = w - 1;
    }
    while (k > 0) {
      k--;
      const m = words[offsets[k]! + pos]!;
      pos = (pos << 5) | (31 - Math.clz32(m));
    }
    return pos;
  }

  /** Asserts every summary bit equals "child word is non-zero" and no bit lies beyond maxBit. */
  checkIntegrity(): void {
    const words = this.words;
    for (let k = 0; k + 1 < this.depth; k++) {
      const childBase = this.layerOffset[k]!;
      const childCount = this.layerWords[k]!;
      const parentBase = this.layerOffset[k + 1]!;
      for (let w = 0; w < childCount; w++) {
        const parentBit = (words[parentBase + (w >>> 5)]! & (1 << (w & 31))) !== 0;
        if (!(parentBit === (words[childBase + w]! !== 0))) fail(`bitmap layer ${k + 1} disagrees at word ${w}`);
      }
    }
    const lastWord = this.maxBit >>> 5;
    const tailBits = this.maxBit & 31;
    if (tailBits !== 31) {
      assert((words[lastWord]! & (-1 << (tailBits + 1))) === 0, 'bitmap has bits beyond maxBit');
    }
  }
}

/** Builds the message only on failure, so integrity sweeps over millions of words stay cheap. */
function fail(message: string): never {
  throw new AssertionFailure(message);
}
