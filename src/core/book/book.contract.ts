/**
 * @module book/book.contract
 * The behavioural contract of types.ts as table-driven scenarios, run against every book
 * implementation (order-book.test.ts runs it for the fast and the reference book).
 *
 * It takes the test registration function as a parameter instead of importing vitest, so the
 * file obeys the src/core import rules. Every expected value is written out by hand from the
 * rules in types.ts, never computed by a book.
 */
import { AssertionFailure } from '../assert.js';
import {
  BUY, EVENT_FILL, FLAG_REDUCE_ONLY, MAKER_EXPIRE_REDUCE_ONLY, MAKER_EXPIRE_STP, OUTCOME_ACCEPTED,
  OUTCOME_DUPLICATE_ID, OUTCOME_FOK_UNFILLED, OUTCOME_POST_ONLY_WOULD_TAKE, SELL, STP_EXPIRE_BOTH,
  STP_EXPIRE_MAKER, STP_EXPIRE_TAKER, STP_NONE, TAKER_EXPIRE_IOC, TAKER_EXPIRE_NONE, TAKER_EXPIRE_STP,
  TIF_FOK, TIF_GTC, TIF_GTX, TIF_IOC,
  type BookConfig, type BookListener, type OrderBook, type Side, type StpCode, type TimeInForceCode,
} from './types.js';

export type BookFactory = (config: BookConfig) => OrderBook;
export type RegisterTest = (name: string, body: () => void) => void;

/** Expected event: ['fill', id, owner, price, qty, makerLeft] or ['expire', id, owner, price, qty, reason]. */
export type EventRow = readonly ['fill' | 'expire', number, number, number, number, number];
/** [orderId, owner, priceTicks, remainingLots, flags] in priority order. */
export type OrderRow = readonly [number, number, number, number, number];

const MAX_PRICE = 1_000_000;
const BTC_MAX_PRICE = 45_297_640;

/** Reduce-only capacities keyed `${owner}:${makerSide}`; missing keys mean 0. */
export function capacityListener(capacities: Readonly<Record<string, number>> = {}): BookListener {
  return { reduceOnlyCapacity: (owner, makerSide) => capacities[`${owner}:${makerSide}`] ?? 0 };
}

const failingListener: BookListener = {
  reduceOnlyCapacity: () => {
    throw new AssertionFailure('listener queried for a maker that is not reduce-only');
  },
};

export function eventRows(book: OrderBook): EventRow[] {
  const e = book.events;
  const rows: EventRow[] = [];
  for (let i = 0; i < e.count; i++) {
    const isFill = e.kind[i] === EVENT_FILL;
    rows.push([isFill ? 'fill' : 'expire', e.makerOrderId[i]!, e.makerOwner[i]!, e.priceTicks[i]!, e.qtyLots[i]!,
      isFill ? e.makerRemainingLots[i]! : e.reason[i]!]);
  }
  return rows;
}

export function orderRows(book: OrderBook, side: Side): OrderRow[] {
  const rows: OrderRow[] = [];
  book.forEachOrder(side, (id, owner, price, lots, flags) => rows.push([id, owner, price, lots, flags]));
  return rows;
}

/** [price, totalLots, orderCount] from the best level outward. */
export function levelRows(book: OrderBook, side: Side): Array<[number, number, number]> {
  const rows: Array<[number, number, number]> = [];
  for (let p = book.firstLevel(side); p !== -1; p = book.nextLevel(side, p)) {
    rows.push([p, book.levelTotalLots(side, p), book.levelOrderCount(side, p)]);
  }
  return rows;
}

function bigintAsText(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? `${value}n` : value;
}

export function same(actual: unknown, expected: unknown, what: string): void {
  const a = JSON.stringify(actual, bigintAsText);
  const b = JSON.stringify(expected, bigintAsText);
  if (a !== b) throw new AssertionFailure(`${what}: expected ${b}, got ${a}`);
}

function throwsAssertion(body: () => void, what: string): void {
  try {
    body();
  } catch (error) {
    if (error instanceof AssertionFailure) return;
    throw error;
  }
  throw new AssertionFailure(`${what}: expected an AssertionFailure`);
}

interface Outcome {
  outcome: number;
  filled: number;
  resting: number;
  expired: number;
  reason: number;
  notional: number;
  events: EventRow[];
}

function outcomeOf(book: OrderBook, outcome: number): Outcome {
  return {
    outcome, filled: book.lastFilledLots, resting: book.lastRestingLots, expired: book.lastExpiredLots,
    reason: book.lastTakerExpireReason, notional: Number(book.lastFilledNotionalTickLots), events: eventRows(book),
  };
}

