/**
 * @module book/order-book
 * The fast order book: price-time priority matching with no allocation per operation.
 *
 * Orders live in struct-of-arrays typed arrays indexed by a slot (1-based; slot 0 is "none"),
 * linked into an intrusive doubly linked FIFO per price level. Levels are addressed by price in
 * ticks through PriceLadder (paged level arrays + hierarchical bitmap), ids map to slots through
 * OrderIdIndex (open addressing). Freed slots are reused LIFO through `nextBySlot`; capacity doubles.
 *
 * Invariants (all re-derived by checkIntegrity):
 * - A slot is live iff remainingBySlot[slot] > 0; live slots are exactly the slots reachable from
 *   the levels, exactly the slots in the id index, and `size` counts them.
 * - Each level's orderCount and totalLots equal the count and sum of its list; its list is in
 *   arrival order; the book is never crossed (bestBid < bestAsk when both exist).
 * - reduceOnlyResting counts live slots with FLAG_REDUCE_ONLY, so sweeps skip the per-owner tally
 *   entirely while no reduce-only order rests.
 * Hot paths use only constant assertion messages, so a passing assertion allocates nothing.
 */
import { assert, AssertionFailure } from '../assert.js';
import { grownTo } from '../num/typed-arrays.js';
import { BookEventsBuffer } from './book-events.js';
import { OrderIdIndex } from './order-id-index.js';
import { OwnerTally } from './owner-tally.js';
import { PriceLadder } from './price-ladder.js';
import {
  BUY, FLAG_REDUCE_ONLY, MAKER_EXPIRE_REDUCE_ONLY, MAKER_EXPIRE_STP, OUTCOME_ACCEPTED, OUTCOME_DUPLICATE_ID,
  OUTCOME_FOK_UNFILLED, OUTCOME_POST_ONLY_WOULD_TAKE, SELL, STP_EXPIRE_BOTH, STP_EXPIRE_MAKER, STP_EXPIRE_TAKER,
  STP_NONE, TAKER_EXPIRE_IOC, TAKER_EXPIRE_NONE, TAKER_EXPIRE_STP, TIF_FOK, TIF_GTC, TIF_GTX,
  type BookConfig, type BookListener, type OrderBook, type Side, type StpCode, type SubmitOutcome,
  type TakerExpireReason, type TimeInForceCode,
} from './types.js';

const DEFAULT_CAPACITY = 1024;
const MAX_PRICE_TICKS = 0x7fffffff;
/** Fills below 2^21 lots at a price below 2^31 ticks add < 2^52; a running sum below 2^52 stays exact. */
const EXACT_FILL_LOTS = 2 ** 21;
const EXACT_NOTIONAL = 2 ** 52;

export class FastOrderBook implements OrderBook {
  readonly events: BookEventsBuffer;
  lastFilledLots = 0;
  lastRestingLots = 0;
  lastExpiredLots = 0;
  lastTakerExpireReason: TakerExpireReason = TAKER_EXPIRE_NONE;
  // Σ price × lots as a number while it is exact (the common case) plus a bigint for the rest.
  private filledNotional = 0;
  private filledNotionalOverflow = 0n;
  private previewNotional = 0;
  private previewNotionalOverflow = 0n;

  get lastFilledNotionalTickLots(): bigint {
    return BigInt(this.filledNotional) + this.filledNotionalOverflow;
  }

  get lastPreviewNotionalTickLots(): bigint {
    return BigInt(this.previewNotional) + this.previewNotionalOverflow;
  }
  size = 0;

  private readonly maxPriceTicks: number;
  private readonly listener: BookListener;
  private readonly bids: PriceLadder;
  private readonly asks: PriceLadder;
  private readonly index: OrderIdIndex;
  private readonly tally = new OwnerTally();
  private capacity: number;
  private highWater = 0;
  private freeHead = 0;
  private reduceOnlyResting = 0;
  private stoppedBySelfTrade = false;
  private visiting = false;

