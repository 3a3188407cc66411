/**
 * @module surveillance/detectors/oi-flush
 * E5 OI_FLUSH: a symbol's open interest (in lots, so a falling price does not fake a decline) fell
 * against its value a window ago: −5 % in 1 h warn, −10 % in 1 h high, −15 % in 24 h critical.
 * Open interest is sampled at most once a second; evaluated once a minute of event time.
 */
import { qty } from '../../api/format.js';
import type { Severity } from '../alert.js';
import type { SurveillanceContext } from '../context.js';
import type { Detector } from '../detector.js';
import { Latches } from '../latch.js';
import { TimeSeries } from '../series.js';

const MINUTE_MS = 60_000;
const RANK: Record<string, number> = { warn: 1, high: 2, critical: 3 };

export class OiFlushDetector implements Detector {
  readonly name = 'E5';
  readonly events = ['PositionChanged'] as const;
  private readonly series: TimeSeries[];
  private readonly touched: boolean[];
  private readonly latches: Latches<number>;
  private nextEvalMs = 0;

  constructor(ctx: SurveillanceContext) {
    const horizon = Math.max(...ctx.config.e5.levels.map((level) => level.windowMs)) + MINUTE_MS;
    this.series = ctx.state.markets.map(() => new TimeSeries(horizon));
    this.touched = ctx.state.markets.map(() => false);
    this.latches = new Latches(ctx.config.e5.repeatAfterMs);
  }

  onEvent(event: { readonly type: string; readonly symbol?: string }, ctx: SurveillanceContext): void {
    this.touched[ctx.state.market(event.symbol!).marketIndex] = true;
  }

  onBatchEnd(ctx: SurveillanceContext): void {
    const second = Math.floor(ctx.atMs / 1000) * 1000;
    for (const market of ctx.state.markets) {
      if (!this.touched[market.marketIndex]) continue;
      this.series[market.marketIndex]!.push(second, market.openInterestLots);
      this.touched[market.marketIndex] = false;
    }
    if (ctx.atMs < this.nextEvalMs) return;
    this.nextEvalMs = ctx.atMs + MINUTE_MS;
    for (const market of ctx.state.markets) {
      const series = this.series[market.marketIndex]!;
      const now = market.openInterestLots;
      let level = 0;
      let hit: { severity: string; declineBps: number; windowMs: number; thenLots: number; declineNowBps: number } | undefined;
      for (const spec of ctx.config.e5.levels) {
        const firstMs = series.firstMs;
        if (firstMs === undefined || firstMs > ctx.atMs - spec.windowMs) continue;
        const then = series.at(ctx.atMs - spec.windowMs) ?? 0;
        if (then <= 0) continue;
        const declineNowBps = Math.floor(((then - now) * 10_000) / then);
        if (declineNowBps >= spec.declineBps && RANK[spec.severity]! > level) {
          level = RANK[spec.severity]!;
          hit = { ...spec, thenLots: then, declineNowBps };
        }
      }
      if (!this.latches.update(market.marketIndex, level, ctx.atMs) || hit === undefined) continue;
      const instrument = market.instrument;
      ctx.emit({
        code: 'E5', severity: hit.severity as Severity, symbol: market.symbol, accountIds: [],
        message: `${market.symbol}: open interest down ${(hit.declineNowBps / 100).toFixed(2)} % in ${hit.windowMs / 3_600_000} h`,
        inputs: { openInterest: qty(instrument, now), openInterestBefore: qty(instrument, hit.thenLots), declineBps: hit.declineNowBps, windowMs: hit.windowMs },
        threshold: { levels: ctx.config.e5.levels.map((spec) => ({ severity: spec.severity, declineBps: spec.declineBps, windowMs: spec.windowMs })) },
      });
    }
  }
}
