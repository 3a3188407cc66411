/**
 * @module engine/copy-sweep
 * Fair mirroring. Every follower's share of one lead trade goes to the book as ONE engine-made IOC
 * order for their total (a sweep); its fills are then split pro rata: lots by each follower's
 * share, notional by the lots each received, both by largest remainder (copy-math.ts). So every
 * follower pays the sweep's average price (within one E8 unit of notional), whatever its place in
 * the list, and Σ followers' lots and notional = the sweep's exactly: no money appears or vanishes.
 * Each follower pays the taker fee on its own notional, rounded up.
 *
 * Before the sweep, followers whose share cannot be taken are skipped with a recorded reason:
 * openings the policy gate refuses, below the minimum notional, worse than the follower's slippage
 * guard against the lead's average price, or unaffordable; closes whose average price would pass
 * the follower's bankruptcy price (that position is the liquidation engine's). Removing a follower
 * only lowers the total, which only improves the average, so the checks settle in a few passes.
 */
import { BUY, STP_NONE, type Side } from '../book/types.js';
import { RATE_ONE } from '../instrument/units.js';
import { divCeil, divFloor } from '../num/int.js';
import type { CopySkipReasonName } from '../schema/enums.js';
import type { EngineContext } from './context.js';
import { allocateProRata } from './copy-math.js';
import { defaultSlippageBps, type Follower } from './copy-state.js';
import { makeEngineOrder } from './engine-orders.js';
import { executeSweep, SWEEP_OWNER } from './execution.js';
import { notionalE8 } from './margin.js';
import { capAtBankruptcy, checkAffordable, marketProtectionLimit } from './order-checks.js';
import { admitOpening } from './policy.js';
import { applyFillAtNotional } from './positions.js';
import type { Account, Market, Position } from './state.js';

export interface SweepLeg {
  readonly follower: Follower;
  readonly account: Account;
  readonly position: Position;
  readonly lots: number;
}

/** The lead's own fills this copies: the slippage guard compares against their average. */
export interface LeadPrice {
  readonly lots: number;
  readonly notionalE8: bigint;
}

export function recordSkip(
  ctx: EngineContext, leg: Pick<SweepLeg, 'account' | 'follower'>, market: Market, side: Side, lots: number,
  reason: CopySkipReasonName, causeTradeId: number,
): void {
  ctx.log.copySkipped(leg.account.accountId, leg.follower.leadAccountId, market.marketIndex, side === BUY ? 'BUY' : 'SELL', lots,
    reason, causeTradeId);
}

/** Whether the sweep's average (notional / lots) is worse for `side` than the lead's by more than the guard. */
function beyondSlippage(side: Side, notionalE8: bigint, lots: number, lead: LeadPrice, slippageBps: number): boolean {
  // Cross-multiplied: avg / leadAvg vs 1 ± slippage, in integers.
  const ours = notionalE8 * BigInt(lead.lots) * 10_000n;
  const theirs = lead.notionalE8 * BigInt(lots);
  return side === BUY ? ours > theirs * BigInt(10_000 + slippageBps) : ours < theirs * BigInt(10_000 - slippageBps);
}

function skipReason(
  ctx: EngineContext, market: Market, side: Side, leg: SweepLeg, opening: boolean, lead: LeadPrice | undefined,
  filledLots: number, notional: bigint,
): CopySkipReasonName | undefined {
  if (opening) {
    const guard = leg.follower.slippageBps > 0 ? leg.follower.slippageBps : defaultSlippageBps(market.instrument.symbol);
    if (lead !== undefined && lead.lots > 0 && beyondSlippage(side, notional, filledLots, lead, guard)) return 'SLIPPAGE';
    const share = divCeil(notional * BigInt(leg.lots), BigInt(filledLots));
    const problem = checkAffordable(ctx, leg.account, market, leg.position, side, { lots: leg.lots, orderNotionalE8: share },
      market.markTicks);
    return problem === undefined ? undefined : 'INSUFFICIENT_MARGIN';
  }
  // A close at the sweep's average (rounded against the follower) must not pass its bankruptcy price.
  const perLot = BigInt(filledLots) * market.instrument.quotePerTickLotE8;
  const averageTicks = Number(side === BUY ? divCeil(notional, perLot) : divFloor(notional, perLot));
  return capAtBankruptcy(ctx, leg.account, market, leg.position, side, averageTicks) === averageTicks ? undefined : 'BEYOND_BANKRUPTCY';
}