  private idBySlot: Float64Array;
  private ownerBySlot: Int32Array;
  private priceBySlot: Int32Array;
  private remainingBySlot: Float64Array;
  private prevBySlot: Int32Array;
  private nextBySlot: Int32Array;
  private sideBySlot: Uint8Array;
  private flagsBySlot: Uint8Array;

  constructor(config: BookConfig) {
    const max = config.maxPriceTicks;
    assert(Number.isSafeInteger(max) && max >= 1 && max <= MAX_PRICE_TICKS, `maxPriceTicks must be in [1, 2^31), got ${max}`);
    const initial = config.initialCapacity ?? DEFAULT_CAPACITY;
    assert(Number.isSafeInteger(initial) && initial >= 1 && initial < 1 << 29, `initialCapacity out of range: ${initial}`);
    this.maxPriceTicks = max;
    this.listener = config.listener;
    this.events = new BookEventsBuffer();
    this.bids = new PriceLadder(true, max);
    this.asks = new PriceLadder(false, max);
    this.index = new OrderIdIndex(initial);
    this.capacity = initial;
    const length = initial + 1;
    this.idBySlot = new Float64Array(length);
    this.ownerBySlot = new Int32Array(length);
    this.priceBySlot = new Int32Array(length);
    this.remainingBySlot = new Float64Array(length);
    this.prevBySlot = new Int32Array(length);
    this.nextBySlot = new Int32Array(length);
    this.sideBySlot = new Uint8Array(length);
    this.flagsBySlot = new Uint8Array(length);
  }

  submit(orderId: number, owner: number, side: Side, limitTicks: number, qtyLots: number,
    tif: TimeInForceCode, stp: StpCode, flags: number): SubmitOutcome {
    this.checkOrder(orderId, owner, side, limitTicks, qtyLots, flags);
    assert((tif & 3) === tif && (stp & 3) === stp, 'submit: bad tif or stp code');
    assert(!this.visiting, 'book mutated during forEachOrder');
    this.events.count = 0;
    this.lastFilledLots = 0;
    this.lastRestingLots = 0;
    this.lastExpiredLots = 0;
    this.lastTakerExpireReason = TAKER_EXPIRE_NONE;
    this.filledNotional = 0;
    this.filledNotionalOverflow = 0n;
    if (this.index.find(orderId, this.idBySlot) !== 0) return OUTCOME_DUPLICATE_ID;

    if (tif === TIF_GTX) {
      if (this.crossesOpposite(side, limitTicks)) return OUTCOME_POST_ONLY_WOULD_TAKE;
      this.rest(orderId, owner, side, limitTicks, qtyLots, flags);
      this.lastRestingLots = qtyLots;
      return OUTCOME_ACCEPTED;
    }
    if (tif === TIF_FOK && this.previewFill(owner, side, limitTicks, qtyLots, stp) < qtyLots) {
      return OUTCOME_FOK_UNFILLED;
    }

    const leftLots = this.sweep(owner, side, limitTicks, qtyLots, stp);
    if (leftLots > 0) {
      if (this.stoppedBySelfTrade) {
        this.lastExpiredLots = leftLots;
        this.lastTakerExpireReason = TAKER_EXPIRE_STP;
      } else if (tif === TIF_GTC) {
        this.rest(orderId, owner, side, limitTicks, leftLots, flags);
        this.lastRestingLots = leftLots;
      } else {
        this.lastExpiredLots = leftLots;
        this.lastTakerExpireReason = TAKER_EXPIRE_IOC;
      }
    }
    return OUTCOME_ACCEPTED;
  }

