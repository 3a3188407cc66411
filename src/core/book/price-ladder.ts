/**
 * @module book/price-ladder
 * One side of the fast book: price levels addressed directly by price in ticks.
 *
 * Levels live in lazily allocated pages of PAGE_SIZE consecutive prices. A page table (one int32
 * per page of the price range: 177 KB for BTCUSDT's 45 million ticks) maps a price to its page;
 * level fields are struct-of-arrays pools indexed by `page << PAGE_BITS | price & PAGE_MASK`.
 * A hierarchical bitmap over all prices finds the best and next non-empty level, and `best`
 * caches the best price so the common case (best level still non-empty) costs nothing.
 *
 * Invariants:
 * - Slot 0 is the null order slot, so a zero-filled page is a page of empty levels; a level that
 *   empties is zeroed again, so freed pages can be reused without clearing.
 * - A level is non-empty (orderCount > 0) iff its bitmap bit is set; `liveLevelsByPage` counts the
 *   non-empty levels of each page and a page whose count drops to 0 goes back to the free list,
 *   so memory tracks the live price range, not the range ever touched.
 * - `best` is the highest non-empty price for bids, the lowest for asks, -1 when empty.
 */
import { AssertionFailure } from '../assert.js';
import { grownTo } from '../num/typed-arrays.js';
import { LevelBitmap } from './level-bitmap.js';

export const PAGE_BITS = 10;
export const PAGE_SIZE = 1 << PAGE_BITS;
export const PAGE_MASK = PAGE_SIZE - 1;
const INITIAL_PAGES = 4;

export class PriceLadder {
  readonly isBid: boolean;
  readonly maxPriceTicks: number;
  /** Best price of this side, -1 when empty. */
  best = -1;
  /** Number of non-empty levels. */
  levelCount = 0;
  /** Per level: first and last order slot (0 = none), order count and total remaining lots. */
  headSlot: Int32Array;
  tailSlot: Int32Array;
  orderCount: Int32Array;
  totalLots: Float64Array;
  /** Page table: page number + 1 for each PAGE_SIZE-aligned price chunk, 0 = not allocated. */
  private readonly pageByChunk: Int32Array;
  private liveLevelsByPage: Int32Array;
  private chunkByPage: Int32Array;
  private freePages: Int32Array;
  private freePageCount = 0;
  private pageCapacity: number;
  private pagesUsed = 0;
  private readonly bitmap: LevelBitmap;

  constructor(isBid: boolean, maxPriceTicks: number) {
    this.isBid = isBid;
    this.maxPriceTicks = maxPriceTicks;
    this.bitmap = new LevelBitmap(maxPriceTicks);
    this.pageByChunk = new Int32Array((maxPriceTicks >>> PAGE_BITS) + 1);
    this.pageCapacity = INITIAL_PAGES;
    this.headSlot = new Int32Array(INITIAL_PAGES << PAGE_BITS);
    this.tailSlot = new Int32Array(INITIAL_PAGES << PAGE_BITS);
    this.orderCount = new Int32Array(INITIAL_PAGES << PAGE_BITS);
    this.totalLots = new Float64Array(INITIAL_PAGES << PAGE_BITS);
    this.liveLevelsByPage = new Int32Array(INITIAL_PAGES);
    this.chunkByPage = new Int32Array(INITIAL_PAGES);
    this.freePages = new Int32Array(INITIAL_PAGES);
  }

  /** Level index of `priceTicks`, or -1 when its page is not allocated (the level is empty). */
  levelOf(priceTicks: number): number {
    const page = this.pageByChunk[priceTicks >>> PAGE_BITS]! - 1;
    return page < 0 ? -1 : (page << PAGE_BITS) | (priceTicks & PAGE_MASK);
  }

  /** Level index of `priceTicks`, allocating its page if needed. */
  levelOrAllocate(priceTicks: number): number {
    const chunk = priceTicks >>> PAGE_BITS;
    let page = this.pageByChunk[chunk]! - 1;
    if (page < 0) page = this.allocatePage(chunk);
    return (page << PAGE_BITS) | (priceTicks & PAGE_MASK);
  }

  /** Call when a level receives its first order. */
  markNonEmpty(priceTicks: number, level: number): void {
    this.bitmap.set(priceTicks);
    this.liveLevelsByPage[level >>> PAGE_BITS]!++;
    this.levelCount++;
    const best = this.best;
    if (best === -1 || (this.isBid ? priceTicks > best : priceTicks < best)) this.best = priceTicks;
  }

  /** Call when a level loses its last order; the caller has already zeroed head, tail and totals. */
  markEmpty(priceTicks: number, level: number): void {
    this.bitmap.clear(priceTicks);
    this.levelCount--;
    const page = level >>> PAGE_BITS;
    if (--this.liveLevelsByPage[page]! === 0) this.releasePage(page);
    if (priceTicks === this.best) {
      this.best = this.isBid ? this.bitmap.nextAtOrBelow(priceTicks - 1) : this.bitmap.nextAtOrAbove(priceTicks + 1);
    }
  }

