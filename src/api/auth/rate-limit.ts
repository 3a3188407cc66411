/**
 * @module api/auth/rate-limit
 * Binance-style fixed-window counters. Request weight per client (IPv4 address or IPv6 /64) per
 * minute, counted for every request before anything else is checked, so unauthenticated and badly
 * signed requests spend their sender's budget; request weight per API key per minute, counted only
 * once the request's signature has verified, so nobody can spend another user's budget with that
 * user's (public) API key; new orders per account per 10 s and per minute (X-MBX-ORDER-COUNT-*),
 * so one account's several keys share one order budget, as Binance counts it. Windows start at
 * multiples of their length, as Binance's do, and a rejected request still counts (a client
 * hammering at the limit stays limited). Every answer says when its window ends (Retry-After).
 */

export interface RateLimits {
  /** REQUEST_WEIGHT per minute, per client address and per key. */
  readonly weightPerMinute: number;
  /** ORDERS per 10 seconds per account. */
  readonly ordersPer10s: number;
  /** ORDERS per minute per account. */
  readonly ordersPerMinute: number;
}

export const DEFAULT_RATE_LIMITS: RateLimits = { weightPerMinute: 2400, ordersPer10s: 300, ordersPerMinute: 1200 };

/** Counts per key in the current fixed window; everything is forgotten when the window turns. */
export class WindowCounter<K> {
  private readonly counts = new Map<K, number>();
  private windowStart = 0;

  constructor(readonly windowMs: number) {}

  add(key: K, amount: number, nowMs: number): number {
    const start = nowMs - (nowMs % this.windowMs);
    if (start !== this.windowStart) {
      this.windowStart = start;
      this.counts.clear();
    }
    const next = (this.counts.get(key) ?? 0) + amount;
    this.counts.set(key, next);
    return next;
  }

  /** Whole seconds until the window that holds `nowMs` ends (at least 1). */
  secondsLeft(nowMs: number): number {
    return Math.max(1, Math.ceil((this.windowMs - (nowMs % this.windowMs)) / 1000));
  }
}

export interface Usage {
  readonly used: number;
  readonly over: boolean;
  /** Seconds until the counter's window ends. */
  readonly retryAfterS: number;
}

export interface OrderUsage {
  readonly orders10s: number;
  readonly orders1m: number;
  readonly exceeded: '10s' | '1m' | undefined;
  readonly retryAfterS: number;
}

export class RateLimiter {
  private readonly clientWeight = new WindowCounter<string>(60_000);
  private readonly keyWeight = new WindowCounter<string>(60_000);
  private readonly orders10s = new WindowCounter<number>(10_000);
  private readonly orders1m = new WindowCounter<number>(60_000);

  constructor(readonly limits: RateLimits) {}

  /** Adds a request's weight to its client's minute. */
  weighClient(clientKey: string, weight: number, nowMs: number): Usage {
    return this.usage(this.clientWeight, this.clientWeight.add(clientKey, weight, nowMs), nowMs);
  }

  /** Adds a request's weight to its API key's minute; call only once the signature has verified. */
  weighKey(apiKey: string, weight: number, nowMs: number): Usage {
    return this.usage(this.keyWeight, this.keyWeight.add(apiKey, weight, nowMs), nowMs);
  }

  /** Counts `count` new orders for the account; returns the counters and which limit (if any) is exceeded. */
  countOrders(accountId: number, count: number, nowMs: number): OrderUsage {
    const orders10s = this.orders10s.add(accountId, count, nowMs);
    const orders1m = this.orders1m.add(accountId, count, nowMs);
    const exceeded = orders10s > this.limits.ordersPer10s ? '10s' : orders1m > this.limits.ordersPerMinute ? '1m' : undefined;
    const retryAfterS = exceeded === '10s' ? this.orders10s.secondsLeft(nowMs) : this.orders1m.secondsLeft(nowMs);
    return { orders10s, orders1m, exceeded, retryAfterS };
  }

  private usage(counter: WindowCounter<string>, used: number, nowMs: number): Usage {
    return { used, over: used > this.limits.weightPerMinute, retryAfterS: counter.secondsLeft(nowMs) };
  }
}
