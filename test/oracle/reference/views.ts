/**
 * Read-only views in the engine's query shapes (AccountView, open orders, market figures, the
 * preview's affordability), computed from the reference state.
 */
import { bracketFor, maxNotionalForLeverage } from '../../../src/core/instrument/instrument.js';
import type { AccountView, DepthLevel, LedgerView, MarketView, PositionRiskView } from '../../../src/core/engine/queries.js';
import type { OrderView } from '../../../src/core/engine/events.js';
import {
  bankruptcyBacking, crossFigures, liquidationBacking, orderMargin, orderSides,
} from './account-figures.js';
import { estimatedFundingRate } from './clock.js';
import { orderView } from './events.js';
import {
  bankruptcyPrice, liquidationPrice, maintenance, notional, positionInitialMargin, toTicks,
  unrealizedPnl,
} from './formulas.js';
import { checkAffordable, protectionLimit } from './order-checks.js';
import {
  findAccount, marketBySymbol, openPositions, peekPosition, type RefAccount, type RefPosition, type RefState,
} from './state.js';

function positionRisk(state: RefState, account: RefAccount, position: RefPosition): PositionRiskView {
  const market = state.markets[position.market]!;
  const instrument = market.instrument;
  const mark = market.markTicks;
  const size = position.sizeLots;
  const value = notional(instrument, mark, size);
  const liquidation = liquidationPrice(instrument, size, position.costE8, liquidationBacking(state, account, position));
  const bankruptcy = bankruptcyPrice(instrument, position, bankruptcyBacking(state, account, position));
  return {
    accountId: account.accountId, symbol: instrument.symbol, marginType: position.isolated ? 'ISOLATED' : 'CROSSED',
    leverage: position.leverage, sizeLots: size, costE8: position.costE8,
    entryPrice: size === 0 ? undefined : {
      num: position.costE8 < 0n ? -position.costE8 : position.costE8,
      den: BigInt(Math.abs(size)) * instrument.quotePerTickLotE8,
    },
    markTicks: mark, notionalE8: size < 0 ? -value : value, unrealizedPnlE8: unrealizedPnl(instrument, position, mark),
    initialMarginE8: positionInitialMargin(instrument, position, mark),
    maintenanceMarginE8: maintenance(instrument, position, mark), isolatedWalletE8: position.isolatedWalletE8,
    realizedPnlE8: position.realizedPnlE8, liquidationPrice: liquidation,
    liquidationPriceTicks: liquidation === undefined ? 0 : toTicks(liquidation, 'nearest'),
    bankruptcyPriceTicks: bankruptcy === undefined ? 0 : toTicks(bankruptcy, 'nearest'),
    maxNotionalE8: maxNotionalForLeverage(instrument, position.leverage), bracket: bracketFor(instrument, value).bracket,
    openOrderMarginE8: orderMargin(account, position), updatedAtMs: position.updatedAtMs,
  };
}

export function accountView(state: RefState, accountId: number): AccountView | undefined {
  const account = findAccount(state, accountId);
  if (account === undefined) return undefined;
  const cross = crossFigures(state, account);
  let wallet = account.crossWalletE8;
  let unrealized = cross.unrealizedPnlE8;
  let mm = cross.maintenanceE8;
  let im = cross.positionInitialMarginE8;
  for (const position of account.positions) {
    if (!position.isolated) continue;
    const market = state.markets[position.market]!;
    wallet += position.isolatedWalletE8;
    unrealized += unrealizedPnl(market.instrument, position, market.markTicks);
    mm += maintenance(market.instrument, position, market.markTicks);
    im += positionInitialMargin(market.instrument, position, market.markTicks);
  }
  return {
    accountId, parentAccountId: account.parentAccountId, crossWalletE8: account.crossWalletE8, walletBalanceE8: wallet,
    crossUnrealizedPnlE8: cross.unrealizedPnlE8, unrealizedPnlE8: unrealized, crossMarginBalanceE8: cross.marginBalanceE8,
    marginBalanceE8: wallet + unrealized, availableE8: cross.availableE8, withdrawableE8: cross.withdrawableE8,
    positionInitialMarginE8: im, orderInitialMarginE8: cross.orderMarginE8, maintenanceMarginE8: mm,
    crossMaintenanceMarginE8: cross.maintenanceE8, depositedE8: account.depositedE8, withdrawnE8: account.withdrawnE8,
    positions: account.positions.map((position) => positionRisk(state, account, position)),
  };
}