  /** Next non-empty price strictly worse than `priceTicks`, or -1. */
  nextWorse(priceTicks: number): number {
    return this.isBid ? this.bitmap.nextAtOrBelow(priceTicks - 1) : this.bitmap.nextAtOrAbove(priceTicks + 1);
  }

  private allocatePage(chunk: number): number {
    let page: number;
    if (this.freePageCount > 0) {
      page = this.freePages[--this.freePageCount]!;
    } else {
      if (this.pagesUsed === this.pageCapacity) this.growPages();
      page = this.pagesUsed++;
    }
    this.pageByChunk[chunk] = page + 1;
    this.chunkByPage[page] = chunk;
    return page;
  }

  private releasePage(page: number): void {
    this.pageByChunk[this.chunkByPage[page]!] = 0;
    this.freePages[this.freePageCount++] = page;
  }

  private growPages(): void {
    const pages = this.pageCapacity * 2;
    const levels = pages << PAGE_BITS;
    this.headSlot = grownTo(this.headSlot, levels);
    this.tailSlot = grownTo(this.tailSlot, levels);
    this.orderCount = grownTo(this.orderCount, levels);
    this.totalLots = grownTo(this.totalLots, levels);
    this.liveLevelsByPage = grownTo(this.liveLevelsByPage, pages);
    this.chunkByPage = grownTo(this.chunkByPage, pages);
    this.freePages = grownTo(this.freePages, pages);
    this.pageCapacity = pages;
  }

  /**
   * Checks pages, bitmap and best against the level arrays; calls `visitLevel` for each non-empty
   * level so the book can check the order lists. Returns the number of non-empty levels.
   */
  checkIntegrity(visitLevel: (priceTicks: number, level: number) => void): number {
    this.bitmap.checkIntegrity();
    const pageSeen = new Uint8Array(this.pagesUsed);
    for (let i = 0; i < this.freePageCount; i++) {
      const page = this.freePages[i]!;
      if (!(page < this.pagesUsed && pageSeen[page] === 0)) fail(`free page ${page} listed twice or out of range`);
      pageSeen[page] = 2;
    }
    let nonEmpty = 0;
    for (let chunk = 0; chunk < this.pageByChunk.length; chunk++) {
      const page = this.pageByChunk[chunk]! - 1;
      if (page < 0) continue;
      if (!(page < this.pagesUsed && pageSeen[page] === 0)) fail(`page ${page} mapped twice, free, or out of range`);
      if (!(this.chunkByPage[page] === chunk)) fail(`page ${page} back-pointer disagrees`);
      pageSeen[page] = 1;
      let live = 0;
      for (let offset = 0; offset < PAGE_SIZE; offset++) {
        const price = (chunk << PAGE_BITS) | offset;
        const level = (page << PAGE_BITS) | offset;
        const count = this.orderCount[level]!;
        const inRange = price >= 1 && price <= this.maxPriceTicks;
        if (count < 0) fail(`negative order count at ${price}`);
        if (count === 0) {
          if (!(this.headSlot[level] === 0 && this.tailSlot[level] === 0 && this.totalLots[level] === 0)) fail(`empty level ${price} is not zeroed`);
          if (inRange && this.bitmap.has(price)) fail(`bitmap bit set for empty level ${price}`);
        } else {
          if (!inRange) fail(`non-empty level outside price range: ${price}`);
          if (!this.bitmap.has(price)) fail(`bitmap bit missing for level ${price}`);
          live++;
          visitLevel(price, level);
        }
      }
      if (live === 0) fail(`allocated page ${page} has no live level`);
      if (!(this.liveLevelsByPage[page] === live)) fail(`page ${page} live count ${this.liveLevelsByPage[page]} != ${live}`);
      nonEmpty += live;
    }
    for (let page = 0; page < this.pagesUsed; page++) {
      if (pageSeen[page] === 0) fail(`page ${page} is neither mapped nor free`);
      if (pageSeen[page] === 2) {
        const base = page << PAGE_BITS;
        for (let offset = 0; offset < PAGE_SIZE; offset++) {
          if (!(this.orderCount[base + offset] === 0 && this.headSlot[base + offset] === 0)) fail(`free page ${page} is not clean`);
        }
      }
    }
    if (!(nonEmpty === this.levelCount)) fail(`level count ${this.levelCount} != ${nonEmpty}`);
    let bitCount = 0;
    for (let p = this.bitmap.nextAtOrAbove(0); p !== -1; p = this.bitmap.nextAtOrAbove(p + 1)) bitCount++;
    if (!(bitCount === nonEmpty)) fail(`bitmap has ${bitCount} bits for ${nonEmpty} levels`);
    const expectedBest = this.isBid ? this.bitmap.nextAtOrBelow(this.maxPriceTicks) : this.bitmap.nextAtOrAbove(0);
    if (!(this.best === expectedBest)) fail(`cached best ${this.best} != ${expectedBest}`);
    return nonEmpty;
  }
}

/** Builds the message only on failure, so integrity sweeps over millions of words stay cheap. */
function fail(message: string): never {
  throw new AssertionFailure(message);
}
