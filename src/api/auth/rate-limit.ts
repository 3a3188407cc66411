/**
 * @module api/auth/rate-limit
 * Binance-style fixed-window counters: request weight per IP and per API key per minute
 * (X-MBX-USED-WEIGHT-1M, -1003 on excess) and new orders per key per 10 s and per minute
 * (X-MBX-ORDER-COUNT-10S / -1M, -1015 on excess). Windows start at multiples of their length, as
 * Binance's do, and a rejected request still counts (so a client hammering at the limit stays
 * limited).
 */

export interface RateLimits {
  /** REQUEST_WEIGHT per minute, per IP and per key. */
  readonly weightPerMinute: number;
  /** ORDERS per 10 seconds per key. */
  readonly ordersPer10s: number;
  /** ORDERS per minute per key. */
  readonly ordersPerMinute: number;
}

export const DEFAULT_RATE_LIMITS: RateLimits = { weightPerMinute: 2400, ordersPer10s: 300, ordersPerMinute: 1200 };

class WindowCounter {
  private readonly counts = new Map<string, number>();
  private windowStart = 0;

  constructor(private readonly windowMs: number) {}

  add(key: string, amount: number, nowMs: number): number {
    const start = nowMs - (nowMs % this.windowMs);
    if (start !== this.windowStart) {
      this.windowStart = start;
      this.counts.clear();
    }
    const next = (this.counts.get(key) ?? 0) + amount;
    this.counts.set(key, next);
    return next;
  }
}

export interface UsageHeaders {
  readonly usedWeight: number;
  readonly orders10s?: number;
  readonly orders1m?: number;
}

export class RateLimiter {
  private readonly ipWeight = new WindowCounter(60_000);
  private readonly keyWeight = new WindowCounter(60_000);
  private readonly orders10s = new WindowCounter(10_000);
  private readonly orders1m = new WindowCounter(60_000);

  constructor(readonly limits: RateLimits) {}

  /** Adds request weight for the IP (and key when known); returns used weight and whether it is over. */
  weigh(ip: string, apiKey: string | undefined, weight: number, nowMs: number): { used: number; over: boolean } {
    const byIp = this.ipWeight.add(ip, weight, nowMs);
    const byKey = apiKey === undefined ? 0 : this.keyWeight.add(apiKey, weight, nowMs);
    const used = byIp > byKey ? byIp : byKey;
    return { used, over: used > this.limits.weightPerMinute };
  }

  /** Counts `count` new orders for the key; returns the counters and which limit (if any) is exceeded. */
  countOrders(apiKey: string, count: number, nowMs: number):
    { orders10s: number; orders1m: number; exceeded: '10s' | '1m' | undefined } {
    const orders10s = this.orders10s.add(apiKey, count, nowMs);
    const orders1m = this.orders1m.add(apiKey, count, nowMs);
    const exceeded = orders10s > this.limits.ordersPer10s ? '10s' : orders1m > this.limits.ordersPerMinute ? '1m' : undefined;
    return { orders10s, orders1m, exceeded };
  }
}
