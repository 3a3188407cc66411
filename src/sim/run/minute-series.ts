/**
 * @module sim/run/minute-series
 * The simulated market minute by minute, from the recording start: last-trade OHLC and volume of
 * book trades (ADL fills are off-book and not prices anyone traded at), index and mark at the
 * minute's close, the funding rate the engine would settle at that moment, and liquidated
 * notional by side. This is what the comparison with the real perpetual's 1-minute candles and
 * the report's minute charts read. Minutes without a trade carry NaN in the OHLC arrays.
 */
import type { LiquidationEvent, TradeEvent } from '../../core/index.js';

const MINUTE_MS = 60_000;

export class MinuteSeries {
  readonly open: number[] = [];
  readonly high: number[] = [];
  readonly low: number[] = [];
  readonly close: number[] = [];
  readonly volumeLots: number[] = [];
  /** Index and mark (ticks) at the last step of the minute. */
  readonly index: number[] = [];
  readonly mark: number[] = [];
  /** Funding rate the next settlement would use (fraction), read at the minute's last step. */
  readonly estimatedFunding: number[] = [];
  /** Liquidated notional at mark, USDT, by side of the liquidated position. */
  readonly longLiqUsdt: number[] = [];
  readonly shortLiqUsdt: number[] = [];
  readonly liquidations: number[] = [];
  readonly adlLots: number[] = [];

  constructor(readonly startMs: number, private readonly usdtPerTickLot: number) {}

  get length(): number {
    return this.index.length;
  }

  /** Minute index of an instant (negative before the start). */
  minuteOf(atMs: number): number {
    return Math.floor((atMs - this.startMs) / MINUTE_MS);
  }

  timeOf(minute: number): number {
    return this.startMs + minute * MINUTE_MS;
  }

  private grow(minute: number): void {
    while (this.index.length <= minute) {
      const previous = this.index.length - 1;
      this.open.push(NaN);
      this.high.push(NaN);
      this.low.push(NaN);
      this.close.push(NaN);
      this.volumeLots.push(0);
      this.index.push(previous >= 0 ? this.index[previous]! : 0);
      this.mark.push(previous >= 0 ? this.mark[previous]! : 0);
      this.estimatedFunding.push(previous >= 0 ? this.estimatedFunding[previous]! : 0);
      this.longLiqUsdt.push(0);
      this.shortLiqUsdt.push(0);
      this.liquidations.push(0);
      this.adlLots.push(0);
    }
  }

  /** The state at a path step (the last step of a minute leaves that minute's close). */
  step(atMs: number, indexTicks: number, markTicks: number): void {
    const m = this.minuteOf(atMs);
    if (m < 0) return;
    this.grow(m);
    this.index[m] = indexTicks;
    this.mark[m] = markTicks;
  }

  /** The funding estimate of the minute containing `atMs` (read once, at the minute's first step). */
  setFunding(atMs: number, rate: number): void {
    const m = this.minuteOf(atMs);
    if (m < 0) return;
    this.grow(m);
    this.estimatedFunding[m] = rate;
  }

  trade(event: TradeEvent): void {
    if (event.kind === 'ADL') return;
    const m = this.minuteOf(event.atMs);
    if (m < 0) return;
    this.grow(m);
    const p = event.priceTicks;
    if (Number.isNaN(this.open[m]!)) {
      this.open[m] = p;
      this.high[m] = p;
      this.low[m] = p;
    } else {
      if (p > this.high[m]!) this.high[m] = p;
      if (p < this.low[m]!) this.low[m] = p;
    }
    this.close[m] = p;
    this.volumeLots[m]! += event.qtyLots;
  }

  liquidation(event: LiquidationEvent): void {
    const m = this.minuteOf(event.atMs);
    if (m < 0) return;
    this.grow(m);
    const usdt = event.qtyLots * event.markTicks * this.usdtPerTickLot;
    if (event.side === 'SELL') this.longLiqUsdt[m]! += usdt;
    else this.shortLiqUsdt[m]! += usdt;
    this.liquidations[m]!++;
    for (const fill of event.adl) this.adlLots[m]! += fill.qtyLots;
  }

  /** Last trade price at each minute's close, carried forward over minutes without trades (NaN before the first). */
  lastCloses(): number[] {
    const out: number[] = [];
    let last = NaN;
    for (let m = 0; m < this.length; m++) {
      if (!Number.isNaN(this.close[m]!)) last = this.close[m]!;
      out.push(last);
    }
    return out;
  }
}
