/**
 * @module surveillance/detectors/wash
 * M4 WASH_SELF_MATCH: a fill whose maker and taker share an owner (the same account, a sub-account,
 * or accounts the link registry joins) → high: self-trade prevention should have stopped it. One
 * alert per command, symbol and owner group, with every such fill of the command. STP expiries of an
 * account ≥ 100 in a clock hour → info (a strategy that keeps crossing itself).
 */
import { price, qty } from '../../api/format.js';
import type { TradeEvent } from '../../core/index.js';
import type { SurveillanceContext } from '../context.js';
import type { Detector } from '../detector.js';
import type { SurveilledEvent } from '../source.js';

const HOUR_MS = 3_600_000;
const MAX_LISTED_FILLS = 100;

interface WashTally {
  readonly symbol: string;
  readonly accounts: Set<number>;
  readonly fills: { tradeId: number; maker: number; taker: number; price: string; qty: string }[];
  count: number;
  lots: number;
}

export class WashDetector implements Detector {
  readonly name = 'M4';
  readonly events = ['Trade', 'OrderUpdate'] as const;
  private readonly batch = new Map<string, WashTally>();
  private hour = -1;
  private readonly stpExpiries = new Map<number, number>();
  private readonly stpReported = new Set<number>();

  onEvent(event: SurveilledEvent, ctx: SurveillanceContext): void {
    if (event.type === 'OrderUpdate') {
      const update = event;
      if (update.execution !== 'EXPIRED' || update.reason !== 'STP') return;
      this.stpExpiry(update.order.accountId, ctx);
      return;
    }
    const trade = event as TradeEvent;
    if (trade.kind !== 'NORMAL' || !ctx.links.linked(trade.makerAccountId, trade.takerAccountId)) return;
    const key = `${trade.symbol}:${ctx.links.root(trade.makerAccountId)}`;
    let tally = this.batch.get(key);
    if (tally === undefined) {
      tally = { symbol: trade.symbol, accounts: new Set(), fills: [], count: 0, lots: 0 };
      this.batch.set(key, tally);
    }
    const instrument = ctx.state.market(trade.symbol).instrument;
    tally.accounts.add(trade.makerAccountId).add(trade.takerAccountId);
    tally.count++;
    tally.lots += trade.qtyLots;
    if (tally.fills.length < MAX_LISTED_FILLS) {
      tally.fills.push({ tradeId: trade.tradeId, maker: trade.makerAccountId, taker: trade.takerAccountId,
        price: price(instrument, trade.priceTicks), qty: qty(instrument, trade.qtyLots) });
    }
  }

  onBatchEnd(ctx: SurveillanceContext): void {
    for (const tally of this.batch.values()) {
      const accounts = [...tally.accounts].sort((a, b) => a - b);
      const instrument = ctx.state.market(tally.symbol).instrument;
      ctx.emit({
        code: 'M4', severity: 'high', symbol: tally.symbol, accountIds: accounts,
        message: `${tally.symbol}: ${tally.count} fill(s) between ${accounts.length === 1 ? `account ${accounts[0]} and itself` : `linked accounts ${accounts.join(', ')}`}`,
        inputs: { fills: tally.count, qty: qty(instrument, tally.lots), sameAccount: accounts.length === 1, trades: tally.fills },
        threshold: { anyFill: true },
      });
    }
    this.batch.clear();
  }

  private stpExpiry(accountId: number, ctx: SurveillanceContext): void {
    const hour = Math.floor(ctx.atMs / HOUR_MS);
    if (hour !== this.hour) {
      this.hour = hour;
      this.stpExpiries.clear();
      this.stpReported.clear();
    }
    const count = (this.stpExpiries.get(accountId) ?? 0) + 1;
    this.stpExpiries.set(accountId, count);
    if (count < ctx.config.m4.stpExpiriesPerHour || this.stpReported.has(accountId)) return;
    this.stpReported.add(accountId);
    ctx.emit({
      code: 'M4', severity: 'info', symbol: null, accountIds: [accountId],
      message: `account ${accountId}: ${count} orders expired by self-trade prevention this hour`,
      inputs: { stpExpiries: count, hourStartMs: hour * HOUR_MS },
      threshold: { stpExpiriesPerHour: ctx.config.m4.stpExpiriesPerHour },
    });
  }
}
