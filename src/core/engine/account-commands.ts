/**
 * @module engine/account-commands
 * Collateral and settings commands: accounts (with an optional parent, for sub-accounts and
 * sponsored accounts), deposits, withdrawals and atomic transfers (only from withdrawable balance:
 * unrealized profit never leaves an account), insurance funding, leverage, margin type, isolated
 * margin, and index prices.
 */
import { maxNotionalForLeverage } from '../instrument/instrument.js';
import type { EngineContext } from './context.js';
import type {
  AdjustIsolatedMarginCommand, CreateAccountCommand, DepositCommand, FundInsuranceCommand, SetIndexPriceCommand,
  SetLeverageCommand, SetMarginTypeCommand, TransferCommand, WithdrawCommand,
} from './commands.js';
import { startMarket } from './clock.js';
import { settleBeforeOutflow } from './copy.js';
import { maintenanceMarginE8, notionalE8, positionInitialMarginE8, unrealizedPnlE8 } from './margin.js';
import { computeCross, type MarketFigures, type PositionFigures } from './metrics.js';
import { repriceForLeverage } from './order-margin.js';
import { admit, admitLeverage } from './policy.js';
import { emitPosition, peekPosition } from './positions.js';
import { REJECT, type RejectReason } from './reject-codes.js';
import { lockedBySponsorship } from './sponsor-state.js';
import type { Account, OrderRecord } from './state.js';

export function createAccount(ctx: EngineContext, cmd: CreateAccountCommand): void {
  if (cmd.parentAccountId !== 0 && !ctx.accounts.has(cmd.parentAccountId)) {
    return ctx.reject('CreateAccount', REJECT.PARENT_NOT_FOUND, cmd.parentAccountId, '');
  }
  // The hierarchy is one level deep: a sub-account has no sub-accounts of its own.
  if (cmd.parentAccountId !== 0 && ctx.findAccount(cmd.parentAccountId)?.parentAccountId !== 0) {
    return ctx.reject('CreateAccount', REJECT.TRANSFER_NOT_ALLOWED, cmd.parentAccountId, '');
  }
  if (ctx.accounts.size >= ctx.limits.maxAccounts) return ctx.reject('CreateAccount', REJECT.ACCOUNT_LIMIT, 0, '');
  const accountId = ctx.nextAccountId++;
  ctx.addAccount(accountId, cmd.parentAccountId).policy.createdAtMs = cmd.atMs;
  ctx.log.accountCreated(accountId, cmd.parentAccountId);
}

export function deposit(ctx: EngineContext, cmd: DepositCommand): void {
  const account = ctx.findAccount(cmd.accountId);
  if (account === undefined) return ctx.reject('Deposit', REJECT.ACCOUNT_NOT_FOUND, cmd.accountId, '');
  if (cmd.amountE8 <= 0n) return ctx.reject('Deposit', REJECT.AMOUNT_NOT_POSITIVE, cmd.accountId, '');
  const locked = lockedBySponsorship(account);
  if (locked !== undefined) return ctx.reject('Deposit', locked, cmd.accountId, '');
  ctx.depositsE8 += cmd.amountE8;
  account.depositedE8 += cmd.amountE8;
  ctx.changeCrossWallet(account, cmd.amountE8, 'DEPOSIT', '', 0);
}

/** Balance that may leave the account (withdraw, transfer out, isolated margin in). */
export function withdrawableE8(ctx: EngineContext, account: Account): bigint {
  return computeCross(ctx, account, ctx.scratch.commandTotals).withdrawableE8;
}

export function withdraw(ctx: EngineContext, cmd: WithdrawCommand): void {
  const account = ctx.findAccount(cmd.accountId);
  if (account === undefined) return ctx.reject('Withdraw', REJECT.ACCOUNT_NOT_FOUND, cmd.accountId, '');
  if (cmd.amountE8 <= 0n) return ctx.reject('Withdraw', REJECT.AMOUNT_NOT_POSITIVE, cmd.accountId, '');
  const locked = lockedBySponsorship(account);
  if (locked !== undefined) return ctx.reject('Withdraw', locked, cmd.accountId, '');
  const outflow = settleBeforeOutflow(ctx, account, cmd.amountE8);
  if (outflow !== undefined) return ctx.reject('Withdraw', outflow, cmd.accountId, '');
  ctx.withdrawalsE8 += cmd.amountE8;
  account.withdrawnE8 += cmd.amountE8;
  ctx.changeCrossWallet(account, -cmd.amountE8, 'WITHDRAW', '', 0);
}

