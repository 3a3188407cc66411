/**
 * @module engine/margin
 * Margin arithmetic of Binance USDⓈ-M (perp-mechanics.md §1.1–§1.3), exact in bigint quote E8.
 * Rounding directions (each favours the venue):
 * - maintenance and initial margin round up (a requirement is never understated);
 * - cost of an order rounds up;
 * - liquidation price keys for the index round toward triggering earlier (long up, short down),
 *   and displayed liquidation prices round half away from zero.
 * Prices in ticks, sizes in lots; k = quotePerTickLotE8 turns ticks × lots into quote E8.
 */
import { assert } from '../assert.js';
import { bracketFor, type Bracket, type Instrument } from '../instrument/instrument.js';
import { RATE_ONE } from '../instrument/units.js';
import { divCeil, divFloor, maxBig } from '../num/int.js';
import type { Position } from './state.js';

/** What the per-position formulas need: a signed size and a signed entry notional. */
export interface SizeAndCost {
  readonly sizeLots: number;
  /** Signed entry notional, quote E8 (long > 0). */
  readonly costE8: bigint;
}

/** |lots| × price × k. */
export function notionalE8(instrument: Instrument, priceTicks: number, lots: number): bigint {
  const absLots = lots < 0 ? -lots : lots;
  return BigInt(priceTicks) * BigInt(absLots) * instrument.quotePerTickLotE8;
}

/** Unrealized PnL at `markTicks`: size × mark × k − cost. */
export function unrealizedPnlE8(instrument: Instrument, position: SizeAndCost, markTicks: number): bigint {
  if (position.sizeLots === 0) return 0n;
  return BigInt(position.sizeLots) * BigInt(markTicks) * instrument.quotePerTickLotE8 - position.costE8;
}

/** MM = notional × MMR − cum of the notional's bracket, rounded up. */
export function maintenanceMarginForNotional(instrument: Instrument, notional: bigint): bigint {
  if (notional === 0n) return 0n;
  const bracket = bracketFor(instrument, notional);
  const mm = divCeil(notional * bracket.mmrE8, RATE_ONE) - bracket.cumE8;
  assert(mm > 0n, 'maintenance margin of a non-zero notional is positive');
  return mm;
}

export function maintenanceMarginE8(instrument: Instrument, position: SizeAndCost, markTicks: number): bigint {
  return maintenanceMarginForNotional(instrument, notionalE8(instrument, markTicks, position.sizeLots));
}

/** Position initial margin at mark = notional / leverage, rounded up. */
export function positionInitialMarginE8(
  instrument: Instrument, position: SizeAndCost & { readonly leverage: number }, markTicks: number,
): bigint {
  if (position.sizeLots === 0) return 0n;
  return divCeil(notionalE8(instrument, markTicks, position.sizeLots), BigInt(position.leverage));
}

/**
 * Order margin of one side: the reserved cost scaled to the part of the side's quantity that would
 * open exposure (orders first close the opposite position). Rounded up.
 */
export function sideOrderMarginE8(qtyLots: number, costE8: bigint, closableLots: number): bigint {
  if (qtyLots === 0) return 0n;
  const openingLots = qtyLots - closableLots;
  if (openingLots <= 0) return 0n;
  if (openingLots === qtyLots) return costE8;
  return divCeil(costE8 * BigInt(openingLots), BigInt(qtyLots));
}

/**
 * Order margin of a symbol: the larger of the two sides, because both sides cannot add exposure
 * at the same time in one-way mode.
 */
export function orderMarginOf(position: Position): bigint {
  const size = position.sizeLots;
  const buy = sideOrderMarginE8(position.buyQtyLots, position.buyCostE8, size < 0 ? -size : 0);
  const sell = sideOrderMarginE8(position.sellQtyLots, position.sellCostE8, size > 0 ? size : 0);
  return buy > sell ? buy : sell;
}

/** Inputs of the §1.2 cost formula for one order. */
export interface OrderCostInput {
  readonly instrument: Instrument;
  readonly isBuy: boolean;
  readonly qtyLots: number;
  /** Σ price × lots of the order at its own price(s), in quote E8 (limit price × qty for limits). */
  readonly orderNotionalE8: bigint;
  readonly markTicks: number;
  readonly lastTicks: number;
  readonly leverage: number;
}

/** §1.2 inputs: the notional IM is charged on (assuming price for shorts) and the open loss. */
export interface MarginInputs {
  imNotionalE8: bigint;
  openLossE8: bigint;
}

