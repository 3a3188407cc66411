/**
 * @module book/book.differential
 * Differential harness for the property tests: decodes command streams from plain integers
 * (so fast-check can generate and shrink them without this file importing it) and drives two
 * books in lockstep, comparing every observable after every command and checking invariants.
 *
 * Invariants checked after each command: identical outcomes, last* fields, events, return values,
 * resting orders and levels in both books; never crossed; checkIntegrity passes on both; every id
 * known to be finished (filled, cancelled, expired, or a taker that did not rest) is not resting;
 * forEachOrder yields price priority, then arrival order; previewFill before a submit equals what
 * the submit then fills.
 */
import { AssertionFailure } from '../assert.js';
import { eventRows, levelRows, orderRows, same, type OrderRow } from './book.contract.js';
import {
  BUY, EVENT_FILL, FLAG_REDUCE_ONLY, OUTCOME_ACCEPTED, OUTCOME_FOK_UNFILLED, SELL, TIF_GTX,
  type BookConfig, type BookListener, type OrderBook, type Side, type StpCode, type TimeInForceCode,
} from './types.js';

/** Where generated prices fall: near one of the anchors, within ±spread ticks. */
export interface PriceWorld {
  readonly maxPriceTicks: number;
  readonly anchors: readonly number[];
  readonly spread: number;
  readonly owners: number;
}

export type BookCommand =
  | { readonly kind: 'submit'; readonly reuse: boolean; readonly pick: number; readonly owner: number; readonly side: Side;
    readonly priceTicks: number; readonly qtyLots: number; readonly tif: TimeInForceCode; readonly stp: StpCode; readonly flags: number }
  | { readonly kind: 'cancel'; readonly pick: number }
  | { readonly kind: 'reduce'; readonly pick: number; readonly amount: number }
  | { readonly kind: 'insert'; readonly owner: number; readonly side: Side; readonly priceTicks: number; readonly qtyLots: number; readonly flags: number }
  | { readonly kind: 'preview'; readonly owner: number; readonly side: Side; readonly priceTicks: number; readonly qtyLots: number; readonly stp: StpCode };

/** Number of integers one command is decoded from. */
export const COMMAND_WORDS = 8;

/** Decodes non-negative integers into a command; the mix favours submits so books fill up. */
export function decodeCommand(w: readonly number[], world: PriceWorld): BookCommand {
  const at = (i: number): number => w[i] ?? 0;
  const roll = at(0) % 100;
  const side: Side = (at(1) & 1) === 0 ? BUY : SELL;
  const anchor = world.anchors[(at(1) >>> 1) % world.anchors.length] ?? 1;
  const raw = anchor + (at(2) % (2 * world.spread + 1)) - world.spread;
  const priceTicks = raw < 1 ? 1 : raw > world.maxPriceTicks ? world.maxPriceTicks : raw;
  const qtyLots = at(3) % 17 === 0 ? 1 + (at(3) % 200) : 1 + (at(3) % 12);
  const mode = at(4);
  const tif = (mode & 3) as TimeInForceCode;
  const stp = ((mode & 16) === 0 ? 0 : (mode >>> 2) & 3) as StpCode;
  const owner = at(5) % world.owners;
  const flags = at(6) % 4 === 0 ? FLAG_REDUCE_ONLY : 0;
  const pick = at(7);
  if (roll < 55) return { kind: 'submit', reuse: false, pick, owner, side, priceTicks, qtyLots, tif, stp, flags };
  if (roll < 70) return { kind: 'cancel', pick };
  if (roll < 79) return { kind: 'reduce', pick, amount: at(3) };
  if (roll < 87) return { kind: 'insert', owner, side, priceTicks, qtyLots, flags };
  if (roll < 95) return { kind: 'preview', owner, side, priceTicks, qtyLots, stp };
  return { kind: 'submit', reuse: true, pick, owner, side, priceTicks, qtyLots, tif, stp, flags };
}