export function transfer(ctx: EngineContext, cmd: TransferCommand): void {
  const from = ctx.findAccount(cmd.fromAccountId);
  const to = ctx.findAccount(cmd.toAccountId);
  if (from === undefined || to === undefined) {
    return ctx.reject('Transfer', REJECT.ACCOUNT_NOT_FOUND, from === undefined ? cmd.fromAccountId : cmd.toAccountId, '');
  }
  if (from === to) return ctx.reject('Transfer', REJECT.SAME_ACCOUNT, cmd.fromAccountId, '');
  if (cmd.amountE8 <= 0n) return ctx.reject('Transfer', REJECT.AMOUNT_NOT_POSITIVE, cmd.fromAccountId, '');
  const locked = lockedBySponsorship(from, to);
  if (locked !== undefined) return ctx.reject('Transfer', locked, cmd.fromAccountId, '');
  const gate = admit(ctx, to, 'TRANSFER_IN');
  if (gate !== undefined) return ctx.reject('Transfer', gate, cmd.toAccountId, '');
  const outflow = settleBeforeOutflow(ctx, from, cmd.amountE8);
  if (outflow !== undefined) return ctx.reject('Transfer', outflow, cmd.fromAccountId, '');
  ctx.changeCrossWallet(from, -cmd.amountE8, 'TRANSFER', '', to.accountId);
  ctx.changeCrossWallet(to, cmd.amountE8, 'TRANSFER', '', from.accountId);
}

export function fundInsurance(ctx: EngineContext, cmd: FundInsuranceCommand): void {
  if (cmd.amountE8 <= 0n) return ctx.reject('FundInsurance', REJECT.AMOUNT_NOT_POSITIVE, 0, '');
  ctx.depositsE8 += cmd.amountE8;
  ctx.changeInsurance(cmd.amountE8, 'FUND', '', 0);
}

function restingOrdersOf(account: Account, market: number): OrderRecord[] {
  const out: OrderRecord[] = [];
  for (const order of account.orders.values()) if (order.market === market && order.resting) out.push(order);
  return out;
}

export function setLeverage(ctx: EngineContext, cmd: SetLeverageCommand): void {
  const account = ctx.findAccount(cmd.accountId);
  if (account === undefined) return ctx.reject('SetLeverage', REJECT.ACCOUNT_NOT_FOUND, cmd.accountId, cmd.symbol);
  const market = ctx.marketBySymbol.get(cmd.symbol);
  if (market === undefined) return ctx.reject('SetLeverage', REJECT.UNKNOWN_SYMBOL, cmd.accountId, cmd.symbol);
  const instrument = market.instrument;
  if (!Number.isSafeInteger(cmd.leverage) || cmd.leverage < 1 || cmd.leverage > instrument.maxLeverage) {
    return ctx.reject('SetLeverage', REJECT.INVALID_LEVERAGE, cmd.accountId, cmd.symbol);
  }
  const position = peekPosition(ctx, account, market.marketIndex);
  const previous = position.leverage;
  const gate = admitLeverage(ctx, account, previous, cmd.leverage);
  if (gate !== undefined) return ctx.reject('SetLeverage', gate, cmd.accountId, cmd.symbol);
  if (position.sizeLots !== 0) {
    if (position.isolated && cmd.leverage < previous) {
      return ctx.reject('SetLeverage', REJECT.LEVERAGE_REDUCTION_ISOLATED, cmd.accountId, cmd.symbol);
    }
    const valuation = market.markTicks;
    if (notionalE8(instrument, valuation, position.sizeLots) > maxNotionalForLeverage(instrument, cmd.leverage)) {
      return ctx.reject('SetLeverage', REJECT.POSITION_LIMIT, cmd.accountId, cmd.symbol);
    }
  }
  const resting = restingOrdersOf(account, market.marketIndex);
  position.leverage = cmd.leverage;
  repriceForLeverage(position, resting);
  if (cmd.leverage < previous && computeCross(ctx, account, ctx.scratch.commandTotals).availableE8 < 0n) {
    position.leverage = previous;
    repriceForLeverage(position, resting);
    return ctx.reject('SetLeverage', REJECT.MARGIN_INSUFFICIENT, cmd.accountId, cmd.symbol);
  }
  account.positions.set(market.marketIndex, position);
  ctx.touch(account);
  ctx.log.leverageChanged(account.accountId, market.marketIndex, cmd.leverage, maxNotionalForLeverage(instrument, cmd.leverage));
}

