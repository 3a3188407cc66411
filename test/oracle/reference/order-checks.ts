/**
 * Pre-trade rules shared by new, triggered and amended orders (docs/MECHANICS.md "Orders" and
 * "Margin"): price filter, PERCENT_PRICE against mark, market protection band, the closing-order
 * cap at the bankruptcy price (R2), the position limit of the leverage (-2027) and the margin
 * check (-2019: order-margin increase + worst-case taker fee ≤ available, or withdrawable for an
 * isolated symbol).
 */
import { maxNotionalForLeverage } from '../../../src/core/instrument/instrument.js';
import { divCeil, divFloor } from '../../../src/core/num/int.js';
import {
  bankruptcyBacking, crossFigures, orderMarginOfSides, type OrderSides,
} from './account-figures.js';
import { cost, costInputs, max, notional, ONE_E8, type CostInputs } from './formulas.js';
import { REJECT, type RejectReason } from './reject-codes.js';
import type { RefAccount, RefMarket, RefPosition, RefState, SideName } from './state.js';

/** Highest buy / lowest sell price within mark × (1 ± bound), inside the price limits when `clamp`. */
function band(market: RefMarket, side: SideName, upE8: bigint, downE8: bigint, clamp: boolean): number {
  const instrument = market.instrument;
  const mark = BigInt(market.markTicks);
  if (side === 'BUY') {
    const high = Number(divFloor(mark * upE8, ONE_E8));
    return clamp ? Math.min(high, instrument.maxPriceTicks) : high;
  }
  const low = Number(divCeil(mark * downE8, ONE_E8));
  return clamp ? Math.max(low, instrument.minPriceTicks) : low;
}

/** Worst price a market order may trade at (marketTakeBound), or a liquidation order (liquidationTakeBound). */
export function protectionLimit(market: RefMarket, side: SideName, liquidation = false): number {
  const bound = liquidation ? market.instrument.liquidationTakeBoundE8 : market.instrument.marketTakeBoundE8;
  return band(market, side, ONE_E8 + bound, ONE_E8 - bound, true);
}

/** PERCENT_PRICE: BUY limit ≤ mark × up (-4016), SELL limit ≥ mark × down (-4024). */
export function checkPercentPrice(market: RefMarket, side: SideName, priceTicks: number): RejectReason | undefined {
  const instrument = market.instrument;
  if (side === 'BUY' && priceTicks > band(market, 'BUY', instrument.percentUpE8, instrument.percentDownE8, false)) {
    return REJECT.PRICE_ABOVE_MAX;
  }
  if (side === 'SELL' && priceTicks < band(market, 'SELL', instrument.percentUpE8, instrument.percentDownE8, false)) {
    return REJECT.PRICE_BELOW_BAND;
  }
  return undefined;
}

export function checkPriceFilter(market: RefMarket, priceTicks: number): RejectReason | undefined {
  if (priceTicks <= 0) return REJECT.PRICE_NOT_POSITIVE;
  if (priceTicks < market.instrument.minPriceTicks) return REJECT.PRICE_BELOW_MIN;
  if (priceTicks > market.instrument.maxPriceTicks) return REJECT.PRICE_ABOVE_MAX;
  return undefined;
}

/** Last trade price, else mark (values a market order for min notional and the short assuming price). */
export function referencePrice(market: RefMarket): number {
  return market.lastTicks > 0 ? market.lastTicks : market.markTicks;
}

/**
 * A trader's own closing order never trades beyond the price where the backing of the position
 * is used up. R2: the fee at the highest fee rate r and a slack of 3 units per lot count too:
 * a long's SELL floor is the smallest p with B − C + |s|·p·k·(1 − r) ≥ 3|s|; a short's BUY
 * ceiling the largest p with B + |C| − |s|·p·k·(1 + r) ≥ 3|s| (at least 1 tick). Returns the limit.
 */