  /**
   * Matches against the opposite side; returns the taker's unfilled lots and sets
   * stoppedBySelfTrade. The maker is always the head of the best level, so every step either
   * removes it or ends the sweep.
   */
  private sweep(owner: number, side: Side, limitTicks: number, qtyLots: number, stp: StpCode): number {
    const isBuy = side === BUY;
    const ladder = isBuy ? this.asks : this.bids;
    const makerSide: Side = isBuy ? SELL : BUY;
    const owners = this.ownerBySlot;
    const remaining = this.remainingBySlot;
    const flagsBySlot = this.flagsBySlot;
    const events = this.events;
    const useTally = this.reduceOnlyResting > 0;
    if (useTally) this.tally.begin();
    let leftLots = qtyLots;
    let filledLots = 0;
    let notional = 0;
    let overflow = 0n;
    let stopped = false;
    while (leftLots > 0) {
      const price = ladder.best;
      if (price === -1 || (isBuy ? price > limitTicks : price < limitTicks)) break;
      const level = ladder.levelOf(price);
      const slot = ladder.headSlot[level]!;
      const makerOwner = owners[slot]!;
      if (makerOwner === owner && stp !== STP_NONE) {
        if (stp === STP_EXPIRE_TAKER) {
          stopped = true;
          break;
        }
        this.expireHead(slot, ladder, level, price, MAKER_EXPIRE_STP);
        if (stp === STP_EXPIRE_BOTH) {
          stopped = true;
          break;
        }
        continue;
      }
      const makerLots = remaining[slot]!;
      let fillLots = leftLots < makerLots ? leftLots : makerLots;
      let capReached = false;
      if ((flagsBySlot[slot]! & FLAG_REDUCE_ONLY) !== 0) {
        const cap = this.reduceOnlyCap(makerOwner, makerSide);
        if (cap <= 0) {
          this.expireHead(slot, ladder, level, price, MAKER_EXPIRE_REDUCE_ONLY);
          continue;
        }
        if (cap <= fillLots) {
          fillLots = cap;
          capReached = true;
        }
      }
      const makerAfter = makerLots - fillLots;
      leftLots -= fillLots;
      filledLots += fillLots;
      // price < 2^31 (asserted at construction): below both limits the sum stays under 2^53.
      if (fillLots < EXACT_FILL_LOTS && notional < EXACT_NOTIONAL) notional += price * fillLots;
      else overflow += BigInt(price) * BigInt(fillLots);
      if (useTally) this.tally.add(makerOwner, fillLots);
      events.pushFill(this.idBySlot[slot]!, makerOwner, price, fillLots, makerAfter);
      if (makerAfter === 0) {
        this.removeHead(slot, ladder, level, price);
      } else {
        remaining[slot] = makerAfter;
        ladder.totalLots[level] = ladder.totalLots[level]! - fillLots;
        if (capReached) this.expireHead(slot, ladder, level, price, MAKER_EXPIRE_REDUCE_ONLY);
      }
    }
    this.stoppedBySelfTrade = stopped;
    this.lastFilledLots = filledLots;
    this.filledNotional = notional;
    this.filledNotionalOverflow = overflow;
    return leftLots;
  }

  private reduceOnlyCap(owner: number, makerSide: Side): number {
    const capacity = this.listener.reduceOnlyCapacity(owner, makerSide);
    assert(Number.isSafeInteger(capacity), 'reduceOnlyCapacity must return a safe integer');
    return capacity - this.tally.get(owner);
  }

  private expireHead(slot: number, ladder: PriceLadder, level: number, priceTicks: number, reason: number): void {
    this.events.pushMakerExpired(this.idBySlot[slot]!, this.ownerBySlot[slot]!, priceTicks,
      this.remainingBySlot[slot]!, reason);
    this.removeHead(slot, ladder, level, priceTicks);
  }

  private removeHead(slot: number, ladder: PriceLadder, level: number, priceTicks: number): void {
    const next = this.nextBySlot[slot]!;
    if (next === 0) {
      this.clearLevel(ladder, level, priceTicks);
    } else {
      ladder.headSlot[level] = next;
      this.prevBySlot[next] = 0;
      ladder.orderCount[level]!--;
      ladder.totalLots[level] = ladder.totalLots[level]! - this.remainingBySlot[slot]!;
    }
    this.index.remove(this.idBySlot[slot]!, this.idBySlot);
    this.freeSlot(slot);
  }

