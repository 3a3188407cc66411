/**
 * Reference model of the ADL policies (docs/MECHANICS.md "ADL policies"), written from the rule
 * text, not from src/core/engine/adl.ts: the order in which each queue policy closes opposite
 * positions, and PRO_RATA's shares. Scores are compared by cross-multiplying plain bigints.
 */
import { crossFigures } from './account-figures.js';
import { adlScore, compareFractions, maintenance, unrealizedPnl, type Fraction } from './formulas.js';
import { accountOf, openPositions, type RefMarket, type RefPosition, type RefState } from './state.js';

/** Opposite positions (queue 1: shorts, 0: longs) in the policy's closing order. */
export function adlRanking(state: RefState, market: RefMarket, queueIndex: 0 | 1): RefPosition[] {
  const opposite = openPositions(state, market.index).filter((p) => (queueIndex === 1 ? p.sizeLots < 0 : p.sizeLots > 0));
  const policy = market.instrument.adlPolicy;
  if (policy === 'MIN_OVERSHOOT') return minOvershootOrder(state, opposite);
  const score = policy === 'HYPERLIQUID' ? (p: RefPosition) => hyperliquidScore(state, p) : (p: RefPosition) => binanceScore(state, p);
  const ranked = opposite.map((position) => ({ position, score: score(position) }));
  ranked.sort((a, b) => compareFractions(b.score, a.score) || a.position.accountId - b.position.accountId);
  return ranked.map((entry) => entry.position);
}

/** PRO_RATA: lots per opposite position, by size, leftover lots to the largest remainders (ties: lower account id). */
export function proRataShares(state: RefState, market: RefMarket, queueIndex: 0 | 1, lots: number): [RefPosition, number][] {
  const opposite = openPositions(state, market.index).filter((p) => (queueIndex === 1 ? p.sizeLots < 0 : p.sizeLots > 0));
  const sizes = opposite.map((p) => BigInt(Math.abs(p.sizeLots)));
  const total = sizes.reduce((a, b) => a + b, 0n);
  const shares = sizes.map((size) => (BigInt(lots) * size) / total);
  const remainders = sizes.map((size, i) => ({ i, r: BigInt(lots) * size - shares[i]! * total }));
  let left = BigInt(lots) - shares.reduce((a, b) => a + b, 0n);
  remainders.sort((a, b) => (a.r === b.r ? opposite[a.i]!.accountId - opposite[b.i]!.accountId : a.r > b.r ? -1 : 1));
  for (const { i } of remainders) {
    if (left === 0n) break;
    shares[i]! += 1n;
    left -= 1n;
  }
  return opposite.map((position, i): [RefPosition, number] => [position, Number(shares[i]!)]).filter(([, share]) => share > 0);
}

function binanceScore(state: RefState, position: RefPosition): Fraction {
  const market = state.markets[position.market]!;
  const upnl = unrealizedPnl(market.instrument, position, market.markTicks);
  if (position.isolated) {
    return adlScore(upnl, position.isolatedWalletE8, maintenance(market.instrument, position, market.markTicks),
      position.isolatedWalletE8 + upnl);
  }
  const cross = crossFigures(state, accountOf(state, position.accountId));
  return adlScore(upnl, cross.walletE8, cross.maintenanceE8, cross.marginBalanceE8);
}

/** A long: (mark / entry) × notional / value; a short: (entry / mark) × notional / value; 0 without value. */
function hyperliquidScore(state: RefState, position: RefPosition): Fraction {
  const market = state.markets[position.market]!;
  const upnl = unrealizedPnl(market.instrument, position, market.markTicks);
  const value = position.isolated ? position.isolatedWalletE8 + upnl
    : crossFigures(state, accountOf(state, position.accountId)).marginBalanceE8;
  if (value <= 0n) return { num: 0n, den: 1n };
  const lots = BigInt(Math.abs(position.sizeLots));
  const markNotional = lots * BigInt(market.markTicks) * market.instrument.quotePerTickLotE8;
  const entryNotional = position.costE8 < 0n ? -position.costE8 : position.costE8;
  const priceRatio: Fraction = position.sizeLots > 0 ? { num: markNotional, den: entryNotional } : { num: entryNotional, den: markNotional };
  return { num: priceRatio.num * markNotional, den: priceRatio.den * value };
}

/** Profitable positions by unrealized profit per lot, least first; then the rest by account id. */
function minOvershootOrder(state: RefState, opposite: RefPosition[]): RefPosition[] {
  const withProfit = opposite.map((position) => {
    const market = state.markets[position.market]!;
    return { position, upnl: unrealizedPnl(market.instrument, position, market.markTicks), lots: BigInt(Math.abs(position.sizeLots)) };
  });
  const profitable = withProfit.filter((entry) => entry.upnl > 0n);
  profitable.sort((a, b) => {
    const left = a.upnl * b.lots;
    const right = b.upnl * a.lots;
    return left < right ? -1 : left > right ? 1 : a.position.accountId - b.position.accountId;
  });
  const rest = withProfit.filter((entry) => entry.upnl <= 0n).sort((a, b) => a.position.accountId - b.position.accountId);
  return [...profitable, ...rest].map((entry) => entry.position);
}
