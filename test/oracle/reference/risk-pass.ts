/**
 * The risk pass after every command and every clock instant, repeated until nothing changes:
 * contract-price triggers of markets whose last price moved since they were last checked; then,
 * for the accounts touched since the last round (in touch order), reduce-only reconciliation of
 * every one, then for each an exact maintenance check (liquidating what is due) and the insurance
 * backstop for a negative wallet. Liquidations touch more accounts: that is how a cascade runs
 * inside one command.
 *
 * Which accounts a mark change touches: the engine's liquidation index returns a superset of the
 * positions at risk; the reference touches exactly the accounts at risk in that market, by id (the
 * difference is observable only where touching an account that is not at risk does something).
 */
import { crossFigures } from './account-figures.js';
import { maintenance, unrealizedPnl } from './formulas.js';
import { changeCrossWallet, changeInsurance } from './ledger.js';
import { checkAccountRisk } from './liquidation.js';
import { endLiveOrder } from './matching.js';
import { processTriggers } from './triggers.js';
import { crossPositionCount, type RefAccount, type RefMarket, type RefOrder, type RefState } from './state.js';

export function runRiskPass(state: RefState, atMs: number): void {
  for (;;) {
    let progressed = false;
    for (const market of state.markets) {
      if (market.lastTicks > 0 && market.lastTicks !== market.lastTriggerCheckTicks) {
        market.lastTriggerCheckTicks = market.lastTicks;
        processTriggers(state, market, false, atMs);
        progressed = true;
      }
    }
    if (state.touched.length > 0) {
      progressed = true;
      const batch = state.touched;
      state.touched = [];
      for (const account of batch) reconcileReduceOnly(state, account, atMs);
      for (const account of batch) {
        checkAccountRisk(state, account, atMs);
        clearNegativeBalance(state, account);
      }
    }
    if (!progressed) return;
  }
}

/** Accounts with a position in `market` at or below maintenance (isolated: that position; cross: the account). */
export function atRiskAccounts(state: RefState, market: RefMarket): RefAccount[] {
  return state.accounts.filter((account) => {
    const position = account.positions.find((p) => p.market === market.index);
    if (position === undefined || position.sizeLots === 0) return false;
    if (position.isolated) {
      const balance = position.isolatedWalletE8 + unrealizedPnl(market.instrument, position, market.markTicks);
      return balance <= maintenance(market.instrument, position, market.markTicks);
    }
    const cross = crossFigures(state, account);
    return cross.marginBalanceE8 <= cross.maintenanceE8;
  });
}

/**
 * Resting reduce-only orders may only reduce: per symbol (in the order the account's symbols were
 * created), orders in priority order keep their place while they fit the position on the reducing
 * side; the rest end EXPIRED / REDUCE_ONLY. The priority sort is the engine's comparator (by price
 * for the order's side, then id) on the orders in id order.
 */
function reconcileReduceOnly(state: RefState, account: RefAccount, atMs: number): void {
  const candidates = account.orders.filter((order) => order.reduceOnly && order.resting && order.origin === 'USER');
  if (candidates.length === 0) return;
  for (const position of account.positions) {
    const size = position.sizeLots;
    const orders = candidates.filter((order) => order.market === position.market);
    orders.sort((a: RefOrder, b: RefOrder) => a.priceTicks === b.priceTicks ? a.orderId - b.orderId
      : (a.side === 'BUY' ? b.priceTicks - a.priceTicks : a.priceTicks - b.priceTicks));
    let capacity = Math.abs(size);
    for (const order of orders) {
      const remaining = order.origQtyLots - order.executedQtyLots;
      const reduces = order.side === 'BUY' ? size < 0 : size > 0;
      if (reduces && remaining <= capacity) {
        capacity -= remaining;
        continue;
      }
      endLiveOrder(state, order, 'EXPIRED', 'EXPIRED', 'REDUCE_ONLY', atMs);
    }
  }
}

/** Backstop: a negative cross wallet with no cross position left is cleared by the fund as far as it reaches. */
function clearNegativeBalance(state: RefState, account: RefAccount): void {
  if (crossPositionCount(account) > 0 || account.crossWalletE8 >= 0n || state.insuranceFundE8 === 0n) return;
  const deficit = -account.crossWalletE8;
  const pay = state.insuranceFundE8 < deficit ? state.insuranceFundE8 : deficit;
  changeInsurance(state, -pay, 'DEFICIT', '', account.accountId);
  changeCrossWallet(state, account, pay, 'INSURANCE_CLEAR', '', 0);
}
