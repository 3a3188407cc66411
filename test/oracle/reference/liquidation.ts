/**
 * Liquidation, insurance fund and ADL (perp-mechanics.md §1.6–§1.7, docs/MECHANICS.md):
 * an isolated position is liquidated when its margin balance ≤ its maintenance margin, a cross
 * account when its cross margin balance ≤ its cross maintenance (the position with the most
 * maintenance first; on equal maintenance the symbol the account used first). Each step:
 * cancel the orders; size the step (all, or down to the bracket floor from
 * partialLiquidationFromBracket up); sweep the book with an IOC (R3 budget); liquidation fee from
 * what equity is left; the fund pays a negative equity; the rest is ADL'd at the bankruptcy price
 * against Binance's ranking; an isolated position's wallet goes back to cross only after that.
 */
import { OUTCOME_ACCEPTED, STP_NONE, TIF_IOC } from '../../../src/core/book/types.js';
import { bracketFor } from '../../../src/core/instrument/instrument.js';
import type { AdlFill } from '../../../src/core/engine/events.js';
import { divCeil, divFloor } from '../../../src/core/num/int.js';
import { adlRanking, proRataShares } from './adl.js';
import { bankruptcyBacking, crossFigures, positionEquity } from './account-figures.js';
import { emitLiquidation, emitTrade } from './events.js';
import { applyFill, releaseFlatIsolated } from './fills.js';
import { bankruptcyPrice, maintenance, notional, ONE_E8, toTicks, unrealizedPnl } from './formulas.js';
import { changeInsurance, changePositionWallet } from './ledger.js';
import { endLiveOrder, executeTaker } from './matching.js';
import { protectionLimit } from './order-checks.js';
import {
  accountOf, crossPositionCount, type RefAccount, type RefMarket, type RefOrder, type RefPosition,
  type RefState, type SideName,
} from './state.js';

export function checkAccountRisk(state: RefState, account: RefAccount, atMs: number): void {
  for (const position of [...account.positions]) {
    if (!position.isolated || position.sizeLots === 0) continue;
    const market = state.markets[position.market]!;
    const balance = position.isolatedWalletE8 + unrealizedPnl(market.instrument, position, market.markTicks);
    const mm = maintenance(market.instrument, position, market.markTicks);
    if (balance <= mm) liquidateIsolated(state, account, position, atMs);
  }
  if (crossPositionCount(account) === 0) return;
  const cross = crossFigures(state, account);
  if (cross.marginBalanceE8 <= cross.maintenanceE8) liquidateCross(state, account, atMs);
}

function liquidateIsolated(state: RefState, account: RefAccount, position: RefPosition, atMs: number): void {
  const market = state.markets[position.market]!;
  cancelOrders(state, account, (order) => order.market === position.market, 'LIQUIDATION', atMs);
  for (;;) {
    if (position.sizeLots === 0) return;
    const balance = position.isolatedWalletE8 + unrealizedPnl(market.instrument, position, market.markTicks);
    const mm = maintenance(market.instrument, position, market.markTicks);
    if (balance > mm) return;
    liquidateStep(state, account, position, balance, mm, atMs);
  }
}

function liquidateCross(state: RefState, account: RefAccount, atMs: number): void {
  cancelOrders(state, account, (order) => account.positions.find((p) => p.market === order.market)?.isolated !== true,
    'LIQUIDATION', atMs);
  for (;;) {
    const cross = crossFigures(state, account);
    if (cross.crossPositions === 0 || cross.marginBalanceE8 > cross.maintenanceE8) return;
    let target: RefPosition | undefined;
    let targetMm = -1n;
    for (const position of account.positions) {
      if (position.isolated || position.sizeLots === 0) continue;
      const market = state.markets[position.market]!;
      const mm = maintenance(market.instrument, position, market.markTicks);
      if (mm > targetMm) {
        target = position;
        targetMm = mm;
      }
    }
    liquidateStep(state, account, target!, cross.marginBalanceE8, cross.maintenanceE8, atMs);
  }
}

