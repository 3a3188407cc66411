/**
 * @module engine/queries
 * Read-only views of engine state for adapters (API, UI, surveillance, simulator). Nothing here
 * mutates state. Figures are exact integers; prices that are ratios (entry, liquidation,
 * bankruptcy) come as PriceFraction plus a rounded tick value for display.
 */
import { BUY, SELL, type Side } from '../book/types.js';
import { RATE_ONE } from '../instrument/units.js';
import { divCeil } from '../num/int.js';
import { bracketFor, maxNotionalForLeverage } from '../instrument/instrument.js';
import type { EngineContext } from './context.js';
import {
  bankruptcyPrice, fractionToTicks, liquidationPrice, maintenanceMarginE8, notionalE8,
  positionInitialMarginE8, unrealizedPnlE8, type PriceFraction,
} from './margin.js';
import { computeCross, crossBackingE8, crossEquityExceptE8 } from './metrics.js';
import { assessOrderMargin, marketProtectionLimit, orderBudgetE8 } from './order-checks.js';
import type { OrderView } from './events.js';
import { Position, type Account, type Market } from './state.js';

export interface PositionRiskView {
  readonly accountId: number;
  readonly symbol: string;
  readonly marginType: 'ISOLATED' | 'CROSSED';
  readonly leverage: number;
  readonly sizeLots: number;
  readonly costE8: bigint;
  /** Entry price as an exact fraction of ticks (undefined when flat). */
  readonly entryPrice: PriceFraction | undefined;
  readonly markTicks: number;
  readonly notionalE8: bigint;
  readonly unrealizedPnlE8: bigint;
  readonly initialMarginE8: bigint;
  readonly maintenanceMarginE8: bigint;
  readonly isolatedWalletE8: bigint;
  readonly realizedPnlE8: bigint;
  readonly liquidationPrice: PriceFraction | undefined;
  /** Liquidation price rounded half away from zero to a tick (0 when none). */
  readonly liquidationPriceTicks: number;
  readonly bankruptcyPriceTicks: number;
  readonly maxNotionalE8: bigint;
  readonly bracket: number;
  readonly openOrderMarginE8: bigint;
  readonly updatedAtMs: number;
}

export interface AccountView {
  readonly accountId: number;
  readonly parentAccountId: number;
  readonly crossWalletE8: bigint;
  /** Cross wallet + every isolated wallet. */
  readonly walletBalanceE8: bigint;
  readonly crossUnrealizedPnlE8: bigint;
  readonly unrealizedPnlE8: bigint;
  readonly crossMarginBalanceE8: bigint;
  readonly marginBalanceE8: bigint;
  readonly availableE8: bigint;
  readonly withdrawableE8: bigint;
  readonly positionInitialMarginE8: bigint;
  readonly orderInitialMarginE8: bigint;
  readonly maintenanceMarginE8: bigint;
  readonly crossMaintenanceMarginE8: bigint;
  readonly depositedE8: bigint;
  readonly withdrawnE8: bigint;
  readonly positions: readonly PositionRiskView[];
}

