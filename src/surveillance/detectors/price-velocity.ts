/**
 * @module surveillance/detectors/price-velocity
 * E8 PRICE_VELOCITY: the mark's return over 5, 15 and 60 minutes. Majors (BTCUSDT, ETHUSDT) use
 * fixed thresholds (−3 %, −5 %, −10 %, the same up; derived from 2021-05-19, where the first 15-minute
 * −5 % came at 11:31); other symbols fire at |r| ≥ 6·σ_h, σ_h = σ(1-minute) · √minutes with σ as it
 * stood when the window began. Checked at every mark update once the mark path covers the window.
 */
import { price } from '../../api/format.js';
import { ratio } from '../alert.js';
import type { SurveillanceContext } from '../context.js';
import type { Detector, EventOf } from '../detector.js';
import { Latches } from '../latch.js';
import type { SurveilledEvent } from '../source.js';

const MINUTE_MS = 60_000;

export class PriceVelocityDetector implements Detector {
  readonly name = 'E8';
  readonly events = ['MarkPriceUpdated'] as const;
  private readonly latches: Latches<string>;
  private readonly majors: Set<string>;

  constructor(ctx: SurveillanceContext) {
    this.latches = new Latches(ctx.config.e8.repeatAfterMs);
    this.majors = new Set(ctx.config.e8.majors);
  }

  onEvent(event: SurveilledEvent, ctx: SurveillanceContext): void {
    const update = event as EventOf<'MarkPriceUpdated'>;
    const { e8 } = ctx.config;
    const market = ctx.state.market(update.symbol);
    const series = ctx.seriesOf(market);
    const first = series.marks.firstMs;
    if (first === undefined) return;
    for (const window of e8.windows) {
      const windowMs = window.minutes * MINUTE_MS;
      if (first > update.atMs - windowMs) continue;
      const before = series.marks.at(update.atMs - windowMs);
      if (before === undefined || before <= 0) continue;
      const r = update.markTicks / before - 1;
      let thresholdReturn: number;
      if (this.majors.has(market.symbol)) thresholdReturn = window.bps / 10_000;
      else {
        // The volatility that prevailed before the window: a move must not raise its own bar.
        const sigma = series.volatility.sigmaAt(update.atMs - windowMs);
        if (series.volatility.returns < ctx.config.e2.minReturns || sigma === undefined || sigma === 0) continue;
        thresholdReturn = e8.sigmaMultiple * sigma * Math.sqrt(window.minutes);
      }
      for (const direction of [-1, 1] as const) {
        const level = direction * r >= thresholdReturn ? 1 : 0;
        if (!this.latches.update(`${market.marketIndex}:${window.minutes}:${direction}`, level, update.atMs)) continue;
        const instrument = market.instrument;
        ctx.emit({
          code: 'E8', severity: 'high', symbol: market.symbol, accountIds: [], atMs: update.atMs,
          message: `${market.symbol}: mark ${(r * 100).toFixed(2)} % in ${window.minutes} min`,
          inputs: {
            windowMinutes: window.minutes, return: ratio(r), markPrice: price(instrument, update.markTicks),
            markPriceBefore: price(instrument, before), sigma1m: ratio(series.volatility.sigma),
          },
          threshold: { return: ratio(direction * thresholdReturn), rule: this.majors.has(market.symbol) ? 'fixed' : `${e8.sigmaMultiple}σ` },
        });
      }
    }
  }
}
