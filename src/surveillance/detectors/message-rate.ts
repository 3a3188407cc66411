/**
 * @module surveillance/detectors/message-rate
 * M3 MESSAGE_RATE: an account's order messages (placements, user cancels, amendments, and rejected
 * order commands) over a rolling minute reach 80 % of the order rate limit (1,200 a minute, as
 * Binance's and the API's default) → info, with its messages per fill. Requests the API refused
 * with -1003/-1015 never reach the engine; an adapter reports them with `rateLimited()` and a burst
 * of 10 in a minute → warn (these reports are not in the journal, so a replay does not repeat them).
 * Counted in one-second buckets with a running sum: O(1) per message.
 */
import type { OrderUpdateEvent } from '../../core/index.js';
import { ratio } from '../alert.js';
import type { SurveillanceContext } from '../context.js';
import type { Detector } from '../detector.js';
import { Latches } from '../latch.js';
import type { SurveilledEvent } from '../source.js';
import { flowKind } from './order-flow.js';

const ORDER_COMMANDS = new Set(['PlaceOrder', 'CancelOrder', 'CancelAllOrders', 'AmendOrder']);

/** A count over a rolling window of whole seconds. */
export class RollingCount {
  private readonly buckets: Int32Array;
  private second = -1;
  total = 0;

  constructor(windowSeconds: number) {
    this.buckets = new Int32Array(windowSeconds);
  }

  add(atMs: number, count = 1): number {
    this.advance(Math.floor(atMs / 1000));
    this.buckets[this.second % this.buckets.length] = this.buckets[this.second % this.buckets.length]! + count;
    this.total += count;
    return this.total;
  }

  private advance(second: number): void {
    if (this.second === -1) {
      this.second = second;
      return;
    }
    const size = this.buckets.length;
    if (second - this.second >= size) {
      this.buckets.fill(0);
      this.total = 0;
    } else {
      for (let s = this.second + 1; s <= second; s++) {
        this.total -= this.buckets[s % size]!;
        this.buckets[s % size] = 0;
      }
    }
    if (second > this.second) this.second = second;
  }
}

class AccountRate {
  readonly messages: RollingCount;
  readonly fills: RollingCount;
  readonly limited: RollingCount;

  constructor(windowSeconds: number) {
    this.messages = new RollingCount(windowSeconds);
    this.fills = new RollingCount(windowSeconds);
    this.limited = new RollingCount(windowSeconds);
  }
}

export class MessageRateDetector implements Detector {
  readonly name = 'M3';
  readonly events = ['OrderUpdate', 'Rejected'] as const;
  private readonly accounts = new Map<number, AccountRate>();
  private readonly latches: Latches<string>;

  constructor(private readonly ctx: SurveillanceContext) {
    this.latches = new Latches(ctx.config.m3.repeatAfterMs);
  }

  onEvent(event: SurveilledEvent, ctx: SurveillanceContext): void {
    let accountId: number;
    let fill = false;
    if (event.type === 'Rejected') {
      const rejected = event;
      // Only the account's own refused message counts, not work the engine refused on its behalf.
      if (rejected.origin !== 'COMMAND' || !ORDER_COMMANDS.has(rejected.commandType) || rejected.accountId === 0) return;
      accountId = rejected.accountId;
    } else {
      const update = event as OrderUpdateEvent;
      const kind = flowKind(update);
      if (kind === 'FILL') fill = true;
      else if (kind !== 'PLACED' && kind !== 'ALGO_PLACED' && kind !== 'CANCELED' && kind !== 'AMENDED') return;
      if (kind === 'PLACED' && update.order.triggered) return;
      accountId = update.order.accountId;
    }
    const rate = this.rateOf(accountId);
    if (fill) {
      rate.fills.add(ctx.atMs);
      return;
    }
    const total = rate.messages.add(ctx.atMs);
    const { m3 } = ctx.config;
    const level = total * 10_000 >= m3.limitPerWindow * m3.infoShareBps ? 1 : 0;
    if (!this.latches.update(`${accountId}:messages`, level, ctx.atMs)) return;
    const fills = rate.fills.total;
    ctx.emit({
      code: 'M3', severity: 'info', symbol: null, accountIds: [accountId],
      message: `account ${accountId}: ${total} order messages in ${m3.windowMs / 1000} s (${((total * 100) / m3.limitPerWindow).toFixed(0)} % of the limit)`,
      inputs: { kind: 'MESSAGES', messages: total, fills, messagesPerFill: fills === 0 ? null : ratio(total / fills) },
      threshold: { limitPerWindow: m3.limitPerWindow, infoShareBps: m3.infoShareBps, windowMs: m3.windowMs },
    });
  }

  /** An adapter refused a request of this account for its rate limit (-1003 / -1015). */
  rateLimited(accountId: number, atMs: number): void {
    const ctx = this.ctx;
    const { m3 } = ctx.config;
    const count = this.rateOf(accountId).limited.add(atMs);
    const level = count >= m3.rateLimitedBurst ? 1 : 0;
    if (!this.latches.update(`${accountId}:limited`, level, atMs)) return;
    ctx.emit({
      code: 'M3', severity: 'warn', symbol: null, accountIds: [accountId], atMs,
      message: `account ${accountId}: ${count} requests refused for the rate limit in ${m3.windowMs / 1000} s`,
      inputs: { kind: 'RATE_LIMITED', refused: count },
      threshold: { rateLimitedBurst: m3.rateLimitedBurst, windowMs: m3.windowMs },
    });
  }

  private rateOf(accountId: number): AccountRate {
    let rate = this.accounts.get(accountId);
    if (rate === undefined) {
      rate = new AccountRate(Math.ceil(this.ctx.config.m3.windowMs / 1000));
      this.accounts.set(accountId, rate);
    }
    return rate;
  }
}
