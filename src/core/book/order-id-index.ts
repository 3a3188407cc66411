/**
 * @module book/order-id-index
 * orderId → order slot, as an open-addressing hash table of int32 slots with linear probing.
 *
 * The table stores only slots; the key of a bucket is read back from the book's id-by-slot
 * array, so the index costs 4 bytes per bucket (8 per order at the maximum load of 1/2) and
 * never boxes a number the way a Map with non-Smi keys can.
 *
 * Invariants:
 * - Bucket value 0 = empty (slot 0 is the null slot). Load factor stays <= 1/2 (grow doubles).
 * - Deletion uses backward shifting, so there are no tombstones and every probe sequence is
 *   gap-free from an entry's home bucket to the entry.
 * - The hash mixes the low 32 bits of the id (ids are safe integers; engines issue them
 *   sequentially, so the low bits carry the entropy). Correctness never depends on the hash.
 */
import { assert, AssertionFailure } from '../assert.js';

const GOLDEN_32 = -1640531535; // 0x9E3779B1 as int32: Fibonacci hashing multiplier.

export class OrderIdIndex {
  size = 0;
  private buckets: Int32Array;
  private mask: number;
  private shift: number;

  constructor(minCapacity: number) {
    let bits = 4;
    while ((1 << bits) < minCapacity * 2 && bits < 30) bits++;
    this.buckets = new Int32Array(1 << bits);
    this.mask = (1 << bits) - 1;
    this.shift = 32 - bits;
  }

  private home(orderId: number): number {
    return Math.imul(orderId >>> 0, GOLDEN_32) >>> this.shift;
  }

  /** Slot of `orderId`, or 0 when absent. */
  find(orderId: number, idBySlot: Float64Array): number {
    const buckets = this.buckets;
    const mask = this.mask;
    let b = this.home(orderId);
    while (true) {
      const slot = buckets[b]!;
      if (slot === 0 || idBySlot[slot] === orderId) return slot;
      b = (b + 1) & mask;
    }
  }

  /** Adds an id known to be absent; `idBySlot[slot]` must already hold it. */
  insert(orderId: number, slot: number, idBySlot: Float64Array): void {
    if ((this.size + 1) * 2 > this.buckets.length) this.grow(idBySlot);
    const buckets = this.buckets;
    const mask = this.mask;
    let b = this.home(orderId);
    while (buckets[b] !== 0) b = (b + 1) & mask;
    buckets[b] = slot;
    this.size++;
  }

  /** Removes `orderId` and returns its slot, or 0 when absent. */
  remove(orderId: number, idBySlot: Float64Array): number {
    const buckets = this.buckets;
    const mask = this.mask;
    let hole = this.home(orderId);
    let slot: number;
    while (true) {
      slot = buckets[hole]!;
      if (slot === 0) return 0;
      if (idBySlot[slot] === orderId) break;
      hole = (hole + 1) & mask;
    }
    // Pull later entries of the cluster back over the hole unless that would move one before
    // its home bucket (cyclic distance from home to the entry must cover the hole).
    let b = hole;
    while (true) {
      b = (b + 1) & mask;
      const moving = buckets[b]!;
      if (moving === 0) break;
      const homeOfMoving = this.home(idBySlot[moving]!);
      if (((b - homeOfMoving) & mask) >= ((b - hole) & mask)) {
        buckets[hole] = moving;
        hole = b;
      }
    }
    buckets[hole] = 0;
    this.size--;
    return slot;
  }

  private grow(idBySlot: Float64Array): void {
    const old = this.buckets;
    const length = old.length * 2;
    assert(length <= 1 << 30, 'order id index is full');
    this.buckets = new Int32Array(length);
    this.mask = length - 1;
    this.shift--;
    const buckets = this.buckets;
    const mask = this.mask;
    for (let i = 0; i < old.length; i++) {
      const slot = old[i]!;
      if (slot === 0) continue;
      let b = this.home(idBySlot[slot]!);
      while (buckets[b] !== 0) b = (b + 1) & mask;
      buckets[b] = slot;
    }
  }

  /** Asserts every stored slot is found by its own id and the count matches. */
  checkIntegrity(idBySlot: Float64Array, isLive: (slot: number) => boolean): void {
    let count = 0;
    for (let i = 0; i < this.buckets.length; i++) {
      const slot = this.buckets[i]!;
      if (slot === 0) continue;
      count++;
      if (!isLive(slot)) fail(`id index points at dead slot ${slot}`);
      if (!(this.find(idBySlot[slot]!, idBySlot) === slot)) fail(`id index cannot find slot ${slot} by its id`);
    }
    if (!(count === this.size)) fail(`id index holds ${count} entries, size says ${this.size}`);
  }
}

/** Builds the message only on failure, so integrity sweeps over millions of words stay cheap. */
function fail(message: string): never {
  throw new AssertionFailure(message);
}
