/**
 * @module api/read-models/store-writes
 * The write side of the SQLite read models as plain data: a WriteBatch holds the rows of one flush
 * as flat arrays of SQL parameters (one row = a fixed number of consecutive values, in column
 * order), so it crosses to the writer thread by structured clone without per-row objects, and
 * `prepareBatchWriter` applies it in one transaction together with the projection counters. Both
 * the writer thread (store-writer-worker.ts) and the in-thread writer (in-memory stores) use this.
 */
import type Database from 'better-sqlite3';

export type SqlValue = number | string;

export interface WriteBatch {
  /** ORDER_COLUMNS values per row (orders table column order). */
  readonly orders: SqlValue[];
  readonly trades: SqlValue[];
  readonly userTrades: SqlValue[];
  readonly income: SqlValue[];
  readonly funding: SqlValue[];
  readonly klines: SqlValue[];
  readonly liquidations: SqlValue[];
  readonly accountPoints: SqlValue[];
  readonly marketStats: SqlValue[];
  /** The batch holds the effects of the entries with seq in (afterSeq, lastSeq]. */
  readonly afterSeq: number;
  readonly lastSeq: number;
  readonly nextAggId: number;
  readonly nextTranId: number;
  readonly nextLiquidationId: number;
}

export const ORDER_COLUMNS = 25;
export const TRADE_COLUMNS = 7;
export const USER_TRADE_COLUMNS = 11;
export const INCOME_COLUMNS = 7;
export const FUNDING_COLUMNS = 4;
export const KLINE_COLUMNS = 15;
export const LIQUIDATION_COLUMNS = 6;
export const ACCOUNT_POINT_COLUMNS = 11;
export const MARKET_STAT_COLUMNS = 10;

function placeholders(count: number): string {
  return `(${new Array<string>(count).fill('?').join(', ')})`;
}

/** Prepares the write statements on `db`; the returned function writes one batch atomically. */
export function prepareBatchWriter(db: Database.Database): (batch: WriteBatch) => void {
  const setMeta = db.prepare<[string, string]>(
    'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value');
  const upsertOrder = db.prepare(`INSERT INTO orders VALUES ${placeholders(ORDER_COLUMNS)}
    ON CONFLICT(order_id) DO UPDATE SET orig_qty = excluded.orig_qty, executed_qty = excluded.executed_qty,
    cum_quote = excluded.cum_quote, price = excluded.price, status = excluded.status, triggered = excluded.triggered,
    updated_ms = excluded.updated_ms`);
  const insertTrade = db.prepare(`INSERT OR IGNORE INTO trades VALUES ${placeholders(TRADE_COLUMNS)}`);
  const insertUserTrade = db.prepare(`INSERT OR IGNORE INTO user_trades VALUES ${placeholders(USER_TRADE_COLUMNS)}`);
  const insertIncome = db.prepare(`INSERT OR IGNORE INTO income VALUES ${placeholders(INCOME_COLUMNS)}`);
  const insertFunding = db.prepare(`INSERT OR IGNORE INTO funding VALUES ${placeholders(FUNDING_COLUMNS)}`);
  const upsertKline = db.prepare(`INSERT INTO klines VALUES ${placeholders(KLINE_COLUMNS)}
    ON CONFLICT(symbol, kind, interval, open_time) DO UPDATE SET o = excluded.o, h = excluded.h, l = excluded.l,
    c = excluded.c, volume = excluded.volume, quote = excluded.quote, trades = excluded.trades,
    taker_buy = excluded.taker_buy, taker_buy_quote = excluded.taker_buy_quote, first_id = excluded.first_id,
    last_id = excluded.last_id`);
  const insertLiquidation = db.prepare(`INSERT OR IGNORE INTO liquidations VALUES ${placeholders(LIQUIDATION_COLUMNS)}`);
  const insertPoint = db.prepare(`INSERT OR REPLACE INTO account_points VALUES ${placeholders(ACCOUNT_POINT_COLUMNS)}`);
  const insertStat = db.prepare(`INSERT OR IGNORE INTO market_stats VALUES ${placeholders(MARKET_STAT_COLUMNS)}`);
  const rows = (statement: Database.Statement, values: SqlValue[], width: number): void => {
    for (let at = 0; at < values.length; at += width) statement.run(values.slice(at, at + width));
  };
  return db.transaction((batch: WriteBatch) => {
    rows(upsertOrder, batch.orders, ORDER_COLUMNS);
    rows(insertTrade, batch.trades, TRADE_COLUMNS);
    rows(insertUserTrade, batch.userTrades, USER_TRADE_COLUMNS);
    rows(insertIncome, batch.income, INCOME_COLUMNS);
    rows(insertFunding, batch.funding, FUNDING_COLUMNS);
    rows(upsertKline, batch.klines, KLINE_COLUMNS);
    rows(insertLiquidation, batch.liquidations, LIQUIDATION_COLUMNS);
    rows(insertPoint, batch.accountPoints, ACCOUNT_POINT_COLUMNS);
    rows(insertStat, batch.marketStats, MARKET_STAT_COLUMNS);
    setMeta.run('last_seq', String(batch.lastSeq));
    setMeta.run('next_agg_id', String(batch.nextAggId));
    setMeta.run('next_tran_id', String(batch.nextTranId));
    setMeta.run('next_liquidation_id', String(batch.nextLiquidationId));
  });
}