function cancelOrders(state: RefState, account: RefAccount, selected: (order: RefOrder) => boolean,
  reason: 'LIQUIDATION' | 'ADL', atMs: number): void {
  for (const order of account.orders.filter(selected)) endLiveOrder(state, order, 'CANCELED', 'CANCELED', reason, atMs);
}

/** Lots to liquidate now: all, or — from partialLiquidationFromBracket up — down to the bracket floor at mark. */
function liquidationLots(market: RefMarket, position: RefPosition): number {
  const instrument = market.instrument;
  const size = Math.abs(position.sizeLots);
  const from = instrument.partialLiquidationFromBracket;
  if (from === 0) return size;
  const bracket = bracketFor(instrument, notional(instrument, market.markTicks, size));
  if (bracket.bracket < from) return size;
  const keep = Number(divFloor(bracket.floorE8, BigInt(market.markTicks) * instrument.quotePerTickLotE8));
  const lots = size - keep;
  return lots >= 1 ? Math.min(lots, size) : 1;
}

function clampPrice(market: RefMarket, ticks: number): number {
  return Math.min(Math.max(ticks, market.instrument.minPriceTicks), market.instrument.maxPriceTicks);
}

/** The bankruptcy price in ticks, rounded so the account ends ≥ 0 (long up, short down); mark when none. */
function bankruptcyTicks(state: RefState, account: RefAccount, market: RefMarket, position: RefPosition): number {
  const price = bankruptcyPrice(market.instrument, position, bankruptcyBacking(state, account, position));
  return clampPrice(market, price === undefined ? market.markTicks : toTicks(price, position.sizeLots > 0 ? 'up' : 'down'));
}

function liquidateStep(state: RefState, account: RefAccount, position: RefPosition, marginBalanceE8: bigint,
  maintenanceE8: bigint, atMs: number): void {
  const market = state.markets[position.market]!;
  const instrument = market.instrument;
  const isLong = position.sizeLots > 0;
  const side: SideName = isLong ? 'SELL' : 'BUY';
  const sizeBefore = position.sizeLots;
  const lots = liquidationLots(market, position);
  const bankruptcyAtStart = bankruptcyTicks(state, account, market, position);
  position.liquidating = true;
  const plan = sweepPlan(state, account, market, position, lots);
  let orderId = 0;
  let bookFilled = 0;
  let bookNotional = 0n;
  if (plan.lots > 0) {
    orderId = state.nextOrderId++;
    const order: RefOrder = {
      orderId, accountId: account.accountId, market: market.index, clientOrderId: `autoclose-${orderId}`, side,
      orderType: 'LIMIT', timeInForce: 'IOC', origQtyLots: plan.lots, executedQtyLots: 0, cumQuoteE8: 0n,
      priceTicks: plan.limitTicks, stopPriceTicks: 0, activationPriceTicks: 0, callbackRateBps: 0, reduceOnly: true,
      closePosition: false, workingType: 'MARK_PRICE', priceProtect: false, stpMode: 'NONE', conditional: false,
      triggered: false, origin: 'LIQUIDATION', causeId: account.accountId, status: 'NEW', createdAtMs: atMs, updatedAtMs: atMs, live: false,
      resting: false, marginNotionalE8: 0n, marginOpenLossE8: 0n, trailingActive: false, trailingExtremeTicks: 0,
    };
    const result = executeTaker(state, market, order, {
      limitTicks: plan.limitTicks, qtyLots: plan.lots, tif: TIF_IOC, stp: STP_NONE, liquidation: true, remainderReason: 'IOC',
    }, atMs);
    if (result.outcome !== OUTCOME_ACCEPTED) throw new Error('reference: an IOC liquidation order is always accepted');
    bookFilled = result.filledLots;
    bookNotional = result.notionalE8;
  }
  const fundBefore = state.insuranceFundE8;
  // Liquidation fee on the filled notional, from what equity is left (never creating a deficit).
  const nominalFee = divCeil(bookNotional * instrument.liquidationFeeE8, ONE_E8);
  const equityAfterFills = positionEquity(state, account, position);
  const fee = nominalFee < equityAfterFills ? nominalFee : equityAfterFills > 0n ? equityAfterFills : 0n;
  if (fee > 0n) {
    changePositionWallet(state, account, position, -fee, 'LIQUIDATION_FEE', orderId);
    changeInsurance(state, fee, 'LIQUIDATION_FEE', instrument.symbol, account.accountId);
  }
  coverDeficit(state, account, position);
  const adl: AdlFill[] = [];
  const remainder = lots - bookFilled;
  if (remainder > 0) {
    deleverage(state, market, account, side, remainder, bankruptcyTicks(state, account, market, position), atMs, adl);
    coverDeficit(state, account, position);
  }
  position.liquidating = false;
  if (position.isolated && position.sizeLots === 0) releaseFlatIsolated(state, account, position, orderId);
  emitLiquidation(state, {
    accountId: account.accountId, market: market.index, isolated: position.isolated, side, orderId,
    positionLotsBefore: sizeBefore, qtyLots: lots, bankruptcyPriceTicks: bankruptcyAtStart, markTicks: market.markTicks,
    marginBalanceE8, maintenanceMarginE8: maintenanceE8, bookFilledLots: bookFilled, bookNotionalE8: bookNotional, feeE8: fee,
    insuranceDeltaE8: state.insuranceFundE8 - fundBefore, adl, atMs,
  });
}

