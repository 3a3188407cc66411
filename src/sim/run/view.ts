/**
 * @module sim/run/view
 * Builds and refreshes the MarketView agents read. The prices come straight from the engine's
 * market state (index, mark, last, best bid/ask), read-only, between commands.
 */
import type { Engine } from '../../core/index.js';
import { PriceHistory } from '../agents/history.js';
import type { MarketView } from '../agents/types.js';
import { ticksToPrice } from '../data/ticks.js';

export function createView(engine: Engine, symbol: string, history = new PriceHistory()): MarketView {
  const market = engine.market(symbol);
  return {
    symbol, instrument: market.instrument, nowMs: 0, indexTicks: 0, markTicks: 0, lastTicks: 0, bestBid: -1,
    bestAsk: -1, history, engine, liquidityDrain: undefined,
  };
}

export function refreshView(view: MarketView, nowMs: number): void {
  const market = view.engine.market(view.symbol);
  view.nowMs = nowMs;
  view.indexTicks = market.indexTicks;
  view.markTicks = market.markTicks;
  view.lastTicks = market.lastTicks;
  view.bestBid = market.book.bestBid();
  view.bestAsk = market.book.bestAsk();
}

/** Records the index into the shared history (once per step). */
export function recordIndex(view: MarketView, nowMs: number): void {
  view.history.update(nowMs, ticksToPrice(view.indexTicks, view.instrument.tick));
}