export function positionRisk(ctx: EngineContext, account: Account, position: Position): PositionRiskView {
  const market = ctx.markets[position.market]!;
  const instrument = market.instrument;
  const mark = market.markTicks;
  const size = position.sizeLots;
  const notional = notionalE8(instrument, mark, size);
  const backing = position.isolated ? position.isolatedWalletE8 : crossBackingE8(ctx, account, position);
  const liquidation = liquidationPrice(instrument, size, position.costE8, backing);
  const bankruptcy = bankruptcyPrice(instrument, size, position.costE8,
    position.isolated ? position.isolatedWalletE8 : crossEquityExceptE8(ctx, account, position));
  return {
    accountId: account.accountId,
    symbol: instrument.symbol,
    marginType: position.isolated ? 'ISOLATED' : 'CROSSED',
    leverage: position.leverage,
    sizeLots: size,
    costE8: position.costE8,
    entryPrice: size === 0 ? undefined : { num: position.costE8 < 0n ? -position.costE8 : position.costE8,
      den: BigInt(size < 0 ? -size : size) * instrument.quotePerTickLotE8 },
    markTicks: mark,
    notionalE8: size < 0 ? -notional : notional,
    unrealizedPnlE8: unrealizedPnlE8(instrument, position, mark),
    initialMarginE8: positionInitialMarginE8(instrument, position, mark),
    maintenanceMarginE8: maintenanceMarginE8(instrument, position, mark),
    isolatedWalletE8: position.isolatedWalletE8,
    realizedPnlE8: position.realizedPnlE8,
    liquidationPrice: liquidation,
    liquidationPriceTicks: liquidation === undefined ? 0 : fractionToTicks(liquidation, 'nearest'),
    bankruptcyPriceTicks: bankruptcy === undefined ? 0 : fractionToTicks(bankruptcy, 'nearest'),
    maxNotionalE8: maxNotionalForLeverage(instrument, position.leverage),
    bracket: bracketFor(instrument, notional).bracket,
    openOrderMarginE8: position.orderMarginE8,
    updatedAtMs: position.updatedAtMs,
  };
}

export function accountView(ctx: EngineContext, account: Account): AccountView {
  const totals = computeCross(ctx, account, ctx.scratch.queryTotals);
  let wallet = account.crossWalletE8;
  let unrealized = totals.unrealizedPnlE8;
  let maintenance = totals.maintenanceE8;
  let positionIm = totals.positionInitialMarginE8;
  const positions: PositionRiskView[] = [];
  for (const position of account.positions.values()) {
    positions.push(positionRisk(ctx, account, position));
    if (!position.isolated) continue;
    const market = ctx.markets[position.market]!;
    wallet += position.isolatedWalletE8;
    unrealized += unrealizedPnlE8(market.instrument, position, market.markTicks);
    maintenance += maintenanceMarginE8(market.instrument, position, market.markTicks);
    positionIm += positionInitialMarginE8(market.instrument, position, market.markTicks);
  }
  return {
    accountId: account.accountId,
    parentAccountId: account.parentAccountId,
    crossWalletE8: account.crossWalletE8,
    walletBalanceE8: wallet,
    crossUnrealizedPnlE8: totals.unrealizedPnlE8,
    unrealizedPnlE8: unrealized,
    crossMarginBalanceE8: totals.marginBalanceE8,
    marginBalanceE8: wallet + unrealized,
    availableE8: totals.availableE8,
    withdrawableE8: totals.withdrawableE8,
    positionInitialMarginE8: positionIm,
    orderInitialMarginE8: totals.orderMarginE8,
    maintenanceMarginE8: maintenance,
    crossMaintenanceMarginE8: totals.maintenanceE8,
    depositedE8: account.depositedE8,
    withdrawnE8: account.withdrawnE8,
    positions,
  };
}

export interface OrderPreviewInput {
  readonly accountId: number;
  readonly symbol: string;
  readonly side: 'BUY' | 'SELL';
  readonly qtyLots: number;
  /** 0 for a market order (priced by a preview of the book). */
  readonly priceTicks: number;
}

export interface OrderPreview {
  /** §1.2 cost of the order at its price (IM + open loss), for its whole quantity. */
  readonly costE8: bigint;
  /** Increase of the account's order margin if it rested (what the margin check compares). */
  readonly marginIncreaseE8: bigint;
  /** Worst-case taker fee the margin check reserves on top of the increase. */
  readonly feeReserveE8: bigint;
  /** What the order may draw on: available balance (cross) or withdrawable balance (isolated). */
  readonly availableE8: bigint;
  /** Exactly "the order would pass the margin and position-limit checks" (the same code path). */
  readonly affordable: boolean;
  /** The code the order would be refused with (-2019, -2027), 0 when affordable. */
  readonly rejectCode: number;
  /** Position and liquidation price if the order filled completely at its price. */
  readonly sizeAfterLots: number;
  readonly liquidationPriceAfterTicks: number;
  readonly entryPriceAfter: PriceFraction | undefined;
  /** Expected fill (market orders: from the current book). */
  readonly fillableLots: number;
  readonly fillNotionalE8: bigint;
}

