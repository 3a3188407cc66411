/**
 * @module engine/copy-math
 * Copy trading's arithmetic, pure: pro-rata allocation of a sweep among followers, the copied
 * quantity of each mode, and Binance's profit-share formula.
 */
import { assert } from '../assert.js';
import { divFloor } from '../num/int.js';

/**
 * Splits `total` units among weights in proportion: each gets the floor of its exact share, and
 * the units left (fewer than the number of weights) go one each to the largest remainders, ties to
 * the earlier weight (callers order followers by account id, so no follower's place in a list
 * decides anything else). Σ = total exactly; every share is within one unit of the exact one.
 */
export function allocateProRata(total: bigint, weights: readonly bigint[]): bigint[] {
  assert(total >= 0n, 'allocation of a non-negative total');
  let sum = 0n;
  for (const weight of weights) {
    assert(weight >= 0n, 'weights are non-negative');
    sum += weight;
  }
  const shares = new Array<bigint>(weights.length).fill(0n);
  if (sum === 0n || total === 0n) return shares;
  const remainders: bigint[] = new Array<bigint>(weights.length);
  let given = 0n;
  for (let i = 0; i < weights.length; i++) {
    const exact = total * weights[i]!;
    shares[i] = exact / sum;
    remainders[i] = exact % sum;
    given += shares[i]!;
  }
  let left = total - given;
  assert(left >= 0n && left < BigInt(weights.length), 'largest-remainder leftover is below the count');
  if (left === 0n) return shares;
  const order = weights.map((_, index) => index);
  order.sort((a, b) => (remainders[a]! === remainders[b]! ? a - b : remainders[a]! > remainders[b]! ? -1 : 1));
  for (const index of order) {
    if (left === 0n) break;
    if (weights[index] === 0n) continue;
    shares[index]! += 1n;
    left -= 1n;
  }
  return shares;
}

/** FIXED_RATIO: the follower's share of a lead position, rounded toward zero (whole lots). */
export function scaledLots(leadLots: number, amountE8: bigint, ratioDenE8: bigint): number {
  assert(ratioDenE8 > 0n, 'a ratio has a positive denominator');
  const abs = leadLots < 0 ? -leadLots : leadLots;
  return Number((BigInt(abs) * amountE8) / ratioDenE8);
}

/** FIXED_AMOUNT: lots a margin buys at a leverage and a price (quote E8 per lot), rounded down. */
export function lotsForMargin(marginE8: bigint, leverage: number, perLotE8: bigint): number {
  assert(perLotE8 > 0n, 'a lot has a positive value');
  return Number((marginE8 * BigInt(leverage)) / perLotE8);
}

/**
 * Binance's weekly settlement: ProfitToSettle = max(TotalPnL × share − SharedProfit, 0), a
 * high-water mark on the cumulative share. The share rounds down (the payer keeps the unit).
 */
export function profitToSettleE8(totalPnlE8: bigint, profitShareBps: number, sharedE8: bigint): bigint {
  const due = divFloor(totalPnlE8 * BigInt(profitShareBps), 10_000n) - sharedE8;
  return due > 0n ? due : 0n;
}
