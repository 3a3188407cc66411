/**
 * @module book/reference-book
 * The oracle: a deliberately naive book with the same contract as the fast one. Each side is a
 * plain array of order objects kept sorted best price first, then arrival; every operation is a
 * linear scan. It shares no matching code with order-book.ts (only the event buffer), so the
 * property tests compare two independent readings of the rules in types.ts.
 *
 * Invariants: each side array is sorted by (price better-first, arrival seq ascending); `byId`
 * holds exactly the orders in the two arrays; every resting order has remainingLots > 0.
 */
import { assert } from '../assert.js';
import { BookEventsBuffer } from './book-events.js';
import {
  BUY, FLAG_REDUCE_ONLY, MAKER_EXPIRE_REDUCE_ONLY, MAKER_EXPIRE_STP, OUTCOME_ACCEPTED, OUTCOME_DUPLICATE_ID,
  OUTCOME_FOK_UNFILLED, OUTCOME_POST_ONLY_WOULD_TAKE, SELL, STP_EXPIRE_BOTH, STP_EXPIRE_MAKER, STP_EXPIRE_TAKER,
  STP_NONE, TAKER_EXPIRE_IOC, TAKER_EXPIRE_NONE, TAKER_EXPIRE_STP, TIF_FOK, TIF_GTC, TIF_GTX, TIF_IOC,
  type BookConfig, type BookListener, type OrderBook, type Side, type StpCode, type SubmitOutcome,
  type TakerExpireReason, type TimeInForceCode,
} from './types.js';

interface RefOrder {
  readonly id: number;
  readonly owner: number;
  readonly side: Side;
  readonly priceTicks: number;
  remainingLots: number;
  readonly flags: number;
  readonly seq: number;
}

/** True when price `a` is strictly better than `b` for resting orders of `side`. */
function better(side: Side, a: number, b: number): boolean {
  return side === BUY ? a > b : a < b;
}

function opposite(side: Side): Side {
  return side === BUY ? SELL : BUY;
}

/** Would a taker on `takerSide` with this limit trade against a maker resting at `makerPrice`? */
function crosses(takerSide: Side, limitTicks: number, makerPrice: number): boolean {
  return takerSide === BUY ? makerPrice <= limitTicks : makerPrice >= limitTicks;
}

class ReferenceOrderBook implements OrderBook {
  readonly events = new BookEventsBuffer();
  lastFilledLots = 0;
  lastRestingLots = 0;
  lastExpiredLots = 0;
  lastTakerExpireReason: TakerExpireReason = TAKER_EXPIRE_NONE;
  lastFilledNotionalTickLots = 0n;
  lastPreviewNotionalTickLots = 0n;

  private readonly maxPriceTicks: number;
  private readonly listener: BookListener;
  private readonly bids: RefOrder[] = [];
  private readonly asks: RefOrder[] = [];
  private readonly byId = new Map<number, RefOrder>();
  private nextSeq = 0;

  constructor(config: BookConfig) {
    assert(Number.isSafeInteger(config.maxPriceTicks) && config.maxPriceTicks >= 1, 'maxPriceTicks must be >= 1');
    this.maxPriceTicks = config.maxPriceTicks;
    this.listener = config.listener;
  }

  get size(): number {
    return this.byId.size;
  }

  private sideArray(side: Side): RefOrder[] {
    assert(side === BUY || side === SELL, 'side must be BUY or SELL');
    return side === BUY ? this.bids : this.asks;
  }

  private validate(orderId: number, owner: number, side: Side, priceTicks: number, qtyLots: number, flags: number): void {
    assert(Number.isSafeInteger(orderId), 'orderId must be a safe integer');
    assert(Number.isInteger(owner) && owner >= -2147483648 && owner <= 2147483647, 'owner must be an int32');
    assert(side === BUY || side === SELL, 'side must be BUY or SELL');
    assert(Number.isInteger(priceTicks) && priceTicks >= 1 && priceTicks <= this.maxPriceTicks, 'price out of range');
    assert(Number.isSafeInteger(qtyLots) && qtyLots > 0, 'qtyLots must be a positive safe integer');
    assert(Number.isInteger(flags) && flags >= 0 && flags <= 255, 'flags must fit in a byte');
  }

  private clearLast(): void {
    this.events.reset();
    this.lastFilledLots = 0;
    this.lastRestingLots = 0;
    this.lastExpiredLots = 0;
    this.lastTakerExpireReason = TAKER_EXPIRE_NONE;
    this.lastFilledNotionalTickLots = 0n;
  }