/** The insurance fund pays a negative equity as far as it reaches. */
function coverDeficit(state: RefState, account: RefAccount, position: RefPosition): void {
  const equity = positionEquity(state, account, position);
  if (equity >= 0n || state.insuranceFundE8 === 0n) return;
  const pay = state.insuranceFundE8 < -equity ? state.insuranceFundE8 : -equity;
  changeInsurance(state, -pay, 'DEFICIT', state.markets[position.market]!.instrument.symbol, account.accountId);
  changePositionWallet(state, account, position, pay, 'INSURANCE_CLEAR', 0);
}

interface SweepPlan {
  lots: number;
  limitTicks: number;
}

/**
 * Walks the opposite side of the book from the best level, inside the liquidation band:
 * `takeAt(price, available)` says how many lots of a level to take (available = the level, at
 * most the lots still to liquidate); the walk stops after a level not fully taken.
 */
function walkBook(market: RefMarket, side: SideName, lots: number, takeAt: (priceTicks: number, available: number) => number):
  SweepPlan {
  const book = market.book;
  const restingSide = side === 'SELL' ? 0 : 1;
  const bandTicks = protectionLimit(market, side, true);
  let left = lots;
  const plan: SweepPlan = { lots: 0, limitTicks: 0 };
  for (let price = book.firstLevel(restingSide); price !== -1 && left > 0; price = book.nextLevel(restingSide, price)) {
    if (side === 'SELL' ? price < bandTicks : price > bandTicks) break;
    const level = book.levelTotalLots(restingSide, price);
    const take = takeAt(price, Math.min(level, left));
    if (take <= 0) break;
    left -= take;
    plan.lots += take;
    plan.limitTicks = price;
    if (take < level && left > 0) break;
  }
  return plan;
}

/**
 * R3: a level at price p adds d = dir × (p − bankruptcy) × k per lot to a surplus that starts at
 * the insurance fund F; d ≥ 0 levels are taken whole, a d < 0 level only as far as the surplus
 * pays. Exact: amounts are scaled by the bankruptcy price's denominator.
 */
