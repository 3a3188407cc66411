/**
 * Accounts and collateral (docs/MECHANICS.md "Accounts and ledger", "Margin"): accounts with an
 * optional parent, deposits, withdrawals and transfers (withdrawable balance only), insurance
 * funding, leverage, margin type, isolated margin, index prices.
 */
import type {
  AdjustIsolatedMarginCommand, CreateAccountCommand, DepositCommand, FundInsuranceCommand, SetIndexPriceCommand,
  SetLeverageCommand, SetMarginTypeCommand, TransferCommand, WithdrawCommand,
} from '../../../src/core/engine/commands.js';
import { maxNotionalForLeverage } from '../../../src/core/instrument/instrument.js';
import { crossFigures } from './account-figures.js';
import { startMarket } from './clock.js';
import { emitPosition, emitRejected } from './events.js';
import { maintenance, max, min, notional, positionInitialMargin, unrealizedPnl } from './formulas.js';
import { changeCrossWallet, changeInsurance, changeIsolatedWallet, touch } from './ledger.js';
import { REJECT } from './reject-codes.js';
import { findAccount, keepPosition, marketBySymbol, peekPosition, type RefState } from './state.js';

export function createAccount(state: RefState, cmd: CreateAccountCommand): void {
  if (cmd.parentAccountId !== 0 && findAccount(state, cmd.parentAccountId) === undefined) {
    return emitRejected(state, 'CreateAccount', REJECT.PARENT_NOT_FOUND, cmd.parentAccountId, '');
  }
  // Sub-accounts are one level deep (docs/MECHANICS.md "The policy gate and the account hierarchy").
  if (cmd.parentAccountId !== 0 && findAccount(state, cmd.parentAccountId)!.parentAccountId !== 0) {
    return emitRejected(state, 'CreateAccount', REJECT.TRANSFER_NOT_ALLOWED, cmd.parentAccountId, '');
  }
  if (state.accounts.length >= state.limits.maxAccounts) return emitRejected(state, 'CreateAccount', REJECT.ACCOUNT_LIMIT, 0, '');
  const accountId = state.nextAccountId++;
  state.accounts.push({
    accountId, parentAccountId: cmd.parentAccountId, crossWalletE8: 0n, depositedE8: 0n, withdrawnE8: 0n, positions: [],
    orders: [],
  });
  state.events.push({ type: 'AccountCreated', accountId, parentAccountId: cmd.parentAccountId });
}

export function deposit(state: RefState, cmd: DepositCommand): void {
  const account = findAccount(state, cmd.accountId);
  if (account === undefined) return emitRejected(state, 'Deposit', REJECT.ACCOUNT_NOT_FOUND, cmd.accountId, '');
  if (cmd.amountE8 <= 0n) return emitRejected(state, 'Deposit', REJECT.AMOUNT_NOT_POSITIVE, cmd.accountId, '');
  state.depositsE8 += cmd.amountE8;
  account.depositedE8 += cmd.amountE8;
  changeCrossWallet(state, account, cmd.amountE8, 'DEPOSIT', '', 0);
}

export function withdraw(state: RefState, cmd: WithdrawCommand): void {
  const account = findAccount(state, cmd.accountId);
  if (account === undefined) return emitRejected(state, 'Withdraw', REJECT.ACCOUNT_NOT_FOUND, cmd.accountId, '');
  if (cmd.amountE8 <= 0n) return emitRejected(state, 'Withdraw', REJECT.AMOUNT_NOT_POSITIVE, cmd.accountId, '');
  if (crossFigures(state, account).withdrawableE8 < cmd.amountE8) {
    return emitRejected(state, 'Withdraw', REJECT.BALANCE_INSUFFICIENT, cmd.accountId, '');
  }
  state.withdrawalsE8 += cmd.amountE8;
  account.withdrawnE8 += cmd.amountE8;
  changeCrossWallet(state, account, -cmd.amountE8, 'WITHDRAW', '', 0);
}

