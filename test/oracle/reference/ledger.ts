/**
 * Every movement of money, each one a BalanceChanged (or InsuranceFundChanged) event with a
 * reason, and the "touched" list: an account whose balance or position changed is re-checked by
 * the risk pass at the end of the step (risk-pass.ts).
 */
import type { BalanceReason, InsuranceReason } from '../../../src/core/engine/events.js';
import { emitBalance, emitInsurance, symbolOf } from './events.js';
import type { RefAccount, RefPosition, RefState } from './state.js';

export function touch(state: RefState, account: RefAccount): void {
  if (!state.touched.includes(account)) state.touched.push(account);
}

export function changeCrossWallet(state: RefState, account: RefAccount, deltaE8: bigint, reason: BalanceReason,
  symbol: string, refId: number): void {
  if (deltaE8 === 0n) return;
  account.crossWalletE8 += deltaE8;
  touch(state, account);
  emitBalance(state, { accountId: account.accountId, isolatedSymbol: '', reason, symbol, deltaE8,
    balanceE8: account.crossWalletE8, refId });
}

export function changeIsolatedWallet(state: RefState, account: RefAccount, position: RefPosition, deltaE8: bigint,
  reason: BalanceReason, refId: number): void {
  if (deltaE8 === 0n) return;
  position.isolatedWalletE8 += deltaE8;
  touch(state, account);
  const symbol = symbolOf(state, position.market);
  emitBalance(state, { accountId: account.accountId, isolatedSymbol: symbol, reason, symbol, deltaE8,
    balanceE8: position.isolatedWalletE8, refId });
}

/** The wallet that backs a position: its isolated wallet, or the cross wallet. */
export function changePositionWallet(state: RefState, account: RefAccount, position: RefPosition, deltaE8: bigint,
  reason: BalanceReason, refId: number): void {
  if (position.isolated) changeIsolatedWallet(state, account, position, deltaE8, reason, refId);
  else changeCrossWallet(state, account, deltaE8, reason, symbolOf(state, position.market), refId);
}

/** Moves isolated margin back to the cross wallet (an ISOLATED_MARGIN pair). */
export function isolatedToCross(state: RefState, account: RefAccount, position: RefPosition, amountE8: bigint,
  refId: number): void {
  if (amountE8 === 0n) return;
  changeIsolatedWallet(state, account, position, -amountE8, 'ISOLATED_MARGIN', refId);
  changeCrossWallet(state, account, amountE8, 'ISOLATED_MARGIN', symbolOf(state, position.market), refId);
}

export function changeInsurance(state: RefState, deltaE8: bigint, reason: InsuranceReason, symbol: string,
  accountId: number): void {
  if (deltaE8 === 0n) return;
  state.insuranceFundE8 += deltaE8;
  if (state.insuranceFundE8 < 0n) throw new Error('reference: insurance fund went negative');
  emitInsurance(state, reason, symbol, accountId, deltaE8);
}
