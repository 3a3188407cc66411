/**
 * @module surveillance/detectors/cascade
 * E4 CASCADE_IN_PROGRESS, per symbol and side: at least 5 liquidations in the last minute whose notional is ≥ 10×
 * the trailing-24-hour median of liquidated notional per minute, AND the notional liquidated in the
 * last 5 minutes is ≥ 0.5 % of the open interest (notional) of 5 minutes ago, AND the mark moved the
 * way that liquidates that side over those 5 minutes. Fallback (a venue with few positions): the
 * mark's 15-minute return ≤ −5 % (longs) or ≥ +5 % (shorts). One alert per episode: it re-arms after
 * 30 minutes without either condition.
 *
 * The median counts every minute observed, quiet ones as 0; on a quiet venue it is 0 and the first
 * condition is met by any liquidation, so the open-interest condition decides.
 */
import { money, price, qty } from '../../api/format.js';
import type { MarketState } from '../../read/account-state.js';
import { ratio } from '../alert.js';
import type { SurveillanceContext } from '../context.js';
import type { Detector, EventOf } from '../detector.js';
import { Latches } from '../latch.js';
import { TimeSeries } from '../series.js';
import type { SurveilledEvent } from '../source.js';

const MINUTE_MS = 60_000;
const BPS = 10_000n;

interface Liquidated {
  readonly atMs: number;
  readonly notionalE8: bigint;
  readonly seq: number;
}

class SideWindow {
  readonly recent: Liquidated[] = [];
  head = 0;

  push(item: Liquidated, keepMs: number): void {
    this.recent.push(item);
    while (this.head < this.recent.length && this.recent[this.head]!.atMs <= item.atMs - keepMs) this.head++;
    if (this.head > 1024 && this.head * 2 > this.recent.length) {
      this.recent.splice(0, this.head);
      this.head = 0;
    }
  }

  sumSince(sinceMs: number): { notionalE8: bigint; count: number; firstSeq: number } {
    let notional = 0n;
    let count = 0;
    let firstSeq = 0;
    for (let i = this.recent.length - 1; i >= this.head; i--) {
      const item = this.recent[i]!;
      if (item.atMs <= sinceMs) break;
      notional += item.notionalE8;
      count++;
      firstSeq = item.seq;
    }
    return { notionalE8: notional, count, firstSeq };
  }
}

class MarketCascade {
  readonly sides = [new SideWindow(), new SideWindow()];
  /** The median is recomputed only when the minute it is for changes (it covers whole minutes). */
  medianMinute = -1;
  medianE8 = 0n;
  /** Liquidated notional per minute (both sides), minute index → notional, the last 24 h. */
  readonly perMinute = new Map<number, bigint>();
  firstMinute = -1;
  readonly openInterest: TimeSeries;
  lastEvalMs = 0;
  touched = false;

  constructor(horizonMs: number) {
    this.openInterest = new TimeSeries(horizonMs);
  }
}

export class CascadeDetector implements Detector {
  readonly name = 'E4';
  readonly events = ['Liquidation', 'PositionChanged'] as const;
  private readonly markets: MarketCascade[];
  private readonly latches: Latches<string>;

  constructor(ctx: SurveillanceContext) {
    const { e4 } = ctx.config;
    this.markets = ctx.state.markets.map(() => new MarketCascade(e4.oiWindowMs + MINUTE_MS));
    this.latches = new Latches(e4.quietEndsAfterMs);
  }

  onEvent(event: SurveilledEvent, ctx: SurveillanceContext): void {
    if (event.type === 'PositionChanged') {
      this.markets[ctx.state.market(event.symbol).marketIndex]!.touched = true;
      return;
    }
    const liquidation = event as EventOf<'Liquidation'>;
    const market = ctx.state.market(liquidation.symbol);
    const state = this.markets[market.marketIndex]!;
    const notional = BigInt(liquidation.qtyLots) * BigInt(liquidation.markTicks) * market.instrument.quotePerTickLotE8;
    const minute = Math.floor(liquidation.atMs / MINUTE_MS);
    state.perMinute.set(minute, (state.perMinute.get(minute) ?? 0n) + notional);
    if (state.firstMinute === -1) state.firstMinute = minute;
    state.sides[liquidation.side === 'SELL' ? 0 : 1]!.push({ atMs: liquidation.atMs, notionalE8: notional, seq: ctx.toSeq },
      ctx.config.e4.oiWindowMs);
  }

  onBatchEnd(ctx: SurveillanceContext): void {
    for (const market of ctx.state.markets) {
      const state = this.markets[market.marketIndex]!;
      if (state.touched) {
        state.openInterest.push(ctx.atMs, market.openInterestLots);
        state.touched = false;
      }
      if (market.markTicks === 0 || ctx.atMs - state.lastEvalMs < 1000) continue;
      state.lastEvalMs = ctx.atMs;
      this.pruneMinutes(state, ctx.atMs, ctx.config.e4.medianWindowMs);
      for (const side of [1, -1] as const) this.evaluate(market, state, side, ctx);
    }
  }

