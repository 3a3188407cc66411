/**
 * @module sim/agents/history
 * Shared price memory for agents: the index at every step (kept as one-minute samples for
 * look-backs) and an exponentially weighted volatility estimate. One instance per market per run,
 * updated once per step by the runner, so a thousand agents do not each keep their own.
 */

const MINUTE_MS = 60_000;

export class PriceHistory {
  /** Index price (float) sampled at the first step of each minute; newest last. */
  private readonly minutes: number[] = [];
  private lastMinute = -1;
  private lastPrice = 0;
  private lastMs = 0;
  /** EWMA of squared log returns per second. */
  private varPerSecond = 0;
  private samples = 0;
  /** Liquidated notional (USDT) per minute, decaying with liquidationHalfLifeMs: the public forceOrder feed. */
  private liquidationRate = 0;
  private liquidationMs = 0;

  constructor(private readonly keepMinutes = 1_440, private readonly halfLifeMs = 300_000,
    private liquidationHalfLifeMs = 120_000) {}

  /** How long the liquidation stream stays on agents' minds (half-life, ms). */
  setLiquidationHalfLife(ms: number): void {
    this.liquidationHalfLifeMs = ms;
  }

  /** A liquidation of `usdt` notional at `atMs` (every agent sees the venue's liquidation stream). */
  recordLiquidation(atMs: number, usdt: number): void {
    this.decayLiquidations(atMs);
    // An impulse that integrates to `usdt` over the decay: rate in USDT per minute.
    this.liquidationRate += (usdt * Math.LN2 * 60_000) / this.liquidationHalfLifeMs;
  }

  /** Recent liquidated notional, USDT per minute (decayed to `atMs`). */
  liquidationUsdtPerMinute(atMs: number): number {
    this.decayLiquidations(atMs);
    return this.liquidationRate;
  }

  private decayLiquidations(atMs: number): void {
    if (atMs > this.liquidationMs) {
      this.liquidationRate *= Math.pow(0.5, (atMs - this.liquidationMs) / this.liquidationHalfLifeMs);
      this.liquidationMs = atMs;
    }
  }

  update(nowMs: number, price: number): void {
    if (this.lastPrice > 0 && nowMs > this.lastMs) {
      const dt = (nowMs - this.lastMs) / 1000;
      const r = Math.log(price / this.lastPrice);
      const alpha = 1 - Math.pow(0.5, (nowMs - this.lastMs) / this.halfLifeMs);
      this.varPerSecond += alpha * ((r * r) / dt - this.varPerSecond);
      this.samples++;
    }
    this.lastPrice = price;
    this.lastMs = nowMs;
    const minute = Math.floor(nowMs / MINUTE_MS);
    if (minute !== this.lastMinute) {
      this.lastMinute = minute;
      this.minutes.push(price);
      if (this.minutes.length > this.keepMinutes) this.minutes.splice(0, this.minutes.length - this.keepMinutes);
    }
  }

  get price(): number {
    return this.lastPrice;
  }

  /** Volatility over one minute, as a fraction (0.001 = 10 bps). */
  get volPerMinute(): number {
    return Math.sqrt(this.varPerSecond * 60);
  }

  get ready(): boolean {
    return this.samples > 0;
  }

  /** Index price `minutesAgo` minutes back (clamped to the oldest sample). */
  minutesAgo(minutesAgo: number): number {
    if (this.minutes.length === 0) return this.lastPrice;
    const at = Math.max(0, this.minutes.length - 1 - minutesAgo);
    return this.minutes[at]!;
  }

  get minuteCount(): number {
    return this.minutes.length;
  }

  /** Mean and standard deviation of the last n one-minute samples. */
  stats(n: number): { mean: number; sd: number } {
    const count = Math.min(n, this.minutes.length);
    if (count === 0) return { mean: this.lastPrice, sd: 0 };
    let sum = 0;
    let sq = 0;
    for (let i = this.minutes.length - count; i < this.minutes.length; i++) {
      const p = this.minutes[i]!;
      sum += p;
      sq += p * p;
    }
    const mean = sum / count;
    return { mean, sd: Math.sqrt(Math.max(0, sq / count - mean * mean)) };
  }
}
