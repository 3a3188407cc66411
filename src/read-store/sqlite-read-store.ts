/**
 * @module read-store/sqlite-read-store
 * The embedded read store behind the asynchronous interface: the SQLite ReadStore's queries,
 * unchanged, each answered synchronously and returned as a settled promise.
 */
import type { OrderView } from '../core/index.js';
import { liquidationOrders, marginAdjustments, marketStats, type MarginAdjustmentRow, type TimeWindow } from
  '../api/read-models/history-queries.js';
import { closingFills, firstPointMs, seqAt, transfers } from '../api/read-models/lead-history.js';
import type {
  AccountPointRow, AggTradeRow, BaseInterval, FundingRow, IncomeRow, KlineKind, KlineRow, LiquidationRow, MarketStatRow, ReadStore,
  TradeRow, UserTradeRow,
} from '../api/read-models/store.js';
import type { AccountState, AggTradeQuery, IncomeQuery, OrderQuery, ReadStoreQueries, UserTradeQuery } from './read-store.js';

export class SqliteReadStore implements ReadStoreQueries {
  constructor(readonly store: ReadStore) {}

  projectedSeq(): Promise<number> {
    return settled(() => {
      this.store.sync();
      return this.store.projectedSeq;
    });
  }

  order(accountId: number, orderId: number | undefined, clientOrderId: string | undefined): Promise<OrderView | undefined> {
    return settled(() => this.store.order(accountId, orderId, clientOrderId));
  }

  orders(accountId: number, symbol: string, query: OrderQuery): Promise<OrderView[]> {
    return settled(() => this.store.orders(accountId, symbol, query));
  }

  trades(symbol: string, limit: number, fromId?: number): Promise<TradeRow[]> {
    return settled(() => this.store.trades(symbol, limit, fromId));
  }

  aggTrades(symbol: string, query: AggTradeQuery): Promise<AggTradeRow[]> {
    return settled(() => this.store.aggTrades(symbol, query));
  }

  userTrades(accountId: number, symbol: string, query: UserTradeQuery): Promise<UserTradeRow[]> {
    return settled(() => this.store.userTrades(accountId, symbol, query));
  }

  income(accountId: number, query: IncomeQuery): Promise<IncomeRow[]> {
    return settled(() => this.store.income(accountId, query));
  }

  funding(symbol: string | undefined, query: { startTime?: number; endTime?: number; limit: number }): Promise<FundingRow[]> {
    return settled(() => this.store.funding(symbol, query));
  }

  liquidations(accountId: number | undefined, limit: number, beforeId?: number): Promise<LiquidationRow[]> {
    return settled(() => this.store.liquidations(accountId, limit, beforeId));
  }

  liquidation(liquidationId: number): Promise<LiquidationRow | undefined> {
    return settled(() => this.store.liquidation(liquidationId));
  }

  accountPoints(accountId: number, fromSeq: number, toSeq: number, limit: number): Promise<AccountPointRow[]> {
    return settled(() => this.store.accountPoints(accountId, fromSeq, toSeq, limit));
  }

  accountStateAt(accountId: number, seq: number): Promise<AccountState> {
    return settled(() => this.store.accountStateAt(accountId, seq));
  }

  accountSeqBefore(accountId: number, beforeMs: number): Promise<number> {
    return settled(() => this.store.accountSeqBefore(accountId, beforeMs));
  }

  forEachIncome(accountId: number, fromMs: number, toMs: number, visit: (row: IncomeRow) => void): Promise<void> {
    return settled(() => this.store.forEachIncome(accountId, fromMs, toMs, visit));
  }

  forEachLiquidationFee(accountId: number, fromMs: number, toMs: number,
    visit: (timeMs: number, feeE8: bigint) => void): Promise<void> {
    return settled(() => this.store.forEachLiquidationFee(accountId, fromMs, toMs, visit));
  }

  lastFlatSeq(accountId: number, symbol: string, seq: number): Promise<number> {
    return settled(() => this.store.lastFlatSeq(accountId, symbol, seq));
  }

  klines(symbol: string, kind: KlineKind, interval: BaseInterval, fromMs: number, toMs: number, limit: number,
    newestFirst: boolean): Promise<KlineRow[]> {
    return settled(() => this.store.klines(symbol, kind, interval, fromMs, toMs, limit, newestFirst));
  }

  liquidationOrders(accountId: number, symbol: string | undefined, window: TimeWindow): Promise<OrderView[]> {
    return settled(() => liquidationOrders(this.store, accountId, symbol, window));
  }

  marginAdjustments(accountId: number, symbol: string, type: 1 | 2 | undefined,
    window: TimeWindow): Promise<MarginAdjustmentRow[]> {
    return settled(() => marginAdjustments(this.store, accountId, symbol, type, window));
  }

  marketStats(symbol: string, periodMs: number, window: TimeWindow): Promise<MarketStatRow[]> {
    return settled(() => marketStats(this.store, symbol, periodMs, window));
  }

  seqAt(accountId: number, atMs: number): Promise<number | undefined> {
    return settled(() => seqAt(this.store, accountId, atMs));
  }

  firstPointMs(accountId: number): Promise<number | undefined> {
    return settled(() => firstPointMs(this.store, accountId));
  }

  transfers(accountId: number, fromMs: number, toMs: number): Promise<{ atMs: number; amountE8: bigint }[]> {
    return settled(() => transfers(this.store, accountId, fromMs, toMs));
  }

  closingFills(accountId: number): Promise<{ closes: number; wins: number }> {
    return settled(() => closingFills(this.store, accountId));
  }

  close(): Promise<void> {
    return settled(() => this.store.close());
  }
}

/** A synchronous query's answer, or its error, as a settled promise (never a synchronous throw). */
function settled<T>(query: () => T): Promise<T> {
  try {
    return Promise.resolve(query());
  } catch (error) {
    return Promise.reject(error instanceof Error ? error : new Error(String(error)));
  }
}
