/**
 * @module api/read-models/row-buffer
 * The projection's write side, independent of the database: rows of committed entries buffered as
 * flat SQL parameter arrays (store-writes.ts) together with the projection counters (last projected
 * seq, next aggregate-trade, income and liquidation ids), taken as one WriteBatch per flush. The
 * SQLite store (store.ts) hands each batch to its writer; the PostgreSQL projector
 * (src/read-store/pg) applies it in one transaction keyed by the batch's seq range.
 */
import type { OrderView } from '../../core/index.js';
import type { AccountPointRow, FundingRow, IncomeRow, KlineRow, LiquidationRow, MarketStatRow, TradeRow, UserTradeRow } from './store.js';
import type { SqlValue, WriteBatch } from './store-writes.js';

/** Where the projection counters start: a new store's, or the ones last stored. */
export interface ProjectionCounters {
  readonly lastSeq: number;
  readonly nextAggId: number;
  readonly nextTranId: number;
  readonly nextLiquidationId: number;
}

export const EMPTY_PROJECTION: ProjectionCounters = { lastSeq: 0, nextAggId: 1, nextTranId: 1, nextLiquidationId: 1 };

export class RowBuffer {
  private readonly pendingOrders = new Map<number, OrderView>();
  private pendingTrades: SqlValue[] = [];
  private pendingUserTrades: SqlValue[] = [];
  private pendingIncome: SqlValue[] = [];
  private pendingFunding: SqlValue[] = [];
  private pendingLiquidations: SqlValue[] = [];
  private pendingPoints: SqlValue[] = [];
  private pendingStats: SqlValue[] = [];
  /** Open candles are mutable objects, one per stored key while open: the set dedupes by identity. */
  private readonly pendingKlines = new Set<KlineRow>();
  /** Highest seq whose effects are in the buffers (taken or not). */
  projectedSeq: number;
  nextAggId: number;
  nextTranId: number;
  nextLiquidationId: number;
  /** Seq the last batch ended at (-1 before the first: the first batch always writes the counters). */
  private batchedSeq = -1;
  /** Seq the next batch follows (its `afterSeq`). */
  private baseSeq: number;

  constructor(counters: ProjectionCounters) {
    this.projectedSeq = counters.lastSeq;
    this.baseSeq = counters.lastSeq;
    this.nextAggId = counters.nextAggId;
    this.nextTranId = counters.nextTranId;
    this.nextLiquidationId = counters.nextLiquidationId;
  }

  /** Forgets the buffers and restarts the counters (the store was emptied). */
  protected restart(): void {
    this.takeBatch();
    this.projectedSeq = 0;
    this.baseSeq = 0;
    this.nextAggId = 1;
    this.nextTranId = 1;
    this.nextLiquidationId = 1;
  }

  putOrder(view: OrderView): void {
    this.pendingOrders.set(view.orderId, view);
  }

  addTrade(t: TradeRow): void {
    this.pendingTrades.push(t.symbol, t.tradeId, t.aggId, t.priceTicks, t.qtyLots, t.timeMs, t.buyerMaker ? 1 : 0);
  }

  addUserTrade(t: UserTradeRow): void {
    this.pendingUserTrades.push(t.accountId, t.symbol, t.tradeId, t.maker ? 1 : 0, t.orderId, t.side, t.priceTicks, t.qtyLots,
      t.realizedPnlE8.toString(), t.commissionE8.toString(), t.timeMs);
  }

  addIncome(i: Omit<IncomeRow, 'tranId'>): void {
    this.pendingIncome.push(this.nextTranId++, i.accountId, i.symbol, i.incomeType, i.amountE8.toString(), i.timeMs, i.tradeId);
  }

  addFunding(f: FundingRow): void {
    this.pendingFunding.push(f.symbol, f.fundingTimeMs, f.rateE8.toString(), f.markTicks);
  }

  addLiquidation(l: Omit<LiquidationRow, 'liquidationId'>): void {
    this.pendingLiquidations.push(this.nextLiquidationId++, l.seq, l.accountId, l.symbol, l.timeMs, l.event);
  }

  addAccountPoint(p: AccountPointRow): void {
    this.pendingPoints.push(p.accountId, p.seq, p.symbol, p.timeMs, p.hasPosition ? 1 : 0, p.sizeLots, p.costE8,
      p.isolatedWalletE8, p.leverage, p.marginType, p.crossWalletE8);
  }

  addMarketStat(r: MarketStatRow): void {
    this.pendingStats.push(r.symbol, r.timeMs, r.openInterestLots, r.markTicks, r.longAccounts, r.shortAccounts,
      r.topLongAccounts, r.topShortAccounts, r.topLongLots, r.topShortLots);
  }

  putKline(row: KlineRow): void {
    this.pendingKlines.add(row);
  }

  get dirty(): boolean {
    return this.pendingOrders.size + this.pendingTrades.length + this.pendingUserTrades.length +
      this.pendingIncome.length + this.pendingFunding.length + this.pendingKlines.size + this.pendingLiquidations.length +
      this.pendingPoints.length + this.pendingStats.length > 0 ||
      this.batchedSeq !== this.projectedSeq;
  }

  /** The buffered rows as one batch (undefined: nothing to write), and empty buffers. */
  takeBatch(): WriteBatch | undefined {
    if (!this.dirty) return undefined;
    const orders: SqlValue[] = [];
    for (const v of this.pendingOrders.values()) {
      orders.push(v.orderId, v.accountId, v.symbol, v.clientOrderId, v.side, v.orderType, v.timeInForce, v.origQtyLots,
        v.executedQtyLots, v.cumQuoteE8.toString(), v.priceTicks, v.stopPriceTicks, v.activationPriceTicks, v.callbackRateBps,
        v.reduceOnly ? 1 : 0, v.closePosition ? 1 : 0, v.workingType, v.priceProtect ? 1 : 0, v.stpMode, v.status,
        v.conditional ? 1 : 0, v.triggered ? 1 : 0, v.createdAtMs, v.updatedAtMs, v.origin === 'LIQUIDATION' ? 1 : 0);
    }
    const klines: SqlValue[] = [];
    // Klines are mutable open candles: their values are copied now, at the flush.
    for (const k of this.pendingKlines) {
      klines.push(k.symbol, k.kind, k.interval, k.openTimeMs, k.open, k.high, k.low, k.close, k.volumeLots,
        k.quoteE8.toString(), k.trades, k.takerBuyLots, k.takerBuyQuoteE8.toString(), k.firstTradeId, k.lastTradeId);
    }
    const batch: WriteBatch = {
      orders, trades: this.pendingTrades, userTrades: this.pendingUserTrades, income: this.pendingIncome,
      funding: this.pendingFunding, klines, liquidations: this.pendingLiquidations, accountPoints: this.pendingPoints,
      marketStats: this.pendingStats,
      afterSeq: this.baseSeq, lastSeq: this.projectedSeq, nextAggId: this.nextAggId, nextTranId: this.nextTranId,
      nextLiquidationId: this.nextLiquidationId,
    };
    this.pendingOrders.clear();
    this.pendingTrades = [];
    this.pendingUserTrades = [];
    this.pendingIncome = [];
    this.pendingFunding = [];
    this.pendingLiquidations = [];
    this.pendingPoints = [];
    this.pendingStats = [];
    this.pendingKlines.clear();
    this.batchedSeq = this.projectedSeq;
    this.baseSeq = this.projectedSeq;
    return batch;
  }
}