export function openOrders(state: RefState, accountId: number): OrderView[] {
  return (findAccount(state, accountId)?.orders ?? []).map((order) => orderView(state, order));
}

export function marketView(state: RefState, symbol: string): MarketView | undefined {
  const market = marketBySymbol(state, symbol);
  if (market === undefined) return undefined;
  return {
    symbol, indexTicks: market.indexTicks, markTicks: market.markTicks, lastTicks: market.lastTicks,
    bestBidTicks: market.book.bestBid(), bestAskTicks: market.book.bestAsk(), lastFundingRateE8: market.lastFundingRateE8,
    estimatedFundingRateE8: estimatedFundingRate(market), nextFundingMs: market.nextFundingMs,
    openInterestLots: openPositions(state, market.index).reduce((sum, p) => sum + Math.max(0, p.sizeLots), 0),
    lastTradeId: market.nextTradeId - 1, insuranceFundE8: state.insuranceFundE8,
  };
}

/**
 * R7: whether an order of `qtyLots` at `priceTicks` (0: a market order priced by the book)
 * would pass order entry's checks now: the position limit (-2027) and the margin check (-2019),
 * fee reserve included — the same code path as order entry.
 */
export function previewAffordable(state: RefState, input: {
  accountId: number; symbol: string; side: 'BUY' | 'SELL'; qtyLots: number; priceTicks: number;
}): boolean | undefined {
  const account = findAccount(state, input.accountId);
  const market = marketBySymbol(state, input.symbol);
  if (account === undefined || market === undefined || market.markTicks === 0 || input.qtyLots <= 0) return undefined;
  const position = peekPosition(state, account, market.index);
  let plan = { lots: input.qtyLots, notionalE8: notional(market.instrument, input.priceTicks, input.qtyLots) };
  if (input.priceTicks === 0) {
    const lots = market.book.previewFill(account.accountId, input.side === 'BUY' ? 0 : 1, protectionLimit(market, input.side),
      input.qtyLots, 0);
    plan = { lots, notionalE8: BigInt(market.book.lastPreviewNotionalTickLots) * market.instrument.quotePerTickLotE8 };
  }
  if (plan.lots === 0) return true;
  const valuationTicks = input.priceTicks === 0 ? market.markTicks : input.priceTicks;
  return checkAffordable(state, account, market, position, input.side, plan, valuationTicks, orderSides(account, position)) === undefined;
}

/** Book depth: each side's levels from the best price outward. */
export function depth(state: RefState, symbol: string, limit: number): { bids: DepthLevel[]; asks: DepthLevel[] } | undefined {
  const book = marketBySymbol(state, symbol)?.book;
  if (book === undefined) return undefined;
  const side = (code: 0 | 1): DepthLevel[] => {
    const levels: DepthLevel[] = [];
    for (let price = book.firstLevel(code); price !== -1 && levels.length < limit; price = book.nextLevel(code, price)) {
      levels.push({ priceTicks: price, qtyLots: book.levelTotalLots(code, price) });
    }
    return levels;
  };
  return { bids: side(0), asks: side(1) };
}

/** The venue's totals: deposits, withdrawals, wallets, unrealized PnL, insurance fund, fee pool. */
export function ledger(state: RefState): LedgerView {
  let wallets = 0n;
  let costs = 0n;
  let open = 0;
  for (const account of state.accounts) {
    wallets += account.crossWalletE8;
    for (const position of account.positions) {
      wallets += position.isolatedWalletE8;
      costs += position.costE8;
      if (position.sizeLots !== 0) open++;
    }
  }
  return {
    depositsE8: state.depositsE8, withdrawalsE8: state.withdrawalsE8, walletsE8: wallets, unrealizedPnlE8: -costs,
    insuranceFundE8: state.insuranceFundE8, feePoolE8: state.feePoolE8, accounts: state.accounts.length, openPositions: open,
  };
}