/**
 * §1.2: IM is charged on the order notional, except that a short uses the "assuming price"
 * max(last × (1 + buffer), mark, order price); open loss = qty × |min(0, dir × (mark − price))|.
 */
export function marginInputs(input: OrderCostInput, out: MarginInputs): MarginInputs {
  out.imNotionalE8 = imNotionalE8(input);
  out.openLossE8 = openLossE8(input);
  return out;
}

/** §1.2 notional that initial margin is charged on: the order's, or a short's assuming price. */
export function imNotionalE8(input: OrderCostInput): bigint {
  if (input.isBuy) return input.orderNotionalE8;
  const { instrument, qtyLots } = input;
  const lastNotional = notionalE8(instrument, input.lastTicks, qtyLots);
  const assumingLast = divCeil(lastNotional * (RATE_ONE + instrument.shortAssumingBufferE8), RATE_ONE);
  return maxBig(maxBig(assumingLast, notionalE8(instrument, input.markTicks, qtyLots)), input.orderNotionalE8);
}

/** §1.2 open loss: what the order loses at mark the moment it fills at its own price. */
export function openLossE8(input: OrderCostInput): bigint {
  const markNotional = notionalE8(input.instrument, input.markTicks, input.qtyLots);
  const loss = input.isBuy ? input.orderNotionalE8 - markNotional : markNotional - input.orderNotionalE8;
  return loss > 0n ? loss : 0n;
}

/** §1.2: cost = IM + open loss, IM = IM notional / leverage rounded up. */
export function orderCostE8(input: OrderCostInput): bigint {
  return divCeil(imNotionalE8(input), BigInt(input.leverage)) + openLossE8(input);
}

/** An exact price as a fraction of ticks: num / den with den > 0. */
export interface PriceFraction {
  readonly num: bigint;
  readonly den: bigint;
}

/** Rounds a fraction of ticks: 'up', 'down' or 'nearest' (half away from zero). */
export function fractionToTicks(price: PriceFraction, direction: 'up' | 'down' | 'nearest'): number {
  let ticks: bigint;
  if (direction === 'up') ticks = divCeil(price.num, price.den);
  else if (direction === 'down') ticks = divFloor(price.num, price.den);
  else ticks = divFloor(price.num * 2n + price.den, price.den * 2n);
  return Number(ticks);
}

/**
 * Liquidation price (§1.3, one-way): the mark at which W + UPnL(p) = MM(p), where W is the equity
 * that backs this position apart from its own PnL (isolated wallet; or cross wallet − MM of other
 * cross positions + their UPnL). Solved per bracket and checked for consistency, because MMR and
 * cum belong to the bracket of the notional at the liquidation price.
 *   p = (C − cum − W) / (k × (s − |s| × MMR))
 * The root must lie in the bracket whose notional range holds it (the top bracket has no cap): the
 * root is unique when it exists (margin − MM is monotonic in the price), so a "solution" outside its
 * own bracket is an artifact of that bracket's line. Returns undefined when no positive price
 * liquidates (a fully collateralised long) and when every price does (a position under water at any
 * price, which the risk pass liquidates at once); Binance's positionRisk reports 0 for both.
 */
