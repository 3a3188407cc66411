/**
 * @module surveillance/detectors/behaviour
 * B1 REENTRY_AFTER_LIQUIDATION: an account opens a new position (from flat) at a leverage ≥ the one
 * it was just liquidated at, within 10 minutes of that liquidation → info, with a P10 hint (offer
 * the cooling-off).
 * B2 OVERTRADING: ≥ 200 own fills in 24 h at an average leverage ≥ 50× → info + nudge. The 24 h are
 * kept as 24 hourly buckets per account (the window moves an hour at a time).
 */
import { qty } from '../../api/format.js';
import type { LiquidationEvent, OrderUpdateEvent, PositionChangedEvent } from '../../core/index.js';
import { ratio } from '../alert.js';
import type { SurveillanceContext } from '../context.js';
import type { Detector } from '../detector.js';
import { Latches } from '../latch.js';
import type { SurveilledEvent } from '../source.js';
import { flowKind } from './order-flow.js';

const HOUR_MS = 3_600_000;

interface Liquidated {
  readonly atMs: number;
  readonly symbol: string;
  readonly leverage: number;
}

export class ReentryDetector implements Detector {
  readonly name = 'B1';
  readonly events = ['Liquidation'] as const;
  readonly before = ['PositionChanged'] as const;
  private readonly recent = new Map<number, Liquidated>();

  onEvent(event: SurveilledEvent, ctx: SurveillanceContext): void {
    const liquidation = event as LiquidationEvent;
    const position = ctx.state.position(liquidation.accountId, liquidation.symbol);
    this.recent.set(liquidation.accountId, { atMs: liquidation.atMs, symbol: liquidation.symbol, leverage: position?.leverage ?? 0 });
  }

  beforeEvent(event: SurveilledEvent, ctx: SurveillanceContext): void {
    const change = event as PositionChangedEvent;
    const last = this.recent.get(change.accountId);
    if (last === undefined) return;
    const { b1 } = ctx.config;
    if (ctx.atMs - last.atMs > b1.withinMs) {
      this.recent.delete(change.accountId);
      return;
    }
    const before = ctx.state.position(change.accountId, change.symbol)?.sizeLots ?? 0;
    if (before !== 0 || change.sizeLots === 0 || change.leverage < last.leverage) return;
    this.recent.delete(change.accountId);
    const instrument = ctx.state.market(change.symbol).instrument;
    ctx.emit({
      code: 'B1', severity: 'info', symbol: change.symbol, accountIds: [change.accountId],
      message: `account ${change.accountId} opened ${change.symbol} at ${change.leverage}x ${Math.round((ctx.atMs - last.atMs) / 1000)} s after ` +
        `being liquidated at ${last.leverage}x: offer a cooling-off`,
      inputs: {
        leverage: change.leverage, liquidatedLeverage: last.leverage, liquidatedSymbol: last.symbol, liquidatedAtMs: last.atMs,
        secondsSinceLiquidation: Math.round((ctx.atMs - last.atMs) / 1000), positionAmt: qty(instrument, change.sizeLots),
      },
      threshold: { withinMs: b1.withinMs },
      policy: { policy: 'P10', accountId: change.accountId, symbol: '', action: 'OFFER_COOLING_OFF', untilMs: 0 },
    });
  }
}

class HourlyTally {
  readonly counts = new Int32Array(24);
  readonly leverage = new Float64Array(24);
  hour = -1;
  count = 0;
  leverageSum = 0;

  add(atMs: number, leverage: number): void {
    const hour = Math.floor(atMs / HOUR_MS);
    if (this.hour === -1) this.hour = hour;
    for (let h = this.hour + 1; h <= Math.min(hour, this.hour + 24); h++) {
      this.count -= this.counts[h % 24]!;
      this.leverageSum -= this.leverage[h % 24]!;
      this.counts[h % 24] = 0;
      this.leverage[h % 24] = 0;
    }
    if (hour > this.hour) this.hour = hour;
    this.counts[hour % 24]! += 1;
    this.leverage[hour % 24]! += leverage;
    this.count++;
    this.leverageSum += leverage;
  }
}

export class OvertradingDetector implements Detector {
  readonly name = 'B2';
  readonly events = ['OrderUpdate'] as const;
  private readonly tallies = new Map<number, HourlyTally>();
  private readonly latches: Latches<number>;

  constructor(ctx: SurveillanceContext) {
    this.latches = new Latches(ctx.config.b2.repeatAfterMs);
  }

  onEvent(event: SurveilledEvent, ctx: SurveillanceContext): void {
    const update = event as OrderUpdateEvent;
    if (flowKind(update) !== 'FILL') return;
    const accountId = update.order.accountId;
    const leverage = ctx.state.position(accountId, update.order.symbol)?.leverage ?? 1;
    let tally = this.tallies.get(accountId);
    if (tally === undefined) {
      tally = new HourlyTally();
      this.tallies.set(accountId, tally);
    }
    tally.add(ctx.atMs, leverage);
    const { b2 } = ctx.config;
    const average = tally.leverageSum / tally.count;
    const level = tally.count >= b2.trades && average >= b2.averageLeverage ? 1 : 0;
    if (!this.latches.update(accountId, level, ctx.atMs)) return;
    ctx.emit({
      code: 'B2', severity: 'info', symbol: null, accountIds: [accountId],
      message: `account ${accountId}: ${tally.count} fills in 24 h at an average ${average.toFixed(1)}x: nudge`,
      inputs: { fills24h: tally.count, averageLeverage: ratio(average) },
      threshold: { trades: b2.trades, averageLeverage: b2.averageLeverage, windowMs: b2.windowMs },
    });
  }
}
