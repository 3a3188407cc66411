/**
 * @module engine/order-checks
 * Pre-trade checks shared by new orders and triggered conditional orders: price bands, the
 * market-order protection price, min notional, the position limit of the chosen leverage (-2027),
 * and the margin check (-2019). The margin check follows §1.2: the order's cost (IM at order price,
 * or a short's assuming price, plus open loss) counts only for the part of its side that would
 * open exposure, and the account must have that much available (plus the worst-case taker fee of
 * the order) to open it. Reducing orders never need margin.
 */
import { BUY, SELL, type Side, type StpCode } from '../book/types.js';
import { maxNotionalForLeverage } from '../instrument/instrument.js';
import { RATE_ONE } from '../instrument/units.js';
import { divCeil, divFloor } from '../num/int.js';
import type { EngineContext } from './context.js';
import {
  bankruptcyPrice, fractionToTicks, marginInputs, notionalE8, orderCostE8, type MarginInputs,
} from './margin.js';
import { computeCross, crossEquityExceptE8, CrossTotals } from './metrics.js';
import { orderMarginWith } from './order-margin.js';
import { REJECT, type RejectReason } from './reject-codes.js';
import type { Account, Market, OrderRecord, Position } from './state.js';

const totals = new CrossTotals();

// Price limits that depend only on the mark, as integer ticks, computed once per mark (every
// limit order, market order and liquidation asks, and bigint products allocate). Slots of
// market.markLimits: market-protection buy/sell, liquidation-protection buy/sell, PERCENT_PRICE
// highest buy / lowest sell.
const PROTECT = 0;
const PROTECT_LIQUIDATION = 2;
const PERCENT_PRICE = 4;

function markLimits(market: Market): readonly number[] {
  if (market.markLimitsTicks === market.markTicks) return market.markLimits;
  const instrument = market.instrument;
  const mark = BigInt(market.markTicks);
  const limits = market.markLimits;
  // price ≤ floor(mark × up / 1e8) and price ≥ ceil(mark × down / 1e8) are exactly
  // price × 1e8 ≤ mark × up and price × 1e8 ≥ mark × down for integer prices.
  const put = (slot: number, upE8: bigint, downE8: bigint, clamp: boolean): void => {
    const high = Number(divFloor(mark * upE8, RATE_ONE));
    const low = Number(divCeil(mark * downE8, RATE_ONE));
    limits[slot] = clamp && high > instrument.maxPriceTicks ? instrument.maxPriceTicks : high;
    limits[slot + 1] = clamp && low < instrument.minPriceTicks ? instrument.minPriceTicks : low;
  };
  put(PROTECT, RATE_ONE + instrument.marketTakeBoundE8, RATE_ONE - instrument.marketTakeBoundE8, true);
  put(PROTECT_LIQUIDATION, RATE_ONE + instrument.liquidationTakeBoundE8, RATE_ONE - instrument.liquidationTakeBoundE8, true);
  put(PERCENT_PRICE, instrument.percentUpE8, instrument.percentDownE8, false);
  market.markLimitsTicks = market.markTicks;
  return limits;
}

/**
 * Worst price a market order may trade at: mark × (1 ± bound), inside the price limits. The bound
 * is marketTakeBound, or liquidationTakeBound for liquidation orders.
 */
export function marketProtectionLimit(market: Market, side: Side, liquidation = false): number {
  return markLimits(market)[(liquidation ? PROTECT_LIQUIDATION : PROTECT) + (side === BUY ? 0 : 1)]!;
}

/**
 * A closing order never trades beyond the position's bankruptcy price (where the equity backing it
 * reaches zero): the account can lose its margin by its own order, but not more. What is left of
 * the position then belongs to the liquidation engine. Returns the limit to use.
 */
export function capAtBankruptcy(ctx: EngineContext, account: Account, market: Market, position: Position, side: Side,
  limitTicks: number): number {
  const size = position.sizeLots;
  const closing = side === BUY ? size < 0 : size > 0;
  if (!closing) return limitTicks;
  const backing = position.isolated ? position.isolatedWalletE8 : crossEquityExceptE8(ctx, account, position);
  const bankruptcy = bankruptcyPrice(market.instrument, size, position.costE8, backing);
  if (bankruptcy === undefined) return limitTicks;
  if (side === SELL) {
    const floor = fractionToTicks(bankruptcy, 'up');
    return floor > limitTicks ? floor : limitTicks;
  }
  const ceiling = fractionToTicks(bankruptcy, 'down');
  return ceiling < limitTicks ? (ceiling < 1 ? 1 : ceiling) : limitTicks;
}

