/**
 * @module surveillance/detectors/liq-cluster
 * E3 LIQ_CLUSTER_NEAR: the exact notional whose liquidation level lies within a band of the mark
 * (2 % and 5 %), per side, against the resting depth that would absorb it in the same band: longs
 * liquidate by selling into bids in [mark·(1 − band), mark], shorts by buying asks in
 * [mark, mark·(1 + band)]. Ratio ≥ 1 warn, ≥ 3 high (the larger of the bands decides). A band with
 * less than `minNotionalUsdt` to liquidate is ignored (a 10-USDT position against an empty book is not a
 * cluster). Evaluated every `evalEveryMs` of event time per symbol.
 */
import { money, price } from '../../api/format.js';
import type { DepthSide, MarketState } from '../../read/account-state.js';
import { ratio, type JsonValue } from '../alert.js';
import type { SurveillanceContext } from '../context.js';
import type { Detector } from '../detector.js';
import { Latches } from '../latch.js';

const E8 = 100_000_000n;
const BPS = 10_000;

export class LiqClusterDetector implements Detector {
  readonly name = 'E3';
  private readonly latches: Latches<string>;
  private readonly nextEvalMs: number[];

  constructor(ctx: SurveillanceContext) {
    this.latches = new Latches(ctx.config.e3.repeatAfterMs);
    this.nextEvalMs = ctx.state.markets.map(() => 0);
  }

  onBatchEnd(ctx: SurveillanceContext): void {
    for (const market of ctx.state.markets) {
      if (ctx.atMs < this.nextEvalMs[market.marketIndex]! || market.markTicks === 0) continue;
      this.nextEvalMs[market.marketIndex] = ctx.atMs + ctx.config.e3.evalEveryMs;
      for (const side of [1, -1] as const) this.evaluate(market, side, ctx);
    }
  }

  private evaluate(market: MarketState, side: 1 | -1, ctx: SurveillanceContext): void {
    const { e3 } = ctx.config;
    const mark = market.markTicks;
    const heat = ctx.risk.heatmaps[market.marketIndex]!;
    const bands: JsonValue[] = [];
    let worst = 0;
    let level = 0;
    const minNotional = BigInt(e3.minNotionalUsdt) * E8;
    for (const bandBps of e3.bandsBps) {
      const far = side === 1 ? Math.floor((mark * (BPS - bandBps)) / BPS) : Math.ceil((mark * (BPS + bandBps)) / BPS);
      const [low, high] = side === 1 ? [far, mark] : [mark, far];
      const liquidating = (side === 1 ? heat.longs : heat.shorts).sumRange(low, high);
      const depth = depthNotional(side === 1 ? market.bids : market.asks, low, high, market.instrument.quotePerTickLotE8);
      const bandRatio = depth === 0n ? (liquidating > 0n ? Number.POSITIVE_INFINITY : 0) : Number((liquidating * 1_000_000n) / depth) / 1e6;
      bands.push({ bandBps, liquidating: money(liquidating), depth: money(depth), ratio: Number.isFinite(bandRatio) ? ratio(bandRatio) : null });
      if (liquidating < minNotional) continue;
      worst = Math.max(worst, bandRatio);
      if (bandRatio >= e3.highRatio) level = 2;
      else if (bandRatio >= e3.warnRatio) level = Math.max(level, 1);
    }
    if (!this.latches.update(`${market.marketIndex}:${side}`, level, ctx.atMs)) return;
    const what = side === 1 ? 'long' : 'short';
    ctx.emit({
      code: 'E3', severity: level === 2 ? 'high' : 'warn', symbol: market.symbol, accountIds: [],
      message: `${market.symbol}: ${what} liquidations near the mark are ${Number.isFinite(worst) ? `${worst.toFixed(2)}×` : 'more than'} ` +
        `the resting ${side === 1 ? 'bids' : 'asks'} that would absorb them`,
      inputs: { side: side === 1 ? 'LONG' : 'SHORT', markPrice: price(market.instrument, mark), bands },
      threshold: { bandsBps: e3.bandsBps, warnRatio: e3.warnRatio, highRatio: e3.highRatio, minNotionalUsdt: e3.minNotionalUsdt },
    });
  }
}

/** Σ price × lots × k of resting levels in [lowTicks, highTicks]. */
export function depthNotional(side: DepthSide, lowTicks: number, highTicks: number, quotePerTickLotE8: bigint): bigint {
  let sum = 0n;
  for (const [priceTicks, lots] of side) if (priceTicks >= lowTicks && priceTicks <= highTicks) sum += BigInt(priceTicks) * BigInt(lots);
  return sum * quotePerTickLotE8;
}
