/**
 * @module engine/liquidation-index
 * Finds the positions a mark move puts at risk without scanning every account. Each open
 * position is filed under its liquidation price, rounded toward triggering earlier, in one of two
 * bucketed ladders: longs (at risk when mark ≤ key) and shorts (at risk when mark ≥ key).
 * A bucket covers 2^shift ticks; buckets are intrusive doubly linked lists over integer slots, and
 * a two-level bitmap of non-empty buckets makes a range walk skip empty space 32×32 buckets at a
 * time. The index is a candidate filter: the engine re-checks each candidate exactly, so a key
 * that is conservative (never later than the true price) is all correctness needs.
 *
 * A cross position's liquidation price also depends on the marks of the account's other cross
 * positions, so for accounts with cross positions in several symbols the key is not the liquidation
 * price but a safety band (settle.ts refreshLiquidationKeys): the account's margin slack is split
 * among its positions, and each is filed at the price where its own share would be used up. While
 * every mark stays inside its band the account is safe; the first crossing triggers an exact check
 * and a new band. No mark change ever scans accounts that are not at risk.
 */
import { assert } from '../assert.js';
import { grownTo } from '../num/typed-arrays.js';
import type { Position } from './state.js';

const SIDE_LONG = 0;
const SIDE_SHORT = 1;
const NONE = -1;

class BucketLadder {
  readonly heads: Int32Array;
  readonly level0: Uint32Array;
  readonly level1: Uint32Array;

  constructor(bucketCount: number) {
    this.heads = new Int32Array(bucketCount).fill(NONE);
    this.level0 = new Uint32Array((bucketCount + 31) >>> 5);
    this.level1 = new Uint32Array((this.level0.length + 31) >>> 5);
  }

  markNonEmpty(bucket: number): void {
    const word = bucket >>> 5;
    this.level0[word]! |= 1 << (bucket & 31);
    this.level1[word >>> 5]! |= 1 << (word & 31);
  }

  markEmpty(bucket: number): void {
    const word = bucket >>> 5;
    const bits = this.level0[word]! & ~(1 << (bucket & 31));
    this.level0[word] = bits;
    if (bits === 0) this.level1[word >>> 5]! &= ~(1 << (word & 31));
  }
}

export class LiquidationIndex {
  private readonly bucketShift: number;
  private readonly bucketCount: number;
  private readonly ladders: [BucketLadder, BucketLadder];
  private slots: (Position | undefined)[] = [];
  private next = new Int32Array(1024);
  private prev = new Int32Array(1024);
  private bucketOf = new Int32Array(1024);
  private sideOf = new Uint8Array(1024);
  private keyOf = new Float64Array(1024);
  /** Account of each filed position: a walk collects ids into a typed array, no object pointers. */
  private accountOf = new Int32Array(1024);
  private freeSlots: number[] = [];
  /** Reused output of collectAccountsAtRisk. */
  private found = new Int32Array(1024);
  private foundCount = 0;
  private count = 0;

  constructor(readonly maxPriceTicks: number) {
    // At most ~2^20 buckets per side, whatever the price range.
    let shift = 0;
    while ((maxPriceTicks >>> shift) >= 1 << 20) shift++;
    this.bucketShift = shift;
    this.bucketCount = (maxPriceTicks >>> shift) + 1;
    this.ladders = [new BucketLadder(this.bucketCount), new BucketLadder(this.bucketCount)];
  }

  get size(): number {
    return this.count;
  }

  /**
   * Files `position` under `keyTicks` (long: at risk when mark ≤ key; short: when mark ≥ key).
   * keyTicks ≤ 0 for a long means it cannot be liquidated by price: it is removed instead.
   */
  upsert(position: Position, isLong: boolean, keyTicks: number): void {
    this.remove(position);
    if (isLong && keyTicks <= 0) return;
    const clamped = keyTicks > this.maxPriceTicks ? this.maxPriceTicks : keyTicks < 1 ? 1 : keyTicks;
    const slot = this.allocate(position);
    const side = isLong ? SIDE_LONG : SIDE_SHORT;
    const bucket = clamped >>> this.bucketShift;
    const ladder = this.ladders[side];
    const head = ladder.heads[bucket]!;
    this.next[slot] = head;
    this.prev[slot] = NONE;
    if (head !== NONE) this.prev[head] = slot;
    else ladder.markNonEmpty(bucket);
    ladder.heads[bucket] = slot;
    this.bucketOf[slot] = bucket;
    this.sideOf[slot] = side;
    this.keyOf[slot] = clamped;
  }

  remove(position: Position): void {
    const slot = position.liquidationSlot;
    if (slot === NONE) return;
    assert(this.slots[slot] === position, 'liquidation index slot belongs to its position');
    const ladder = this.ladders[this.sideOf[slot]! as 0 | 1];
    const bucket = this.bucketOf[slot]!;
    const before = this.prev[slot]!;
    const after = this.next[slot]!;
    if (before !== NONE) this.next[before] = after;
    else {
      ladder.heads[bucket] = after;
      if (after === NONE) ladder.markEmpty(bucket);
    }
    if (after !== NONE) this.prev[after] = before;
    this.slots[slot] = undefined;
    position.liquidationSlot = NONE;
    this.freeSlots.push(slot);
    this.count--;
  }

