/**
 * Binance USDⓈ-M margin arithmetic (perp-mechanics.md §1.1–§1.3, docs/MECHANICS.md "Margin"),
 * written straight from the formulas, exact in bigint quote E8. k = quotePerTickLotE8 turns
 * ticks × lots into quote E8. Rounding: requirements (MM, IM, cost, fees) up; see each function.
 */
import { bracketFor, type Bracket, type Instrument } from '../../../src/core/instrument/instrument.js';
import { divCeil, divFloor } from '../../../src/core/num/int.js';
import type { RefPosition } from './state.js';

export const ONE_E8 = 100_000_000n;

const abs = (value: bigint): bigint => (value < 0n ? -value : value);
export const max = (a: bigint, b: bigint): bigint => (a > b ? a : b);
export const min = (a: bigint, b: bigint): bigint => (a < b ? a : b);

/** notional = |lots| × price × k. */
export function notional(instrument: Instrument, priceTicks: number, lots: number): bigint {
  return BigInt(Math.abs(lots)) * BigInt(priceTicks) * instrument.quotePerTickLotE8;
}

/** UPnL = size × mark × k − cost. */
export function unrealizedPnl(instrument: Instrument, position: RefPosition, markTicks: number): bigint {
  if (position.sizeLots === 0) return 0n;
  return BigInt(position.sizeLots) * BigInt(markTicks) * instrument.quotePerTickLotE8 - position.costE8;
}

/** §1.1: MM = notional × MMR − cum of the notional's bracket, rounded up. */
export function maintenanceForNotional(instrument: Instrument, notionalE8: bigint): bigint {
  if (notionalE8 === 0n) return 0n;
  const bracket = bracketFor(instrument, notionalE8);
  return divCeil(notionalE8 * bracket.mmrE8, ONE_E8) - bracket.cumE8;
}

export function maintenance(instrument: Instrument, position: RefPosition, markTicks: number): bigint {
  return maintenanceForNotional(instrument, notional(instrument, markTicks, position.sizeLots));
}

/** Position initial margin at mark: notional / leverage, rounded up. */
export function positionInitialMargin(instrument: Instrument, position: RefPosition, markTicks: number): bigint {
  if (position.sizeLots === 0) return 0n;
  return divCeil(notional(instrument, markTicks, position.sizeLots), BigInt(position.leverage));
}

export interface CostInputs {
  /** The notional IM is charged on (a short's assuming price). */
  readonly imNotionalE8: bigint;
  readonly openLossE8: bigint;
}

/**
 * §1.2 for `qtyLots` priced at `orderNotionalE8`: a long's IM is on its order price; a short's on
 * the assuming price max(last × (1 + buffer), mark, order price) (the last-price term rounded up);
 * open loss = qty × |min(0, dir × (mark − price))|.
 */
export function costInputs(
  instrument: Instrument, isBuy: boolean, qtyLots: number, orderNotionalE8: bigint, markTicks: number, lastTicks: number,
): CostInputs {
  const atMark = notional(instrument, markTicks, qtyLots);
  if (isBuy) return { imNotionalE8: orderNotionalE8, openLossE8: max(0n, orderNotionalE8 - atMark) };
  const assumingLast = divCeil(notional(instrument, lastTicks, qtyLots) * (ONE_E8 + instrument.shortAssumingBufferE8), ONE_E8);
  return { imNotionalE8: max(max(assumingLast, atMark), orderNotionalE8), openLossE8: max(0n, atMark - orderNotionalE8) };
}

/** §1.2: cost = IM (rounded up) + open loss. */
export function cost(inputs: CostInputs, leverage: number): bigint {
  return divCeil(inputs.imNotionalE8, BigInt(leverage)) + inputs.openLossE8;
}

/**
 * Order margin of one side of a symbol: the side's reserved cost, counted only for the part of
 * its quantity that would open exposure (the first `closableLots` close the position), rounded up.
 */
export function sideOrderMargin(qtyLots: number, costE8: bigint, closableLots: number): bigint {
  const opening = qtyLots - closableLots;
  if (qtyLots === 0 || opening <= 0) return 0n;
  if (opening === qtyLots) return costE8;
  return divCeil(costE8 * BigInt(opening), BigInt(qtyLots));
}