  private clearLevel(ladder: PriceLadder, level: number, priceTicks: number): void {
    ladder.headSlot[level] = 0;
    ladder.tailSlot[level] = 0;
    ladder.orderCount[level] = 0;
    ladder.totalLots[level] = 0;
    ladder.markEmpty(priceTicks, level);
  }

  /** Unlinks any order of a level (cancel path); the caller removes it from the index. */
  private unlink(slot: number): void {
    const priceTicks = this.priceBySlot[slot]!;
    const ladder = this.sideBySlot[slot] === BUY ? this.bids : this.asks;
    const level = ladder.levelOf(priceTicks);
    const prev = this.prevBySlot[slot]!;
    const next = this.nextBySlot[slot]!;
    if (prev === 0 && next === 0) {
      this.clearLevel(ladder, level, priceTicks);
      return;
    }
    if (prev === 0) ladder.headSlot[level] = next;
    else this.nextBySlot[prev] = next;
    if (next === 0) ladder.tailSlot[level] = prev;
    else this.prevBySlot[next] = prev;
    ladder.orderCount[level]!--;
    ladder.totalLots[level] = ladder.totalLots[level]! - this.remainingBySlot[slot]!;
  }

  private freeSlot(slot: number): void {
    if ((this.flagsBySlot[slot]! & FLAG_REDUCE_ONLY) !== 0) this.reduceOnlyResting--;
    this.remainingBySlot[slot] = 0;
    this.prevBySlot[slot] = 0;
    this.nextBySlot[slot] = this.freeHead;
    this.freeHead = slot;
    this.size--;
  }

  private rest(orderId: number, owner: number, side: Side, priceTicks: number, qtyLots: number, flags: number): void {
    let slot = this.freeHead;
    if (slot !== 0) {
      this.freeHead = this.nextBySlot[slot]!;
    } else {
      if (this.highWater === this.capacity) this.growSlots();
      slot = ++this.highWater;
    }
    this.idBySlot[slot] = orderId;
    this.ownerBySlot[slot] = owner;
    this.priceBySlot[slot] = priceTicks;
    this.remainingBySlot[slot] = qtyLots;
    this.sideBySlot[slot] = side;
    this.flagsBySlot[slot] = flags;
    this.nextBySlot[slot] = 0;
    const ladder = side === BUY ? this.bids : this.asks;
    const level = ladder.levelOrAllocate(priceTicks);
    const tail = ladder.tailSlot[level]!;
    this.prevBySlot[slot] = tail;
    ladder.tailSlot[level] = slot;
    if (tail === 0) {
      ladder.headSlot[level] = slot;
      ladder.orderCount[level] = 1;
      ladder.totalLots[level] = qtyLots;
      ladder.markNonEmpty(priceTicks, level);
    } else {
      this.nextBySlot[tail] = slot;
      ladder.orderCount[level]!++;
      ladder.totalLots[level] = ladder.totalLots[level]! + qtyLots;
    }
    this.index.insert(orderId, slot, this.idBySlot);
    if ((flags & FLAG_REDUCE_ONLY) !== 0) this.reduceOnlyResting++;
    this.size++;
  }

  private growSlots(): void {
    const capacity = this.capacity * 2;
    assert(capacity < 1 << 30, 'order book capacity exhausted');
    const length = capacity + 1;
    this.idBySlot = grownTo(this.idBySlot, length);
    this.ownerBySlot = grownTo(this.ownerBySlot, length);
    this.priceBySlot = grownTo(this.priceBySlot, length);
    this.remainingBySlot = grownTo(this.remainingBySlot, length);
    this.prevBySlot = grownTo(this.prevBySlot, length);
    this.nextBySlot = grownTo(this.nextBySlot, length);
    this.sideBySlot = grownTo(this.sideBySlot, length);
    this.flagsBySlot = grownTo(this.flagsBySlot, length);
    this.capacity = capacity;
  }

