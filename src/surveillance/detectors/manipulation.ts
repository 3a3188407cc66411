/**
 * @module surveillance/detectors/manipulation
 * M6 MARK_OR_FUND_MANIPULATION (Mango, JELLY, Solidus' "derivatives squeeze"):
 * (a) in the 5 minutes before a funding settlement, or before the liquidation of one of its own
 *     (or linked) accounts, one owner group took ≥ 30 % of the symbol's taker volume and the mark
 *     moved ≥ 1 % the way its taking pushed (toward the liquidated position's liquidation, for
 *     the second kind) → high;
 * (b) a liquidation left a bankruptcy deficit ≥ 10,000 USDT while an account linked to the
 *     liquidated one holds the opposite side of that symbol → high.
 * Taker volume is kept per symbol for the last 5 minutes (a deque of trades).
 */
import { money, price } from '../../api/format.js';
import type { LiquidationEvent } from '../../core/index.js';
import type { MarketState } from '../../read/account-state.js';
import { ratio } from '../alert.js';
import type { SurveillanceContext } from '../context.js';
import type { Detector } from '../detector.js';
import type { SurveilledEvent } from '../source.js';

const E8 = 100_000_000n;

interface Taken {
  readonly atMs: number;
  readonly accountId: number;
  readonly buy: boolean;
  readonly notionalE8: bigint;
  readonly seq: number;
}

interface AccountTaking {
  notionalE8: bigint;
  netE8: bigint;
}

/** Taker trades of the last window, with running sums per account, so a check costs O(members). */
class TakerWindow {
  readonly trades: Taken[] = [];
  head = 0;
  totalE8 = 0n;
  readonly byAccount = new Map<number, AccountTaking>();

  push(item: Taken, windowMs: number): void {
    this.trades.push(item);
    this.totalE8 += item.notionalE8;
    const sums = this.byAccount.get(item.accountId) ?? { notionalE8: 0n, netE8: 0n };
    sums.notionalE8 += item.notionalE8;
    sums.netE8 += item.buy ? item.notionalE8 : -item.notionalE8;
    this.byAccount.set(item.accountId, sums);
    this.trim(item.atMs, windowMs);
  }

  trim(atMs: number, windowMs: number): void {
    while (this.head < this.trades.length && this.trades[this.head]!.atMs < atMs - windowMs) {
      const old = this.trades[this.head++]!;
      this.totalE8 -= old.notionalE8;
      const sums = this.byAccount.get(old.accountId)!;
      sums.notionalE8 -= old.notionalE8;
      sums.netE8 -= old.buy ? old.notionalE8 : -old.notionalE8;
      if (sums.notionalE8 === 0n) this.byAccount.delete(old.accountId);
    }
    if (this.head > 4096 && this.head * 2 > this.trades.length) {
      this.trades.splice(0, this.head);
      this.head = 0;
    }
  }

  /** Seq of the window's first trade: where the evidence starts. */
  get firstSeq(): number {
    return this.head < this.trades.length ? this.trades[this.head]!.seq : 0;
  }
}

export class ManipulationDetector implements Detector {
  readonly name = 'M6';
  readonly events = ['Trade', 'FundingSettled', 'Liquidation'] as const;
  private readonly windows: TakerWindow[];

  constructor(ctx: SurveillanceContext) {
    this.windows = ctx.state.markets.map(() => new TakerWindow());
  }

  onEvent(event: SurveilledEvent, ctx: SurveillanceContext): void {
    const { m6 } = ctx.config;
    if (event.type === 'Trade') {
      const trade = event;
      if (trade.kind !== 'NORMAL') return;
      const market = ctx.state.market(trade.symbol);
      this.windows[market.marketIndex]!.push({
        atMs: trade.atMs, accountId: trade.takerAccountId, buy: trade.takerSide === 'BUY', seq: ctx.toSeq,
        notionalE8: BigInt(trade.priceTicks) * BigInt(trade.qtyLots) * market.instrument.quotePerTickLotE8,
      }, m6.windowMs);
      return;
    }
    if (event.type === 'FundingSettled') {
      const market = ctx.state.market(event.symbol);
      this.checkTaking(market, event.fundingTimeMs, undefined, ctx);
      return;
    }
    const liquidation = event as LiquidationEvent;
    const market = ctx.state.market(liquidation.symbol);
    this.checkTaking(market, liquidation.atMs, liquidation, ctx);
    this.checkLinkedDeficit(market, liquidation, ctx);
  }