/** An exact price in ticks: num / den, den > 0. */
export interface Fraction {
  readonly num: bigint;
  readonly den: bigint;
}

export function toTicks(price: Fraction, direction: 'up' | 'down' | 'nearest'): number {
  if (direction === 'up') return Number(divCeil(price.num, price.den));
  if (direction === 'down') return Number(divFloor(price.num, price.den));
  // Half away from zero (prices are positive, so half up).
  return Number(divFloor(2n * price.num + price.den, 2n * price.den));
}

/**
 * Bankruptcy price: where backing + UPnL(p) = 0, p = (C − B) / (s × k). Undefined when it is not
 * positive (the backing covers any price).
 */
export function bankruptcyPrice(instrument: Instrument, position: RefPosition, backingE8: bigint): Fraction | undefined {
  if (position.sizeLots === 0) return undefined;
  const sign = position.sizeLots > 0 ? 1n : -1n;
  const num = sign * (position.costE8 - backingE8);
  if (num <= 0n) return undefined;
  return { num, den: BigInt(Math.abs(position.sizeLots)) * instrument.quotePerTickLotE8 };
}

/**
 * §1.3 one-way liquidation price for one bracket: W + UPnL(p) = MM(p) with MM = |s|·p·k·MMR − cum,
 * i.e. p = (C − cum − W) / (k × (s − |s| × MMR)). Undefined when no positive price solves it.
 */
function solveInBracket(instrument: Instrument, bracket: Bracket, sizeLots: number, costE8: bigint, backingE8: bigint):
  Fraction | undefined {
  const s = BigInt(sizeLots);
  let num = (costE8 - bracket.cumE8 - backingE8) * ONE_E8;
  let den = instrument.quotePerTickLotE8 * (s * ONE_E8 - abs(s) * bracket.mmrE8);
  if (den < 0n) {
    num = -num;
    den = -den;
  }
  return den === 0n || num <= 0n ? undefined : { num, den };
}

/** Notional of |s| lots at a fractional price, compared with a bracket bound: sign of (n − bound). */
function compareNotional(instrument: Instrument, sizeLots: number, price: Fraction, boundE8: bigint): number {
  const scaled = BigInt(Math.abs(sizeLots)) * instrument.quotePerTickLotE8 * price.num;
  const bound = boundE8 * price.den;
  return scaled < bound ? -1 : scaled > bound ? 1 : 0;
}

/**
 * Liquidation price (R8): the root whose notional lies in the bracket that solved it (the top
 * bracket extends to infinity), searched from the lowest bracket. Undefined when no bracket holds
 * a root: no price liquidates, or every price does (Binance positionRisk reports 0).
 */
export function liquidationPrice(instrument: Instrument, sizeLots: number, costE8: bigint, backingE8: bigint):
  Fraction | undefined {
  if (sizeLots === 0) return undefined;
  const brackets = instrument.brackets;
  for (let i = 0; i < brackets.length; i++) {
    const bracket = brackets[i]!;
    const root = solveInBracket(instrument, bracket, sizeLots, costE8, backingE8);
    if (root === undefined) continue;
    const aboveFloor = compareNotional(instrument, sizeLots, root, bracket.floorE8) >= 0;
    const belowCap = i === brackets.length - 1 || compareNotional(instrument, sizeLots, root, bracket.capE8) <= 0;
    if (aboveFloor && belowCap) return root;
  }
  return undefined;
}

/**
 * Binance's ADL ranking score PnlPercent × MarginRatio = max(0, UPnL)/max(1, wallet) × MM/(wallet + UPnL),
 * 0 when UPnL ≤ 0 or the equity is not positive; as an exact fraction.
 */
export function adlScore(upnlE8: bigint, walletE8: bigint, maintenanceE8: bigint, equityE8: bigint): Fraction {
  if (upnlE8 <= 0n || equityE8 <= 0n) return { num: 0n, den: 1n };
  return { num: upnlE8 * maintenanceE8, den: max(walletE8, ONE_E8) * equityE8 };
}

export function compareFractions(a: Fraction, b: Fraction): number {
  const left = a.num * b.den;
  const right = b.num * a.den;
  return left < right ? -1 : left > right ? 1 : 0;
}
