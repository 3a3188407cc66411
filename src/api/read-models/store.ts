/**
 * @module api/read-models/store
 * Durable read models in SQLite (`<dataDir>/api-read-models.sqlite`, WAL): order history, public
 * trades (with aggregate-trade ids), account trades, income, funding history and 1m/1h/1d klines.
 * They are projections of committed engine events. Writes are buffered and flushed in one
 * transaction together with the last projected sequence number, so after a crash the store is at
 * some committed seq N and the server re-derives N+1.. from the venue (DurableVenue.replay).
 * Reads flush first and wait for the writer, so a client always sees what the venue has committed
 * and published. A file-backed store writes on a worker thread (store-writer.ts); this class keeps
 * the buffers, the projection counters and the queries on the server thread.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import type { OrderView } from '../../core/index.js';
import { InThreadWriter, WorkerWriter, type StoreWriter } from './store-writer.js';
import { EMPTY_PROJECTION, RowBuffer } from './row-buffer.js';
import {
  accountPointFromDb, fundingFromDb, incomeFromDb, klineFromDb, liquidationFromDb, orderFromDb, positionPointsOf, tradeFromDb,
  userTradeFromDb,
  type AccountPointDbRow, type AggTradeRow, type FundingDbRow, type IncomeDbRow, type KlineDbRow, type LiquidationDbRow,
  type OrderDbRow, type TradeDbRow, type UserTradeDbRow,
} from './store-rows.js';

export type { AggTradeRow } from './store-rows.js';

export interface TradeRow {
  readonly symbol: string;
  readonly tradeId: number;
  readonly aggId: number;
  readonly priceTicks: number;
  readonly qtyLots: number;
  readonly timeMs: number;
  /** Taker was the seller: Binance `m` / isBuyerMaker. */
  readonly buyerMaker: boolean;
}

export interface UserTradeRow {
  readonly accountId: number;
  readonly symbol: string;
  readonly tradeId: number;
  readonly orderId: number;
  readonly side: 'BUY' | 'SELL';
  readonly priceTicks: number;
  readonly qtyLots: number;
  readonly realizedPnlE8: bigint;
  readonly commissionE8: bigint;
  readonly maker: boolean;
  readonly timeMs: number;
}

export interface IncomeRow {
  readonly accountId: number;
  readonly symbol: string;
  readonly incomeType: string;
  readonly amountE8: bigint;
  readonly timeMs: number;
  readonly tranId: number;
  readonly tradeId: string;
}

export interface FundingRow {
  readonly symbol: string;
  readonly fundingTimeMs: number;
  readonly rateE8: bigint;
  readonly markTicks: number;
}

export type KlineKind = 'trade' | 'mark' | 'index';
export type BaseInterval = '1m' | '1h' | '1d';

export interface KlineRow {
  readonly symbol: string;
  readonly kind: KlineKind;
  readonly interval: BaseInterval;
  readonly openTimeMs: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volumeLots: number;
  quoteE8: bigint;
  trades: number;
  takerBuyLots: number;
  takerBuyQuoteE8: bigint;
  firstTradeId: number;
  lastTradeId: number;
}