export function transfer(state: RefState, cmd: TransferCommand): void {
  const from = findAccount(state, cmd.fromAccountId);
  const to = findAccount(state, cmd.toAccountId);
  if (from === undefined || to === undefined) {
    return emitRejected(state, 'Transfer', REJECT.ACCOUNT_NOT_FOUND, from === undefined ? cmd.fromAccountId : cmd.toAccountId, '');
  }
  if (from === to) return emitRejected(state, 'Transfer', REJECT.SAME_ACCOUNT, cmd.fromAccountId, '');
  if (cmd.amountE8 <= 0n) return emitRejected(state, 'Transfer', REJECT.AMOUNT_NOT_POSITIVE, cmd.fromAccountId, '');
  if (crossFigures(state, from).withdrawableE8 < cmd.amountE8) {
    return emitRejected(state, 'Transfer', REJECT.BALANCE_INSUFFICIENT, cmd.fromAccountId, '');
  }
  changeCrossWallet(state, from, -cmd.amountE8, 'TRANSFER', '', to.accountId);
  changeCrossWallet(state, to, cmd.amountE8, 'TRANSFER', '', from.accountId);
}

export function fundInsurance(state: RefState, cmd: FundInsuranceCommand): void {
  if (cmd.amountE8 <= 0n) return emitRejected(state, 'FundInsurance', REJECT.AMOUNT_NOT_POSITIVE, 0, '');
  state.depositsE8 += cmd.amountE8;
  changeInsurance(state, cmd.amountE8, 'FUND', '', 0);
}

/**
 * Leverage 1..the first bracket's maximum; with a position: no lowering in isolated mode (-4161),
 * the position must fit the new cap (-2027), and lowering may not make available negative (-2019).
 */
export function setLeverage(state: RefState, cmd: SetLeverageCommand): void {
  const account = findAccount(state, cmd.accountId);
  if (account === undefined) return emitRejected(state, 'SetLeverage', REJECT.ACCOUNT_NOT_FOUND, cmd.accountId, cmd.symbol);
  const market = marketBySymbol(state, cmd.symbol);
  if (market === undefined) return emitRejected(state, 'SetLeverage', REJECT.UNKNOWN_SYMBOL, cmd.accountId, cmd.symbol);
  const instrument = market.instrument;
  if (!Number.isSafeInteger(cmd.leverage) || cmd.leverage < 1 || cmd.leverage > instrument.maxLeverage) {
    return emitRejected(state, 'SetLeverage', REJECT.INVALID_LEVERAGE, cmd.accountId, cmd.symbol);
  }
  const position = peekPosition(state, account, market.index);
  const previous = position.leverage;
  if (position.sizeLots !== 0) {
    if (position.isolated && cmd.leverage < previous) {
      return emitRejected(state, 'SetLeverage', REJECT.LEVERAGE_REDUCTION_ISOLATED, cmd.accountId, cmd.symbol);
    }
    if (notional(instrument, market.markTicks, position.sizeLots) > maxNotionalForLeverage(instrument, cmd.leverage)) {
      return emitRejected(state, 'SetLeverage', REJECT.POSITION_LIMIT, cmd.accountId, cmd.symbol);
    }
  }
  // Resting orders are re-priced at the new leverage (a detached record has none and no position).
  position.leverage = cmd.leverage;
  if (cmd.leverage < previous && crossFigures(state, account).availableE8 < 0n) {
    position.leverage = previous;
    return emitRejected(state, 'SetLeverage', REJECT.MARGIN_INSUFFICIENT, cmd.accountId, cmd.symbol);
  }
  keepPosition(account, position);
  touch(state, account);
  state.events.push({ type: 'LeverageChanged', accountId: account.accountId, symbol: cmd.symbol, leverage: cmd.leverage,
    maxNotionalE8: maxNotionalForLeverage(instrument, cmd.leverage) });
}

