/**
 * @module surveillance/detectors/funding-extreme
 * E6 FUNDING_EXTREME: a settled funding rate, or the predicted rate of the next settlement (from
 * mark updates, looked at once a minute), per 8 hours, is ≥ 0.05 % in absolute value or lies outside
 * the trailing-90-day p1…p99 of the symbol's settled rates (once 30 settlements are known) → warn;
 * a rate at the symbol's cap or floor → high.
 */
import { rate } from '../../api/format.js';
import type { MarketState } from '../../read/account-state.js';
import type { SurveillanceContext } from '../context.js';
import type { Detector, EventOf } from '../detector.js';
import { Latches } from '../latch.js';
import type { SurveilledEvent } from '../source.js';

const EIGHT_HOURS_MS = 8n * 3_600_000n;
const MINUTE_MS = 60_000;

interface Settled {
  readonly atMs: number;
  readonly rate8hE8: bigint;
}

export class FundingExtremeDetector implements Detector {
  readonly name = 'E6';
  readonly events = ['FundingSettled'] as const;
  private readonly history: Settled[][];
  private readonly latches: Latches<string>;
  private readonly nextPredictedMs: number[];

  constructor(ctx: SurveillanceContext) {
    this.history = ctx.state.markets.map(() => []);
    this.latches = new Latches(ctx.config.e6.repeatAfterMs);
    this.nextPredictedMs = ctx.state.markets.map(() => 0);
  }

  onEvent(event: SurveilledEvent, ctx: SurveillanceContext): void {
    const settled = event as EventOf<'FundingSettled'>;
    const market = ctx.state.market(settled.symbol);
    this.check(market, 'settled', settled.rateE8, settled.fundingTimeMs, ctx);
    const history = this.history[market.marketIndex]!;
    history.push({ atMs: settled.fundingTimeMs, rate8hE8: per8h(market, settled.rateE8) });
    const oldest = settled.fundingTimeMs - ctx.config.e6.trailingMs;
    while (history.length > 0 && history[0]!.atMs < oldest) history.shift();
  }

  onBatchEnd(ctx: SurveillanceContext): void {
    for (const market of ctx.state.markets) {
      if (market.markTicks === 0 || ctx.atMs < this.nextPredictedMs[market.marketIndex]!) continue;
      this.nextPredictedMs[market.marketIndex] = ctx.atMs + MINUTE_MS;
      this.check(market, 'predicted', market.estimatedFundingRateE8, ctx.atMs, ctx);
    }
  }

  private check(market: MarketState, kind: 'settled' | 'predicted', rateE8: bigint, atMs: number, ctx: SurveillanceContext): void {
    const { e6 } = ctx.config;
    const instrument = market.instrument;
    const rate8h = per8h(market, rateE8);
    const absolute = rate8h < 0n ? -rate8h : rate8h;
    const history = this.history[market.marketIndex]!;
    let low: bigint | undefined;
    let high: bigint | undefined;
    if (history.length >= e6.minSettlements) {
      const sorted = history.map((item) => item.rate8hE8).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
      low = sorted[Math.floor(((sorted.length - 1) * e6.lowPercentile) / 100)];
      high = sorted[Math.ceil(((sorted.length - 1) * e6.highPercentile) / 100)];
    }
    const atCap = rateE8 >= instrument.fundingCapE8 || rateE8 <= instrument.fundingFloorE8;
    const outside = (low !== undefined && rate8h < low) || (high !== undefined && rate8h > high);
    const level = atCap ? 2 : absolute >= BigInt(e6.absoluteRateE8) || outside ? 1 : 0;
    if (!this.latches.update(`${market.marketIndex}:${kind}`, level, atMs)) return;
    ctx.emit({
      code: 'E6', severity: level === 2 ? 'high' : 'warn', symbol: market.symbol, accountIds: [], atMs,
      message: `${market.symbol}: ${kind} funding ${rate(rate8h)} per 8 h${atCap ? ' (at the cap)' : ''}`,
      inputs: {
        kind, rate: rate(rateE8), ratePer8h: rate(rate8h), p1: low === undefined ? null : rate(low), p99: high === undefined ? null : rate(high),
        settlementsKnown: history.length, cap: rate(instrument.fundingCapE8), floor: rate(instrument.fundingFloorE8),
      },
      threshold: { absoluteRatePer8h: rate(BigInt(e6.absoluteRateE8)), lowPercentile: e6.lowPercentile, highPercentile: e6.highPercentile,
        minSettlements: e6.minSettlements },
    });
  }
}

/** A funding rate per settlement interval as a rate per 8 hours (truncated toward zero). */
function per8h(market: MarketState, rateE8: bigint): bigint {
  return (rateE8 * EIGHT_HOURS_MS) / BigInt(market.instrument.fundingIntervalMs);
}
