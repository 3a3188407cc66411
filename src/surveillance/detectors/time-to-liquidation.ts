/**
 * @module surveillance/detectors/time-to-liquidation
 * E2 TIME_TO_LIQUIDATION: the probability that the mark touches a position's liquidation price
 * within a horizon h, for a driftless geometric Brownian motion (reflection principle):
 *     p = 2·Φ(−ln(mark/liq) / (σ·√h))        (longs; ln(liq/mark) for shorts)
 * with σ the EWMA of 1-minute log returns of the mark (series.ts). p ≥ 0.5 within 60 minutes → warn,
 * within 5 minutes → high. p ≥ 0.5 exactly when the distance ln(mark/liq) ≤ z·σ·√h with
 * z = −Φ⁻¹(0.25) = 0.6745, so each evaluation walks the liquidation index only over that distance.
 * Evaluated every `evalEveryMs` of event time per symbol, once σ has `minReturns` minutes behind it.
 */
import { price } from '../../api/format.js';
import type { MarketState } from '../../read/account-state.js';
import { ratio } from '../alert.js';
import type { SurveillanceContext } from '../context.js';
import type { Detector } from '../detector.js';
import { Latches } from '../latch.js';
import type { RiskEntry } from '../risk/risk-book.js';
import { inverseNormal, normalCdf } from './normal.js';

export class TimeToLiquidationDetector implements Detector {
  readonly name = 'E2';
  private readonly latches: Latches<RiskEntry>;
  private readonly nextEvalMs: number[];
  private readonly inRange: Set<RiskEntry>[];

  constructor(ctx: SurveillanceContext) {
    this.latches = new Latches(ctx.config.e2.repeatAfterMs);
    this.nextEvalMs = ctx.state.markets.map(() => 0);
    this.inRange = ctx.state.markets.map(() => new Set());
  }

  onBatchEnd(ctx: SurveillanceContext): void {
    for (const market of ctx.state.markets) {
      if (ctx.atMs < this.nextEvalMs[market.marketIndex]! || market.markTicks === 0) continue;
      this.nextEvalMs[market.marketIndex] = ctx.atMs + ctx.config.e2.evalEveryMs;
      this.evaluate(market, ctx);
    }
  }

  private evaluate(market: MarketState, ctx: SurveillanceContext): void {
    const { e2 } = ctx.config;
    const volatility = ctx.seriesOf(market).volatility;
    const previous = this.inRange[market.marketIndex]!;
    const current = new Set<RiskEntry>();
    if (volatility.returns >= e2.minReturns && volatility.sigma > 0) {
      const sigma = volatility.sigma;
      const z = -inverseNormal(e2.probability / 2);
      const widest = z * sigma * Math.sqrt(Math.max(e2.warnHorizonMin, e2.highHorizonMin));
      const mark = market.markTicks;
      const found: RiskEntry[] = [];
      ctx.risk.forLiquidationRange(market, 1, Math.floor(mark * Math.exp(-widest)), mark, (entry) => found.push(entry));
      ctx.risk.forLiquidationRange(market, -1, mark, Math.ceil(mark * Math.exp(widest)), (entry) => found.push(entry));
      found.sort((a, b) => a.account.accountId - b.account.accountId);
      for (const entry of found) {
        const distance = entry.side === 1 ? Math.log(mark / entry.liqTicks) : Math.log(entry.liqTicks / mark);
        const probability = (minutes: number): number => 2 * normalCdf(-Math.max(0, distance) / (sigma * Math.sqrt(minutes)));
        const pHigh = probability(e2.highHorizonMin);
        const pWarn = probability(e2.warnHorizonMin);
        const level = pHigh >= e2.probability ? 2 : pWarn >= e2.probability ? 1 : 0;
        if (level === 0) continue;
        current.add(entry);
        if (!this.latches.update(entry, level, ctx.atMs)) continue;
        const instrument = market.instrument;
        ctx.emit({
          code: 'E2', severity: level === 2 ? 'high' : 'warn', symbol: market.symbol, accountIds: [entry.account.accountId],
          message: `account ${entry.account.accountId} ${market.symbol} ${entry.side === 1 ? 'long' : 'short'}: ` +
            `${(100 * (level === 2 ? pHigh : pWarn)).toFixed(1)} % chance to reach liquidation within ${level === 2 ? e2.highHorizonMin : e2.warnHorizonMin} min`,
          inputs: {
            markPrice: price(instrument, mark), liquidationPrice: price(instrument, entry.liqTicks), side: entry.side === 1 ? 'LONG' : 'SHORT',
            leverage: entry.position.leverage, marginType: entry.position.marginType, distance: ratio(distance),
            sigma1m: ratio(sigma), probabilityWarnHorizon: ratio(pWarn), probabilityHighHorizon: ratio(pHigh),
          },
          threshold: { probability: e2.probability, warnHorizonMin: e2.warnHorizonMin, highHorizonMin: e2.highHorizonMin },
        });
      }
    }
    // Entries that left the range are quiet again (their latch re-arms after the repeat period).
    for (const entry of previous) if (!current.has(entry)) this.latches.update(entry, 0, ctx.atMs);
    this.inRange[market.marketIndex] = current;
  }
}
