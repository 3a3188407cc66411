/**
 * @module engine/liquidation
 * Liquidation, insurance fund and auto-deleveraging (perp-mechanics.md §1.6–§1.7).
 *
 * Trigger: margin balance ≤ maintenance margin at mark (cross: account-wide over cross positions;
 * isolated: per position). Steps for each liquidated position:
 * 1. Cancel the account's open orders in the affected symbols (cross: all cross symbols).
 * 2. Size: the whole position, or — when its notional sits in bracket ≥ partialLiquidationFromBracket
 *    — the part that brings it down to its bracket's floor; then re-check and repeat (partial
 *    liquidation by bracket steps).
 * 3. An IOC liquidation order goes to the book. It takes liquidity from the best price outward
 *    while (a) prices stay inside the liquidation protection band around mark and (b) fills stay
 *    at the bankruptcy price or better, except what the insurance fund (plus the surplus of this
 *    order's better fills) can pay for: fills better than the bankruptcy price leave equity with
 *    the account; fills beyond it are a deficit the insurance fund pays. With an empty fund this
 *    is exactly "an IOC at the bankruptcy price".
 * 4. Liquidation fee = filled notional × liquidationFeeRate (rounded up), paid from the account's
 *    remaining equity only (never creating a deficit), into the insurance fund.
 * 5. Any negative equity left is paid by the insurance fund (INSURANCE_CLEAR / DEFICIT).
 * 6. The remainder the book could not absorb is closed against opposite positions chosen by the
 *    instrument's ADL policy (adl.ts; Binance's score by default), at the bankruptcy price (rounded so the liquidated account ends ≥ 0),
 *    with no fees; the deleveraged accounts' open orders in that symbol are cancelled.
 * The insurance fund never holds a position. An isolated position's margin is released to the
 * cross wallet only after fees and deficits are settled, so isolation holds.
 */
import { assert } from '../assert.js';
import { BUY, SELL, STP_NONE, TIF_IOC, type Side } from '../book/types.js';
import { bracketFor } from '../instrument/instrument.js';
import { RATE_ONE } from '../instrument/units.js';
import { divCeil, divFloor } from '../num/int.js';
import { adlQueue, proRataTakes } from './adl.js';
import type { EngineContext } from './context.js';
import type { AdlFill } from './events.js';
import { executeTaker } from './execution.js';
import { bankruptcyPrice, fractionToTicks, maintenanceMarginE8, notionalE8, unrealizedPnlE8 } from './margin.js';
import {
  computeCrossRisk, crossEquityExceptE8, isolatedMaintenanceE8, isolatedMarginBalanceE8,
} from './metrics.js';
import { endLiveOrder } from './order-lifecycle.js';
import { marketProtectionLimit } from './order-checks.js';
import { applyFill, releaseIsolatedRemainder } from './positions.js';
import type { SweepPlan } from './scratch.js';
import { makeEngineOrder } from './engine-orders.js';
import type { Account, Market, OrderRecord, Position } from './state.js';

/** Exact risk check of one account; liquidates whatever is at or below maintenance. */
export function checkAccountRisk(ctx: EngineContext, account: Account, atMs: number): void {
  for (const position of account.positions.values()) {
    if (!position.isolated || position.sizeLots === 0) continue;
    const balance = isolatedMarginBalanceE8(ctx, position);
    const maintenance = isolatedMaintenanceE8(ctx, position);
    if (balance <= maintenance) liquidateIsolated(ctx, account, position, balance, maintenance, atMs);
  }
  if (account.crossPositionCount === 0) return;
  const totals = computeCrossRisk(ctx, account, ctx.scratch.riskTotals);
  if (totals.crossPositions > 0 && totals.marginBalanceE8 <= totals.maintenanceE8) liquidateCross(ctx, account, atMs, true);
}

function liquidateIsolated(
  ctx: EngineContext, account: Account, position: Position, balance: bigint, maintenance: bigint, atMs: number,
): void {
  cancelOrders(ctx, account, position.market, 'LIQUIDATION', atMs);
  let step = 0;
  let marginBalance = balance;
  let maintenanceMargin = maintenance;
  while (position.sizeLots !== 0 && marginBalance <= maintenanceMargin) {
    assert(step++ < 64, 'isolated liquidation converges');
    liquidateStep(ctx, account, position, marginBalance, maintenanceMargin, atMs);
    marginBalance = isolatedMarginBalanceE8(ctx, position);
    maintenanceMargin = isolatedMaintenanceE8(ctx, position);
  }
}

