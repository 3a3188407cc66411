/**
 * @module surveillance/engine-copy-bridge
 * Turns the engine's copy-trading events into the copy facts the C-alerts and M8 read
 * (copy-events.ts), so the detectors written against those facts watch the real engine:
 * - FollowerChanged → CopyRelation (active while FOLLOWING);
 * - LeadPortfolioChanged and every follower change → LeadPortfolio with its assets under
 *   management (Σ followers' investment; every open engine portfolio is public: the engine has no
 *   private portfolios yet);
 * - CopyFill → CopyMirrored, naming the lead's order: the lead's trade that the copy refers to
 *   (causeTradeId) is matched to the lead's side of that Trade event, which comes first in the
 *   same command. The follower's "order" is the sweep order that filled it.
 */
import type { EngineEvent } from '../core/index.js';
import type { CopyBook } from './copy-book.js';
import type { CopyTradingEvent } from './copy-events.js';

/** Lead trades remembered for their copies (copies follow in the same command; this is slack). */
const MAX_REMEMBERED_TRADES = 10_000;

export class EngineCopyBridge {
  private readonly followers = new Map<number, { readonly leadAccountId: number; readonly investedE8: bigint }>();
  private readonly aumOf = new Map<number, bigint>();
  private readonly openLeads = new Set<number>();
  /** `${symbol}:${tradeId}` → the lead's order id in that trade. */
  private readonly leadOrderOfTrade = new Map<string, number>();

  /** The copy facts `event` implies (usually none). */
  translate(event: EngineEvent, copies: CopyBook, atMs: number): CopyTradingEvent[] {
    // Most events imply nothing: only these four are looked at.
    if (event.type !== 'Trade' && event.type !== 'LeadPortfolioChanged' && event.type !== 'FollowerChanged' && event.type !== 'CopyFill') {
      return [];
    }
    switch (event.type) {
      case 'Trade': {
        const makerLeads = copies.hasFollowers(event.makerAccountId);
        if (!makerLeads && !copies.hasFollowers(event.takerAccountId)) return [];
        this.leadOrderOfTrade.set(`${event.symbol}:${event.tradeId}`, makerLeads ? event.makerOrderId : event.takerOrderId);
        if (this.leadOrderOfTrade.size > MAX_REMEMBERED_TRADES) this.leadOrderOfTrade.delete(this.leadOrderOfTrade.keys().next().value!);
        return [];
      }
      case 'LeadPortfolioChanged':
        if (event.open) this.openLeads.add(event.accountId);
        else this.openLeads.delete(event.accountId);
        return [this.portfolio(event.accountId, atMs)];
      case 'FollowerChanged': {
        const active = event.status === 'FOLLOWING';
        const previous = this.followers.get(event.accountId);
        if (previous !== undefined) {
          this.aumOf.set(previous.leadAccountId, (this.aumOf.get(previous.leadAccountId) ?? 0n) - previous.investedE8);
          this.followers.delete(event.accountId);
        }
        if (active) {
          this.followers.set(event.accountId, { leadAccountId: event.leadAccountId, investedE8: event.investedE8 });
          this.aumOf.set(event.leadAccountId, (this.aumOf.get(event.leadAccountId) ?? 0n) + event.investedE8);
        }
        return [
          { type: 'CopyRelation', leadAccountId: event.leadAccountId, followerAccountId: event.accountId, active, atMs },
          this.portfolio(event.leadAccountId, atMs),
        ];
      }
      case 'CopyFill': {
        const leadOrderId = this.leadOrderOfTrade.get(`${event.symbol}:${event.causeTradeId}`);
        if (leadOrderId === undefined) return [];
        return [{
          type: 'CopyMirrored', leadAccountId: event.leadAccountId, leadOrderId, followerAccountId: event.accountId,
          followerOrderId: event.sweepOrderId, symbol: event.symbol, side: event.side, qtyLots: event.qtyLots, atMs,
        }];
      }
    }
  }

  private portfolio(leadAccountId: number, atMs: number): CopyTradingEvent {
    const open = this.openLeads.has(leadAccountId);
    return { type: 'LeadPortfolio', leadAccountId, public: open, aumE8: open ? this.aumOf.get(leadAccountId) ?? 0n : 0n, atMs };
  }
}