  submit(orderId: number, owner: number, side: Side, limitTicks: number, qtyLots: number,
    tif: TimeInForceCode, stp: StpCode, flags: number): SubmitOutcome {
    this.validate(orderId, owner, side, limitTicks, qtyLots, flags);
    assert([TIF_GTC, TIF_IOC, TIF_FOK, TIF_GTX].includes(tif), 'bad tif');
    assert([STP_NONE, STP_EXPIRE_TAKER, STP_EXPIRE_MAKER, STP_EXPIRE_BOTH].includes(stp), 'bad stp');
    this.clearLast();
    if (this.byId.has(orderId)) return OUTCOME_DUPLICATE_ID;
    const opposing = this.sideArray(opposite(side));
    if (tif === TIF_GTX) {
      const best = opposing[0];
      if (best !== undefined && crosses(side, limitTicks, best.priceTicks)) return OUTCOME_POST_ONLY_WOULD_TAKE;
      this.append(orderId, owner, side, limitTicks, qtyLots, flags);
      this.lastRestingLots = qtyLots;
      return OUTCOME_ACCEPTED;
    }
    if (tif === TIF_FOK && this.previewFill(owner, side, limitTicks, qtyLots, stp) !== qtyLots) {
      return OUTCOME_FOK_UNFILLED;
    }

    let left = qtyLots;
    let selfTradeStop = false;
    const filledByOwner = new Map<number, number>();
    while (left > 0 && opposing.length > 0) {
      const maker = opposing[0]!;
      if (!crosses(side, limitTicks, maker.priceTicks)) break;
      if (stp !== STP_NONE && maker.owner === owner) {
        if (stp === STP_EXPIRE_TAKER) {
          selfTradeStop = true;
          break;
        }
        this.expireMaker(maker, MAKER_EXPIRE_STP);
        if (stp === STP_EXPIRE_BOTH) {
          selfTradeStop = true;
          break;
        }
        continue;
      }
      const reduceOnly = (maker.flags & FLAG_REDUCE_ONLY) !== 0;
      let cap = 0;
      if (reduceOnly) {
        cap = this.listener.reduceOnlyCapacity(maker.owner, maker.side) - (filledByOwner.get(maker.owner) ?? 0);
        if (cap <= 0) {
          this.expireMaker(maker, MAKER_EXPIRE_REDUCE_ONLY);
          continue;
        }
      }
      const qty = reduceOnly ? Math.min(left, maker.remainingLots, cap) : Math.min(left, maker.remainingLots);
      maker.remainingLots -= qty;
      left -= qty;
      this.lastFilledLots += qty;
      this.lastFilledNotionalTickLots += BigInt(maker.priceTicks) * BigInt(qty);
      filledByOwner.set(maker.owner, (filledByOwner.get(maker.owner) ?? 0) + qty);
      this.events.pushFill(maker.id, maker.owner, maker.priceTicks, qty, maker.remainingLots);
      if (maker.remainingLots === 0) {
        this.remove(maker);
      } else if (reduceOnly && qty === cap) {
        this.expireMaker(maker, MAKER_EXPIRE_REDUCE_ONLY);
      }
    }

    if (left > 0) {
      if (selfTradeStop) {
        this.lastExpiredLots = left;
        this.lastTakerExpireReason = TAKER_EXPIRE_STP;
      } else if (tif === TIF_GTC) {
        this.append(orderId, owner, side, limitTicks, left, flags);
        this.lastRestingLots = left;
      } else {
        this.lastExpiredLots = left;
        this.lastTakerExpireReason = TAKER_EXPIRE_IOC;
      }
    }
    return OUTCOME_ACCEPTED;
  }

  private expireMaker(maker: RefOrder, reason: number): void {
    this.events.pushMakerExpired(maker.id, maker.owner, maker.priceTicks, maker.remainingLots, reason);
    this.remove(maker);
  }

  private remove(order: RefOrder): void {
    const array = this.sideArray(order.side);
    const i = array.indexOf(order);
    assert(i >= 0, 'reference book lost an order');
    array.splice(i, 1);
    this.byId.delete(order.id);
  }

  private append(orderId: number, owner: number, side: Side, priceTicks: number, qtyLots: number, flags: number): void {
    const order: RefOrder = { id: orderId, owner, side, priceTicks, remainingLots: qtyLots, flags, seq: this.nextSeq++ };
    const array = this.sideArray(side);
    let i = 0;
    while (i < array.length && !better(side, priceTicks, array[i]!.priceTicks)) i++;
    array.splice(i, 0, order);
    this.byId.set(orderId, order);
  }

  cancel(orderId: number): number {
    assert(Number.isSafeInteger(orderId), 'orderId must be a safe integer');
    this.events.reset();
    const order = this.byId.get(orderId);
    if (order === undefined) return -1;
    this.remove(order);
    return order.remainingLots;
  }

  reduce(orderId: number, newRemainingLots: number): boolean {
    assert(Number.isSafeInteger(orderId), 'orderId must be a safe integer');
    assert(Number.isSafeInteger(newRemainingLots) && newRemainingLots > 0, 'newRemainingLots must be > 0');
    this.events.reset();
    const order = this.byId.get(orderId);
    if (order === undefined) return false;
    assert(newRemainingLots <= order.remainingLots, 'reduce cannot increase an order');
    order.remainingLots = newRemainingLots;
    return true;
  }

  insertResting(orderId: number, owner: number, side: Side, priceTicks: number, qtyLots: number, flags: number): void {
    this.validate(orderId, owner, side, priceTicks, qtyLots, flags);
    this.events.reset();
    assert(!this.byId.has(orderId), 'insertResting: order id already resting');
    const best = this.sideArray(opposite(side))[0];
    assert(best === undefined || !crosses(side, priceTicks, best.priceTicks), 'insertResting: order would cross the book');
    this.append(orderId, owner, side, priceTicks, qtyLots, flags);
  }

