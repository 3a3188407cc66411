/**
 * @module sim/agents/stress
 * How stressed the market looks to a liquidity provider, in basis points: one-minute volatility
 * above a floor (calm wiggles cost nothing), plus the liquidation stream (Binance publishes every
 * forced order): a desk that sees millions a minute being liquidated steps back further, even
 * where the index itself moves slowly (an hourly index, a stalled spot market). Arbitrageurs,
 * carry traders and market makers scale their thresholds and hedging by it.
 */
import type { MarketView } from './types.js';

export interface StressParams {
  /** One-minute volatility (bps) that counts as calm. */
  readonly volFloorBps: number;
  /** Extra bps per million USDT a minute of recent liquidations. */
  readonly liqStressBpsPerMillion: number;
}

export function stressBps(view: MarketView, p: StressParams): number {
  const vol = Math.max(0, view.history.volPerMinute * 10_000 - p.volFloorBps);
  const liquidations = p.liqStressBpsPerMillion === 0 ? 0
    : (view.history.liquidationUsdtPerMinute(view.nowMs) / 1e6) * p.liqStressBpsPerMillion;
  return vol + liquidations;
}
