/**
 * Builds the events the engine's contract defines (src/core/engine/events.ts types) from the
 * reference state. An order's view is a copy of its fields at the moment of the event.
 */
import type { CommandType } from '../../../src/core/engine/commands.js';
import type {
  AdlFill, BalanceReason, ExecutionTypeName, InsuranceReason, OrderEndReason, OrderView,
} from '../../../src/core/engine/events.js';
import type { RejectReason } from './reject-codes.js';
import type { RefOrder, RefPosition, RefState } from './state.js';

export function symbolOf(state: RefState, market: number): string {
  return state.markets[market]!.instrument.symbol;
}

export function orderView(state: RefState, order: RefOrder): OrderView {
  return {
    orderId: order.orderId, accountId: order.accountId, symbol: symbolOf(state, order.market),
    clientOrderId: order.clientOrderId, side: order.side, orderType: order.orderType, timeInForce: order.timeInForce,
    origQtyLots: order.origQtyLots, executedQtyLots: order.executedQtyLots, cumQuoteE8: order.cumQuoteE8,
    priceTicks: order.priceTicks, stopPriceTicks: order.stopPriceTicks, activationPriceTicks: order.activationPriceTicks,
    callbackRateBps: order.callbackRateBps, reduceOnly: order.reduceOnly, closePosition: order.closePosition,
    workingType: order.workingType, priceProtect: order.priceProtect, stpMode: order.stpMode, status: order.status,
    conditional: order.conditional, triggered: order.triggered, createdAtMs: order.createdAtMs,
    updatedAtMs: order.updatedAtMs, origin: order.origin, causeId: order.causeId,
  };
}

export function emitOrderUpdate(state: RefState, order: RefOrder, execution: ExecutionTypeName, reason: OrderEndReason): void {
  state.events.push({
    type: 'OrderUpdate', execution, reason, order: orderView(state, order), tradeId: 0, lastQtyLots: 0,
    lastPriceTicks: 0, maker: false, feeE8: 0n, realizedPnlE8: 0n,
  });
}

export function emitTradeUpdate(state: RefState, order: RefOrder, fill: {
  tradeId: number; qtyLots: number; priceTicks: number; maker: boolean; feeE8: bigint; realizedPnlE8: bigint;
}): void {
  state.events.push({
    type: 'OrderUpdate', execution: 'TRADE', reason: 'NONE', order: orderView(state, order), tradeId: fill.tradeId,
    lastQtyLots: fill.qtyLots, lastPriceTicks: fill.priceTicks, maker: fill.maker, feeE8: fill.feeE8,
    realizedPnlE8: fill.realizedPnlE8,
  });
}

export function emitTrade(state: RefState, market: number, trade: {
  tradeId: number; priceTicks: number; qtyLots: number; takerSide: 'BUY' | 'SELL'; makerOrderId: number;
  takerOrderId: number; makerAccountId: number; takerAccountId: number; makerFeeE8: bigint; takerFeeE8: bigint;
  kind: 'NORMAL' | 'LIQUIDATION' | 'ADL'; atMs: number;
}): void {
  state.events.push({ type: 'Trade', symbol: symbolOf(state, market), ...trade });
}

export function emitBalance(state: RefState, change: {
  accountId: number; isolatedSymbol: string; reason: BalanceReason; symbol: string; deltaE8: bigint; balanceE8: bigint;
  refId: number;
}): void {
  state.events.push({ type: 'BalanceChanged', ...change });
}

export function emitInsurance(state: RefState, reason: InsuranceReason, symbol: string, accountId: number, deltaE8: bigint): void {
  state.events.push({ type: 'InsuranceFundChanged', reason, symbol, accountId, deltaE8, balanceE8: state.insuranceFundE8 });
}

export function emitPosition(state: RefState, position: RefPosition): void {
  state.events.push({
    type: 'PositionChanged', accountId: position.accountId, symbol: symbolOf(state, position.market),
    sizeLots: position.sizeLots, costE8: position.costE8, marginType: position.isolated ? 'ISOLATED' : 'CROSSED',
    isolatedWalletE8: position.isolatedWalletE8, leverage: position.leverage, realizedPnlE8: position.realizedPnlE8,
  });
}

export function emitRejected(state: RefState, commandType: CommandType, reason: RejectReason, accountId: number,
  symbol: string, clientOrderId = '', orderId = 0): void {
  state.events.push({ type: 'Rejected', commandType, code: reason.code, msg: reason.msg, accountId, symbol, clientOrderId, orderId,
    // The reference makes no engine-made order that can be refused (a liquidation order never is).
    origin: 'COMMAND' });
}

export interface LiquidationRecord {
  accountId: number;
  market: number;
  isolated: boolean;
  side: 'BUY' | 'SELL';
  orderId: number;
  positionLotsBefore: number;
  qtyLots: number;
  bankruptcyPriceTicks: number;
  markTicks: number;
  marginBalanceE8: bigint;
  maintenanceMarginE8: bigint;
  bookFilledLots: number;
  bookNotionalE8: bigint;
  feeE8: bigint;
  insuranceDeltaE8: bigint;
  adl: AdlFill[];
  atMs: number;
}

export function emitLiquidation(state: RefState, record: LiquidationRecord): void {
  const { market, isolated, ...rest } = record;
  state.events.push({ type: 'Liquidation', symbol: symbolOf(state, market), marginType: isolated ? 'ISOLATED' : 'CROSSED', ...rest });
}
