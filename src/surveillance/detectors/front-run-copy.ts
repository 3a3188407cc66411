/**
 * @module surveillance/detectors/front-run-copy
 * M8 FRONT_RUN_COPY: a lead (or an account linked to it) gets a fill on the same side within 5 s
 * before a lead order that followers mirror, then trades the other way against those followers'
 * fills within a minute, at a profit. One profitable episode → warn; the third of a UTC day → high.
 * Reads copy-trading events (CopyMirrored) beside the engine's fills.
 */
import { money, price, qty } from '../../api/format.js';
import type { OrderUpdateEvent, TradeEvent } from '../../core/index.js';
import type { CopyMirroredEvent } from '../copy-events.js';
import type { SurveillanceContext } from '../context.js';
import type { Detector } from '../detector.js';
import type { SurveilledEvent } from '../source.js';
import { flowKind } from './order-flow.js';

const DAY_MS = 86_400_000;

interface Fill {
  readonly atMs: number;
  readonly orderId: number;
  readonly accountId: number;
  readonly symbol: string;
  readonly side: 'BUY' | 'SELL';
  readonly lots: number;
  readonly priceTicks: number;
}

interface Watch {
  readonly leadAccountId: number;
  readonly leadOrderId: number;
  readonly symbol: string;
  readonly side: 'BUY' | 'SELL';
  readonly front: readonly Fill[];
  readonly followers: Set<number>;
  readonly expiresAtMs: number;
  readonly firstSeq: number;
  counted: boolean;
}

export class FrontRunCopyDetector implements Detector {
  readonly name = 'M8';
  readonly events = ['OrderUpdate', 'Trade', 'CopyMirrored'] as const;
  private readonly fills: Fill[] = [];
  private readonly orderCreatedMs = new Map<number, number>();
  private readonly watches = new Map<number, Watch>();
  private readonly episodesToday = new Map<number, number>();
  private day = -1;

  onEvent(event: SurveilledEvent, ctx: SurveillanceContext): void {
    if (!ctx.copies.hasRelations) return;
    if (event.type === 'OrderUpdate') this.onOrder(event, ctx);
    else if (event.type === 'CopyMirrored') this.onMirrored(event, ctx);
    else if (event.type === 'Trade') this.onTrade(event, ctx);
  }

  private inLeadGroup(accountId: number, ctx: SurveillanceContext): boolean {
    for (const member of ctx.links.members(accountId)) if (ctx.copies.hasFollowers(member)) return true;
    return false;
  }

  private onOrder(update: OrderUpdateEvent, ctx: SurveillanceContext): void {
    const kind = flowKind(update);
    const order = update.order;
    if (kind !== 'PLACED' && kind !== 'FILL') return;
    if (!this.inLeadGroup(order.accountId, ctx)) return;
    if (kind === 'PLACED') {
      this.orderCreatedMs.set(order.orderId, order.createdAtMs);
      if (this.orderCreatedMs.size > 100_000) this.orderCreatedMs.delete(this.orderCreatedMs.keys().next().value!);
      return;
    }
    const { m8 } = ctx.config;
    this.fills.push({ atMs: order.updatedAtMs, orderId: order.orderId, accountId: order.accountId, symbol: order.symbol, side: order.side,
      lots: update.lastQtyLots, priceTicks: update.lastPriceTicks });
    while (this.fills.length > 0 && this.fills[0]!.atMs < ctx.atMs - 2 * m8.beforeMs - m8.reduceWithinMs) this.fills.shift();
  }

  private onMirrored(event: CopyMirroredEvent, ctx: SurveillanceContext): void {
    const { m8 } = ctx.config;
    const existing = this.watches.get(event.leadOrderId);
    if (existing !== undefined) {
      existing.followers.add(event.followerAccountId);
      return;
    }
    const leadAtMs = this.orderCreatedMs.get(event.leadOrderId) ?? event.atMs;
    const group = new Set(ctx.links.members(event.leadAccountId));
    const front = this.fills.filter((fill) => group.has(fill.accountId) && fill.orderId !== event.leadOrderId && fill.symbol === event.symbol &&
      fill.side === event.side && fill.atMs >= leadAtMs - m8.beforeMs && fill.atMs <= leadAtMs);
    if (front.length === 0) return;
    this.watches.set(event.leadOrderId, {
      leadAccountId: event.leadAccountId, leadOrderId: event.leadOrderId, symbol: event.symbol, side: event.side, front,
      followers: new Set([event.followerAccountId]), expiresAtMs: event.atMs + m8.reduceWithinMs, firstSeq: ctx.toSeq, counted: false,
    });
  }