export function capClosingLimit(state: RefState, account: RefAccount, market: RefMarket, position: RefPosition,
  side: SideName, limitTicks: number): number {
  const size = position.sizeLots;
  if (side === 'BUY' ? size >= 0 : size <= 0) return limitTicks;
  const instrument = market.instrument;
  const backing = bankruptcyBacking(state, account, position);
  const absSize = BigInt(Math.abs(size));
  const k = instrument.quotePerTickLotE8;
  const rate = max(0n, max(instrument.makerFeeE8, instrument.takerFeeE8));
  const slack = 3n * absSize;
  if (side === 'SELL') {
    const num = (position.costE8 - backing + slack) * ONE_E8;
    if (num <= 0n) return limitTicks;
    const floor = Number(divCeil(num, absSize * k * (ONE_E8 - rate)));
    return Math.max(floor, limitTicks);
  }
  const num = (backing - position.costE8 - slack) * ONE_E8;
  const ceiling = Number(divFloor(num, absSize * k * (ONE_E8 + rate)));
  return Math.min(Math.max(ceiling, 1), limitTicks);
}

/** What an order about to meet the book is priced at: its lots and Σ price × lots at its own price(s). */
export interface OrderPlan {
  readonly lots: number;
  readonly notionalE8: bigint;
}

/** The §1.2 inputs of `lots` priced at `notionalE8` at the current mark and last price. */
export function orderCostInputs(market: RefMarket, side: SideName, lots: number, notionalE8: bigint): CostInputs {
  return costInputs(market.instrument, side === 'BUY', lots, notionalE8, market.markTicks, referencePrice(market));
}

/**
 * Position limit then margin. `sides` are the symbol's resting orders (without the order being
 * checked); `inputs` the order's stored §1.2 inputs when it has them; `valuationTicks` the price the
 * position limit values the order at (its limit, or mark for a market order).
 */
export function checkAffordable(state: RefState, account: RefAccount, market: RefMarket, position: RefPosition,
  side: SideName, plan: OrderPlan, valuationTicks: number, sides: OrderSides, inputs?: CostInputs): RejectReason | undefined {
  if (plan.lots <= 0) return undefined;
  const instrument = market.instrument;
  const isBuy = side === 'BUY';
  const sideLots = isBuy ? sides.buyQtyLots : sides.sellQtyLots;
  const worst = isBuy ? position.sizeLots + sideLots + plan.lots : position.sizeLots - sideLots - plan.lots;
  if (Math.abs(worst) > Math.abs(position.sizeLots)) {
    const valuation = Math.max(valuationTicks, market.markTicks);
    if (notional(instrument, valuation, worst) > maxNotionalForLeverage(instrument, position.leverage)) {
      return REJECT.POSITION_LIMIT;
    }
  }
  return marginShortfall(state, account, market, position, side, plan, sides, inputs) ? REJECT.MARGIN_INSUFFICIENT : undefined;
}

/** The -2019 rule alone: increase of the symbol's order margin + worst-case taker fee > budget. */
export function marginShortfall(state: RefState, account: RefAccount, market: RefMarket, position: RefPosition,
  side: SideName, plan: OrderPlan, sides: OrderSides, inputs?: CostInputs): boolean {
  const orderCost = cost(inputs ?? orderCostInputs(market, side, plan.lots, plan.notionalE8), position.leverage);
  const withOrder: OrderSides = side === 'BUY'
    ? { ...sides, buyQtyLots: sides.buyQtyLots + plan.lots, buyCostE8: sides.buyCostE8 + orderCost }
    : { ...sides, sellQtyLots: sides.sellQtyLots + plan.lots, sellCostE8: sides.sellCostE8 + orderCost };
  const increase = orderMarginOfSides(withOrder, position.sizeLots) - orderMarginOfSides(sides, position.sizeLots);
  if (increase <= 0n) return false;
  const feeReserve = divCeil(plan.notionalE8 * market.instrument.takerFeeE8, ONE_E8);
  const figures = crossFigures(state, account);
  // Isolated margin leaves the wallet, so unrealized profit cannot back it.
  const budget = position.isolated ? figures.withdrawableE8 : figures.availableE8;
  return budget < increase + feeReserve;
}