/** `totalsFresh`: ctx.scratch.riskTotals already holds this account's figures (saves one pass). */
function liquidateCross(ctx: EngineContext, account: Account, atMs: number, totalsFresh: boolean): void {
  const totals = ctx.scratch.riskTotals;
  if (account.orders.size > 0) {
    cancelOrders(ctx, account, CROSS_MARKETS, 'LIQUIDATION', atMs);
    totalsFresh = false;
  }
  for (let step = 0; ; step++) {
    assert(step < 64 * (account.positions.size + 1), 'cross liquidation converges');
    if (account.crossPositionCount === 0) return;
    if (!totalsFresh || step > 0) computeCrossRisk(ctx, account, totals);
    if (totals.crossPositions === 0 || totals.marginBalanceE8 > totals.maintenanceE8) return;
    // The position carrying the most maintenance margin goes first (ties: lower market index).
    let target: Position | undefined;
    let targetMaintenance = -1n;
    const single = account.crossPositionCount === 1;
    for (const position of account.positions.values()) {
      if (position.isolated || position.sizeLots === 0) continue;
      if (single) {
        target = position;
        break;
      }
      const market = ctx.markets[position.market]!;
      const maintenance = maintenanceMarginE8(market.instrument, position, market.markTicks);
      if (maintenance > targetMaintenance) {
        target = position;
        targetMaintenance = maintenance;
      }
    }
    assert(target !== undefined, 'a cross account below maintenance has a cross position');
    liquidateStep(ctx, account, target, totals.marginBalanceE8, totals.maintenanceE8, atMs);
  }
}

/** `market`: cancel the orders of that market index; CROSS_MARKETS: of every cross-margin symbol. */
const CROSS_MARKETS = -1;

function cancelOrders(ctx: EngineContext, account: Account, market: number, reason: 'LIQUIDATION' | 'ADL', atMs: number): void {
  if (account.orders.size === 0) return;
  const victims: OrderRecord[] = [];
  for (const order of account.orders.values()) {
    const selected = market === CROSS_MARKETS ? account.positions.get(order.market)?.isolated !== true : order.market === market;
    if (selected) victims.push(order);
  }
  for (const order of victims) endLiveOrder(ctx, order, 'CANCELED', 'CANCELED', reason, atMs);
}

/** Lots to liquidate now: all, or down to the bracket floor for positions in large brackets. */
function liquidationLots(market: Market, position: Position): number {
  const instrument = market.instrument;
  const absSize = position.sizeLots < 0 ? -position.sizeLots : position.sizeLots;
  const from = instrument.partialLiquidationFromBracket;
  if (from === 0) return absSize;
  const bracket = bracketFor(instrument, notionalE8(instrument, market.markTicks, absSize));
  if (bracket.bracket < from) return absSize;
  const perLot = BigInt(market.markTicks) * instrument.quotePerTickLotE8;
  const keep = Number(divFloor(bracket.floorE8, perLot));
  const lots = absSize - keep;
  return lots >= 1 ? (lots > absSize ? absSize : lots) : 1;
}

/** Equity backing the position apart from its own PnL (isolated wallet, or cross equity of the rest). */
function backingE8(ctx: EngineContext, account: Account, position: Position): bigint {
  return position.isolated ? position.isolatedWalletE8 : crossEquityExceptE8(ctx, account, position);
}

function equityE8(ctx: EngineContext, account: Account, position: Position): bigint {
  const market = ctx.markets[position.market]!;
  return backingE8(ctx, account, position) + unrealizedPnlE8(market.instrument, position, market.markTicks);
}