export function setMarginType(ctx: EngineContext, cmd: SetMarginTypeCommand): void {
  const account = ctx.findAccount(cmd.accountId);
  if (account === undefined) return ctx.reject('SetMarginType', REJECT.ACCOUNT_NOT_FOUND, cmd.accountId, cmd.symbol);
  const market = ctx.marketBySymbol.get(cmd.symbol);
  if (market === undefined) return ctx.reject('SetMarginType', REJECT.UNKNOWN_SYMBOL, cmd.accountId, cmd.symbol);
  if (cmd.marginType !== 'ISOLATED' && cmd.marginType !== 'CROSSED') {
    return ctx.reject('SetMarginType', REJECT.INVALID_PARAMETER, cmd.accountId, cmd.symbol);
  }
  const gate = admit(ctx, account, 'MARGIN_TYPE');
  if (gate !== undefined) return ctx.reject('SetMarginType', gate, cmd.accountId, cmd.symbol);
  const position = peekPosition(ctx, account, market.marketIndex);
  const isolated = cmd.marginType === 'ISOLATED';
  if (position.isolated === isolated) return ctx.reject('SetMarginType', REJECT.MARGIN_TYPE_UNCHANGED, cmd.accountId, cmd.symbol);
  if (position.sizeLots !== 0) return ctx.reject('SetMarginType', REJECT.MARGIN_TYPE_POSITION, cmd.accountId, cmd.symbol);
  if (position.openOrderCount + position.algoOrderCount > 0) {
    return ctx.reject('SetMarginType', REJECT.MARGIN_TYPE_OPEN_ORDERS, cmd.accountId, cmd.symbol);
  }
  position.isolated = isolated;
  account.positions.set(market.marketIndex, position);
  ctx.log.marginTypeChanged(account.accountId, market.marketIndex, cmd.marginType);
}

export function adjustIsolatedMargin(ctx: EngineContext, cmd: AdjustIsolatedMarginCommand): void {
  const reason = tryAdjustIsolatedMargin(ctx, cmd);
  if (reason !== undefined) ctx.reject('AdjustIsolatedMargin', reason, cmd.accountId, cmd.symbol);
}

function tryAdjustIsolatedMargin(ctx: EngineContext, cmd: AdjustIsolatedMarginCommand): RejectReason | undefined {
  const account = ctx.findAccount(cmd.accountId);
  if (account === undefined) return REJECT.ACCOUNT_NOT_FOUND;
  const market = ctx.marketBySymbol.get(cmd.symbol);
  if (market === undefined) return REJECT.UNKNOWN_SYMBOL;
  if (cmd.amountE8 === 0n) return REJECT.AMOUNT_NOT_POSITIVE;
  const position = account.positions.get(market.marketIndex);
  if (position === undefined || !position.isolated || position.sizeLots === 0) return REJECT.NO_ISOLATED_POSITION;
  if (cmd.amountE8 > 0n) {
    const gate = admit(ctx, account, 'ISOLATED_MARGIN_IN');
    if (gate !== undefined) return gate;
    if (withdrawableE8(ctx, account) < cmd.amountE8) return REJECT.CROSS_BALANCE_INSUFFICIENT;
    ctx.changeCrossWallet(account, -cmd.amountE8, 'ISOLATED_MARGIN', cmd.symbol, 0);
    ctx.changeIsolatedWallet(account, position, cmd.amountE8, 'ISOLATED_MARGIN', 0);
  } else {
    if (-cmd.amountE8 > maxRemovableIsolatedE8(market, position)) return REJECT.ISOLATED_BALANCE_INSUFFICIENT;
    ctx.changeIsolatedWallet(account, position, cmd.amountE8, 'ISOLATED_MARGIN', 0);
    ctx.changeCrossWallet(account, -cmd.amountE8, 'ISOLATED_MARGIN', cmd.symbol, 0);
  }
  emitPosition(ctx, position);
  return undefined;
}

/**
 * Binance's max removable isolated margin (FAQ 360038447311):
 * max(0, min(isolated wallet − MM, isolated wallet + UPnL − mark notional × IMR)), MM and IM at mark
 * rounded up, so unrealized profit above the initial margin may be taken out but never margin the
 * position needs.
 */
export function maxRemovableIsolatedE8(market: MarketFigures, position: PositionFigures): bigint {
  const instrument = market.instrument;
  const wallet = position.isolatedWalletE8;
  const aboveMaintenance = wallet - maintenanceMarginE8(instrument, position, market.markTicks);
  const aboveInitial = wallet + unrealizedPnlE8(instrument, position, market.markTicks) -
    positionInitialMarginE8(instrument, position, market.markTicks);
  const removable = aboveMaintenance < aboveInitial ? aboveMaintenance : aboveInitial;
  return removable > 0n ? removable : 0n;
}

export function setIndexPrice(ctx: EngineContext, cmd: SetIndexPriceCommand): void {
  const market = ctx.marketBySymbol.get(cmd.symbol);
  if (market === undefined) return ctx.reject('SetIndexPrice', REJECT.UNKNOWN_SYMBOL, 0, cmd.symbol);
  if (!Number.isSafeInteger(cmd.priceTicks) || cmd.priceTicks < 1 || cmd.priceTicks > market.instrument.maxPriceTicks) {
    return ctx.reject('SetIndexPrice', REJECT.INDEX_PRICE_INVALID, 0, cmd.symbol);
  }
  market.indexTicks = cmd.priceTicks;
  ctx.log.indexPriceUpdated(market.marketIndex, cmd.priceTicks);
  if (market.markTicks === 0) startMarket(ctx, market, cmd.atMs);
}