  private crossesOpposite(side: Side, limitTicks: number): boolean {
    if (side === BUY) {
      const ask = this.asks.best;
      return ask !== -1 && limitTicks >= ask;
    }
    const bid = this.bids.best;
    return bid !== -1 && limitTicks <= bid;
  }

  private checkOrder(orderId: number, owner: number, side: Side, priceTicks: number, qtyLots: number, flags: number): void {
    if (!(Number.isSafeInteger(orderId) && (owner | 0) === owner && (side === BUY || side === SELL) &&
      (priceTicks | 0) === priceTicks && priceTicks >= 1 && priceTicks <= this.maxPriceTicks &&
      Number.isSafeInteger(qtyLots) && qtyLots > 0 && (flags & 0xff) === flags)) {
      badOrder(orderId, owner, side, priceTicks, qtyLots, flags);
    }
  }

  cancel(orderId: number): number {
    assert(Number.isSafeInteger(orderId), 'cancel: orderId must be a safe integer');
    assert(!this.visiting, 'book mutated during forEachOrder');
    this.events.count = 0;
    const slot = this.index.remove(orderId, this.idBySlot);
    if (slot === 0) return -1;
    const lots = this.remainingBySlot[slot]!;
    this.unlink(slot);
    this.freeSlot(slot);
    return lots;
  }

  reduce(orderId: number, newRemainingLots: number): boolean {
    assert(Number.isSafeInteger(orderId), 'reduce: orderId must be a safe integer');
    assert(Number.isSafeInteger(newRemainingLots) && newRemainingLots > 0, 'reduce: newRemainingLots must be > 0');
    assert(!this.visiting, 'book mutated during forEachOrder');
    this.events.count = 0;
    const slot = this.index.find(orderId, this.idBySlot);
    if (slot === 0) return false;
    const current = this.remainingBySlot[slot]!;
    assert(newRemainingLots <= current, 'reduce: newRemainingLots exceeds the remaining lots');
    const ladder = this.sideBySlot[slot] === BUY ? this.bids : this.asks;
    const level = ladder.levelOf(this.priceBySlot[slot]!);
    ladder.totalLots[level] = ladder.totalLots[level]! - (current - newRemainingLots);
    this.remainingBySlot[slot] = newRemainingLots;
    return true;
  }

  insertResting(orderId: number, owner: number, side: Side, priceTicks: number, qtyLots: number, flags: number): void {
    this.checkOrder(orderId, owner, side, priceTicks, qtyLots, flags);
    assert(!this.visiting, 'book mutated during forEachOrder');
    this.events.count = 0;
    assert(this.index.find(orderId, this.idBySlot) === 0, 'insertResting: order id already resting');
    assert(!this.crossesOpposite(side, priceTicks), 'insertResting: order would cross the book');
    this.rest(orderId, owner, side, priceTicks, qtyLots, flags);
  }