function sweepPlan(state: RefState, account: RefAccount, market: RefMarket, position: RefPosition, lots: number): SweepPlan {
  const k = market.instrument.quotePerTickLotE8;
  const dir = position.sizeLots > 0 ? 1n : -1n;
  // bankruptcy = num / den ticks with den = |s| × k (num may be ≤ 0: the backing covers any price).
  const den = BigInt(Math.abs(position.sizeLots)) * k;
  const num = dir * (position.costE8 - bankruptcyBacking(state, account, position));
  let surplus = state.insuranceFundE8 * den;
  return walkBook(market, position.sizeLots > 0 ? 'SELL' : 'BUY', lots, (price, available) => {
    const perLot = dir * (BigInt(price) * den - num) * k;
    const take = perLot >= 0n ? available : Math.min(available, surplus <= 0n ? 0 : Number(surplus / -perLot));
    surplus += perLot * BigInt(Math.max(0, take));
    return take;
  });
}

/**
 * ADL: the lots the book did not take close at `priceTicks`, without fees, against opposite
 * positions the instrument's ADL policy picks (reference/adl.ts): a ranking walked with a cursor
 * (built once per command and side, an engine choice), or PRO_RATA's shares; each deleveraged
 * account's orders in the symbol are cancelled.
 */
function deleverage(state: RefState, market: RefMarket, account: RefAccount, side: SideName, lots: number,
  priceTicks: number, atMs: number, out: AdlFill[]): void {
  const queueIndex = side === 'SELL' ? 1 : 0;
  if (market.instrument.adlPolicy === 'PRO_RATA') {
    for (const [counterparty, take] of proRataShares(state, market, queueIndex, lots)) {
      adlFill(state, market, account, side, counterparty, take, priceTicks, atMs, out);
    }
    return;
  }
  if (market.adlQueues[queueIndex] === undefined) {
    market.adlQueues[queueIndex] = adlRanking(state, market, queueIndex);
    market.adlCursors[queueIndex] = 0;
  }
  const queue = market.adlQueues[queueIndex];
  let remaining = lots;
  while (remaining > 0) {
    const cursor = market.adlCursors[queueIndex];
    const counterparty = queue[cursor];
    if (counterparty === undefined) throw new Error('reference: ADL ran out of opposite positions');
    const usable = queueIndex === 1 ? counterparty.sizeLots < 0 : counterparty.sizeLots > 0;
    if (!usable || counterparty.accountId === account.accountId) {
      market.adlCursors[queueIndex] = cursor + 1;
      continue;
    }
    const size = Math.abs(counterparty.sizeLots);
    const take = Math.min(size, remaining);
    if (take === size) market.adlCursors[queueIndex] = cursor + 1;
    adlFill(state, market, account, side, counterparty, take, priceTicks, atMs, out);
    remaining -= take;
  }
}

function adlFill(state: RefState, market: RefMarket, account: RefAccount, side: SideName, counterparty: RefPosition,
  take: number, priceTicks: number, atMs: number, out: AdlFill[]): void {
  const counterpartyAccount = accountOf(state, counterparty.accountId);
  const tradeId = market.nextTradeId++;
  const counterpartySigned = side === 'SELL' ? take : -take;
  const realized = applyFill(state, counterpartyAccount, market, counterpartySigned, priceTicks, 0n, tradeId, atMs, 'ADL');
  applyFill(state, account, market, -counterpartySigned, priceTicks, 0n, tradeId, atMs, 'ADL');
  emitTrade(state, market.index, {
    tradeId, priceTicks, qtyLots: take, takerSide: side, makerOrderId: 0, takerOrderId: 0,
    makerAccountId: counterparty.accountId, takerAccountId: account.accountId, makerFeeE8: 0n, takerFeeE8: 0n, kind: 'ADL', atMs,
  });
  out.push({ accountId: counterparty.accountId, qtyLots: take, priceTicks, realizedPnlE8: realized });
  cancelOrders(state, counterpartyAccount, (order) => order.market === market.index, 'ADL', atMs);
}
