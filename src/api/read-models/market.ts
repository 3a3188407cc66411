/**
 * @module api/read-models/market
 * In-memory market state for public endpoints and streams: the published order book per symbol,
 * the latest mark/index/funding figures and the last trade. Seeded from the engine at start-up
 * (when its state is exactly the committed state) and then advanced only by committed events.
 */
import type { Engine, Instrument, MarkPriceUpdatedEvent } from '../../core/index.js';
import { DepthBook } from './depth.js';

export interface MarkState {
  markTicks: number;
  indexTicks: number;
  estimatedFundingRateE8: bigint;
  lastFundingRateE8: bigint;
  nextFundingMs: number;
  timeMs: number;
}

export interface LastTrade {
  tradeId: number;
  priceTicks: number;
  qtyLots: number;
  timeMs: number;
}

export class SymbolState {
  readonly depth: DepthBook;
  readonly mark: MarkState;
  lastTrade: LastTrade | undefined;

  constructor(readonly instrument: Instrument) {
    this.depth = new DepthBook(instrument.symbol);
    this.mark = { markTicks: 0, indexTicks: 0, estimatedFundingRateE8: 0n, lastFundingRateE8: 0n, nextFundingMs: 0, timeMs: 0 };
  }
}

export class MarketModel {
  readonly symbols = new Map<string, SymbolState>();

  constructor(readonly engine: Engine) {
    for (const instrument of engine.instruments) this.symbols.set(instrument.symbol, new SymbolState(instrument));
  }

  /** Seeds books and prices from the engine; call only while no command is in flight. */
  seedFromEngine(lastSeq: number): void {
    const engine = this.engine;
    for (const state of this.symbols.values()) {
      const symbol = state.instrument.symbol;
      const market = engine.market(symbol);
      this.onMark({
        type: 'MarkPriceUpdated', symbol, atMs: engine.clockMs, markTicks: market.markTicks, indexTicks: market.indexTicks,
        estimatedFundingRateE8: market.lastFundingRateE8, lastFundingRateE8: market.lastFundingRateE8,
        nextFundingMs: market.nextFundingMs,
      });
      if (market.lastTicks > 0) state.lastTrade = { tradeId: market.nextTradeId - 1, priceTicks: market.lastTicks, qtyLots: 0, timeMs: engine.clockMs };
      state.depth.lastUpdateId = lastSeq;
    }
    for (const view of engine.allOpenOrders()) this.symbols.get(view.symbol)?.depth.seed(view);
  }

  get(symbol: string): SymbolState | undefined {
    return this.symbols.get(symbol);
  }

  onMark(event: MarkPriceUpdatedEvent): void {
    const state = this.symbols.get(event.symbol);
    if (state === undefined) return;
    state.mark.markTicks = event.markTicks;
    state.mark.indexTicks = event.indexTicks;
    state.mark.estimatedFundingRateE8 = event.estimatedFundingRateE8;
    state.mark.lastFundingRateE8 = event.lastFundingRateE8;
    state.mark.nextFundingMs = event.nextFundingMs;
    state.mark.timeMs = event.atMs;
  }
}
