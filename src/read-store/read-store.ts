/**
 * @module read-store/read-store
 * The history queries the API serves, as one asynchronous interface over the stored read models
 * (issue 19: gateways answer history from a shared PostgreSQL, the embedded server from SQLite).
 * Each method's meaning, order and limits are those of the SQLite ReadStore method or read-models
 * function of the same name (src/api/read-models/store.ts, history-queries.ts, lead-history.ts);
 * test/cluster/pg-read-store.cluster.test.ts checks both implementations answer alike.
 */
import type { OrderView } from '../core/index.js';
import type { MarginAdjustmentRow, TimeWindow } from '../api/read-models/history-queries.js';
import type {
  AccountPointRow, AggTradeRow, BaseInterval, FundingRow, IncomeRow, KlineKind, KlineRow, LiquidationRow, MarketStatRow, TradeRow,
  UserTradeRow,
} from '../api/read-models/store.js';

export interface OrderQuery { readonly orderId?: number; readonly startTime?: number; readonly endTime?: number;
  readonly limit: number; readonly conditional?: boolean }
export interface AggTradeQuery { readonly fromId?: number; readonly startTime?: number; readonly endTime?: number;
  readonly limit: number }
export interface UserTradeQuery extends AggTradeQuery { readonly orderId?: number }
export interface IncomeQuery { readonly symbol?: string; readonly incomeType?: string; readonly startTime?: number;
  readonly endTime?: number; readonly limit: number; readonly page?: number }
export interface AccountState { readonly crossWalletE8: bigint; readonly positions: Map<string, AccountPointRow> }

export interface ReadStoreQueries {
  /** Seq of the last committed entry whose rows the store holds. */
  projectedSeq(): Promise<number>;
  order(accountId: number, orderId: number | undefined, clientOrderId: string | undefined): Promise<OrderView | undefined>;
  orders(accountId: number, symbol: string, query: OrderQuery): Promise<OrderView[]>;
  trades(symbol: string, limit: number, fromId?: number): Promise<TradeRow[]>;
  aggTrades(symbol: string, query: AggTradeQuery): Promise<AggTradeRow[]>;
  userTrades(accountId: number, symbol: string, query: UserTradeQuery): Promise<UserTradeRow[]>;
  income(accountId: number, query: IncomeQuery): Promise<IncomeRow[]>;
  funding(symbol: string | undefined, query: { startTime?: number; endTime?: number; limit: number }): Promise<FundingRow[]>;
  liquidations(accountId: number | undefined, limit: number, beforeId?: number): Promise<LiquidationRow[]>;
  liquidation(liquidationId: number): Promise<LiquidationRow | undefined>;
  accountPoints(accountId: number, fromSeq: number, toSeq: number, limit: number): Promise<AccountPointRow[]>;
  accountStateAt(accountId: number, seq: number): Promise<AccountState>;
  accountSeqBefore(accountId: number, beforeMs: number): Promise<number>;
  /** Income rows (margin adjustments excluded) with time in [fromMs, toMs), in time order, a page at a time. */
  forEachIncome(accountId: number, fromMs: number, toMs: number, visit: (row: IncomeRow) => void): Promise<void>;
  forEachLiquidationFee(accountId: number, fromMs: number, toMs: number, visit: (timeMs: number, feeE8: bigint) => void): Promise<void>;
  lastFlatSeq(accountId: number, symbol: string, seq: number): Promise<number>;
  klines(symbol: string, kind: KlineKind, interval: BaseInterval, fromMs: number, toMs: number, limit: number,
    newestFirst: boolean): Promise<KlineRow[]>;
  liquidationOrders(accountId: number, symbol: string | undefined, window: TimeWindow): Promise<OrderView[]>;
  marginAdjustments(accountId: number, symbol: string, type: 1 | 2 | undefined, window: TimeWindow): Promise<MarginAdjustmentRow[]>;
  marketStats(symbol: string, periodMs: number, window: TimeWindow): Promise<MarketStatRow[]>;
  seqAt(accountId: number, atMs: number): Promise<number | undefined>;
  firstPointMs(accountId: number): Promise<number | undefined>;
  transfers(accountId: number, fromMs: number, toMs: number): Promise<{ atMs: number; amountE8: bigint }[]>;
  closingFills(accountId: number): Promise<{ closes: number; wins: number }>;
  close(): Promise<void>;
}