export function setMarginType(state: RefState, cmd: SetMarginTypeCommand): void {
  const account = findAccount(state, cmd.accountId);
  if (account === undefined) return emitRejected(state, 'SetMarginType', REJECT.ACCOUNT_NOT_FOUND, cmd.accountId, cmd.symbol);
  const market = marketBySymbol(state, cmd.symbol);
  if (market === undefined) return emitRejected(state, 'SetMarginType', REJECT.UNKNOWN_SYMBOL, cmd.accountId, cmd.symbol);
  if (cmd.marginType !== 'ISOLATED' && cmd.marginType !== 'CROSSED') {
    return emitRejected(state, 'SetMarginType', REJECT.INVALID_PARAMETER, cmd.accountId, cmd.symbol);
  }
  const position = peekPosition(state, account, market.index);
  const isolated = cmd.marginType === 'ISOLATED';
  if (position.isolated === isolated) return emitRejected(state, 'SetMarginType', REJECT.MARGIN_TYPE_UNCHANGED, cmd.accountId, cmd.symbol);
  if (position.sizeLots !== 0) return emitRejected(state, 'SetMarginType', REJECT.MARGIN_TYPE_POSITION, cmd.accountId, cmd.symbol);
  if (account.orders.some((order) => order.market === market.index)) {
    return emitRejected(state, 'SetMarginType', REJECT.MARGIN_TYPE_OPEN_ORDERS, cmd.accountId, cmd.symbol);
  }
  position.isolated = isolated;
  keepPosition(account, position);
  state.events.push({ type: 'MarginTypeChanged', accountId: account.accountId, symbol: cmd.symbol, marginType: cmd.marginType });
}

/**
 * Adds isolated margin from the withdrawable balance (-4050), or removes at most (R6) Binance's
 * max removable = max(0, min(iw − MM, iw + UPnL − IM)) at mark (-4051).
 */
export function adjustIsolatedMargin(state: RefState, cmd: AdjustIsolatedMarginCommand): void {
  const reject = (reason: (typeof REJECT)[keyof typeof REJECT]): void =>
    emitRejected(state, 'AdjustIsolatedMargin', reason, cmd.accountId, cmd.symbol);
  const account = findAccount(state, cmd.accountId);
  if (account === undefined) return reject(REJECT.ACCOUNT_NOT_FOUND);
  const market = marketBySymbol(state, cmd.symbol);
  if (market === undefined) return reject(REJECT.UNKNOWN_SYMBOL);
  if (cmd.amountE8 === 0n) return reject(REJECT.AMOUNT_NOT_POSITIVE);
  const position = account.positions.find((p) => p.market === market.index);
  if (position === undefined || !position.isolated || position.sizeLots === 0) return reject(REJECT.NO_ISOLATED_POSITION);
  if (cmd.amountE8 > 0n) {
    if (crossFigures(state, account).withdrawableE8 < cmd.amountE8) return reject(REJECT.CROSS_BALANCE_INSUFFICIENT);
    changeCrossWallet(state, account, -cmd.amountE8, 'ISOLATED_MARGIN', cmd.symbol, 0);
    changeIsolatedWallet(state, account, position, cmd.amountE8, 'ISOLATED_MARGIN', 0);
  } else {
    const instrument = market.instrument;
    const upnl = unrealizedPnl(instrument, position, market.markTicks);
    const im = positionInitialMargin(instrument, position, market.markTicks);
    const wallet = position.isolatedWalletE8;
    const removable = max(0n, min(wallet - maintenance(instrument, position, market.markTicks), wallet + upnl - im));
    if (-cmd.amountE8 > removable) return reject(REJECT.ISOLATED_BALANCE_INSUFFICIENT);
    changeIsolatedWallet(state, account, position, cmd.amountE8, 'ISOLATED_MARGIN', 0);
    changeCrossWallet(state, account, -cmd.amountE8, 'ISOLATED_MARGIN', cmd.symbol, 0);
  }
  emitPosition(state, position);
}

export function setIndexPrice(state: RefState, cmd: SetIndexPriceCommand): void {
  const market = marketBySymbol(state, cmd.symbol);
  if (market === undefined) return emitRejected(state, 'SetIndexPrice', REJECT.UNKNOWN_SYMBOL, 0, cmd.symbol);
  if (!Number.isSafeInteger(cmd.priceTicks) || cmd.priceTicks < 1 || cmd.priceTicks > market.instrument.maxPriceTicks) {
    return emitRejected(state, 'SetIndexPrice', REJECT.INDEX_PRICE_INVALID, 0, cmd.symbol);
  }
  market.indexTicks = cmd.priceTicks;
  state.events.push({ type: 'IndexPriceUpdated', symbol: cmd.symbol, indexTicks: cmd.priceTicks });
  if (market.markTicks === 0) startMarket(state, market, cmd.atMs);
}