  previewFill(owner: number, side: Side, limitTicks: number, qtyLots: number, stp: StpCode): number {
    this.checkOrder(0, owner, side, limitTicks, qtyLots, 0);
    assert((stp & 3) === stp, 'previewFill: bad stp code');
    const isBuy = side === BUY;
    const ladder = isBuy ? this.asks : this.bids;
    const makerSide: Side = isBuy ? SELL : BUY;
    const owners = this.ownerBySlot;
    const remaining = this.remainingBySlot;
    const next = this.nextBySlot;
    const useTally = this.reduceOnlyResting > 0;
    if (useTally) this.tally.begin();
    let leftLots = qtyLots;
    let notional = 0;
    let overflow = 0n;
    let price = ladder.best;
    levels: while (leftLots > 0 && price !== -1 && (isBuy ? price <= limitTicks : price >= limitTicks)) {
      let slot = ladder.headSlot[ladder.levelOf(price)]!;
      while (slot !== 0 && leftLots > 0) {
        const makerOwner = owners[slot]!;
        if (makerOwner === owner && stp !== STP_NONE) {
          if (stp !== STP_EXPIRE_MAKER) break levels;
          slot = next[slot]!;
          continue;
        }
        const makerLots = remaining[slot]!;
        let fillLots = leftLots < makerLots ? leftLots : makerLots;
        if ((this.flagsBySlot[slot]! & FLAG_REDUCE_ONLY) !== 0) {
          const cap = this.reduceOnlyCap(makerOwner, makerSide);
          if (cap < fillLots) fillLots = cap > 0 ? cap : 0;
        }
        leftLots -= fillLots;
        if (fillLots < EXACT_FILL_LOTS && notional < EXACT_NOTIONAL) notional += price * fillLots;
        else overflow += BigInt(price) * BigInt(fillLots);
        if (useTally && fillLots > 0) this.tally.add(makerOwner, fillLots);
        slot = next[slot]!;
      }
      price = ladder.nextWorse(price);
    }
    this.previewNotional = notional;
    this.previewNotionalOverflow = overflow;
    return qtyLots - leftLots;
  }

  bestBid(): number {
    return this.bids.best;
  }

  bestAsk(): number {
    return this.asks.best;
  }

  firstLevel(side: Side): number {
    return this.ladderOf(side).best;
  }

  nextLevel(side: Side, priceTicks: number): number {
    this.checkPrice(priceTicks);
    return this.ladderOf(side).nextWorse(priceTicks);
  }

  levelTotalLots(side: Side, priceTicks: number): number {
    this.checkPrice(priceTicks);
    const ladder = this.ladderOf(side);
    const level = ladder.levelOf(priceTicks);
    return level < 0 ? 0 : ladder.totalLots[level]!;
  }

  levelOrderCount(side: Side, priceTicks: number): number {
    this.checkPrice(priceTicks);
    const ladder = this.ladderOf(side);
    const level = ladder.levelOf(priceTicks);
    return level < 0 ? 0 : ladder.orderCount[level]!;
  }

  has(orderId: number): boolean {
    return this.index.find(orderId, this.idBySlot) !== 0;
  }

  remainingLots(orderId: number): number {
    return this.remainingBySlot[this.restingSlot(orderId)]!;
  }

  priceOf(orderId: number): number {
    return this.priceBySlot[this.restingSlot(orderId)]!;
  }

  sideOf(orderId: number): Side {
    return this.sideBySlot[this.restingSlot(orderId)] === BUY ? BUY : SELL;
  }

  ownerOf(orderId: number): number {
    return this.ownerBySlot[this.restingSlot(orderId)]!;
  }

  flagsOf(orderId: number): number {
    return this.flagsBySlot[this.restingSlot(orderId)]!;
  }

  forEachOrder(side: Side, visit: (orderId: number, owner: number, priceTicks: number, remainingLots: number, flags: number) => void): void {
    const ladder = this.ladderOf(side);
    this.visiting = true;
    try {
      for (let price = ladder.best; price !== -1; price = ladder.nextWorse(price)) {
        for (let slot = ladder.headSlot[ladder.levelOf(price)]!; slot !== 0; slot = this.nextBySlot[slot]!) {
          visit(this.idBySlot[slot]!, this.ownerBySlot[slot]!, price, this.remainingBySlot[slot]!, this.flagsBySlot[slot]!);
        }
      }
    } finally {
      this.visiting = false;
    }
  }