  private onTrade(trade: TradeEvent, ctx: SurveillanceContext): void {
    if (this.watches.size === 0 || trade.kind !== 'NORMAL') return;
    for (const [leadOrderId, watch] of this.watches) {
      if (ctx.atMs > watch.expiresAtMs) {
        this.watches.delete(leadOrderId);
        continue;
      }
      if (watch.counted || trade.symbol !== watch.symbol) continue;
      const group = ctx.links.members(watch.leadAccountId);
      const makerInGroup = group.includes(trade.makerAccountId);
      const takerInGroup = group.includes(trade.takerAccountId);
      if (makerInGroup === takerInGroup) continue;
      const groupAccount = makerInGroup ? trade.makerAccountId : trade.takerAccountId;
      const other = makerInGroup ? trade.takerAccountId : trade.makerAccountId;
      const groupSide = (trade.takerSide === 'BUY') === takerInGroup ? 'BUY' : 'SELL';
      if (groupSide === watch.side || !watch.followers.has(other)) continue;
      const frontLots = watch.front.reduce((sum, fill) => sum + fill.lots, 0);
      const frontCost = watch.front.reduce((sum, fill) => sum + fill.lots * fill.priceTicks, 0);
      const lots = Math.min(trade.qtyLots, frontLots);
      const direction = watch.side === 'BUY' ? 1 : -1;
      const profitTicksLots = direction * (trade.priceTicks * lots - (frontCost * lots) / frontLots);
      if (profitTicksLots <= 0) continue;
      watch.counted = true;
      this.episode(watch, groupAccount, other, trade, lots, profitTicksLots, ctx);
    }
  }

  private episode(watch: Watch, groupAccount: number, follower: number, trade: TradeEvent, lots: number, profitTicksLots: number,
    ctx: SurveillanceContext): void {
    const { m8 } = ctx.config;
    const day = Math.floor(ctx.atMs / DAY_MS);
    if (day !== this.day) {
      this.day = day;
      this.episodesToday.clear();
    }
    const count = (this.episodesToday.get(watch.leadAccountId) ?? 0) + 1;
    this.episodesToday.set(watch.leadAccountId, count);
    if (count > 1 && count !== m8.highPerDay) return;
    const instrument = ctx.state.market(watch.symbol).instrument;
    const profitE8 = BigInt(Math.round(profitTicksLots)) * instrument.quotePerTickLotE8;
    ctx.emit({
      code: 'M8', severity: count >= m8.highPerDay ? 'high' : 'warn', symbol: watch.symbol,
      accountIds: [...new Set([watch.leadAccountId, groupAccount, ...watch.front.map((fill) => fill.accountId)])].sort((a, b) => a - b),
      fromSeq: watch.firstSeq,
      message: `lead ${watch.leadAccountId}: ${watch.side === 'BUY' ? 'bought' : 'sold'} ahead of a copied order and traded out against follower ${follower} (episode ${count} today)`,
      inputs: {
        leadOrderId: watch.leadOrderId, side: watch.side, frontRunFills: watch.front.map((fill) => ({
          accountId: fill.accountId, orderId: fill.orderId, price: price(instrument, fill.priceTicks), qty: qty(instrument, fill.lots), atMs: fill.atMs,
        })),
        exitPrice: price(instrument, trade.priceTicks), exitQty: qty(instrument, lots), follower, profit: money(profitE8), episodesToday: count,
      },
      threshold: { beforeMs: m8.beforeMs, reduceWithinMs: m8.reduceWithinMs, highPerDay: m8.highPerDay },
    });
  }
}