  previewFill(owner: number, side: Side, limitTicks: number, qtyLots: number, stp: StpCode): number {
    this.validate(0, owner, side, limitTicks, qtyLots, 0);
    assert([STP_NONE, STP_EXPIRE_TAKER, STP_EXPIRE_MAKER, STP_EXPIRE_BOTH].includes(stp), 'bad stp');
    let filled = 0;
    let notional = 0n;
    const filledByOwner = new Map<number, number>();
    for (const maker of this.sideArray(opposite(side))) {
      if (filled === qtyLots || !crosses(side, limitTicks, maker.priceTicks)) break;
      if (stp !== STP_NONE && maker.owner === owner) {
        if (stp === STP_EXPIRE_MAKER) continue;
        break;
      }
      let qty = Math.min(qtyLots - filled, maker.remainingLots);
      if ((maker.flags & FLAG_REDUCE_ONLY) !== 0) {
        const cap = this.listener.reduceOnlyCapacity(maker.owner, maker.side) - (filledByOwner.get(maker.owner) ?? 0);
        qty = Math.max(0, Math.min(qty, cap));
      }
      filled += qty;
      notional += BigInt(maker.priceTicks) * BigInt(qty);
      filledByOwner.set(maker.owner, (filledByOwner.get(maker.owner) ?? 0) + qty);
    }
    this.lastPreviewNotionalTickLots = notional;
    return filled;
  }

  bestBid(): number {
    return this.bids[0]?.priceTicks ?? -1;
  }

  bestAsk(): number {
    return this.asks[0]?.priceTicks ?? -1;
  }

  firstLevel(side: Side): number {
    return this.sideArray(side)[0]?.priceTicks ?? -1;
  }

  nextLevel(side: Side, priceTicks: number): number {
    assert(Number.isInteger(priceTicks) && priceTicks >= 1 && priceTicks <= this.maxPriceTicks, 'price out of range');
    const next = this.sideArray(side).find((o) => better(side, priceTicks, o.priceTicks));
    return next?.priceTicks ?? -1;
  }

  levelTotalLots(side: Side, priceTicks: number): number {
    return this.levelOrders(side, priceTicks).reduce((sum, o) => sum + o.remainingLots, 0);
  }

  levelOrderCount(side: Side, priceTicks: number): number {
    return this.levelOrders(side, priceTicks).length;
  }

  private levelOrders(side: Side, priceTicks: number): RefOrder[] {
    assert(Number.isInteger(priceTicks) && priceTicks >= 1 && priceTicks <= this.maxPriceTicks, 'price out of range');
    return this.sideArray(side).filter((o) => o.priceTicks === priceTicks);
  }

  has(orderId: number): boolean {
    return this.byId.has(orderId);
  }

  private resting(orderId: number): RefOrder {
    const order = this.byId.get(orderId);
    assert(order !== undefined, 'order is not resting');
    return order;
  }

  remainingLots(orderId: number): number {
    return this.resting(orderId).remainingLots;
  }

  priceOf(orderId: number): number {
    return this.resting(orderId).priceTicks;
  }

  sideOf(orderId: number): Side {
    return this.resting(orderId).side;
  }

  ownerOf(orderId: number): number {
    return this.resting(orderId).owner;
  }

  flagsOf(orderId: number): number {
    return this.resting(orderId).flags;
  }

  forEachOrder(side: Side, visit: (orderId: number, owner: number, priceTicks: number, remainingLots: number, flags: number) => void): void {
    // Iterate a copy so a misbehaving visitor cannot corrupt the iteration.
    for (const o of [...this.sideArray(side)]) visit(o.id, o.owner, o.priceTicks, o.remainingLots, o.flags);
  }

  checkIntegrity(): void {
    for (const side of [BUY, SELL] as const) {
      const array = this.sideArray(side);
      for (let i = 0; i < array.length; i++) {
        const o = array[i]!;
        assert(o.side === side, `order ${o.id} is on the wrong side`);
        assert(Number.isSafeInteger(o.remainingLots) && o.remainingLots > 0, `order ${o.id} has remaining ${o.remainingLots}`);
        assert(this.byId.get(o.id) === o, `order ${o.id} missing from the id map`);
        const prev = array[i - 1];
        if (prev !== undefined) {
          const ordered = better(side, prev.priceTicks, o.priceTicks) || (prev.priceTicks === o.priceTicks && prev.seq < o.seq);
          assert(ordered, `orders ${prev.id} and ${o.id} are out of priority order`);
        }
      }
    }
    assert(this.byId.size === this.bids.length + this.asks.length, 'id map size disagrees with the sides');
    const bid = this.bestBid();
    const ask = this.bestAsk();
    assert(bid === -1 || ask === -1 || bid < ask, `book is crossed: bid ${bid} >= ask ${ask}`);
  }
}

/** Creates the naive reference book (the oracle for tests; not for production). */
export function createReferenceBook(config: BookConfig): OrderBook {
  return new ReferenceOrderBook(config);
}