const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS orders (
  order_id INTEGER PRIMARY KEY, account_id INTEGER NOT NULL, symbol TEXT NOT NULL, client_order_id TEXT NOT NULL,
  side TEXT NOT NULL, type TEXT NOT NULL, tif TEXT NOT NULL, orig_qty INTEGER NOT NULL, executed_qty INTEGER NOT NULL,
  cum_quote TEXT NOT NULL, price INTEGER NOT NULL, stop_price INTEGER NOT NULL, activation_price INTEGER NOT NULL,
  callback_bps INTEGER NOT NULL, reduce_only INTEGER NOT NULL, close_position INTEGER NOT NULL, working_type TEXT NOT NULL,
  price_protect INTEGER NOT NULL, stp TEXT NOT NULL, status TEXT NOT NULL, conditional INTEGER NOT NULL,
  triggered INTEGER NOT NULL, created_ms INTEGER NOT NULL, updated_ms INTEGER NOT NULL, liquidation INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS orders_account ON orders (account_id, symbol, order_id);
CREATE INDEX IF NOT EXISTS orders_client ON orders (account_id, client_order_id);
CREATE TABLE IF NOT EXISTS trades (
  symbol TEXT NOT NULL, trade_id INTEGER NOT NULL, agg_id INTEGER NOT NULL, price INTEGER NOT NULL, qty INTEGER NOT NULL,
  time_ms INTEGER NOT NULL, buyer_maker INTEGER NOT NULL, PRIMARY KEY (symbol, trade_id));
CREATE INDEX IF NOT EXISTS trades_agg ON trades (symbol, agg_id);
CREATE INDEX IF NOT EXISTS trades_time ON trades (symbol, time_ms);
CREATE TABLE IF NOT EXISTS user_trades (
  account_id INTEGER NOT NULL, symbol TEXT NOT NULL, trade_id INTEGER NOT NULL, maker INTEGER NOT NULL,
  order_id INTEGER NOT NULL, side TEXT NOT NULL, price INTEGER NOT NULL, qty INTEGER NOT NULL, realized_pnl TEXT NOT NULL,
  commission TEXT NOT NULL, time_ms INTEGER NOT NULL, PRIMARY KEY (account_id, symbol, trade_id, maker));
CREATE INDEX IF NOT EXISTS user_trades_time ON user_trades (account_id, symbol, time_ms);
CREATE TABLE IF NOT EXISTS income (
  tran_id INTEGER PRIMARY KEY, account_id INTEGER NOT NULL, symbol TEXT NOT NULL, income_type TEXT NOT NULL,
  amount TEXT NOT NULL, time_ms INTEGER NOT NULL, trade_id TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS income_account ON income (account_id, time_ms);
CREATE TABLE IF NOT EXISTS funding (
  symbol TEXT NOT NULL, funding_time INTEGER NOT NULL, rate TEXT NOT NULL, mark INTEGER NOT NULL,
  PRIMARY KEY (symbol, funding_time));
CREATE TABLE IF NOT EXISTS klines (
  symbol TEXT NOT NULL, kind TEXT NOT NULL, interval TEXT NOT NULL, open_time INTEGER NOT NULL,
  o INTEGER NOT NULL, h INTEGER NOT NULL, l INTEGER NOT NULL, c INTEGER NOT NULL, volume INTEGER NOT NULL,
  quote TEXT NOT NULL, trades INTEGER NOT NULL, taker_buy INTEGER NOT NULL, taker_buy_quote TEXT NOT NULL,
  first_id INTEGER NOT NULL, last_id INTEGER NOT NULL, PRIMARY KEY (symbol, kind, interval, open_time));
CREATE TABLE IF NOT EXISTS liquidations (
  liquidation_id INTEGER PRIMARY KEY, seq INTEGER NOT NULL, account_id INTEGER NOT NULL, symbol TEXT NOT NULL,
  time_ms INTEGER NOT NULL, event TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS liquidations_account ON liquidations (account_id, liquidation_id);
CREATE TABLE IF NOT EXISTS account_points (
  account_id INTEGER NOT NULL, seq INTEGER NOT NULL, symbol TEXT NOT NULL, time_ms INTEGER NOT NULL,
  has_position INTEGER NOT NULL, size INTEGER NOT NULL, cost TEXT NOT NULL, isolated_wallet TEXT NOT NULL,
  leverage INTEGER NOT NULL, margin_type TEXT NOT NULL, cross_wallet TEXT NOT NULL,
  PRIMARY KEY (account_id, seq, symbol));
CREATE INDEX IF NOT EXISTS account_points_time ON account_points (account_id, time_ms);
CREATE TABLE IF NOT EXISTS market_stats (
  symbol TEXT NOT NULL, time_ms INTEGER NOT NULL, open_interest INTEGER NOT NULL, mark INTEGER NOT NULL,
  long_accounts INTEGER NOT NULL, short_accounts INTEGER NOT NULL, top_long_accounts INTEGER NOT NULL,
  top_short_accounts INTEGER NOT NULL, top_long_size INTEGER NOT NULL, top_short_size INTEGER NOT NULL,
  PRIMARY KEY (symbol, time_ms));
`;

/**
 * Income rows of this type are isolated-margin adjustments (POST /fapi/v1/positionMargin), kept for
 * /fapi/v1/positionMargin/history; /fapi/v1/income never returns them (Binance does not either).
 */
export const MARGIN_ADJUSTMENT_TYPE = 'MARGIN_ADJUSTMENT';

/** One sample of a symbol's positions (history-queries.ts, market-stats.ts). */
export interface MarketStatRow {
  readonly symbol: string;
  readonly timeMs: number;
  readonly openInterestLots: number;
  readonly markTicks: number;
  readonly longAccounts: number;
  readonly shortAccounts: number;
  readonly topLongAccounts: number;
  readonly topShortAccounts: number;
  readonly topLongLots: number;
  readonly topShortLots: number;
}

/**
 * A change of one account's margin state in one committed entry: a position's new state and/or an
 * isolated wallet (per symbol), and/or the cross wallet (symbol ''). Empty strings and
 * `hasPosition: false` mean "unchanged in this entry" (the reader carries the last value forward).
 */
export interface AccountPointRow {
  readonly accountId: number;
  readonly seq: number;
  readonly symbol: string;
  readonly timeMs: number;
  readonly hasPosition: boolean;
  readonly sizeLots: number;
  readonly costE8: string;
  readonly isolatedWalletE8: string;
  readonly leverage: number;
  readonly marginType: string;
  readonly crossWalletE8: string;
}

export interface LiquidationRow {
  readonly liquidationId: number;
  readonly seq: number;
  readonly accountId: number;
  readonly symbol: string;
  readonly timeMs: number;
  /** The Liquidation event as JSON (bigints as decimal strings). */
  readonly event: string;
}

export class ReadStore extends RowBuffer {
  /** The server thread's connection: schema, counters, reset and every query. */
  readonly db: Database.Database;
  private readonly writer: StoreWriter;

  /** `writerThread` (default true) writes a file-backed store on a worker thread (store-writer.ts). */
  constructor(dataDir: string | undefined, options: { writerThread?: boolean } = {}) {
    const path = dataDir === undefined ? undefined : join(dataDir, 'api-read-models.sqlite');
    const db = new Database(path ?? ':memory:');
    if (path !== undefined) {
      db.pragma('journal_mode = WAL');
      // A crash may lose the last flushes; the venue replays them (see module comment).
      db.pragma('synchronous = NORMAL');
      db.pragma('busy_timeout = 10000');
    }
    db.exec(SCHEMA);
    const getMeta = db.prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?');
    const meta = (key: string, otherwise: number): number => Number(getMeta.get(key)?.value ?? otherwise);
    super({
      lastSeq: meta('last_seq', EMPTY_PROJECTION.lastSeq), nextAggId: meta('next_agg_id', EMPTY_PROJECTION.nextAggId),
      nextTranId: meta('next_tran_id', EMPTY_PROJECTION.nextTranId),
      nextLiquidationId: meta('next_liquidation_id', EMPTY_PROJECTION.nextLiquidationId),
    });
    this.db = db;
    this.writer = path !== undefined && options.writerThread !== false ? new WorkerWriter(path) : new InThreadWriter(this.db);
  }

  /** Drops every projection (the venue's history is shorter than the store's: a different data set). */
  reset(): void {
    this.sync();
    for (const table of ['meta', 'orders', 'trades', 'user_trades', 'income', 'funding', 'klines', 'liquidations', 'account_points',
      'market_stats']) {
      this.db.exec(`DELETE FROM ${table}`);
    }
    this.restart();
  }

  /** Hands the buffered rows to the writer as one batch (one transaction). */
  flush(): void {
    const batch = this.takeBatch();
    if (batch !== undefined) this.writer.write(batch);
  }

  /** Flushes and waits until the read connection sees every row projected so far (history-queries.ts reads after it). */
  sync(): void {
    this.flush();
    this.writer.sync();
  }

  close(): void {
    this.flush();
    this.writer.close();
    this.db.close();
  }

  // ---- queries (each sees every row projected before it) -------------------------------------------------------------------------------------

  order(accountId: number, orderId: number | undefined, clientOrderId: string | undefined): OrderView | undefined {
    this.sync();
    const row = orderId !== undefined
      ? this.db.prepare<[number, number], OrderDbRow>('SELECT * FROM orders WHERE order_id = ? AND account_id = ?')
        .get(orderId, accountId)
      : this.db.prepare<[number, string], OrderDbRow>(
        'SELECT * FROM orders WHERE account_id = ? AND client_order_id = ? ORDER BY order_id DESC LIMIT 1')
        .get(accountId, clientOrderId ?? '');
    if (row === undefined) return undefined;
    const view = orderFromDb(row);
    if (orderId !== undefined && clientOrderId !== undefined && view.clientOrderId !== clientOrderId) return undefined;
    return view;
  }

  orders(accountId: number, symbol: string, options: { orderId?: number; startTime?: number; endTime?: number;
    limit: number; conditional?: boolean }): OrderView[] {
    this.sync();
    const where = ['account_id = ?', 'symbol = ?'];
    const args: (number | string)[] = [accountId, symbol];
    if (options.orderId !== undefined) { where.push('order_id >= ?'); args.push(options.orderId); }
    if (options.startTime !== undefined) { where.push('created_ms >= ?'); args.push(options.startTime); }
    if (options.endTime !== undefined) { where.push('created_ms <= ?'); args.push(options.endTime); }
    if (options.conditional !== undefined) { where.push('conditional = ?'); args.push(options.conditional ? 1 : 0); }
    const order = options.orderId !== undefined ? 'ASC' : 'DESC';
    const rows = this.db.prepare<(number | string)[], OrderDbRow>(
      `SELECT * FROM orders WHERE ${where.join(' AND ')} ORDER BY order_id ${order} LIMIT ${options.limit}`).all(...args);
    const views = rows.map(orderFromDb);
    return order === 'DESC' ? views.reverse() : views;
  }

  trades(symbol: string, limit: number, fromId?: number): TradeRow[] {
    this.sync();
    const rows = fromId === undefined
      ? this.db.prepare<[string], TradeDbRow>(`SELECT * FROM trades WHERE symbol = ? ORDER BY trade_id DESC LIMIT ${limit}`)
        .all(symbol).reverse()
      : this.db.prepare<[string, number], TradeDbRow>(
        `SELECT * FROM trades WHERE symbol = ? AND trade_id >= ? ORDER BY trade_id ASC LIMIT ${limit}`).all(symbol, fromId);
    return rows.map(tradeFromDb);
  }

  aggTrades(symbol: string, options: { fromId?: number; startTime?: number; endTime?: number; limit: number }): AggTradeRow[] {
    this.sync();
    const where = ['symbol = ?'];
    const args: (string | number)[] = [symbol];
    if (options.fromId !== undefined) { where.push('agg_id >= ?'); args.push(options.fromId); }
    if (options.startTime !== undefined) { where.push('time_ms >= ?'); args.push(options.startTime); }
    if (options.endTime !== undefined) { where.push('time_ms <= ?'); args.push(options.endTime); }
    const ascending = options.fromId !== undefined || options.startTime !== undefined;
    const rows = this.db.prepare<(string | number)[], AggTradeRow>(
      `SELECT agg_id AS aggId, MIN(price) AS priceTicks, SUM(qty) AS qtyLots, MIN(trade_id) AS firstId,
       MAX(trade_id) AS lastId, MIN(time_ms) AS timeMs, MAX(buyer_maker) AS buyerMaker
       FROM trades WHERE ${where.join(' AND ')} GROUP BY agg_id ORDER BY agg_id ${ascending ? 'ASC' : 'DESC'}
       LIMIT ${options.limit}`).all(...args);
    return ascending ? rows : rows.reverse();
  }

  userTrades(accountId: number, symbol: string, options: { fromId?: number; startTime?: number; endTime?: number;
    orderId?: number; limit: number }): UserTradeRow[] {
    this.sync();
    const where = ['account_id = ?', 'symbol = ?'];
    const args: (string | number)[] = [accountId, symbol];
    if (options.fromId !== undefined) { where.push('trade_id >= ?'); args.push(options.fromId); }
    if (options.startTime !== undefined) { where.push('time_ms >= ?'); args.push(options.startTime); }
    if (options.endTime !== undefined) { where.push('time_ms <= ?'); args.push(options.endTime); }
    if (options.orderId !== undefined) { where.push('order_id = ?'); args.push(options.orderId); }
    const ascending = options.fromId !== undefined || options.startTime !== undefined;
    const rows = this.db.prepare<(string | number)[], UserTradeDbRow>(
      `SELECT * FROM user_trades WHERE ${where.join(' AND ')} ORDER BY trade_id ${ascending ? 'ASC' : 'DESC'}, maker ASC
       LIMIT ${options.limit}`).all(...args);
    const out = rows.map(userTradeFromDb);
    return ascending ? out : out.reverse();
  }

  income(accountId: number, options: { symbol?: string; incomeType?: string; startTime?: number; endTime?: number;
    limit: number; page?: number }): IncomeRow[] {
    this.sync();
    const where = ['account_id = ?', 'income_type != ?'];
    const args: (string | number)[] = [accountId, MARGIN_ADJUSTMENT_TYPE];
    if (options.symbol !== undefined) { where.push('symbol = ?'); args.push(options.symbol); }
    if (options.incomeType !== undefined) { where.push('income_type = ?'); args.push(options.incomeType); }
    if (options.startTime !== undefined) { where.push('time_ms >= ?'); args.push(options.startTime); }
    if (options.endTime !== undefined) { where.push('time_ms <= ?'); args.push(options.endTime); }
    const offset = ((options.page ?? 1) - 1) * options.limit;
    const ascending = options.startTime !== undefined;
    const rows = this.db.prepare<(string | number)[], IncomeDbRow>(
      `SELECT * FROM income WHERE ${where.join(' AND ')} ORDER BY tran_id ${ascending ? 'ASC' : 'DESC'}
       LIMIT ${options.limit} OFFSET ${offset}`).all(...args);
    const out = rows.map(incomeFromDb);
    return ascending ? out : out.reverse();
  }

  funding(symbol: string | undefined, options: { startTime?: number; endTime?: number; limit: number }): FundingRow[] {
    this.sync();
    const where: string[] = [];
    const args: (string | number)[] = [];
    if (symbol !== undefined) { where.push('symbol = ?'); args.push(symbol); }
    if (options.startTime !== undefined) { where.push('funding_time >= ?'); args.push(options.startTime); }
    if (options.endTime !== undefined) { where.push('funding_time <= ?'); args.push(options.endTime); }
    const ascending = options.startTime !== undefined;
    const rows = this.db.prepare<(string | number)[], FundingDbRow>(
      `SELECT * FROM funding ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY funding_time ${ascending ? 'ASC' : 'DESC'}, symbol ${ascending ? 'ASC' : 'DESC'} LIMIT ${options.limit}`).all(...args);
    const out = rows.map(fundingFromDb);
    return ascending ? out : out.reverse();
  }

  /** Liquidations, newest first; of one account unless `accountId` is undefined (operator). */
  liquidations(accountId: number | undefined, limit: number, beforeId?: number): LiquidationRow[] {
    this.sync();
    const where: string[] = [];
    const args: number[] = [];
    if (accountId !== undefined) { where.push('account_id = ?'); args.push(accountId); }
    if (beforeId !== undefined) { where.push('liquidation_id < ?'); args.push(beforeId); }
    return this.db.prepare<number[], LiquidationDbRow>(
      `SELECT * FROM liquidations ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY liquidation_id DESC LIMIT ${limit}`).all(...args).map(liquidationFromDb);
  }

  liquidation(liquidationId: number): LiquidationRow | undefined {
    this.sync();
    const row = this.db.prepare<[number], LiquidationDbRow>('SELECT * FROM liquidations WHERE liquidation_id = ?').get(liquidationId);
    return row === undefined ? undefined : liquidationFromDb(row);
  }

  /** An account's margin-state changes with seq in [fromSeq, toSeq], ascending, at most `limit`. */
  accountPoints(accountId: number, fromSeq: number, toSeq: number, limit: number): AccountPointRow[] {
    this.sync();
    return this.db.prepare<[number, number, number], AccountPointDbRow>(
      `SELECT * FROM account_points WHERE account_id = ? AND seq >= ? AND seq <= ? ORDER BY seq ASC, symbol ASC LIMIT ${limit}`)
      .all(accountId, fromSeq, toSeq).map(accountPointFromDb);
  }

  /**
   * The account's margin state as of `seq` (inclusive), from its last points: cross wallet, and per
   * symbol the last position and isolated wallet recorded. Symbols never recorded are absent.
   */
  accountStateAt(accountId: number, seq: number): { crossWalletE8: bigint; positions: Map<string, AccountPointRow> } {
    this.sync();
    const cross = this.db.prepare<[number, number], { cross_wallet: string }>(
      `SELECT cross_wallet FROM account_points WHERE account_id = ? AND cross_wallet != '' AND seq <= ?
       ORDER BY seq DESC LIMIT 1`).get(accountId, seq);
    const rows = this.db.prepare<[number, number, number], AccountPointDbRow>(
      `SELECT p.* FROM account_points p JOIN (SELECT symbol, MAX(seq) AS seq FROM account_points
       WHERE account_id = ? AND has_position = 1 AND symbol != '' AND seq <= ? GROUP BY symbol) last
       ON p.symbol = last.symbol AND p.seq = last.seq WHERE p.account_id = ?`).all(accountId, seq, accountId);
    const wallets = this.db.prepare<[number, number, number], { symbol: string; isolated_wallet: string }>(
      `SELECT p.symbol, p.isolated_wallet FROM account_points p JOIN (SELECT symbol, MAX(seq) AS seq FROM account_points
       WHERE account_id = ? AND isolated_wallet != '' AND symbol != '' AND seq <= ? GROUP BY symbol) last
       ON p.symbol = last.symbol AND p.seq = last.seq WHERE p.account_id = ?`).all(accountId, seq, accountId);
    const positions = positionPointsOf(accountId, rows, wallets);
    return { crossWalletE8: BigInt(cross?.cross_wallet ?? '0'), positions };
  }

  /** Seq of the account's last point committed before `beforeMs` (0: none). */
  accountSeqBefore(accountId: number, beforeMs: number): number {
    this.sync();
    const row = this.db.prepare<[number, number], { seq: number | null }>(
      'SELECT MAX(seq) AS seq FROM account_points WHERE account_id = ? AND time_ms < ?').get(accountId, beforeMs);
    return row?.seq ?? 0;
  }

  /**
   * Visits the account's income rows (margin adjustments excluded) with time in [fromMs, toMs),
   * in time order, one row at a time (a statement range may hold many fills).
   */
  forEachIncome(accountId: number, fromMs: number, toMs: number, visit: (row: IncomeRow) => void): void {
    this.sync();
    const rows = this.db.prepare<[number, string, number, number], IncomeDbRow>(
      `SELECT * FROM income WHERE account_id = ? AND income_type != ? AND time_ms >= ? AND time_ms < ?
       ORDER BY time_ms ASC, tran_id ASC`).iterate(accountId, MARGIN_ADJUSTMENT_TYPE, fromMs, toMs);
    for (const r of rows) visit(incomeFromDb(r));
  }

  /** The account's liquidations with time in [fromMs, toMs): time and the fee paid to the insurance fund. */
  forEachLiquidationFee(accountId: number, fromMs: number, toMs: number, visit: (timeMs: number, feeE8: bigint) => void): void {
    this.sync();
    const rows = this.db.prepare<[number, number, number], { time_ms: number; fee: string | null }>(
      `SELECT time_ms, json_extract(event, '$.feeE8') AS fee FROM liquidations
       WHERE account_id = ? AND time_ms >= ? AND time_ms < ? ORDER BY liquidation_id ASC`).iterate(accountId, fromMs, toMs);
    for (const r of rows) visit(r.time_ms, BigInt(r.fee ?? '0'));
  }

  /** Seq of the account's last point at or before `seq` where `symbol`'s position was flat (0 if never). */
  lastFlatSeq(accountId: number, symbol: string, seq: number): number {
    this.sync();
    const row = this.db.prepare<[number, string, number], { seq: number }>(
      `SELECT seq FROM account_points WHERE account_id = ? AND symbol = ? AND has_position = 1 AND size = 0 AND seq <= ?
       ORDER BY seq DESC LIMIT 1`).get(accountId, symbol, seq);
    return row?.seq ?? 0;
  }

  /** Base-interval klines in [from, to] (open times), ascending. */
  klines(symbol: string, kind: KlineKind, interval: BaseInterval, fromMs: number, toMs: number, limit: number,
    newestFirst: boolean, flushFirst = true): KlineRow[] {
    // Without flushFirst (inside a projection, which must never store half an entry) still wait for
    // the batches already handed to the writer.
    if (flushFirst) this.flush();
    this.writer.sync();
    const rows = this.db.prepare<[string, string, string, number, number], KlineDbRow>(
      `SELECT * FROM klines WHERE symbol = ? AND kind = ? AND interval = ? AND open_time >= ? AND open_time <= ?
       ORDER BY open_time ${newestFirst ? 'DESC' : 'ASC'} LIMIT ${limit}`).all(symbol, kind, interval, fromMs, toMs);
    const out = rows.map(klineFromDb);
    return newestFirst ? out.reverse() : out;
  }
}