  checkIntegrity(): void {
    const live = new Uint8Array(this.highWater + 1);
    let orders = 0;
    let reduceOnly = 0;
    for (const side of [BUY, SELL] as const) {
      const ladder = this.ladderOf(side);
      ladder.checkIntegrity((priceTicks, level) => {
        let prev = 0;
        let count = 0;
        let lots = 0;
        for (let slot = ladder.headSlot[level]!; slot !== 0; slot = this.nextBySlot[slot]!) {
          if (!(slot >= 1 && slot <= this.highWater && live[slot] === 0)) fail(`slot ${slot} out of range or linked twice`);
          live[slot] = 1;
          if (!(this.prevBySlot[slot] === prev)) fail(`slot ${slot} prev link broken`);
          if (!(this.sideBySlot[slot] === side && this.priceBySlot[slot] === priceTicks)) fail(`slot ${slot} is on the wrong level`);
          const remaining = this.remainingBySlot[slot]!;
          if (!(Number.isSafeInteger(remaining) && remaining > 0)) fail(`slot ${slot} has remaining ${remaining}`);
          if (!(this.index.find(this.idBySlot[slot]!, this.idBySlot) === slot)) fail(`slot ${slot} missing from id index`);
          if ((this.flagsBySlot[slot]! & FLAG_REDUCE_ONLY) !== 0) reduceOnly++;
          prev = slot;
          count++;
          lots += remaining;
        }
        if (!(ladder.tailSlot[level] === prev)) fail(`level ${priceTicks} tail is wrong`);
        if (!(ladder.orderCount[level] === count)) fail(`level ${priceTicks} count ${ladder.orderCount[level]} != ${count}`);
        if (!(ladder.totalLots[level] === lots)) fail(`level ${priceTicks} total ${ladder.totalLots[level]} != ${lots}`);
        orders += count;
      });
    }
    if (!(orders === this.size)) fail(`size ${this.size} != ${orders} linked orders`);
    if (!(this.index.size === this.size)) fail(`id index size ${this.index.size} != ${this.size}`);
    if (!(reduceOnly === this.reduceOnlyResting)) fail(`reduce-only count ${this.reduceOnlyResting} != ${reduceOnly}`);
    this.index.checkIntegrity(this.idBySlot, (slot) => live[slot] === 1);
    let free = 0;
    for (let slot = this.freeHead; slot !== 0; slot = this.nextBySlot[slot]!) {
      if (!(free < this.highWater && live[slot] === 0 && this.remainingBySlot[slot] === 0)) fail(`free list broken at ${slot}`);
      free++;
    }
    if (!(free + this.size === this.highWater)) fail(`free ${free} + live ${this.size} != used ${this.highWater}`);
    const bid = this.bids.best;
    const ask = this.asks.best;
    if (!(bid === -1 || ask === -1 || bid < ask)) fail(`book is crossed: bid ${bid} >= ask ${ask}`);
  }

  private ladderOf(side: Side): PriceLadder {
    assert(side === BUY || side === SELL, 'side must be BUY or SELL');
    return side === BUY ? this.bids : this.asks;
  }

  private checkPrice(priceTicks: number): void {
    assert((priceTicks | 0) === priceTicks && priceTicks >= 1 && priceTicks <= this.maxPriceTicks, 'price out of range');
  }

  private restingSlot(orderId: number): number {
    const slot = this.index.find(orderId, this.idBySlot);
    assert(slot !== 0, 'order is not resting');
    return slot;
  }
}

function badOrder(orderId: number, owner: number, side: number, priceTicks: number, qtyLots: number, flags: number): never {
  throw new AssertionFailure(`bad order: id ${orderId} owner ${owner} side ${side} price ${priceTicks} qty ${qtyLots} flags ${flags}`);
}

/** Creates the fast book. */
export function createOrderBook(config: BookConfig): OrderBook {
  return new FastOrderBook(config);
}

/** Builds the message only on failure, so integrity sweeps over millions of words stay cheap. */
function fail(message: string): never {
  throw new AssertionFailure(message);
}