/**
 * Copies one side of a lead trade for every leg: checks, one sweep, pro-rata allocation. Legs are
 * in follower-id order. `opening` legs add to positions; closing legs only reduce them.
 */
export function sweepForFollowers(
  ctx: EngineContext, market: Market, side: Side, legsIn: readonly SweepLeg[], opening: boolean, lead: LeadPrice | undefined,
  causeTradeId: number, atMs: number,
): void {
  const instrument = market.instrument;
  let legs: SweepLeg[] = [];
  for (const leg of legsIn) {
    if (opening) {
      if (admitOpening(ctx, leg.account, leg.position.leverage) !== undefined) {
        recordSkip(ctx, leg, market, side, leg.lots, 'POLICY', causeTradeId);
        continue;
      }
      if (notionalE8(instrument, market.markTicks, leg.lots) < instrument.minNotionalE8) {
        recordSkip(ctx, leg, market, side, leg.lots, 'MIN_NOTIONAL', causeTradeId);
        continue;
      }
    }
    legs.push(leg);
  }
  const limitTicks = marketProtectionLimit(market, side);
  let totalLots: number;
  for (;;) {
    if (legs.length === 0) return;
    totalLots = 0;
    for (const leg of legs) totalLots += leg.lots;
    ctx.matchingMarket = market.marketIndex;
    const filled = market.book.previewFill(SWEEP_OWNER, side, limitTicks, totalLots, STP_NONE);
    ctx.matchingMarket = -1;
    if (filled === 0) {
      for (const leg of legs) recordSkip(ctx, leg, market, side, leg.lots, 'BOOK_DEPTH', causeTradeId);
      return;
    }
    const notional = market.book.lastPreviewNotionalTickLots * instrument.quotePerTickLotE8;
    const kept: SweepLeg[] = [];
    for (const leg of legs) {
      const reason = skipReason(ctx, market, side, leg, opening, lead, filled, notional);
      if (reason === undefined) kept.push(leg);
      else recordSkip(ctx, leg, market, side, leg.lots, reason, causeTradeId);
    }
    if (kept.length === legs.length) break;
    legs = kept;
  }
  const order = makeEngineOrder(ctx, {
    accountId: SWEEP_OWNER, market: market.marketIndex, side, qtyLots: totalLots, limitTicks, reduceOnly: !opening,
    origin: 'COPY', causeId: causeTradeId, atMs,
  });
  executeSweep(ctx, market, order, limitTicks, atMs);
  const filledLots = ctx.scratch.execution.filledLots;
  const filledNotional = ctx.scratch.execution.notionalE8;
  const lots = allocateProRata(BigInt(filledLots), legs.map((leg) => BigInt(leg.lots)));
  const notionals = allocateProRata(filledNotional, lots);
  const sideName = side === BUY ? 'BUY' : 'SELL';
  for (let i = 0; i < legs.length; i++) {
    const leg = legs[i]!;
    const got = Number(lots[i]!);
    if (got > 0) {
      const notionalShare = notionals[i]!;
      const fee = divCeil(notionalShare * instrument.takerFeeE8, RATE_ONE);
      const realized = applyFillAtNotional(ctx, leg.account, market, side === BUY ? got : -got, notionalShare, fee, order.orderId,
        atMs, 'REALIZED_PNL');
      ctx.log.copyFill(leg.account.accountId, leg.follower.leadAccountId, market.marketIndex, sideName, got, notionalShare, fee,
        realized, order.orderId, causeTradeId);
    }
    if (got < leg.lots) recordSkip(ctx, leg, market, side, leg.lots - got, 'BOOK_DEPTH', causeTradeId);
  }
}