/** PERCENT_PRICE against mark for a limit price; undefined when within the band. */
export function checkPercentPrice(market: Market, side: Side, priceTicks: number): RejectReason | undefined {
  const limits = markLimits(market);
  if (side === BUY && priceTicks > limits[PERCENT_PRICE]!) return REJECT.PRICE_ABOVE_MAX;
  if (side === SELL && priceTicks < limits[PERCENT_PRICE + 1]!) return REJECT.PRICE_BELOW_BAND;
  return undefined;
}

/** Price filter for a limit or stop price. */
export function checkPriceFilter(market: Market, priceTicks: number): RejectReason | undefined {
  const instrument = market.instrument;
  if (priceTicks <= 0) return REJECT.PRICE_NOT_POSITIVE;
  if (priceTicks < instrument.minPriceTicks) return REJECT.PRICE_BELOW_MIN;
  if (priceTicks > instrument.maxPriceTicks) return REJECT.PRICE_ABOVE_MAX;
  return undefined;
}

/** Price used to value a market order for min-notional: last trade, else mark. */
export function referencePriceTicks(market: Market): number {
  return market.lastTicks > 0 ? market.lastTicks : market.markTicks;
}

export interface ImmediateOrderPlan {
  /** Lots the order is expected to fill now (market: previewed; limit: its quantity). */
  readonly lots: number;
  /** Σ price × lots at the order's own price(s), quote E8. */
  readonly orderNotionalE8: bigint;
}

/**
 * Margin and position-limit checks for an order that is about to meet the book. Returns the
 * reject reason, or undefined when the account can afford it. `plan` is the priced quantity.
 */
export function checkAffordable(
  ctx: EngineContext, account: Account, market: Market, position: Position, side: Side, plan: ImmediateOrderPlan,
  priceForLimitTicks: number, knownInputs?: MarginInputs,
): RejectReason | undefined {
  if (plan.lots <= 0) return undefined;
  const instrument = market.instrument;
  const isBuy = side === BUY;
  // Position limit at the chosen leverage: worst case if every same-side order fills.
  const sideLots = isBuy ? position.buyQtyLots : position.sellQtyLots;
  const worstLots = isBuy ? position.sizeLots + sideLots + plan.lots : position.sizeLots - sideLots - plan.lots;
  const absWorst = worstLots < 0 ? -worstLots : worstLots;
  const absNow = position.sizeLots < 0 ? -position.sizeLots : position.sizeLots;
  if (absWorst > absNow) {
    const valuation = priceForLimitTicks > market.markTicks ? priceForLimitTicks : market.markTicks;
    if (notionalE8(instrument, valuation, absWorst) > maxNotionalForLeverage(instrument, position.leverage)) {
      return REJECT.POSITION_LIMIT;
    }
  }
  // §1.2 cost; a limit order passes the inputs it stores anyway, so they are computed once.
  const cost = knownInputs !== undefined
    ? divCeil(knownInputs.imNotionalE8, BigInt(position.leverage)) + knownInputs.openLossE8
    : orderCostE8({
      instrument, isBuy, qtyLots: plan.lots, orderNotionalE8: plan.orderNotionalE8, markTicks: market.markTicks,
      lastTicks: referencePriceTicks(market), leverage: position.leverage,
    });
  const increase = orderMarginWith(position, isBuy, plan.lots, cost) - position.orderMarginE8;
  if (increase <= 0n) return undefined;
  const feeReserve = divCeil(plan.orderNotionalE8 * instrument.takerFeeE8, RATE_ONE);
  computeCross(ctx, account, totals);
  // Isolated margin moves out of the wallet, so it cannot be backed by unrealized profit.
  const budget = position.isolated ? totals.withdrawableE8 : totals.availableE8;
  if (budget < increase + feeReserve) return REJECT.MARGIN_INSUFFICIENT;
  return undefined;
}

/** STP applies only to GTC and IOC (Binance); FOK and post-only use NONE. */
export function effectiveStp(stp: StpCode, isFok: boolean): StpCode {
  return isFok ? 0 : stp;
}

/** Stores the §1.2 inputs of an order's full quantity at `priceTicks`, used while it rests. */
export function setOrderMarginInputs(market: Market, order: OrderRecord, priceTicks: number): void {
  const inputs = orderMarginInputs(market, order, notionalE8(market.instrument, priceTicks, order.origQtyLots));
  order.setMarginInputs(inputs.imNotionalE8, inputs.openLossE8);
}

const inputsScratch: MarginInputs = { imNotionalE8: 0n, openLossE8: 0n };

/**
 * §1.2 inputs of the order's full quantity valued at `orderNotionalE8`, in a shared scratch object
 * (valid until the next call).
 */
export function orderMarginInputs(market: Market, order: OrderRecord, orderNotionalE8: bigint): MarginInputs {
  return marginInputs({
    instrument: market.instrument, isBuy: order.side === BUY, qtyLots: order.origQtyLots, orderNotionalE8,
    markTicks: market.markTicks, lastTicks: referencePriceTicks(market), leverage: 1,
  }, inputsScratch);
}