export function liquidationPrice(
  instrument: Instrument, sizeLots: number, costE8: bigint, backingE8: bigint,
): PriceFraction | undefined {
  if (sizeLots === 0) return undefined;
  const s = BigInt(sizeLots);
  const absS = s < 0n ? -s : s;
  const k = instrument.quotePerTickLotE8;
  const brackets = instrument.brackets;
  // A long: den > 0 in every bracket (compileInstrument asserts every MMR < 1) and num falls as cum
  // rises (it asserts MMR never falls and cum chains, so cum never falls), so when the lowest
  // bracket has no positive solution none has: the common over-collateralised long ends here.
  if (sizeLots > 0 && costE8 - brackets[0]!.cumE8 - backingE8 <= 0n) return undefined;
  // Search from the bracket of the entry notional. MM(notional) is convex (MMR rises with the
  // bracket, cum keeps it continuous), so each bracket's line lies under it and meets it on the
  // bracket: a bracket above the true liquidation notional solves below its own floor, one below
  // solves above its cap. The root is unique (margin − MM is monotonic in the price), so this
  // tells which way it lies and a bisection finds it; a root on a boundary is consistent in two
  // brackets and the lower one's solution is returned, as the scan from the lowest returns it.
  let low = 0;
  let high = brackets.length - 1;
  let index = bracketFor(instrument, costE8 < 0n ? -costE8 : costE8).bracket - 1; // brackets are numbered from 1
  while (low <= high) {
    const bracket = brackets[index]!;
    const fraction = solveLiquidation(bracket, s, absS, k, costE8, backingE8);
    if (fraction === undefined) return scanLiquidation(instrument, s, absS, k, costE8, backingE8);
    const scaledNotional = absS * k * fraction.num;
    if (scaledNotional < bracket.floorE8 * fraction.den) {
      high = index - 1;
    } else if (index < brackets.length - 1 && scaledNotional > bracket.capE8 * fraction.den) {
      low = index + 1;
    } else {
      let found = fraction;
      for (let lowerIndex = index - 1; lowerIndex >= 0; lowerIndex--) {
        const lower = solveLiquidation(brackets[lowerIndex]!, s, absS, k, costE8, backingE8);
        if (lower === undefined || !consistent(brackets, lowerIndex, absS, k, lower)) break;
        found = lower;
      }
      return found;
    }
    index = (low + high) >> 1;
  }
  // Every bracket's line puts its solution outside the bracket: there is no root.
  return undefined;
}

/** Whether `fraction` lies in brackets[index]'s notional range (the top bracket has no cap). */
function consistent(brackets: readonly Bracket[], index: number, absS: bigint, k: bigint, fraction: PriceFraction): boolean {
  const bracket = brackets[index]!;
  const scaledNotional = absS * k * fraction.num;
  return scaledNotional >= bracket.floorE8 * fraction.den &&
    (index === brackets.length - 1 || scaledNotional <= bracket.capE8 * fraction.den);
}

/**
 * The definition, bracket by bracket from the lowest: the first solution that lies in its own
 * bracket. The walk above falls back to it when a bracket has no solution.
 */
export function scanLiquidation(
  instrument: Instrument, s: bigint, absS: bigint, k: bigint, costE8: bigint, backingE8: bigint,
): PriceFraction | undefined {
  const brackets = instrument.brackets;
  for (let index = 0; index < brackets.length; index++) {
    const fraction = solveLiquidation(brackets[index]!, s, absS, k, costE8, backingE8);
    if (fraction !== undefined && consistent(brackets, index, absS, k, fraction)) return fraction;
  }
  return undefined;
}

function solveLiquidation(
  bracket: Bracket, s: bigint, absS: bigint, k: bigint, costE8: bigint, backingE8: bigint,
): PriceFraction | undefined {
  let num = (costE8 - bracket.cumE8 - backingE8) * RATE_ONE;
  let den = k * (s * RATE_ONE - absS * bracket.mmrE8);
  if (den < 0n) {
    num = -num;
    den = -den;
  }
  if (den === 0n || num <= 0n) return undefined;
  return { num, den };
}

/** Bankruptcy price: the price at which W + UPnL(p) = 0, i.e. p = (C − W) / (s × k). */
export function bankruptcyPrice(
  instrument: Instrument, sizeLots: number, costE8: bigint, backingE8: bigint,
): PriceFraction | undefined {
  if (sizeLots === 0) return undefined;
  let num = costE8 - backingE8;
  let den = BigInt(sizeLots) * instrument.quotePerTickLotE8;
  if (den < 0n) {
    num = -num;
    den = -den;
  }
  if (num <= 0n) return undefined;
  return { num, den };
}

/**
 * Binance's ADL ranking score as an exact fraction: PnlPercent × MarginRatio =
 * max(0, upnl) / max(1, wallet) × maintenance / equity (0 when equity ≤ 0).
 */
export interface AdlScore {
  readonly num: bigint;
  readonly den: bigint;
}

export function adlScore(
  upnlE8: bigint, walletE8: bigint, maintenanceE8: bigint, equityE8: bigint, oneE8: bigint,
): AdlScore {
  if (upnlE8 <= 0n || equityE8 <= 0n) return { num: 0n, den: 1n };
  const walletFloor = walletE8 > oneE8 ? walletE8 : oneE8;
  return { num: upnlE8 * maintenanceE8, den: walletFloor * equityE8 };
}

/** Compares two ADL scores: negative when a < b. */
export function compareAdlScores(a: AdlScore, b: AdlScore): number {
  const left = a.num * b.den;
  const right = b.num * a.den;
  return left < right ? -1 : left > right ? 1 : 0;
}