function liquidateStep(
  ctx: EngineContext, account: Account, position: Position, marginBalanceE8: bigint, maintenanceE8: bigint,
  atMs: number,
): void {
  const market = ctx.markets[position.market]!;
  const instrument = market.instrument;
  const isLong = position.sizeLots > 0;
  const side: Side = isLong ? SELL : BUY;
  const sizeBefore = position.sizeLots;
  const lots = liquidationLots(market, position);
  const bankruptcy = bankruptcyPrice(instrument, position.sizeLots, position.costE8, backingE8(ctx, account, position));
  const bankruptcyTicks = clampPrice(market, bankruptcy === undefined
    ? market.markTicks : fractionToTicks(bankruptcy, isLong ? 'up' : 'down'));
  position.liquidating = true;
  // 3. Book sweep within the band, at the bankruptcy price or better unless the fund pays.
  const plan = planSweep(market, position, lots, backingE8(ctx, account, position), ctx.insuranceFundE8, ctx.scratch.sweep);
  let orderId = 0;
  let bookFilled = 0;
  let bookNotional = 0n;
  if (plan.lots > 0) {
    const order = makeEngineOrder(ctx, { accountId: account.accountId, market: market.marketIndex, side, qtyLots: plan.lots,
      limitTicks: plan.limitTicks, reduceOnly: true, origin: 'LIQUIDATION', causeId: account.accountId, atMs });
    orderId = order.orderId;
    executeTaker(ctx, market, order, {
      limitTicks: plan.limitTicks, qtyLots: plan.lots, tif: TIF_IOC, stp: STP_NONE, liquidation: true,
      remainderReason: 'IOC',
    }, atMs);
    bookFilled = ctx.scratch.execution.filledLots;
    bookNotional = ctx.scratch.execution.notionalE8;
  }
  const fundBefore = ctx.insuranceFundE8;
  // 4. Liquidation fee from what equity is left.
  const nominalFee = divCeil(bookNotional * instrument.liquidationFeeE8, RATE_ONE);
  const equityAfterFills = equityE8(ctx, account, position);
  const fee = nominalFee < equityAfterFills ? nominalFee : equityAfterFills > 0n ? equityAfterFills : 0n;
  if (fee > 0n) {
    ctx.changePositionWallet(account, position, -fee, 'LIQUIDATION_FEE', orderId);
    ctx.changeInsurance(fee, 'LIQUIDATION_FEE', instrument.symbol, account.accountId);
  }
  // 5. Deficit cover.
  coverDeficit(ctx, account, position);
  // 6. ADL for the remainder.
  const remainder = lots - bookFilled;
  const adl: AdlFill[] = [];
  if (remainder > 0) {
    const adlBankruptcy = bankruptcyPrice(instrument, position.sizeLots, position.costE8, backingE8(ctx, account, position));
    const adlTicks = clampPrice(market, adlBankruptcy === undefined
      ? market.markTicks : fractionToTicks(adlBankruptcy, isLong ? 'up' : 'down'));
    deleverage(ctx, market, account, side, remainder, adlTicks, atMs, adl);
    coverDeficit(ctx, account, position);
  }
  position.liquidating = false;
  if (position.isolated && position.sizeLots === 0) {
    releaseIsolatedRemainder(ctx, account, position, orderId);
  }
  ctx.log.liquidation(account.accountId, market.marketIndex, position.isolated ? 'ISOLATED' : 'CROSSED', side === BUY ? 'BUY' : 'SELL', orderId,
    sizeBefore, lots, bankruptcyTicks, market.markTicks, marginBalanceE8, maintenanceE8, bookFilled, bookNotional, fee,
    ctx.insuranceFundE8 - fundBefore, adl, atMs);
}

function clampPrice(market: Market, ticks: number): number {
  const instrument = market.instrument;
  return ticks < instrument.minPriceTicks ? instrument.minPriceTicks
    : ticks > instrument.maxPriceTicks ? instrument.maxPriceTicks : ticks;
}

/** Pays negative equity out of the insurance fund, as far as the fund reaches. */
function coverDeficit(ctx: EngineContext, account: Account, position: Position): void {
  const equity = equityE8(ctx, account, position);
  if (equity >= 0n || ctx.insuranceFundE8 === 0n) return;
  const pay = ctx.insuranceFundE8 < -equity ? ctx.insuranceFundE8 : -equity;
  const symbol = ctx.markets[position.market]!.instrument.symbol;
  ctx.changeInsurance(-pay, 'DEFICIT', symbol, account.accountId);
  ctx.changePositionWallet(account, position, pay, 'INSURANCE_CLEAR', 0);
}

/**
 * Walks the opposite side of the book from the best price and takes each level while it is inside
 * the liquidation protection band and the fills stay at the position's bankruptcy price or better,
 * except that the insurance fund, plus the surplus of this order's better fills, may pay for fills
 * beyond it. So an empty fund means an IOC at the bankruptcy price (Binance's liquidation order),
 * and an isolated loss never outgrows its isolated margin.
 *
 * In integers: closing q lots at p changes the equity, measured from the bankruptcy price, by
 * q·(dir·p·k·|s| − (C − B)) / |s| (C cost, B backing, dir +1 for a long). Both the per-lot term and
 * the budget are kept multiplied by |s|, so no fraction is ever formed.
 */
