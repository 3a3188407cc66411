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
import { divCeil, divFloor, maxBig } from '../num/int.js';
import type { EngineContext } from './context.js';
import { marginInputs, notionalE8, orderCostE8, type MarginInputs } from './margin.js';
import { computeCross, crossEquityExceptE8 } from './metrics.js';
import { orderMarginWith } from './order-margin.js';
import { REJECT, type RejectReason } from './reject-codes.js';
import type { Account, Market, OrderRecord, Position } from './state.js';

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
 * Quote E8 units per lot of slack a capped close keeps above zero equity: per fill, the removed cost
 * (rounded up), the fee (rounded up) and an isolated position's released share (rounded down) each
 * lose less than one unit, and a close has at most one fill per lot.
 */
const CLOSE_SLACK_E8_PER_LOT = 3n;

/**
 * A closing order never trades beyond the price where the equity backing the position (isolated
 * wallet, or cross wallet + the other cross positions' PnL) would be used up by the loss and the
 * fee of the close: the account can lose its margin by its own order, but not more, so the
 * insurance fund never pays for a trader's own order. What is left of the position then belongs to
 * the liquidation engine. Returns the limit to use, or undefined when no valid price can close the
 * position without a deficit (it is past bankruptcy: the risk pass liquidates it).
 */
export function capAtBankruptcy(ctx: EngineContext, account: Account, market: Market, position: Position, side: Side,
  limitTicks: number): number | undefined {
  const size = position.sizeLots;
  const closing = side === BUY ? size < 0 : size > 0;
  if (!closing) return limitTicks;
  const instrument = market.instrument;
  const backing = position.isolated ? position.isolatedWalletE8 : crossEquityExceptE8(ctx, account, position);
  const absLots = BigInt(size < 0 ? -size : size);
  const slack = CLOSE_SLACK_E8_PER_LOT * absLots;
  const feeRate = maxBig(maxBig(instrument.makerFeeE8, instrument.takerFeeE8), 0n);
  const perTick = absLots * instrument.quotePerTickLotE8;
  if (side === SELL) {
    // Long: |s|·p·k·(1 − r) ≥ C − B + slack.
    const need = position.costE8 - backing + slack;
    if (need <= 0n) return limitTicks;
    const floor = divCeil(need * RATE_ONE, perTick * (RATE_ONE - feeRate));
    if (floor > BigInt(instrument.maxPriceTicks)) return undefined;
    return Number(floor) > limitTicks ? Number(floor) : limitTicks;
  }
  // Short (C < 0): |s|·p·k·(1 + r) ≤ B − C − slack.
  const room = backing - position.costE8 - slack;
  const ceiling = room <= 0n ? 0n : divFloor(room * RATE_ONE, perTick * (RATE_ONE + feeRate));
  if (ceiling < BigInt(instrument.minPriceTicks)) return undefined;
  return ceiling < BigInt(limitTicks) ? Number(ceiling) : limitTicks;
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

/** What the margin check found (the order preview shows the same figures). */
export interface OrderMarginAssessment {
  /** Why the order would be refused (-2027 or -2019), undefined when it passes. */
  reason: RejectReason | undefined;
  /** §1.2 cost of the planned lots (0 when nothing is planned or the position limit refused it). */
  costE8: bigint;
  /** Increase of the position's order margin if the planned lots rested (≤ 0: the order needs none). */
  increaseE8: bigint;
  /** Worst-case taker fee of the planned notional, reserved on top of the increase. */
  feeReserveE8: bigint;
}

/**
 * Margin and position-limit checks for an order that is about to meet the book. Returns the
 * reject reason, or undefined when the account can afford it. `plan` is the priced quantity.
 */
export function checkAffordable(
  ctx: EngineContext, account: Account, market: Market, position: Position, side: Side, plan: ImmediateOrderPlan,
  priceForLimitTicks: number, knownInputs?: MarginInputs,
): RejectReason | undefined {
  return assessOrderMargin(ctx, account, market, position, side, plan, priceForLimitTicks, knownInputs,
    ctx.scratch.orderAssessment).reason;
}

/**
 * The margin check itself, with its figures: the one code path behind -2019 and the order preview.
 * Budget: available balance (cross), or withdrawable balance (isolated: margin moves out of the
 * wallet, so it cannot be backed by unrealized profit); it must cover the order-margin increase
 * plus the fee reserve.
 */
export function assessOrderMargin(
  ctx: EngineContext, account: Account, market: Market, position: Position, side: Side, plan: ImmediateOrderPlan,
  priceForLimitTicks: number, knownInputs: MarginInputs | undefined, out: OrderMarginAssessment,
): OrderMarginAssessment {
  out.reason = undefined;
  out.costE8 = 0n;
  out.increaseE8 = 0n;
  out.feeReserveE8 = 0n;
  if (plan.lots <= 0) return out;
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
      out.reason = REJECT.POSITION_LIMIT;
      return out;
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
  out.costE8 = cost;
  out.increaseE8 = increase;
  if (increase <= 0n) return out;
  out.feeReserveE8 = divCeil(plan.orderNotionalE8 * instrument.takerFeeE8, RATE_ONE);
  if (orderBudgetE8(ctx, account, position) < increase + out.feeReserveE8) out.reason = REJECT.MARGIN_INSUFFICIENT;
  return out;
}

/** What an order in this position may draw on: available (cross) or withdrawable (isolated). */
export function orderBudgetE8(ctx: EngineContext, account: Account, position: Position): bigint {
  const totals = computeCross(ctx, account, ctx.scratch.orderCheckTotals);
  return position.isolated ? totals.withdrawableE8 : totals.availableE8;
}

/** STP applies only to GTC and IOC (Binance); FOK and post-only use NONE. */
export function effectiveStp(stp: StpCode, isFok: boolean): StpCode {
  return isFok ? 0 : stp;
}

/** Stores the §1.2 inputs of an order's full quantity at `priceTicks`, used while it rests. */
export function setOrderMarginInputs(ctx: EngineContext, market: Market, order: OrderRecord, priceTicks: number): void {
  const inputs = orderMarginInputs(market, order, notionalE8(market.instrument, priceTicks, order.origQtyLots),
    ctx.scratch.orderInputs);
  order.setMarginInputs(inputs.imNotionalE8, inputs.openLossE8);
}

/**
 * §1.2 inputs of the order's full quantity valued at `orderNotionalE8`, written into `out` (callers
 * pass their engine's ctx.scratch.orderInputs; valid until its next use).
 */
export function orderMarginInputs(market: Market, order: OrderRecord, orderNotionalE8: bigint, out: MarginInputs): MarginInputs {
  return marginInputs({
    instrument: market.instrument, isBuy: order.side === BUY, qtyLots: order.origQtyLots, orderNotionalE8,
    markTicks: market.markTicks, lastTicks: referencePriceTicks(market), leverage: 1,
  }, out);
}