  /** Key of an indexed position (ticks), or -1. */
  keyOfPosition(position: Position): number {
    return position.liquidationSlot === NONE ? -1 : this.keyOf[position.liquidationSlot]!;
  }

  /**
   * The accounts of every long whose key ≥ markTicks and every short whose key ≤ markTicks, in
   * index order (a view of a buffer the next call reuses). Ids, not positions: storing hundreds of
   * thousands of object pointers into a fresh array pays V8's write barrier on each, which while
   * the collector marks (it often is, with a million positions) doubled the walk.
   */
  collectAccountsAtRisk(markTicks: number): Int32Array {
    const clamped = markTicks > this.maxPriceTicks ? this.maxPriceTicks : markTicks < 1 ? 1 : markTicks;
    const bucket = clamped >>> this.bucketShift;
    this.foundCount = 0;
    this.collectRange(SIDE_LONG, bucket, this.bucketCount - 1, clamped);
    this.collectRange(SIDE_SHORT, 0, bucket, clamped);
    return this.found.subarray(0, this.foundCount);
  }

  private collectRange(side: 0 | 1, fromBucket: number, toBucket: number, markTicks: number): void {
    const ladder = this.ladders[side];
    const fromWord = fromBucket >>> 5;
    const toWord = toBucket >>> 5;
    for (let group = fromWord >>> 5; group <= toWord >>> 5; group++) {
      let groupBits = ladder.level1[group]!;
      while (groupBits !== 0) {
        const bit = 31 - Math.clz32(groupBits & -groupBits);
        groupBits &= groupBits - 1;
        const word = (group << 5) | bit;
        if (word < fromWord || word > toWord) continue;
        let bits = ladder.level0[word]!;
        while (bits !== 0) {
          const low = 31 - Math.clz32(bits & -bits);
          bits &= bits - 1;
          const bucket = (word << 5) | low;
          if (bucket < fromBucket || bucket > toBucket) continue;
          this.collectBucket(ladder.heads[bucket]!, side, markTicks);
        }
      }
    }
  }

  private collectBucket(head: number, side: 0 | 1, markTicks: number): void {
    for (let slot = head; slot !== NONE; slot = this.next[slot]!) {
      const key = this.keyOf[slot]!;
      if (side === SIDE_LONG ? key < markTicks : key > markTicks) continue;
      if (this.foundCount === this.found.length) this.found = grownTo(this.found, this.found.length * 2);
      this.found[this.foundCount++] = this.accountOf[slot]!;
    }
  }

  private allocate(position: Position): number {
    let slot = this.freeSlots.pop();
    if (slot === undefined) {
      slot = this.slots.length;
      this.slots.push(undefined);
      if (slot >= this.next.length) this.grow();
    }
    this.slots[slot] = position;
    this.accountOf[slot] = position.accountId;
    position.liquidationSlot = slot;
    this.count++;
    return slot;
  }

  private grow(): void {
    const capacity = this.next.length * 2;
    this.next = grownTo(this.next, capacity);
    this.prev = grownTo(this.prev, capacity);
    this.bucketOf = grownTo(this.bucketOf, capacity);
    this.sideOf = grownTo(this.sideOf, capacity);
    this.keyOf = grownTo(this.keyOf, capacity);
    this.accountOf = grownTo(this.accountOf, capacity);
  }

  /**
   * Self-check in O(non-empty buckets + entries): walking the bitmaps must reach every filed slot,
   * every reached bucket must be non-empty, and each slot must be filed where it claims.
   */
  checkIntegrity(): void {
    let seen = 0;
    for (let side = 0; side < 2; side++) {
      const ladder = this.ladders[side as 0 | 1];
      for (let group = 0; group < ladder.level1.length; group++) {
        let groupBits = ladder.level1[group]!;
        while (groupBits !== 0) {
          const bit = 31 - Math.clz32(groupBits & -groupBits);
          groupBits &= groupBits - 1;
          const word = (group << 5) | bit;
          let bits = ladder.level0[word]!;
          assert(bits !== 0, 'liquidation bitmap: level-1 bit marks a non-empty word');
          while (bits !== 0) {
            const low = 31 - Math.clz32(bits & -bits);
            bits &= bits - 1;
            const bucket = (word << 5) | low;
            const head = ladder.heads[bucket]!;
            assert(head !== NONE, 'liquidation bitmap: a set bit marks a non-empty bucket');
            assert(this.prev[head] === NONE, 'liquidation bucket head has no predecessor');
            for (let slot = head; slot !== NONE; slot = this.next[slot]!) {
              assert(this.bucketOf[slot] === bucket && this.sideOf[slot] === side, 'slot filed in its bucket');
              assert(this.slots[slot]?.liquidationSlot === slot, 'slot back-reference');
              assert(this.accountOf[slot] === this.slots[slot]!.accountId, 'slot account');
              seen++;
            }
          }
        }
      }
    }
    assert(seen === this.count, 'every filed position is reachable from the bitmaps');
  }
}
