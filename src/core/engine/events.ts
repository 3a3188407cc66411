/**
 * @module engine/events
 * Everything the engine says. Events are immutable facts in integer units; adapters render them
 * (Binance JSON, WebSocket frames, statements, charts). Every balance change is a BalanceChanged
 * with a reason, so ledgers, statements and audits are derivable from the event stream alone.
 */
import type {
  CommandType, MarginTypeName, OrderSideName, OrderTypeName, StpModeName, TimeInForceName, WorkingTypeName,
} from './commands.js';

export type OrderStatusName =
  | 'NEW' | 'PARTIALLY_FILLED' | 'FILLED' | 'CANCELED' | 'EXPIRED' | 'EXPIRED_IN_MATCH';

/** Binance executionType (ORDER_TRADE_UPDATE x). */
export type ExecutionTypeName = 'NEW' | 'TRADE' | 'CANCELED' | 'EXPIRED' | 'AMENDMENT' | 'TRIGGERED';

/**
 * Why an order ended or changed (Binance "er" expire reason where one exists):
 * NONE 0, STP 1, IOC remainder 2, knocked out by reduce-only 4, LIQUIDATION 5, market remainder 9.
 */
export type OrderEndReason =
  | 'NONE' | 'USER_CANCEL' | 'STP' | 'IOC' | 'FOK' | 'REDUCE_ONLY' | 'LIQUIDATION' | 'MARKET_REMAINDER'
  | 'TRIGGER_REJECTED' | 'ADL';

/** A copy of an order's state at the time of an event. */
export interface OrderView {
  readonly orderId: number;
  readonly accountId: number;
  readonly symbol: string;
  readonly clientOrderId: string;
  readonly side: OrderSideName;
  /** The type the user sent (Binance origType). */
  readonly orderType: OrderTypeName;
  readonly timeInForce: TimeInForceName;
  readonly origQtyLots: number;
  readonly executedQtyLots: number;
  /** Σ fill price × qty in quote E8 (Binance cumQuote). */
  readonly cumQuoteE8: bigint;
  readonly priceTicks: number;
  readonly stopPriceTicks: number;
  readonly activationPriceTicks: number;
  readonly callbackRateBps: number;
  readonly reduceOnly: boolean;
  readonly closePosition: boolean;
  readonly workingType: WorkingTypeName;
  readonly priceProtect: boolean;
  readonly stpMode: StpModeName;
  readonly status: OrderStatusName;
  /** True for conditional orders until they trigger. */
  readonly conditional: boolean;
  /** True once a conditional order has triggered. */
  readonly triggered: boolean;
  readonly createdAtMs: number;
  readonly updatedAtMs: number;
  /** Liquidation ("autoclose") and ADL orders are engine-made. */
  readonly liquidation: boolean;
}

export interface AccountCreatedEvent {
  readonly type: 'AccountCreated';
  readonly accountId: number;
  readonly parentAccountId: number;
}

export type BalanceReason =
  | 'DEPOSIT' | 'WITHDRAW' | 'TRANSFER' | 'TRADE_FEE' | 'REALIZED_PNL' | 'FUNDING_FEE' | 'LIQUIDATION_FEE'
  | 'INSURANCE_CLEAR' | 'ISOLATED_MARGIN' | 'ADL';

export interface BalanceChangedEvent {
  readonly type: 'BalanceChanged';
  readonly accountId: number;
  /** '' for the cross wallet; the symbol for an isolated wallet. */
  readonly isolatedSymbol: string;
  readonly reason: BalanceReason;
  /** Symbol the change relates to ('' for deposits etc.). */
  readonly symbol: string;
  readonly deltaE8: bigint;
  readonly balanceE8: bigint;
  /** Trade id, order id or counterpart account id, by reason; 0 when none. */
  readonly refId: number;
}

export type InsuranceReason = 'FUND' | 'LIQUIDATION_FEE' | 'DEFICIT' | 'FUNDING_RESIDUE';

export interface InsuranceFundChangedEvent {
  readonly type: 'InsuranceFundChanged';
  readonly reason: InsuranceReason;
  readonly symbol: string;
  readonly accountId: number;
  readonly deltaE8: bigint;
  readonly balanceE8: bigint;
}

export interface OrderUpdateEvent {
  readonly type: 'OrderUpdate';
  readonly execution: ExecutionTypeName;
  readonly reason: OrderEndReason;
  readonly order: OrderView;
  /** For execution TRADE: the fill. */
  readonly tradeId: number;
  readonly lastQtyLots: number;
  readonly lastPriceTicks: number;
  readonly maker: boolean;
  readonly feeE8: bigint;
  readonly realizedPnlE8: bigint;
}