/** A deterministic reduce-only capacity table; the same table drives both books. */
export function tableListener(capacities: readonly number[]): BookListener {
  return {
    reduceOnlyCapacity: (owner, makerSide) => capacities[(owner * 2 + makerSide) % capacities.length] ?? 0,
  };
}

export class DifferentialRun {
  private readonly a: OrderBook;
  private readonly b: OrderBook;
  private readonly world: PriceWorld;
  private readonly knownIds: number[] = [];
  private readonly finished = new Set<number>();
  private readonly arrival = new Map<number, number>();
  private nextId = 1;
  private arrivals = 0;
  private step = 0;

  constructor(factoryA: (c: BookConfig) => OrderBook, factoryB: (c: BookConfig) => OrderBook, world: PriceWorld,
    capacities: readonly number[], initialCapacity = 4) {
    const config = { maxPriceTicks: world.maxPriceTicks, listener: tableListener(capacities), initialCapacity };
    this.a = factoryA(config);
    this.b = factoryB(config);
    this.world = world;
  }

  apply(command: BookCommand): void {
    this.step++;
    try {
      this.execute(command);
      this.compareAndCheck();
    } catch (error) {
      if (!(error instanceof AssertionFailure)) throw error;
      throw new AssertionFailure(`step ${this.step} ${JSON.stringify(command)}: ${error.message}`);
    }
  }

  private pickKnown(pick: number): number {
    return this.knownIds.length === 0 ? 1_000_000_000 + pick : this.knownIds[pick % this.knownIds.length]!;
  }

  private execute(c: BookCommand): void {
    const { a, b } = this;
    switch (c.kind) {
      case 'submit': {
        const id = c.reuse ? this.pickKnown(c.pick) : this.nextId++;
        if (!c.reuse) this.knownIds.push(id);
        const previewA = a.previewFill(c.owner, c.side, c.priceTicks, c.qtyLots, c.stp);
        const previewB = b.previewFill(c.owner, c.side, c.priceTicks, c.qtyLots, c.stp);
        same([previewA, a.lastPreviewNotionalTickLots], [previewB, b.lastPreviewNotionalTickLots], 'preview before submit');
        const wasResting = a.has(id);
        const outA = a.submit(id, c.owner, c.side, c.priceTicks, c.qtyLots, c.tif, c.stp, c.flags);
        const outB = b.submit(id, c.owner, c.side, c.priceTicks, c.qtyLots, c.tif, c.stp, c.flags);
        same(outA, outB, 'outcome');
        same(lastFields(a), lastFields(b), 'last fields');
        same(eventRows(a), eventRows(b), 'events');
        if (outA === OUTCOME_ACCEPTED && c.tif !== TIF_GTX) {
          same([a.lastFilledLots, a.lastFilledNotionalTickLots], [previewA, a.lastPreviewNotionalTickLots], 'preview equals submit');
        }
        if (outA === OUTCOME_FOK_UNFILLED && previewA >= c.qtyLots) throw new AssertionFailure('FOK refused a fillable order');
        if (outA !== OUTCOME_ACCEPTED && a.events.count !== 0) throw new AssertionFailure('refused submit emitted events');
        this.noteEvents();
        if (outA === OUTCOME_ACCEPTED) {
          if (wasResting) throw new AssertionFailure('duplicate id accepted');
          const total = a.lastFilledLots + a.lastRestingLots + a.lastExpiredLots;
          if (total !== c.qtyLots) throw new AssertionFailure(`filled + resting + expired = ${total} != ${c.qtyLots}`);
          if (a.lastRestingLots > 0) {
            this.finished.delete(id);
            this.arrival.set(id, this.arrivals++);
          } else {
            this.finished.add(id);
          }
        }
        return;
      }
      case 'cancel': {
        const id = this.pickKnown(c.pick);
        const lotsA = a.cancel(id);
        same(lotsA, b.cancel(id), 'cancel result');
        same([a.events.count, b.events.count], [0, 0], 'cancel emits nothing');
        if (lotsA >= 0) this.finished.add(id);
        return;
      }
      case 'reduce': {
        const id = this.pickKnown(c.pick);
        const current = a.has(id) ? a.remainingLots(id) : 1;
        const target = 1 + (c.amount % current);
        same(a.reduce(id, target), b.reduce(id, target), 'reduce result');
        return;
      }
      case 'insert': {
        const price = this.nonCrossingPrice(c.side, c.priceTicks);
        if (price === -1) return;
        const id = this.nextId++;
        this.knownIds.push(id);
        a.insertResting(id, c.owner, c.side, price, c.qtyLots, c.flags);
        b.insertResting(id, c.owner, c.side, price, c.qtyLots, c.flags);
        this.arrival.set(id, this.arrivals++);
        return;
      }
      case 'preview': {
        same([a.previewFill(c.owner, c.side, c.priceTicks, c.qtyLots, c.stp), a.lastPreviewNotionalTickLots],
          [b.previewFill(c.owner, c.side, c.priceTicks, c.qtyLots, c.stp), b.lastPreviewNotionalTickLots], 'preview');
        return;
      }
    }
  }