function planSweep(
  market: Market, position: Position, lots: number, backingE8: bigint, fundE8: bigint, plan: SweepPlan,
): SweepPlan {
  const book = market.book;
  const isLong = position.sizeLots > 0;
  const side = isLong ? SELL : BUY;
  const opposite = isLong ? BUY : SELL;
  const band = marketProtectionLimit(market, side, true);
  const absLots = BigInt(isLong ? position.sizeLots : -position.sizeLots);
  const k = market.instrument.quotePerTickLotE8;
  const costMinusBacking = position.costE8 - backingE8;
  let budgetScaled = fundE8 * absLots;
  let remaining = lots;
  plan.lots = 0;
  plan.limitTicks = 0;
  for (let price = book.firstLevel(opposite); price !== -1 && remaining > 0; price = book.nextLevel(opposite, price)) {
    if (isLong ? price < band : price > band) break;
    const levelLots = book.levelTotalLots(opposite, price);
    const perLotScaled = BigInt(isLong ? price : -price) * k * absLots - costMinusBacking;
    let take = levelLots < remaining ? levelLots : remaining;
    if (perLotScaled < 0n) {
      const affordable = budgetScaled <= 0n ? 0 : Number(divFloor(budgetScaled, -perLotScaled));
      if (affordable < take) take = affordable;
    }
    if (take <= 0) break;
    budgetScaled += perLotScaled * BigInt(take);
    remaining -= take;
    plan.lots += take;
    plan.limitTicks = price;
    if (take < levelLots && remaining > 0) break;
  }
  return plan;
}

/**
 * Closes `lots` of the liquidated position at `priceTicks` against opposite positions chosen by the
 * instrument's ADL policy (adl.ts): a queue walked with a cursor, or PRO_RATA's shares.
 */
function deleverage(
  ctx: EngineContext, market: Market, account: Account, side: Side, lots: number,
  priceTicks: number, atMs: number, out: AdlFill[],
): void {
  // Counterparties hold the opposite position: a liquidated long (SELL) meets shorts.
  const queueIndex = side === SELL ? 1 : 0;
  if (market.instrument.adlPolicy === 'PRO_RATA') {
    for (const take of proRataTakes(market, queueIndex, lots)) {
      closeAgainst(ctx, market, account, side, take.position, take.lots, priceTicks, atMs, out);
    }
    return;
  }
  const queue = adlQueue(ctx, market, queueIndex);
  let remaining = lots;
  while (remaining > 0) {
    const cursor = market.adlCursors[queueIndex];
    assert(cursor < queue.length, 'open interest guarantees enough opposite positions for ADL');
    const counterparty = queue[cursor]!;
    const size = counterparty.sizeLots;
    const usable = queueIndex === 1 ? size < 0 : size > 0;
    if (!usable || counterparty.accountId === account.accountId) {
      market.adlCursors[queueIndex] = cursor + 1;
      continue;
    }
    const absSize = size < 0 ? -size : size;
    const take = absSize < remaining ? absSize : remaining;
    if (take === absSize) market.adlCursors[queueIndex] = cursor + 1;
    closeAgainst(ctx, market, account, side, counterparty, take, priceTicks, atMs, out);
    remaining -= take;
  }
}

/** One ADL fill: `take` lots of `counterparty` against the liquidated account, without fees. */
function closeAgainst(
  ctx: EngineContext, market: Market, account: Account, side: Side, counterparty: Position, take: number,
  priceTicks: number, atMs: number, out: AdlFill[],
): void {
  const counterpartyAccount = ctx.account(counterparty.accountId);
  const tradeId = market.nextTradeId++;
  const counterpartySigned = side === SELL ? take : -take;
  const realized = applyFill(ctx, counterpartyAccount, market, counterpartySigned, priceTicks, 0n, tradeId, atMs, 'ADL');
  applyFill(ctx, account, market, -counterpartySigned, priceTicks, 0n, tradeId, atMs, 'ADL');
  ctx.log.trade(market.marketIndex, tradeId, priceTicks, take, side === BUY ? 'BUY' : 'SELL', 0, 0,
    counterparty.accountId, account.accountId, 0n, 0n, 'ADL', atMs);
  out.push({ accountId: counterparty.accountId, qtyLots: take, priceTicks, realizedPnlE8: realized });
  cancelOrders(ctx, counterpartyAccount, market.marketIndex, 'ADL', atMs);
}