  private pruneMinutes(state: MarketCascade, atMs: number, windowMs: number): void {
    const oldest = Math.floor((atMs - windowMs) / MINUTE_MS);
    for (const minute of state.perMinute.keys()) {
      if (minute >= oldest) break;
      state.perMinute.delete(minute);
    }
  }

  /** Median over the whole minutes before the rolling window (the window itself is what is judged). */
  private medianPerMinute(state: MarketCascade, atMs: number, windowMs: number, rollingMs: number): bigint {
    if (state.firstMinute === -1) return 0n;
    const now = Math.floor((atMs - rollingMs) / MINUTE_MS);
    if (now === state.medianMinute) return state.medianE8;
    state.medianMinute = now;
    state.medianE8 = this.computeMedian(state, now, windowMs);
    return state.medianE8;
  }

  private computeMedian(state: MarketCascade, now: number, windowMs: number): bigint {
    const first = Math.max(state.firstMinute, now - Math.floor(windowMs / MINUTE_MS));
    const minutes = now - first;
    if (minutes <= 0) return 0n;
    // Quiet minutes are zeros: the median is 0 unless at least half of the minutes saw liquidations.
    const values = [...state.perMinute.entries()].filter(([minute]) => minute >= first && minute < now).map(([, value]) => value);
    const position = Math.floor(minutes / 2);
    const zeros = minutes - values.length;
    if (position < zeros) return 0n;
    values.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    return values[position - zeros]!;
  }

  private evaluate(market: MarketState, state: MarketCascade, side: 1 | -1, ctx: SurveillanceContext): void {
    const { e4 } = ctx.config;
    const window = state.sides[side === 1 ? 0 : 1]!;
    const lastMinute = window.sumSince(ctx.atMs - e4.windowMs);
    const lastFive = window.sumSince(ctx.atMs - e4.oiWindowMs);
    const median = this.medianPerMinute(state, ctx.atMs, e4.medianWindowMs, e4.windowMs);
    const oiLots = state.openInterest.at(ctx.atMs - e4.oiWindowMs) ?? state.openInterest.at(ctx.atMs) ?? market.openInterestLots;
    const k = market.instrument.quotePerTickLotE8;
    const series = ctx.seriesOf(market).marks;
    const markBefore = series.at(ctx.atMs - e4.priceWindowMs);
    const mark = market.markTicks;
    const oiNotional = BigInt(oiLots) * BigInt(markBefore ?? mark) * k;
    const priceAgrees = markBefore !== undefined && (side === 1 ? mark < markBefore : mark > markBefore);
    const liquidationTrigger = lastMinute.count >= e4.minLiquidations && lastMinute.notionalE8 >= median * BigInt(e4.medianMultiple) &&
      oiNotional > 0n && lastFive.notionalE8 * BPS >= oiNotional * BigInt(e4.oiShareBps) && priceAgrees;
    const fallbackBefore = series.firstMs !== undefined && series.firstMs <= ctx.atMs - e4.fallbackWindowMs
      ? series.at(ctx.atMs - e4.fallbackWindowMs) : undefined;
    const fallbackBps = fallbackBefore === undefined ? 0 : ((mark - fallbackBefore) * 10_000) / fallbackBefore;
    const priceTrigger = fallbackBefore !== undefined && (side === 1 ? fallbackBps <= -e4.fallbackReturnBps : fallbackBps >= e4.fallbackReturnBps);
    const level = liquidationTrigger || priceTrigger ? 1 : 0;
    if (!this.latches.update(`${market.marketIndex}:${side}`, level, ctx.atMs)) return;
    const instrument = market.instrument;
    ctx.emit({
      code: 'E4', severity: 'critical', symbol: market.symbol, accountIds: [],
      ...(lastFive.count > 0 ? { fromSeq: lastFive.firstSeq } : {}),
      message: `${market.symbol}: ${side === 1 ? 'long' : 'short'} liquidation cascade in progress ` +
        (liquidationTrigger ? `(${lastMinute.count} liquidations in the last minute, ${money(lastFive.notionalE8)} USDT in 5 min)`
          : `(mark ${(fallbackBps / 100).toFixed(2)} % in ${e4.fallbackWindowMs / MINUTE_MS} min)`),
      inputs: {
        trigger: liquidationTrigger ? 'liquidations' : 'price', side: side === 1 ? 'LONG' : 'SHORT',
        liquidatedLastMinute: money(lastMinute.notionalE8), liquidationsLastMinute: lastMinute.count,
        liquidatedLast5Min: money(lastFive.notionalE8), medianPerMinute24h: money(median),
        openInterest5MinAgo: qty(instrument, oiLots), openInterestNotional: money(oiNotional),
        markPrice: price(instrument, mark), markPrice5MinAgo: markBefore === undefined ? null : price(instrument, markBefore),
        return15MinBps: fallbackBefore === undefined ? null : ratio(fallbackBps),
      },
      threshold: {
        minLiquidations: e4.minLiquidations, medianMultiple: e4.medianMultiple, oiShareBps: e4.oiShareBps, fallbackReturnBps: e4.fallbackReturnBps,
        windowMs: e4.windowMs, oiWindowMs: e4.oiWindowMs,
      },
    });
  }
}
