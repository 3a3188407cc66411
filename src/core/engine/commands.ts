/**
 * @module engine/commands
 * Everything that can change engine state. Every command carries the sequence number the
 * sequencer gave it and the time it was sequenced; the engine reads no clock. Quantities are in
 * lots, prices in ticks, money in quote E8 (bigint), rates as noted. Adapters convert user input.
 */

export type OrderSideName = 'BUY' | 'SELL';
export type OrderTypeName =
  | 'LIMIT' | 'MARKET' | 'STOP' | 'STOP_MARKET' | 'TAKE_PROFIT' | 'TAKE_PROFIT_MARKET' | 'TRAILING_STOP_MARKET';
export type TimeInForceName = 'GTC' | 'IOC' | 'FOK' | 'GTX';
export type StpModeName = 'NONE' | 'EXPIRE_TAKER' | 'EXPIRE_MAKER' | 'EXPIRE_BOTH';
export type WorkingTypeName = 'MARK_PRICE' | 'CONTRACT_PRICE';
export type MarginTypeName = 'ISOLATED' | 'CROSSED';

interface Sequenced {
  /** Strictly increasing sequence number assigned by the sequencer. */
  readonly seq: number;
  /** Sequencer time in ms since the Unix epoch; never decreases. */
  readonly atMs: number;
}

export interface CreateAccountCommand extends Sequenced {
  readonly type: 'CreateAccount';
  /** 0 for a top-level account; otherwise the parent (sub-accounts, sponsored accounts). */
  readonly parentAccountId: number;
}

export interface DepositCommand extends Sequenced {
  readonly type: 'Deposit';
  readonly accountId: number;
  readonly amountE8: bigint;
}

export interface WithdrawCommand extends Sequenced {
  readonly type: 'Withdraw';
  readonly accountId: number;
  readonly amountE8: bigint;
}

export interface TransferCommand extends Sequenced {
  readonly type: 'Transfer';
  readonly fromAccountId: number;
  readonly toAccountId: number;
  readonly amountE8: bigint;
}

/** Operator funding of the insurance fund (counts as a deposit into the venue). */
export interface FundInsuranceCommand extends Sequenced {
  readonly type: 'FundInsurance';
  readonly amountE8: bigint;
}

export interface SetLeverageCommand extends Sequenced {
  readonly type: 'SetLeverage';
  readonly accountId: number;
  readonly symbol: string;
  readonly leverage: number;
}

export interface SetMarginTypeCommand extends Sequenced {
  readonly type: 'SetMarginType';
  readonly accountId: number;
  readonly symbol: string;
  readonly marginType: MarginTypeName;
}

/** Adds (amountE8 > 0) or removes (amountE8 < 0) isolated margin. */
export interface AdjustIsolatedMarginCommand extends Sequenced {
  readonly type: 'AdjustIsolatedMargin';
  readonly accountId: number;
  readonly symbol: string;
  readonly amountE8: bigint;
}

export interface PlaceOrderCommand extends Sequenced {
  readonly type: 'PlaceOrder';
  readonly accountId: number;
  readonly symbol: string;
  readonly side: OrderSideName;
  readonly orderType: OrderTypeName;
  /** Ignored for market-type orders. */
  readonly timeInForce: TimeInForceName;
  /** 0 only with closePosition. */
  readonly qtyLots: number;
  /** Limit price for LIMIT / STOP / TAKE_PROFIT; 0 otherwise. */
  readonly priceTicks: number;
  /** Trigger price for STOP* / TAKE_PROFIT*; 0 otherwise. */
  readonly stopPriceTicks: number;
  /** TRAILING_STOP_MARKET activation price; 0 = activate at once. */
  readonly activationPriceTicks: number;
  /** TRAILING_STOP_MARKET callback in basis points of price (Binance callbackRate 1 = 1% = 100). */
  readonly callbackRateBps: number;
  readonly reduceOnly: boolean;
  readonly closePosition: boolean;
  readonly workingType: WorkingTypeName;
  /** Conditional orders: skip the trigger if |mark − last| / mark exceeds the symbol's triggerProtect. */
  readonly priceProtect: boolean;
  readonly stpMode: StpModeName;
  /** Unique among the account's live orders; the engine generates one when empty. */
  readonly clientOrderId: string;
}

export interface CancelOrderCommand extends Sequenced {
  readonly type: 'CancelOrder';
  readonly accountId: number;
  readonly symbol: string;
  /** 0 when cancelling by clientOrderId. */
  readonly orderId: number;
  readonly clientOrderId: string;
}

export interface CancelAllOrdersCommand extends Sequenced {
  readonly type: 'CancelAllOrders';
  readonly accountId: number;
  readonly symbol: string;
  /** 'ALL' cancels everything; 'REGULAR' only non-conditional; 'CONDITIONAL' only algo orders. */
  readonly scope: 'ALL' | 'REGULAR' | 'CONDITIONAL';
}

/** Binance PUT /fapi/v1/order: new total quantity and price for a resting LIMIT order. */
export interface AmendOrderCommand extends Sequenced {
  readonly type: 'AmendOrder';
  readonly accountId: number;
  readonly symbol: string;
  readonly orderId: number;
  readonly clientOrderId: string;
  readonly qtyLots: number;
  readonly priceTicks: number;
}

export interface SetIndexPriceCommand extends Sequenced {
  readonly type: 'SetIndexPrice';
  readonly symbol: string;
  readonly priceTicks: number;
}

/** Advances the engine clock (mark sampling, funding, triggers) without other effects. */
export interface TickCommand extends Sequenced {
  readonly type: 'Tick';
}

export type Command =
  | CreateAccountCommand
  | DepositCommand
  | WithdrawCommand
  | TransferCommand
  | FundInsuranceCommand
  | SetLeverageCommand
  | SetMarginTypeCommand
  | AdjustIsolatedMarginCommand
  | PlaceOrderCommand
  | CancelOrderCommand
  | CancelAllOrdersCommand
  | AmendOrderCommand
  | SetIndexPriceCommand
  | TickCommand;

export type CommandType = Command['type'];

/** Distributes Omit over a union (so each member keeps its own fields). */
export type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** A command before the sequencer stamps it. */
export type UnsequencedCommand = DistributiveOmit<Command, 'seq' | 'atMs'>;