/**
 * What an order would cost and where the position would be liquidated after it fills: the
 * liquidation-price preview the trading UI shows before a user commits to leverage.
 */
export function previewOrder(ctx: EngineContext, input: OrderPreviewInput): OrderPreview | undefined {
  const account = ctx.findAccount(input.accountId);
  const market = ctx.marketBySymbol.get(input.symbol);
  if (account === undefined || market === undefined || market.markTicks === 0 || input.qtyLots <= 0) return undefined;
  const instrument = market.instrument;
  const side: Side = input.side === 'BUY' ? BUY : SELL;
  const existing = account.positions.get(market.marketIndex);
  const template = existing ?? new Position(account.accountId, market.marketIndex, instrument.defaultLeverage, false);
  let fillable = input.qtyLots;
  let fillNotional = notionalE8(instrument, input.priceTicks, input.qtyLots);
  if (input.priceTicks === 0) {
    ctx.matchingMarket = market.marketIndex;
    fillable = market.book.previewFill(account.accountId, side, marketProtectionLimit(market, side), input.qtyLots, 0);
    ctx.matchingMarket = -1;
    fillNotional = market.book.lastPreviewNotionalTickLots * instrument.quotePerTickLotE8;
  }
  const check = assessOrderMargin(ctx, account, market, template, side,
    { lots: fillable, orderNotionalE8: fillNotional }, input.priceTicks === 0 ? market.markTicks : input.priceTicks,
    undefined, { reason: undefined, costE8: 0n, increaseE8: 0n, feeReserveE8: 0n });
  const available = orderBudgetE8(ctx, account, template);
  const after = hypotheticalFill(template, side, fillable, fillNotional);
  // A market order pays the taker fee now; for cross positions it comes out of the backing equity.
  const takerFee = input.priceTicks === 0 ? divCeil(fillNotional * instrument.takerFeeE8, RATE_ONE) : 0n;
  const backing = template.isolated
    ? template.isolatedWalletE8 + (after.opened > 0n ? divCeil(after.opened, BigInt(template.leverage)) : 0n)
    : crossBackingE8(ctx, account, template) - takerFee;
  const liquidation = liquidationPrice(instrument, after.size, after.cost, backing);
  return {
    costE8: check.costE8,
    marginIncreaseE8: check.increaseE8 > 0n ? check.increaseE8 : 0n,
    feeReserveE8: check.feeReserveE8,
    availableE8: available,
    affordable: check.reason === undefined,
    rejectCode: check.reason === undefined ? 0 : check.reason.code,
    sizeAfterLots: after.size,
    liquidationPriceAfterTicks: liquidation === undefined ? 0 : fractionToTicks(liquidation, 'nearest'),
    entryPriceAfter: after.size === 0 ? undefined
      : { num: after.cost < 0n ? -after.cost : after.cost, den: BigInt(after.size < 0 ? -after.size : after.size) * instrument.quotePerTickLotE8 },
    fillableLots: fillable,
    fillNotionalE8: fillNotional,
  };
}

function hypotheticalFill(position: Position, side: Side, lots: number, notional: bigint):
  { size: number; cost: bigint; opened: bigint } {
  const signed = side === BUY ? lots : -lots;
  const before = position.sizeLots;
  if (lots === 0) return { size: before, cost: position.costE8, opened: 0n };
  const signedNotional = side === BUY ? notional : -notional;
  if (before === 0 || (before > 0) === (signed > 0)) {
    return { size: before + signed, cost: position.costE8 + signedNotional, opened: notional };
  }
  const absBefore = before < 0 ? -before : before;
  if (lots <= absBefore) {
    // Same rounding as a real fill (positions.applyFill): the removed cost rounds up.
    const removed = divCeil(position.costE8 * BigInt(lots), BigInt(absBefore));
    return { size: before + signed, cost: position.costE8 - removed, opened: 0n };
  }
  const openedLots = lots - absBefore;
  const openedNotional = (notional * BigInt(openedLots)) / BigInt(lots);
  return { size: before + signed, cost: side === BUY ? openedNotional : -openedNotional, opened: openedNotional };
}

