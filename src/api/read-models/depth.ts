/**
 * @module api/read-models/depth
 * The order book as the API publishes it, derived from committed OrderUpdate events only: each
 * order contributes its remaining quantity at its price while it rests (a live LIMIT, or a
 * triggered STOP/TAKE_PROFIT, with GTC/GTX), and a level is the sum of its orders. After each
 * committed entry the levels that changed are published with update id = the entry's seq, so REST
 * `lastUpdateId` and the WebSocket `U/u/pu` chain describe exactly the same sequence of states,
 * independent of how far the engine has run ahead of durability.
 */
import type { OrderView } from '../../core/index.js';

export type BookSide = 'bid' | 'ask';

export interface LevelChange {
  readonly side: BookSide;
  readonly priceTicks: number;
  /** New total at the level (0 = removed). */
  readonly qtyLots: number;
}

interface Contribution {
  readonly side: BookSide;
  readonly priceTicks: number;
  readonly lots: number;
}

function restingContribution(view: OrderView): Contribution | undefined {
  if (view.status !== 'NEW' && view.status !== 'PARTIALLY_FILLED') return undefined;
  if (view.origin === 'LIQUIDATION') return undefined;
  if (view.conditional && !view.triggered) return undefined;
  const limitType = view.orderType === 'LIMIT' || view.orderType === 'STOP' || view.orderType === 'TAKE_PROFIT';
  if (!limitType || (view.timeInForce !== 'GTC' && view.timeInForce !== 'GTX')) return undefined;
  const lots = view.origQtyLots - view.executedQtyLots;
  if (lots <= 0) return undefined;
  return { side: view.side === 'BUY' ? 'bid' : 'ask', priceTicks: view.priceTicks, lots };
}

export class DepthBook {
  readonly bids = new Map<number, number>();
  readonly asks = new Map<number, number>();
  private readonly contributions = new Map<number, Contribution>();
  /** Seq of the last entry that changed this book (Binance lastUpdateId). */
  lastUpdateId = 0;
  private sortedVersion = -1;
  private version = 0;
  private sortedBids: number[] = [];
  private sortedAsks: number[] = [];

  constructor(readonly symbol: string) {}

  /** Loads a live order at start-up (the engine's state is the committed state then). */
  seed(view: OrderView): void {
    const contribution = restingContribution(view);
    if (contribution === undefined) return;
    this.contributions.set(view.orderId, contribution);
    this.add(contribution.side, contribution.priceTicks, contribution.lots);
  }

  /**
   * Applies the final state of every order an entry touched; returns the changed levels (with
   * their new totals) in a stable order, or an empty array.
   */
  apply(finalViews: Iterable<OrderView>, seq: number): LevelChange[] {
    const touched = new Map<string, LevelChange>();
    for (const view of finalViews) {
      const before = this.contributions.get(view.orderId);
      const after = restingContribution(view);
      if (before !== undefined && after !== undefined && before.priceTicks === after.priceTicks &&
        before.side === after.side && before.lots === after.lots) continue;
      if (before !== undefined) {
        this.add(before.side, before.priceTicks, -before.lots);
        this.contributions.delete(view.orderId);
        touched.set(`${before.side}${before.priceTicks}`, { side: before.side, priceTicks: before.priceTicks, qtyLots: 0 });
      }
      if (after !== undefined) {
        this.add(after.side, after.priceTicks, after.lots);
        this.contributions.set(view.orderId, after);
        touched.set(`${after.side}${after.priceTicks}`, { side: after.side, priceTicks: after.priceTicks, qtyLots: 0 });
      }
    }
    if (touched.size === 0) return [];
    const changes: LevelChange[] = [];
    for (const change of touched.values()) {
      const levels = change.side === 'bid' ? this.bids : this.asks;
      changes.push({ side: change.side, priceTicks: change.priceTicks, qtyLots: levels.get(change.priceTicks) ?? 0 });
    }
    // Monotonic even for entries held during start-up and applied after the seed.
    if (seq > this.lastUpdateId) this.lastUpdateId = seq;
    this.version++;
    return changes;
  }

  private add(side: BookSide, priceTicks: number, lots: number): void {
    const levels = side === 'bid' ? this.bids : this.asks;
    const next = (levels.get(priceTicks) ?? 0) + lots;
    if (next === 0) levels.delete(priceTicks);
    else levels.set(priceTicks, next);
    // Best prices are kept incrementally (bookTicker reads them after every entry); a removed best
    // level is found again lazily by a scan.
    if (side === 'bid') {
      if (next === 0 && priceTicks === this.bestBidTicks) this.bestBidTicks = -1;
      else if (next !== 0 && this.bestBidTicks !== -1 && priceTicks > this.bestBidTicks) this.bestBidTicks = priceTicks;
      else if (next !== 0 && this.bids.size === 1) this.bestBidTicks = priceTicks;
    } else {
      if (next === 0 && priceTicks === this.bestAskTicks) this.bestAskTicks = -1;
      else if (next !== 0 && this.bestAskTicks !== -1 && priceTicks < this.bestAskTicks) this.bestAskTicks = priceTicks;
      else if (next !== 0 && this.asks.size === 1) this.bestAskTicks = priceTicks;
    }
  }

  /** -1 = unknown (recompute on read). */
  private bestBidTicks = -1;
  private bestAskTicks = -1;

  /** Best `limit` levels per side: bids descending, asks ascending. */
  top(limit: number): { bids: [number, number][]; asks: [number, number][] } {
    if (this.sortedVersion !== this.version) {
      this.sortedBids = [...this.bids.keys()].sort((a, b) => b - a);
      this.sortedAsks = [...this.asks.keys()].sort((a, b) => a - b);
      this.sortedVersion = this.version;
    }
    const take = (keys: number[], levels: Map<number, number>): [number, number][] =>
      keys.slice(0, limit).map((price) => [price, levels.get(price)!]);
    return { bids: take(this.sortedBids, this.bids), asks: take(this.sortedAsks, this.asks) };
  }

  bestBid(): [number, number] | undefined {
    if (this.bids.size === 0) return undefined;
    if (this.bestBidTicks === -1) {
      let best = -1;
      for (const price of this.bids.keys()) if (price > best) best = price;
      this.bestBidTicks = best;
    }
    return [this.bestBidTicks, this.bids.get(this.bestBidTicks)!];
  }

  bestAsk(): [number, number] | undefined {
    if (this.asks.size === 0) return undefined;
    if (this.bestAskTicks === -1) {
      let best = Infinity;
      for (const price of this.asks.keys()) if (price < best) best = price;
      this.bestAskTicks = best;
    }
    return [this.bestAskTicks, this.asks.get(this.bestAskTicks)!];
  }
}
