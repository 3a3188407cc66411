/**
 * @module api/read-models/history-queries
 * Read-model queries behind the newer Binance history endpoints: an account's liquidation orders
 * (/fapi/v1/forceOrders), its isolated-margin adjustments (/fapi/v1/positionMargin/history) and the
 * per-symbol position samples behind /futures/data/* (market-stats.ts writes them). Each query sees
 * every row projected before it (ReadStore.sync).
 */
import type { OrderView } from '../../core/index.js';
import { MARGIN_ADJUSTMENT_TYPE, type MarketStatRow, type ReadStore } from './store.js';
import { marketStatFromDb, type MarketStatDbRow } from './store-rows.js';

export interface TimeWindow {
  readonly startTime?: number;
  readonly endTime?: number;
  readonly limit: number;
}

/** WHERE clauses for an optional [startTime, endTime] on `column`. */
function windowClauses(column: string, window: TimeWindow, where: string[], args: (string | number)[]): void {
  if (window.startTime !== undefined) { where.push(`${column} >= ?`); args.push(window.startTime); }
  if (window.endTime !== undefined) { where.push(`${column} <= ?`); args.push(window.endTime); }
}

/** The account's liquidation orders, newest first (Binance's order), optionally of one symbol. */
export function liquidationOrders(store: ReadStore, accountId: number, symbol: string | undefined, window: TimeWindow): OrderView[] {
  const where = ['account_id = ?', 'liquidation = 1'];
  const args: (string | number)[] = [accountId];
  if (symbol !== undefined) { where.push('symbol = ?'); args.push(symbol); }
  windowClauses('created_ms', window, where, args);
  // Orders are read back through the store's own row mapping, one order id at a time.
  store.sync();
  const ids = store.db.prepare<(string | number)[], { order_id: number }>(
    `SELECT order_id FROM orders WHERE ${where.join(' AND ')} ORDER BY order_id DESC LIMIT ${window.limit}`).all(...args);
  return ids.map((row) => store.order(accountId, row.order_id, undefined)).filter((view): view is OrderView => view !== undefined);
}

export interface MarginAdjustmentRow {
  readonly symbol: string;
  /** Signed: > 0 added to the isolated wallet, < 0 removed. */
  readonly amountE8: bigint;
  readonly timeMs: number;
}

/** The account's isolated-margin adjustments in `symbol`, oldest first; `type` 1 = added, 2 = removed. */
export function marginAdjustments(store: ReadStore, accountId: number, symbol: string, type: 1 | 2 | undefined,
  window: TimeWindow): MarginAdjustmentRow[] {
  const where = ['account_id = ?', 'income_type = ?', 'symbol = ?'];
  const args: (string | number)[] = [accountId, MARGIN_ADJUSTMENT_TYPE, symbol];
  // Amounts are decimal text: a removal is the one that starts with a minus sign.
  if (type !== undefined) where.push(type === 1 ? "substr(amount, 1, 1) != '-'" : "substr(amount, 1, 1) = '-'");
  windowClauses('time_ms', window, where, args);
  store.sync();
  const rows = store.db.prepare<(string | number)[], { amount: string; time_ms: number }>(
    `SELECT amount, time_ms FROM income WHERE ${where.join(' AND ')} ORDER BY tran_id DESC LIMIT ${window.limit}`).all(...args);
  return rows.map((row) => ({ symbol, amountE8: BigInt(row.amount), timeMs: row.time_ms })).reverse();
}


/** Samples of `symbol` taken at multiples of `periodMs`, oldest first (the newest `limit` without a start). */
export function marketStats(store: ReadStore, symbol: string, periodMs: number, window: TimeWindow): MarketStatRow[] {
  const where = ['symbol = ?', 'time_ms % ? = 0'];
  const args: (string | number)[] = [symbol, periodMs];
  windowClauses('time_ms', window, where, args);
  const ascending = window.startTime !== undefined;
  store.sync();
  const rows = store.db.prepare<(string | number)[], MarketStatDbRow>(
    `SELECT * FROM market_stats WHERE ${where.join(' AND ')} ORDER BY time_ms ${ascending ? 'ASC' : 'DESC'} LIMIT ${window.limit}`)
    .all(...args).map(marketStatFromDb);
  return ascending ? rows : rows.reverse();
}
