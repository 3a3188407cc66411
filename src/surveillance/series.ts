/**
 * @module surveillance/series
 * Rolling time series several rules share, kept per symbol from events only (event time):
 * - the mark path (every change, the last hour and a bit): "mark N minutes ago" for returns;
 * - the minute volatility of the mark: EWMA of 1-minute log returns (E2, E8 for non-majors).
 * Statistics are floats; they describe risk, they do not move money, and they are rounded where they
 * appear in an alert.
 */

const MINUTE_MS = 60_000;

/** Changes of a value over time, trimmed to a horizon; `at(t)` is the value in effect at t. */
export class TimeSeries {
  private times: number[] = [];
  private values: number[] = [];
  private head = 0;

  constructor(private readonly horizonMs: number) {}

  push(atMs: number, value: number): void {
    const last = this.times.length - 1;
    if (last >= this.head && this.times[last] === atMs) {
      this.values[last] = value;
      return;
    }
    this.times.push(atMs);
    this.values.push(value);
    // Keep one sample older than the horizon: it is the value in effect at the horizon's start.
    while (this.head + 1 < this.times.length && this.times[this.head + 1]! <= atMs - this.horizonMs) this.head++;
    if (this.head > 4096 && this.head * 2 > this.times.length) {
      this.times = this.times.slice(this.head);
      this.values = this.values.slice(this.head);
      this.head = 0;
    }
  }

  /** The value in effect at `atMs` (the last sample at or before it); undefined before the first. */
  at(atMs: number): number | undefined {
    let low = this.head;
    let high = this.times.length - 1;
    if (high < low || this.times[low]! > atMs) return undefined;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (this.times[middle]! <= atMs) low = middle;
      else high = middle - 1;
    }
    return this.values[low];
  }

  /** Time of the first sample kept. */
  get firstMs(): number | undefined {
    return this.head < this.times.length ? this.times[this.head] : undefined;
  }

  /** Extremes of the values in effect over [fromMs, toMs]. */
  range(fromMs: number, toMs: number): { low: number; high: number } | undefined {
    const start = this.at(fromMs);
    if (start === undefined) return undefined;
    let low = start;
    let high = start;
    for (let i = this.head; i < this.times.length; i++) {
      const time = this.times[i]!;
      if (time <= fromMs) continue;
      if (time > toMs) break;
      const value = this.values[i]!;
      if (value < low) low = value;
      if (value > high) high = value;
    }
    return { low, high };
  }
}

/** EWMA variance of 1-minute log returns, from minute closes of the mark (event time). */
export class MinuteVolatility {
  /** σ after each minute close (the volatility that prevailed before a move, for E8). */
  readonly history = new TimeSeries(2 * 3_600_000);
  private variance = 0;
  private lastClose = 0;
  private minute = -1;
  private pending = 0;
  returns = 0;

  constructor(private readonly lambda: number) {}

  /** Feeds a mark at `atMs`: when a minute has closed, its close enters the EWMA. */
  update(atMs: number, markTicks: number): void {
    const minute = Math.floor(atMs / MINUTE_MS);
    if (this.minute === -1) {
      this.minute = minute;
      this.pending = markTicks;
      return;
    }
    if (minute > this.minute) {
      // The close of the minute that ended (a gap of minutes without a change repeats the close: zero returns).
      const close = this.pending;
      if (this.lastClose > 0 && close > 0) {
        const steps = Math.min(minute - this.minute, 60);
        const r = Math.log(close / this.lastClose);
        this.add(r);
        for (let i = 1; i < steps; i++) this.add(0);
        this.history.push(minute * MINUTE_MS, Math.sqrt(this.variance));
      }
      this.lastClose = close;
      this.minute = minute;
    }
    this.pending = markTicks;
  }

  private add(r: number): void {
    this.variance = this.returns === 0 ? r * r : this.lambda * this.variance + (1 - this.lambda) * r * r;
    this.returns++;
  }

  /** σ in effect at `atMs` (after the last minute closed by then); undefined before the first return. */
  sigmaAt(atMs: number): number | undefined {
    return this.history.at(atMs);
  }

  /** σ of a 1-minute log return (0 until the first return). */
  get sigma(): number {
    return Math.sqrt(this.variance);
  }
}

/** The mark path and volatility of one symbol. */
export class MarketSeries {
  readonly marks: TimeSeries;
  readonly volatility: MinuteVolatility;

  constructor(horizonMs: number, lambda: number) {
    this.marks = new TimeSeries(horizonMs);
    this.volatility = new MinuteVolatility(lambda);
  }

  onMark(atMs: number, markTicks: number): void {
    this.marks.push(atMs, markTicks);
    this.volatility.update(atMs, markTicks);
  }
}