  /** Clamps a price to the passive side of the book, or -1 when no passive price exists. */
  private nonCrossingPrice(side: Side, priceTicks: number): number {
    if (side === BUY) {
      const ask = this.a.bestAsk();
      const price = ask === -1 || priceTicks < ask ? priceTicks : ask - 1;
      return price >= 1 ? price : -1;
    }
    const bid = this.a.bestBid();
    const price = bid === -1 || priceTicks > bid ? priceTicks : bid + 1;
    return price <= this.world.maxPriceTicks ? price : -1;
  }

  private noteEvents(): void {
    const e = this.a.events;
    for (let i = 0; i < e.count; i++) {
      if (e.kind[i] !== EVENT_FILL || e.makerRemainingLots[i] === 0) this.finished.add(e.makerOrderId[i]!);
    }
  }

  private compareAndCheck(): void {
    const { a, b } = this;
    same([a.size, a.bestBid(), a.bestAsk()], [b.size, b.bestBid(), b.bestAsk()], 'size and best prices');
    for (const side of [BUY, SELL] as const) {
      const rows = orderRows(a, side);
      same(rows, orderRows(b, side), `orders of side ${side}`);
      same(levelRows(a, side), levelRows(b, side), `levels of side ${side}`);
      this.checkPriority(side, rows);
      for (const [id, owner, price, lots, flags] of rows) {
        same([a.has(id), a.remainingLots(id), a.priceOf(id), a.sideOf(id), a.ownerOf(id), a.flagsOf(id)],
          [true, lots, price, side, owner, flags], `accessors of ${id}`);
      }
    }
    const bid = a.bestBid();
    const ask = a.bestAsk();
    if (bid !== -1 && ask !== -1 && bid >= ask) throw new AssertionFailure(`crossed: ${bid} >= ${ask}`);
    a.checkIntegrity();
    b.checkIntegrity();
    for (const id of this.finished) {
      if (a.has(id) || b.has(id)) throw new AssertionFailure(`finished order ${id} is still resting`);
    }
  }

  private checkPriority(side: Side, rows: readonly OrderRow[]): void {
    for (let i = 1; i < rows.length; i++) {
      const prev = rows[i - 1]!;
      const row = rows[i]!;
      const better = side === BUY ? prev[2] > row[2] : prev[2] < row[2];
      const earlier = prev[2] === row[2] && (this.arrival.get(prev[0]) ?? -1) < (this.arrival.get(row[0]) ?? -1);
      if (!better && !earlier) throw new AssertionFailure(`orders ${prev[0]} and ${row[0]} out of priority order`);
    }
  }
}

function lastFields(book: OrderBook): (number | bigint)[] {
  return [book.lastFilledLots, book.lastRestingLots, book.lastExpiredLots, book.lastTakerExpireReason,
    book.lastFilledNotionalTickLots];
}