  /** (a): the dominant taker group of the last 5 minutes and the move it made. */
  private checkTaking(market: MarketState, atMs: number, liquidation: LiquidationEvent | undefined, ctx: SurveillanceContext): void {
    const { m6 } = ctx.config;
    const window = this.windows[market.marketIndex]!;
    window.trim(atMs, m6.windowMs);
    const total = window.totalE8;
    if (total < BigInt(m6.minWindowNotionalUsdt) * E8) return;
    const groupOf = (root: number): AccountTaking | undefined => {
      let sums: AccountTaking | undefined;
      for (const member of ctx.links.members(root)) {
        const own = window.byAccount.get(member);
        if (own === undefined) continue;
        sums ??= { notionalE8: 0n, netE8: 0n };
        sums.notionalE8 += own.notionalE8;
        sums.netE8 += own.netE8;
      }
      return sums;
    };
    const candidates = liquidation === undefined
      ? [...new Set([...window.byAccount.keys()].map((accountId) => ctx.links.root(accountId)))].sort((a, b) => a - b)
      : [ctx.links.root(liquidation.accountId)];
    const series = ctx.seriesOf(market).marks;
    const before = series.at(atMs - m6.windowMs);
    const now = series.at(atMs) ?? market.markTicks;
    if (before === undefined || before <= 0) return;
    const moveBps = ((now - before) * 10_000) / before;
    for (const root of candidates) {
      const group = groupOf(root);
      if (group === undefined || group.notionalE8 * 10_000n < total * BigInt(m6.takerShareBps)) continue;
      const pushedUp = group.netE8 > 0n;
      // Funding: the move the group's own taking made; a liquidation: the move toward it (a long falls).
      const wanted = liquidation === undefined ? (pushedUp ? 1 : -1) : (liquidation.side === 'SELL' ? -1 : 1);
      if (liquidation !== undefined && (pushedUp ? 1 : -1) !== wanted) continue;
      if (wanted * moveBps < m6.moveBps) continue;
      const members = ctx.links.members(root);
      const shareValue = Number((group.notionalE8 * 1_000_000n) / total) / 1e6;
      ctx.emit({
        code: 'M6', severity: 'high', symbol: market.symbol, accountIds: [...members], fromSeq: window.firstSeq, atMs,
        message: `${market.symbol}: ${members.length > 1 ? `linked group ${members.join(', ')}` : `account ${root}`} took ` +
          `${(shareValue * 100).toFixed(1)} % of taker volume in the 5 min before ${liquidation === undefined ? 'funding' : `the liquidation of account ${liquidation.accountId}`} ` +
          `and moved the mark ${(moveBps / 100).toFixed(2)} %`,
        inputs: {
          kind: liquidation === undefined ? 'BEFORE_FUNDING' : 'BEFORE_LIQUIDATION', takerShare: ratio(shareValue),
          groupTakerNotional: money(group.notionalE8), windowTakerNotional: money(total), netTakerNotional: money(group.netE8),
          markBefore: price(market.instrument, before), mark: price(market.instrument, now), moveBps: ratio(moveBps),
          liquidatedAccount: liquidation?.accountId ?? null, members: [...members],
        },
        threshold: { takerShareBps: m6.takerShareBps, moveBps: m6.moveBps, windowMs: m6.windowMs, minWindowNotionalUsdt: m6.minWindowNotionalUsdt },
      });
    }
  }

  /** (b): a deficit-making liquidation with a linked account on the other side. */
  private checkLinkedDeficit(market: MarketState, liquidation: LiquidationEvent, ctx: SurveillanceContext): void {
    const { m6 } = ctx.config;
    const deficit = -liquidation.insuranceDeltaE8;
    if (deficit < BigInt(m6.deficitUsdt) * E8) return;
    const liquidatedLong = liquidation.side === 'SELL';
    const opposite: number[] = [];
    for (const member of ctx.links.members(liquidation.accountId)) {
      if (member === liquidation.accountId) continue;
      const position = ctx.state.position(member, market.symbol);
      if (position !== undefined && position.sizeLots !== 0 && (position.sizeLots < 0) === liquidatedLong) opposite.push(member);
    }
    if (opposite.length === 0) return;
    ctx.emit({
      code: 'M6', severity: 'high', symbol: market.symbol, accountIds: [liquidation.accountId, ...opposite], atMs: liquidation.atMs,
      message: `${market.symbol}: account ${liquidation.accountId} was liquidated with a ${money(deficit)} USDT deficit ` +
        `while linked account(s) ${opposite.join(', ')} hold the other side`,
      inputs: {
        kind: 'LINKED_DEFICIT', deficit: money(deficit), liquidatedSide: liquidatedLong ? 'LONG' : 'SHORT',
        bankruptcyPrice: price(market.instrument, liquidation.bankruptcyPriceTicks), markPrice: price(market.instrument, liquidation.markTicks),
        oppositeAccounts: opposite,
      },
      threshold: { deficitUsdt: m6.deficitUsdt },
    });
  }
}
