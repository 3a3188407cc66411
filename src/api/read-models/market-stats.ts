/**
 * @module api/read-models/market-stats
 * Samples every symbol's positions once per STATS_PERIOD_MS of venue time, on the first committed
 * entry of each period, into the read store: open interest and mark (openInterestHist), accounts
 * long and short (globalLongShortAccountRatio) and the same among the top traders, with their size
 * (topLongShortAccountRatio, topLongShortPositionRatio). Binance ranks top traders by margin
 * balance; perpx ranks position holders by position size (the top TOP_TRADER_PERCENT %), which
 * needs no account valuation per sample. A live sink: periods while the venue was down have no sample.
 */
import type { Engine } from '../../core/index.js';
import type { LiveSink, ProjectedEntry } from './projector.js';
import type { MarketStatRow, ReadStore } from './store.js';

/** The finest /futures/data period (5m); coarser periods read the samples at their multiples. */
export const STATS_PERIOD_MS = 5 * 60_000;
/** Share of position holders counted as top traders, in percent. */
export const TOP_TRADER_PERCENT = 20;

/** One symbol's sample from its open positions (size per holder, signed lots). */
export function sampleOf(symbol: string, timeMs: number, openInterestLots: number, markTicks: number,
  sizes: readonly number[]): MarketStatRow {
  let longAccounts = 0;
  let shortAccounts = 0;
  for (const size of sizes) {
    if (size > 0) longAccounts++;
    else if (size < 0) shortAccounts++;
  }
  const ranked = sizes.filter((size) => size !== 0).sort((a, b) => Math.abs(b) - Math.abs(a));
  const topCount = ranked.length === 0 ? 0 : Math.max(1, Math.floor((ranked.length * TOP_TRADER_PERCENT) / 100));
  let topLongAccounts = 0;
  let topShortAccounts = 0;
  let topLongLots = 0;
  let topShortLots = 0;
  for (const size of ranked.slice(0, topCount)) {
    if (size > 0) {
      topLongAccounts++;
      topLongLots += size;
    } else {
      topShortAccounts++;
      topShortLots -= size;
    }
  }
  return { symbol, timeMs, openInterestLots, markTicks, longAccounts, shortAccounts, topLongAccounts, topShortAccounts,
    topLongLots, topShortLots };
}

export class MarketStatsSampler implements LiveSink {
  private lastPeriodMs = -1;

  constructor(private readonly engine: Engine, private readonly store: ReadStore) {}

  onEntry(projected: ProjectedEntry): void {
    const periodMs = projected.atMs - (projected.atMs % STATS_PERIOD_MS);
    if (periodMs <= this.lastPeriodMs) return;
    this.lastPeriodMs = periodMs;
    for (const instrument of this.engine.instruments) {
      const market = this.engine.market(instrument.symbol);
      const sizes: number[] = [];
      for (const position of market.openPositions.values()) sizes.push(position.sizeLots);
      this.store.addMarketStat(sampleOf(instrument.symbol, periodMs, market.longOpenInterestLots, market.markTicks, sizes));
    }
  }
}