export function openOrders(ctx: EngineContext, account: Account, symbol?: string): OrderView[] {
  const market = symbol === undefined ? undefined : ctx.marketBySymbol.get(symbol);
  const views: OrderView[] = [];
  for (const order of account.orders.values()) {
    if (market !== undefined && order.market !== market.marketIndex) continue;
    views.push(ctx.orderView(order));
  }
  return views;
}

export interface DepthLevel {
  readonly priceTicks: number;
  readonly qtyLots: number;
}

export function depth(market: Market, limit: number): { bids: DepthLevel[]; asks: DepthLevel[] } {
  const collect = (side: Side): DepthLevel[] => {
    const out: DepthLevel[] = [];
    for (let price = market.book.firstLevel(side); price !== -1 && out.length < limit;
      price = market.book.nextLevel(side, price)) {
      out.push({ priceTicks: price, qtyLots: market.book.levelTotalLots(side, price) });
    }
    return out;
  };
  return { bids: collect(BUY), asks: collect(SELL) };
}

export interface LedgerView {
  readonly depositsE8: bigint;
  readonly withdrawalsE8: bigint;
  readonly walletsE8: bigint;
  readonly unrealizedPnlE8: bigint;
  readonly insuranceFundE8: bigint;
  readonly feePoolE8: bigint;
  readonly accounts: number;
  readonly openPositions: number;
}

export function ledger(ctx: EngineContext): LedgerView {
  let wallets = 0n;
  let costs = 0n;
  let open = 0;
  for (const account of ctx.accounts.values()) {
    wallets += account.crossWalletE8;
    for (const position of account.positions.values()) {
      wallets += position.isolatedWalletE8;
      costs += position.costE8;
      if (position.sizeLots !== 0) open++;
    }
  }
  return {
    depositsE8: ctx.depositsE8, withdrawalsE8: ctx.withdrawalsE8, walletsE8: wallets, unrealizedPnlE8: -costs,
    insuranceFundE8: ctx.insuranceFundE8, feePoolE8: ctx.feePoolE8, accounts: ctx.accounts.size, openPositions: open,
  };
}


/** Read-only figures of one market (what tickers, premiumIndex and openInterest publish). */
export interface MarketView {
  readonly symbol: string;
  readonly indexTicks: number;
  readonly markTicks: number;
  readonly lastTicks: number;
  readonly bestBidTicks: number;
  readonly bestAskTicks: number;
  readonly lastFundingRateE8: bigint;
  readonly estimatedFundingRateE8: bigint;
  readonly nextFundingMs: number;
  readonly openInterestLots: number;
  readonly lastTradeId: number;
  readonly insuranceFundE8: bigint;
}

export function marketView(ctx: EngineContext, market: Market, estimatedFundingRateE8: bigint): MarketView {
  return {
    symbol: market.instrument.symbol,
    indexTicks: market.indexTicks,
    markTicks: market.markTicks,
    lastTicks: market.lastTicks,
    bestBidTicks: market.book.bestBid(),
    bestAskTicks: market.book.bestAsk(),
    lastFundingRateE8: market.lastFundingRateE8,
    estimatedFundingRateE8,
    nextFundingMs: market.nextFundingMs,
    openInterestLots: market.longOpenInterestLots,
    lastTradeId: market.nextTradeId - 1,
    insuranceFundE8: ctx.insuranceFundE8,
  };
}

/** Every live order of every account, in order-id order. */
export function allOpenOrders(ctx: EngineContext): OrderView[] {
  const views: OrderView[] = [];
  for (const order of ctx.liveOrders.values()) views.push(ctx.orderView(order));
  return views.sort((a, b) => a.orderId - b.orderId);
}