function expectOutcome(actual: Outcome, expected: Partial<Outcome>, what: string): void {
  const full: Outcome = {
    outcome: OUTCOME_ACCEPTED, filled: 0, resting: 0, expired: 0, reason: TAKER_EXPIRE_NONE, notional: 0, events: [],
    ...expected,
  };
  same(actual, full, what);
}

export function runBookContract(factory: BookFactory, test: RegisterTest): void {
  const make = (capacities: Readonly<Record<string, number>> = {}, maxPriceTicks = MAX_PRICE): OrderBook =>
    factory({ maxPriceTicks, listener: capacityListener(capacities) });

  const submit = (book: OrderBook, id: number, owner: number, side: Side, price: number, qty: number,
    tif: TimeInForceCode = TIF_GTC, stp: StpCode = STP_NONE, flags = 0): Outcome =>
    outcomeOf(book, book.submit(id, owner, side, price, qty, tif, stp, flags));

  /** Rests an order through submit and checks it really rested whole. */
  const rest = (book: OrderBook, id: number, owner: number, side: Side, price: number, qty: number, flags = 0): void => {
    const r = submit(book, id, owner, side, price, qty, TIF_GTC, STP_NONE, flags);
    expectOutcome(r, { resting: qty }, `resting order ${id}`);
  };

  test('empty book has no levels and passes integrity', () => {
    const book = make();
    same([book.bestBid(), book.bestAsk(), book.size, book.firstLevel(BUY), book.firstLevel(SELL)], [-1, -1, 0, -1, -1], 'empty');
    same([book.levelTotalLots(BUY, 5), book.levelOrderCount(SELL, 5), book.has(1)], [0, 0, false], 'empty level');
    book.checkIntegrity();
  });

  test('GTC order with nothing to match rests whole and is queryable', () => {
    const book = make();
    const r = submit(book, 1, 7, BUY, 100, 5, TIF_GTC, STP_NONE, FLAG_REDUCE_ONLY);
    expectOutcome(r, { resting: 5 }, 'rest');
    same([book.has(1), book.remainingLots(1), book.priceOf(1), book.sideOf(1), book.ownerOf(1), book.flagsOf(1)],
      [true, 5, 100, BUY, 7, FLAG_REDUCE_ONLY], 'accessors');
    same([book.bestBid(), book.bestAsk(), book.size], [100, -1, 1], 'best');
    book.checkIntegrity();
  });

  test('price-time priority: better price first, then arrival; fills at the maker price', () => {
    const book = make();
    rest(book, 1, 1, SELL, 101, 2);
    rest(book, 2, 2, SELL, 100, 3);
    rest(book, 3, 3, SELL, 100, 4);
    rest(book, 4, 4, SELL, 102, 1);
    const r = submit(book, 9, 9, BUY, 101, 8, TIF_IOC);
    expectOutcome(r, {
      filled: 8, notional: 3 * 100 + 4 * 100 + 1 * 101,
      events: [['fill', 2, 2, 100, 3, 0], ['fill', 3, 3, 100, 4, 0], ['fill', 1, 1, 101, 1, 1]],
    }, 'sweep');
    same(orderRows(book, SELL), [[1, 1, 101, 1, 0], [4, 4, 102, 1, 0]], 'asks after');
    same(levelRows(book, SELL), [[101, 1, 1], [102, 1, 1]], 'levels after');
    same([book.has(2), book.has(3), book.has(9), book.size], [false, false, false, 2], 'done orders');
    book.checkIntegrity();
  });

  test('sell taker sweeps bids from the highest price down', () => {
    const book = make();
    rest(book, 1, 1, BUY, 100, 2);
    rest(book, 2, 2, BUY, 101, 2);
    rest(book, 3, 3, BUY, 99, 2);
    const r = submit(book, 9, 9, SELL, 100, 3, TIF_GTC);
    expectOutcome(r, { filled: 3, notional: 2 * 101 + 100, events: [['fill', 2, 2, 101, 2, 0], ['fill', 1, 1, 100, 1, 1]] }, 'sell sweep');
    same(orderRows(book, BUY), [[1, 1, 100, 1, 0], [3, 3, 99, 2, 0]], 'bids after');
    book.checkIntegrity();
  });

  test('partial fill leaves the maker at the head of its level with the remainder', () => {
    const book = make();
    rest(book, 1, 1, SELL, 100, 10);
    rest(book, 2, 2, SELL, 100, 1);
    const r = submit(book, 3, 3, BUY, 100, 4);
    expectOutcome(r, { filled: 4, notional: 400, events: [['fill', 1, 1, 100, 4, 6]] }, 'partial');
    same(orderRows(book, SELL), [[1, 1, 100, 6, 0], [2, 2, 100, 1, 0]], 'maker keeps priority');
    same([book.levelTotalLots(SELL, 100), book.levelOrderCount(SELL, 100), book.has(3)], [7, 2, false], 'level');
    book.checkIntegrity();
  });

  test('GTC remainder rests at its limit and never trades beyond it', () => {
    const book = make();
    rest(book, 1, 1, SELL, 100, 3);
    rest(book, 2, 1, SELL, 106, 3);
    const r = submit(book, 3, 2, BUY, 105, 10);
    expectOutcome(r, { filled: 3, resting: 7, notional: 300, events: [['fill', 1, 1, 100, 3, 0]] }, 'gtc');
    same([book.bestBid(), book.bestAsk(), book.remainingLots(3), book.priceOf(3)], [105, 106, 7, 105], 'after');
    book.checkIntegrity();
  });

  test('IOC expires its remainder (reason IOC) and never rests', () => {
    const book = make();
    rest(book, 1, 1, SELL, 100, 3);
    const r = submit(book, 2, 2, BUY, 100, 5, TIF_IOC);
    expectOutcome(r, { filled: 3, expired: 2, reason: TAKER_EXPIRE_IOC, notional: 300, events: [['fill', 1, 1, 100, 3, 0]] }, 'ioc');
    same([book.has(2), book.size], [false, 0], 'ioc not resting');
    const none = submit(book, 3, 2, SELL, 50, 4, TIF_IOC);
    expectOutcome(none, { expired: 4, reason: TAKER_EXPIRE_IOC }, 'ioc with no liquidity');
    const exact = make();
    rest(exact, 1, 1, BUY, 10, 2);
    expectOutcome(submit(exact, 2, 2, SELL, 10, 2, TIF_IOC), { filled: 2, notional: 20, events: [['fill', 1, 1, 10, 2, 0]] }, 'ioc exact');
    book.checkIntegrity();
  });

  test('FOK that cannot fill completely changes nothing and emits nothing', () => {
    const book = make();
    rest(book, 1, 1, SELL, 100, 3);
    rest(book, 2, 1, SELL, 101, 3);
    submit(book, 3, 2, BUY, 101, 1, TIF_IOC);
    const before = orderRows(book, SELL);
    const r = submit(book, 4, 2, BUY, 100, 3, TIF_FOK);
    expectOutcome(r, { outcome: OUTCOME_FOK_UNFILLED }, 'fok unfilled');
    same(orderRows(book, SELL), before, 'book unchanged');
    same(book.has(4), false, 'fok not resting');
    book.checkIntegrity();
  });

  test('FOK that can fill sweeps like IOC and leaves nothing', () => {
    const book = make();
    rest(book, 1, 1, SELL, 100, 3);
    rest(book, 2, 1, SELL, 101, 3);
    const r = submit(book, 3, 2, BUY, 101, 5, TIF_FOK);
    expectOutcome(r, { filled: 5, notional: 300 + 202, events: [['fill', 1, 1, 100, 3, 0], ['fill', 2, 1, 101, 2, 1]] }, 'fok');
    const all = submit(book, 4, 2, BUY, 101, 1, TIF_FOK);
    expectOutcome(all, { filled: 1, notional: 101, events: [['fill', 2, 1, 101, 1, 0]] }, 'fok exact');
    same(book.size, 0, 'empty');
    book.checkIntegrity();
  });

  test('GTX (post-only) rejects when crossing, own orders included, and rests otherwise', () => {
    const book = make();
    rest(book, 1, 5, SELL, 100, 3);
    rest(book, 2, 6, BUY, 90, 3);
    expectOutcome(submit(book, 3, 5, BUY, 100, 1, TIF_GTX), { outcome: OUTCOME_POST_ONLY_WOULD_TAKE }, 'gtx at ask');
    expectOutcome(submit(book, 4, 7, BUY, 150, 1, TIF_GTX, STP_EXPIRE_MAKER), { outcome: OUTCOME_POST_ONLY_WOULD_TAKE }, 'gtx through ask');
    expectOutcome(submit(book, 5, 6, SELL, 90, 1, TIF_GTX), { outcome: OUTCOME_POST_ONLY_WOULD_TAKE }, 'gtx at bid');
    same([book.has(3), book.has(4), book.has(5), book.size], [false, false, false, 2], 'nothing rested');
    expectOutcome(submit(book, 6, 5, BUY, 99, 2, TIF_GTX), { resting: 2 }, 'gtx below ask');
    expectOutcome(submit(book, 7, 5, SELL, 99, 2, TIF_GTX), { outcome: OUTCOME_POST_ONLY_WOULD_TAKE }, 'gtx at new bid');
    expectOutcome(submit(book, 8, 5, SELL, 100, 2, TIF_GTX), { resting: 2 }, 'gtx above bid');
    const empty = make();
    expectOutcome(submit(empty, 1, 1, SELL, 1, 2, TIF_GTX), { resting: 2 }, 'gtx into empty book');
    same([book.bestBid(), book.bestAsk(), book.levelOrderCount(SELL, 100)], [99, 100, 2], 'best after gtx');
    book.checkIntegrity();
  });

  test('duplicate resting id is refused without change; a finished id may be reused', () => {
    const book = make();
    rest(book, 1, 1, SELL, 100, 3);
    submit(book, 2, 2, BUY, 100, 1);
    expectOutcome(submit(book, 1, 3, BUY, 100, 5), { outcome: OUTCOME_DUPLICATE_ID }, 'duplicate');
    same(orderRows(book, SELL), [[1, 1, 100, 2, 0]], 'unchanged');
    same(book.events.count, 0, 'events cleared on duplicate');
    book.cancel(1);
    expectOutcome(submit(book, 1, 3, BUY, 100, 5), { resting: 5 }, 'reuse after cancel');
    book.checkIntegrity();
  });

  // STP book: ask 1 (owner 8) @100 ×2, ask 2 (owner 7) @100 ×3, ask 3 (owner 8) @101 ×4.
  const stpBook = (): OrderBook => {
    const book = make();
    rest(book, 1, 8, SELL, 100, 2);
    rest(book, 2, 7, SELL, 100, 3);
    rest(book, 3, 8, SELL, 101, 4);
    return book;
  };

  test('STP NONE lets an owner trade with itself', () => {
    const book = stpBook();
    const r = submit(book, 9, 7, BUY, 100, 10, TIF_IOC, STP_NONE);
    expectOutcome(r, { filled: 5, expired: 5, reason: TAKER_EXPIRE_IOC, notional: 500,
      events: [['fill', 1, 8, 100, 2, 0], ['fill', 2, 7, 100, 3, 0]] }, 'stp none');
    book.checkIntegrity();
  });

  test('STP EXPIRE_TAKER stops at the own maker and expires the taker remainder, even GTC', () => {
    const book = stpBook();
    const r = submit(book, 9, 7, BUY, 101, 10, TIF_GTC, STP_EXPIRE_TAKER);
    expectOutcome(r, { filled: 2, expired: 8, reason: TAKER_EXPIRE_STP, notional: 200, events: [['fill', 1, 8, 100, 2, 0]] }, 'expire taker');
    same(orderRows(book, SELL), [[2, 7, 100, 3, 0], [3, 8, 101, 4, 0]], 'makers untouched');
    same([book.has(9), book.bestBid()], [false, -1], 'taker not resting');
    book.checkIntegrity();
  });

  test('STP EXPIRE_MAKER expires each own maker and keeps matching; GTC remainder rests', () => {
    const book = stpBook();
    const r = submit(book, 9, 7, BUY, 101, 10, TIF_GTC, STP_EXPIRE_MAKER);
    expectOutcome(r, { filled: 6, resting: 4, notional: 200 + 404,
      events: [['fill', 1, 8, 100, 2, 0], ['expire', 2, 7, 100, 3, MAKER_EXPIRE_STP], ['fill', 3, 8, 101, 4, 0]] }, 'expire maker');
    same([book.bestBid(), book.bestAsk(), book.remainingLots(9), book.size], [101, -1, 4, 1], 'after');
    book.checkIntegrity();
  });

  test('STP EXPIRE_BOTH expires the own maker, then the taker remainder', () => {
    const book = stpBook();
    const r = submit(book, 9, 7, BUY, 101, 10, TIF_GTC, STP_EXPIRE_BOTH);
    expectOutcome(r, { filled: 2, expired: 8, reason: TAKER_EXPIRE_STP, notional: 200,
      events: [['fill', 1, 8, 100, 2, 0], ['expire', 2, 7, 100, 3, MAKER_EXPIRE_STP]] }, 'expire both');
    same(orderRows(book, SELL), [[3, 8, 101, 4, 0]], 'only the other owner remains');
    book.checkIntegrity();
  });

  test('STP only triggers on the same owner', () => {
    const book = stpBook();
    const r = submit(book, 9, 6, BUY, 100, 5, TIF_IOC, STP_EXPIRE_BOTH);
    expectOutcome(r, { filled: 5, notional: 500, events: [['fill', 1, 8, 100, 2, 0], ['fill', 2, 7, 100, 3, 0]] }, 'other owner');
    book.checkIntegrity();
  });

  test('FOK honours STP in its preview', () => {
    const maker = make();
    rest(maker, 1, 7, SELL, 100, 5);
    rest(maker, 2, 8, SELL, 101, 5);
    const ok = submit(maker, 9, 7, BUY, 101, 5, TIF_FOK, STP_EXPIRE_MAKER);
    expectOutcome(ok, { filled: 5, notional: 505,
      events: [['expire', 1, 7, 100, 5, MAKER_EXPIRE_STP], ['fill', 2, 8, 101, 5, 0]] }, 'fok expire maker');
    const taker = make();
    rest(taker, 1, 7, SELL, 100, 5);
    rest(taker, 2, 8, SELL, 101, 5);
    expectOutcome(submit(taker, 9, 7, BUY, 101, 5, TIF_FOK, STP_EXPIRE_TAKER), { outcome: OUTCOME_FOK_UNFILLED }, 'fok expire taker');
    expectOutcome(submit(taker, 10, 7, BUY, 101, 5, TIF_FOK, STP_EXPIRE_BOTH), { outcome: OUTCOME_FOK_UNFILLED }, 'fok expire both');
    same(taker.size, 2, 'nothing expired by a failed FOK');
    taker.checkIntegrity();
  });

  test('reduce-only makers: cap is capacity minus this sweep\'s fills by the owner (any flag)', () => {
    const book = make({ '5:1': 4, '5:0': 100 });
    rest(book, 1, 5, SELL, 100, 3, FLAG_REDUCE_ONLY);
    rest(book, 2, 5, SELL, 100, 2);
    rest(book, 3, 5, SELL, 101, 5, FLAG_REDUCE_ONLY);
    rest(book, 4, 6, SELL, 101, 1);
    same([book.previewFill(9, BUY, 101, 20, STP_NONE), book.lastPreviewNotionalTickLots], [6, 601n], 'preview');
    const r = submit(book, 9, 9, BUY, 101, 20, TIF_IOC);
    expectOutcome(r, { filled: 6, expired: 14, reason: TAKER_EXPIRE_IOC, notional: 300 + 200 + 101, events: [
      ['fill', 1, 5, 100, 3, 0], ['fill', 2, 5, 100, 2, 0],
      ['expire', 3, 5, 101, 5, MAKER_EXPIRE_REDUCE_ONLY], ['fill', 4, 6, 101, 1, 0]] }, 'reduce-only sweep');
    same(book.size, 0, 'all gone');
    book.checkIntegrity();
  });

  test('reduce-only maker whose cap runs out keeps no remainder: it is expired right after the fill', () => {
    const book = make({ '5:1': 2 });
    rest(book, 1, 5, SELL, 100, 5, FLAG_REDUCE_ONLY);
    rest(book, 2, 6, SELL, 100, 5);
    const r = submit(book, 9, 9, BUY, 100, 10, TIF_IOC);
    expectOutcome(r, { filled: 7, expired: 3, reason: TAKER_EXPIRE_IOC, notional: 700, events: [
      ['fill', 1, 5, 100, 2, 3], ['expire', 1, 5, 100, 3, MAKER_EXPIRE_REDUCE_ONLY], ['fill', 2, 6, 100, 5, 0]] }, 'cap exhausted');
    const small = make({ '5:1': 2 });
    rest(small, 1, 5, SELL, 100, 5, FLAG_REDUCE_ONLY);
    expectOutcome(submit(small, 9, 9, BUY, 100, 2, TIF_IOC), { filled: 2, notional: 200, events: [
      ['fill', 1, 5, 100, 2, 3], ['expire', 1, 5, 100, 3, MAKER_EXPIRE_REDUCE_ONLY]] }, 'cap exhausted with taker done');
    same(small.size, 0, 'expired maker gone');
    book.checkIntegrity();
    small.checkIntegrity();
  });

  test('reduce-only maker with spare cap fills normally and stays; zero cap expires it', () => {
    const book = make({ '5:1': 10, '6:0': 0 });
    rest(book, 1, 5, SELL, 100, 5, FLAG_REDUCE_ONLY);
    expectOutcome(submit(book, 9, 9, BUY, 100, 2, TIF_IOC), { filled: 2, notional: 200, events: [['fill', 1, 5, 100, 2, 3]] }, 'spare cap');
    same(orderRows(book, SELL), [[1, 5, 100, 3, FLAG_REDUCE_ONLY]], 'maker stays');
    rest(book, 2, 6, BUY, 90, 4, FLAG_REDUCE_ONLY);
    rest(book, 3, 7, BUY, 90, 4);
    expectOutcome(submit(book, 10, 9, SELL, 90, 3, TIF_GTC), { filled: 3, notional: 270, events: [
      ['expire', 2, 6, 90, 4, MAKER_EXPIRE_REDUCE_ONLY], ['fill', 3, 7, 90, 3, 1]] }, 'zero cap, buy-side maker');
    book.checkIntegrity();
  });

  test('the listener is queried only for reduce-only makers', () => {
    const book = factory({ maxPriceTicks: MAX_PRICE, listener: failingListener });
    rest(book, 1, 1, SELL, 100, 5);
    rest(book, 2, 2, BUY, 90, 5);
    expectOutcome(submit(book, 3, 3, BUY, 100, 2, TIF_IOC), { filled: 2, notional: 200, events: [['fill', 1, 1, 100, 2, 3]] }, 'no query');
    same(book.previewFill(3, SELL, 90, 9, STP_NONE), 5, 'preview without query');
    book.checkIntegrity();
  });

  test('STP is decided before the reduce-only cap for an own reduce-only maker', () => {
    const book = make({ '5:1': 0 });
    rest(book, 1, 5, SELL, 100, 5, FLAG_REDUCE_ONLY);
    expectOutcome(submit(book, 9, 5, BUY, 100, 2, TIF_IOC, STP_EXPIRE_MAKER), { expired: 2, reason: TAKER_EXPIRE_IOC,
      events: [['expire', 1, 5, 100, 5, MAKER_EXPIRE_STP]] }, 'stp reason wins');
    book.checkIntegrity();
  });

  test('cancel removes any order, returns its lots, emits nothing; unknown ids give -1', () => {
    const book = make();
    rest(book, 1, 1, SELL, 100, 1);
    rest(book, 2, 1, SELL, 100, 2);
    rest(book, 3, 1, SELL, 100, 3);
    rest(book, 4, 1, SELL, 101, 4);
    submit(book, 5, 2, BUY, 100, 1, TIF_IOC);
    same(book.events.count, 1, 'fill event before cancel');
    same(book.cancel(3), 3, 'cancel tail');
    same(book.events.count, 0, 'cancel clears events');
    same(book.cancel(3), -1, 'cancel twice');
    same(book.cancel(77), -1, 'cancel unknown');
    same(orderRows(book, SELL), [[2, 1, 100, 2, 0], [4, 1, 101, 4, 0]], 'after cancel');
    same(book.cancel(2), 2, 'cancel last of best level');
    same([book.bestAsk(), book.levelOrderCount(SELL, 100), book.levelTotalLots(SELL, 100)], [101, 0, 0], 'best moves');
    same(book.cancel(4), 4, 'cancel last order');
    same([book.bestAsk(), book.size], [-1, 0], 'empty');
    rest(book, 6, 1, BUY, 50, 1);
    rest(book, 7, 1, BUY, 50, 1);
    rest(book, 8, 1, BUY, 50, 1);
    same(book.cancel(7), 1, 'cancel middle');
    same(orderRows(book, BUY), [[6, 1, 50, 1, 0], [8, 1, 50, 1, 0]], 'middle unlinked');
    book.checkIntegrity();
  });

  test('reduce lowers remaining lots in place and keeps time priority', () => {
    const book = make();
    rest(book, 1, 1, SELL, 100, 5);
    rest(book, 2, 2, SELL, 100, 5);
    same(book.reduce(1, 2), true, 'reduce');
    same(book.reduce(2, 5), true, 'reduce to the same lots');
    same(book.reduce(99, 1), false, 'reduce unknown');
    same([book.remainingLots(1), book.levelTotalLots(SELL, 100), book.levelOrderCount(SELL, 100)], [2, 7, 2], 'level after reduce');
    expectOutcome(submit(book, 3, 3, BUY, 100, 3, TIF_IOC), { filled: 3, notional: 300,
      events: [['fill', 1, 1, 100, 2, 0], ['fill', 2, 2, 100, 1, 4]] }, 'reduced order still first');
    throwsAssertion(() => book.reduce(2, 5), 'reduce above remaining');
    throwsAssertion(() => book.reduce(2, 0), 'reduce to zero');
    book.checkIntegrity();
  });

  test('insertResting appends at the tail without matching and refuses crossing or duplicates', () => {
    const book = make();
    rest(book, 1, 1, BUY, 100, 5);
    rest(book, 2, 1, SELL, 105, 5);
    submit(book, 3, 2, SELL, 100, 1, TIF_IOC);
    book.insertResting(4, 3, BUY, 100, 7, FLAG_REDUCE_ONLY);
    same(book.events.count, 0, 'insert clears events');
    book.insertResting(5, 3, SELL, 104, 1, 0);
    same(orderRows(book, BUY), [[1, 1, 100, 4, 0], [4, 3, 100, 7, FLAG_REDUCE_ONLY]], 'appended at tail');
    same(book.bestAsk(), 104, 'new best ask');
    throwsAssertion(() => book.insertResting(6, 3, BUY, 104, 1, 0), 'insert crossing buy');
    throwsAssertion(() => book.insertResting(6, 3, SELL, 100, 1, 0), 'insert crossing sell');
    throwsAssertion(() => book.insertResting(4, 3, BUY, 90, 1, 0), 'insert duplicate');
    same(book.size, 4, 'nothing added by failed inserts');
    book.checkIntegrity();
  });

  test('level iteration walks from the best price outward', () => {
    const book = make();
    rest(book, 1, 1, BUY, 100, 2);
    rest(book, 2, 1, BUY, 95, 3);
    rest(book, 3, 1, BUY, 100, 4);
    rest(book, 4, 1, BUY, 98, 1);
    rest(book, 5, 1, SELL, 103, 1);
    rest(book, 6, 1, SELL, 200, 9);
    same(levelRows(book, BUY), [[100, 6, 2], [98, 1, 1], [95, 3, 1]], 'bid levels');
    same(levelRows(book, SELL), [[103, 1, 1], [200, 9, 1]], 'ask levels');
    same([book.nextLevel(BUY, 99), book.nextLevel(SELL, 104), book.nextLevel(SELL, 200), book.nextLevel(BUY, 95)],
      [98, 200, -1, -1], 'next from arbitrary prices');
    same(orderRows(book, BUY).map((r) => r[0]), [1, 3, 4, 2], 'forEachOrder priority');
  });

  test('previewFill equals what submit then fills, across TIFs, STP modes and caps', () => {
    const build = (): OrderBook => {
      const book = make({ '3:1': 4 });
      rest(book, 1, 1, SELL, 100, 3);
      rest(book, 2, 2, SELL, 100, 2);
      rest(book, 3, 3, SELL, 101, 6, FLAG_REDUCE_ONLY);
      rest(book, 4, 1, SELL, 102, 5);
      rest(book, 5, 4, SELL, 103, 7);
      return book;
    };
    // [owner, limit, qty, stp, expected fill, expected notional], all worked out by hand.
    const cases: Array<[number, number, number, StpCode, number, number]> = [
      [9, 103, 100, STP_NONE, 3 + 2 + 4 + 5 + 7, 300 + 200 + 404 + 510 + 721],
      [9, 101, 8, STP_NONE, 8, 300 + 200 + 303],
      [1, 103, 100, STP_EXPIRE_MAKER, 2 + 4 + 7, 200 + 404 + 721],
      [1, 103, 100, STP_EXPIRE_TAKER, 0, 0],
      [2, 103, 100, STP_EXPIRE_BOTH, 3, 300],
      [3, 103, 100, STP_EXPIRE_MAKER, 3 + 2 + 5 + 7, 300 + 200 + 510 + 721],
      [9, 99, 5, STP_NONE, 0, 0],
    ];
    for (const [owner, limit, qty, stp, fill, notional] of cases) {
      const book = build();
      same([book.previewFill(owner, BUY, limit, qty, stp), book.lastPreviewNotionalTickLots], [fill, BigInt(notional)],
        `preview owner ${owner} limit ${limit} stp ${stp}`);
      same(book.size, 5, 'preview changes nothing');
      submit(book, 50, owner, BUY, limit, qty, TIF_IOC, stp);
      same([book.lastFilledLots, book.lastFilledNotionalTickLots], [fill, BigInt(notional)], `submit owner ${owner} limit ${limit} stp ${stp}`);
      book.checkIntegrity();
    }
  });

  test('events are cleared at the start of every mutating call and grow past any initial size', () => {
    const book = make();
    for (let i = 1; i <= 300; i++) rest(book, i, i, SELL, 1000 + (i % 7), 1);
    const r = submit(book, 1000, 0, BUY, 1006, 300, TIF_IOC);
    same([r.filled, r.events.length, book.size], [300, 300, 0], 'one event per maker');
    same(r.events[0], ['fill', 7, 7, 1000, 1, 0], 'first fill is the oldest order at the best price');
    rest(book, 2000, 1, BUY, 10, 1);
    same(book.events.count, 0, 'resting submit clears events');
    book.checkIntegrity();
  });

  test('bad input is an assertion failure', () => {
    const book = make();
    const bad: Array<() => void> = [
      () => book.submit(1, 1, BUY, 100, 0, TIF_GTC, STP_NONE, 0),
      () => book.submit(1, 1, BUY, 0, 1, TIF_GTC, STP_NONE, 0),
      () => book.submit(1, 1, BUY, MAX_PRICE + 1, 1, TIF_GTC, STP_NONE, 0),
      () => book.submit(1, 1, BUY, Number('100.5'), 1, TIF_GTC, STP_NONE, 0),
      () => book.submit(1, 1, 2 as Side, 100, 1, TIF_GTC, STP_NONE, 0),
      () => book.submit(Number('1.5'), 1, BUY, 100, 1, TIF_GTC, STP_NONE, 0),
      () => book.submit(1, 1, BUY, 100, 1, 4 as TimeInForceCode, STP_NONE, 0),
      () => book.submit(1, 1, BUY, 100, 1, TIF_GTC, 7 as StpCode, 0),
      () => book.submit(1, 1, BUY, 100, -3, TIF_GTC, STP_NONE, 0),
      () => book.previewFill(1, BUY, 100, 0, STP_NONE),
      () => book.remainingLots(12345),
    ];
    bad.forEach((call, i) => throwsAssertion(call, `bad call ${i}`));
    same(book.size, 0, 'nothing rested');
    book.checkIntegrity();
  });

  test('fill and preview notionals beyond 2^53 are exact', () => {
    const book = make({}, 2_000_000_000);
    rest(book, 1, 1, SELL, 1_999_999_999, 2 ** 30);
    rest(book, 3, 1, SELL, 2_000_000_000, 2 ** 30 + 1);
    const expected = 1_999_999_999n * 2n ** 30n + 2_000_000_000n * (2n ** 30n + 1n);
    same([book.previewFill(2, BUY, 2_000_000_000, 2 ** 31 + 1, STP_NONE), book.lastPreviewNotionalTickLots],
      [2 ** 31 + 1, expected], 'preview beyond 2^53');
    book.submit(2, 2, BUY, 2_000_000_000, 2 ** 31 + 1, TIF_IOC, STP_NONE, 0);
    same([book.lastFilledLots, book.lastFilledNotionalTickLots], [2 ** 31 + 1, expected], 'fill beyond 2^53');
  });

  test('prices across the whole BTCUSDT tick range, word and page boundaries', () => {
    const book = make({}, BTC_MAX_PRICE);
    const asks = [1, 31, 32, 33, 1023, 1024, 1025, 32767, 32768, 1_048_575, 1_048_576, 33_554_431, 33_554_432, BTC_MAX_PRICE];
    [...asks].reverse().forEach((price, i) => rest(book, i + 1, 1, SELL, price, 1));
    same(levelRows(book, SELL).map((r) => r[0]), asks, 'ascending ask levels');
    same(book.nextLevel(SELL, 1024), 1025, 'next above 1024');
    book.checkIntegrity();
    const r = submit(book, 100, 2, BUY, BTC_MAX_PRICE, asks.length, TIF_IOC);
    same(r.events.map((e) => e[3]), asks, 'sweep order');
    same([book.bestAsk(), book.size], [-1, 0], 'all swept');
    const bids = book;
    asks.forEach((price, i) => rest(bids, 200 + i, 1, BUY, price, 2));
    same(levelRows(bids, BUY).map((r2) => r2[0]), [...asks].reverse(), 'descending bid levels');
    same(bids.nextLevel(BUY, 32768), 32767, 'next below 32768');
    const s = submit(bids, 300, 2, SELL, 1, 100, TIF_IOC);
    same([s.filled, s.expired, bids.size], [asks.length * 2, 100 - asks.length * 2, 0], 'sell sweep of all');
    bids.checkIntegrity();
  });

  test('capacity grows by doubling and freed slots are reused', () => {
    const book = factory({ maxPriceTicks: MAX_PRICE, listener: capacityListener(), initialCapacity: 2 });
    for (let i = 1; i <= 100; i++) rest(book, i, i % 5, i % 2 === 0 ? BUY : SELL, i % 2 === 0 ? 500 - (i % 9) : 600 + (i % 11), i);
    for (let i = 1; i <= 100; i += 3) same(book.cancel(i), i, `cancel ${i}`);
    for (let i = 101; i <= 160; i++) rest(book, i, 1, BUY, 400 + (i % 13), 1);
    same(book.size, 100 - 34 + 60, 'size');
    book.checkIntegrity();
    let previousPrice = Number.MAX_SAFE_INTEGER;
    book.forEachOrder(BUY, (_id, _owner, price) => {
      if (price > previousPrice) throw new AssertionFailure('bids out of order');
      previousPrice = price;
    });
  });
}