export interface TradeEvent {
  readonly type: 'Trade';
  readonly symbol: string;
  readonly tradeId: number;
  readonly priceTicks: number;
  readonly qtyLots: number;
  /** Side of the taker (aggressor). */
  readonly takerSide: OrderSideName;
  readonly makerOrderId: number;
  readonly takerOrderId: number;
  readonly makerAccountId: number;
  readonly takerAccountId: number;
  readonly makerFeeE8: bigint;
  readonly takerFeeE8: bigint;
  /** 'NORMAL' book trade, 'LIQUIDATION' (taker is a liquidation order), 'ADL' (off-book). */
  readonly kind: 'NORMAL' | 'LIQUIDATION' | 'ADL';
  readonly atMs: number;
}

export interface PositionChangedEvent {
  readonly type: 'PositionChanged';
  readonly accountId: number;
  readonly symbol: string;
  readonly sizeLots: number;
  /** Signed entry notional (long > 0); entry price = costE8 / (sizeLots × quotePerTickLot). */
  readonly costE8: bigint;
  readonly marginType: MarginTypeName;
  readonly isolatedWalletE8: bigint;
  readonly leverage: number;
  /** Cumulative realized PnL of this symbol for the account (Binance "cr"). */
  readonly realizedPnlE8: bigint;
}

export interface LeverageChangedEvent {
  readonly type: 'LeverageChanged';
  readonly accountId: number;
  readonly symbol: string;
  readonly leverage: number;
  readonly maxNotionalE8: bigint;
}

export interface MarginTypeChangedEvent {
  readonly type: 'MarginTypeChanged';
  readonly accountId: number;
  readonly symbol: string;
  readonly marginType: MarginTypeName;
}

export interface IndexPriceUpdatedEvent {
  readonly type: 'IndexPriceUpdated';
  readonly symbol: string;
  readonly indexTicks: number;
}

export interface MarkPriceUpdatedEvent {
  readonly type: 'MarkPriceUpdated';
  readonly symbol: string;
  readonly atMs: number;
  readonly markTicks: number;
  readonly indexTicks: number;
  /** Funding rate that the next settlement would use if it happened now (rate E8). */
  readonly estimatedFundingRateE8: bigint;
  readonly lastFundingRateE8: bigint;
  readonly nextFundingMs: number;
}

export interface FundingSettledEvent {
  readonly type: 'FundingSettled';
  readonly symbol: string;
  readonly fundingTimeMs: number;
  readonly rateE8: bigint;
  readonly markTicks: number;
  /** Σ paid by payers (rounded up each) and Σ received (rounded down each); residue to the fund. */
  readonly paidE8: bigint;
  readonly receivedE8: bigint;
  readonly residueE8: bigint;
  readonly positions: number;
}

export interface AdlFill {
  readonly accountId: number;
  readonly qtyLots: number;
  readonly priceTicks: number;
  readonly realizedPnlE8: bigint;
}

export interface LiquidationEvent {
  readonly type: 'Liquidation';
  readonly accountId: number;
  readonly symbol: string;
  readonly marginType: MarginTypeName;
  /** Side of the liquidation order (SELL closes a long). */
  readonly side: OrderSideName;
  /** The engine-made IOC order that went to the book. */
  readonly orderId: number;
  readonly positionLotsBefore: number;
  readonly qtyLots: number;
  readonly bankruptcyPriceTicks: number;
  readonly markTicks: number;
  readonly marginBalanceE8: bigint;
  readonly maintenanceMarginE8: bigint;
  readonly bookFilledLots: number;
  readonly bookNotionalE8: bigint;
  readonly feeE8: bigint;
  /** Net insurance fund change from this liquidation (fee in, deficit out). */
  readonly insuranceDeltaE8: bigint;
  readonly adl: readonly AdlFill[];
  readonly atMs: number;
}

export interface RejectedEvent {
  readonly type: 'Rejected';
  readonly commandType: CommandType;
  readonly code: number;
  readonly msg: string;
  readonly accountId: number;
  readonly symbol: string;
  readonly clientOrderId: string;
  readonly orderId: number;
}

export type EngineEvent =
  | AccountCreatedEvent
  | BalanceChangedEvent
  | InsuranceFundChangedEvent
  | OrderUpdateEvent
  | TradeEvent
  | PositionChangedEvent
  | LeverageChangedEvent
  | MarginTypeChangedEvent
  | IndexPriceUpdatedEvent
  | MarkPriceUpdatedEvent
  | FundingSettledEvent
  | LiquidationEvent
  | RejectedEvent;

export type EngineEventType = EngineEvent['type'];
