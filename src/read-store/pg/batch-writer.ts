/**
 * @module read-store/pg/batch-writer
 * Applies one projection WriteBatch (api/read-models/store-writes.ts) to PostgreSQL in one
 * transaction together with the projection row, keyed by the batch's seq range (afterSeq, lastSeq]:
 * - stored last_seq ≥ lastSeq: a re-delivery (after a reconnect or a crash between COMMIT and its
 *   acknowledgement): nothing is written;
 * - stored last_seq = afterSeq: the next batch: rows and counters are written;
 * - otherwise a gap or an overlap: refused (SeqGapError), the projector must restart from the stored seq.
 * The projection row is locked (FOR UPDATE) first, so two projectors of one database serialize
 * and the second one's batch is either a re-delivery or refused.
 */
import type pg from 'pg';
import {
  ACCOUNT_POINT_COLUMNS, FUNDING_COLUMNS, INCOME_COLUMNS, KLINE_COLUMNS, LIQUIDATION_COLUMNS, MARKET_STAT_COLUMNS,
  ORDER_COLUMNS, TRADE_COLUMNS, USER_TRADE_COLUMNS, type SqlValue, type WriteBatch,
} from '../../api/read-models/store-writes.js';
import { inTransaction } from './pool.js';

/** Parameters per INSERT statement (PostgreSQL's limit is 65,535). */
const PARAMS_PER_STATEMENT = 30_000;

export class SeqGapError extends Error {
  constructor(readonly storedSeq: number, readonly afterSeq: number, readonly lastSeq: number) {
    super(`read store is at seq ${storedSeq}; batch (${afterSeq}, ${lastSeq}] does not follow it`);
    this.name = 'SeqGapError';
  }
}

export type ApplyResult = 'applied' | 'duplicate';

interface TableWrite {
  readonly insert: string;
  readonly width: number;
  /** Appended to every INSERT: the conflict rule (the SQLite store's INSERT OR IGNORE / upsert). */
  readonly onConflict: string;
  /** Leading columns that form the key, for tables whose conflict rule updates (a key twice in one statement is an error). */
  readonly keyColumns?: number;
  /** Columns where '' means "unchanged in this entry": NULL in PostgreSQL. */
  readonly emptyAsNull?: readonly number[];
}

const ORDERS: TableWrite = {
  insert: 'INSERT INTO orders VALUES', width: ORDER_COLUMNS, keyColumns: 1,
  onConflict: `ON CONFLICT (order_id) DO UPDATE SET orig_qty = EXCLUDED.orig_qty, executed_qty = EXCLUDED.executed_qty,
    cum_quote = EXCLUDED.cum_quote, price = EXCLUDED.price, status = EXCLUDED.status, triggered = EXCLUDED.triggered,
    updated_ms = EXCLUDED.updated_ms`,
};
const KLINES: TableWrite = {
  insert: 'INSERT INTO klines VALUES', width: KLINE_COLUMNS, keyColumns: 4,
  onConflict: `ON CONFLICT (symbol, kind, "interval", open_time) DO UPDATE SET o = EXCLUDED.o, h = EXCLUDED.h, l = EXCLUDED.l,
    c = EXCLUDED.c, volume = EXCLUDED.volume, quote = EXCLUDED.quote, trades = EXCLUDED.trades, taker_buy = EXCLUDED.taker_buy,
    taker_buy_quote = EXCLUDED.taker_buy_quote, first_id = EXCLUDED.first_id, last_id = EXCLUDED.last_id`,
};
const ACCOUNT_POINTS: TableWrite = {
  insert: 'INSERT INTO account_points VALUES', width: ACCOUNT_POINT_COLUMNS, keyColumns: 3, emptyAsNull: [6, 7, 10],
  onConflict: `ON CONFLICT (account_id, seq, symbol) DO UPDATE SET time_ms = EXCLUDED.time_ms,
    has_position = EXCLUDED.has_position, size = EXCLUDED.size, cost = EXCLUDED.cost, isolated_wallet = EXCLUDED.isolated_wallet,
    leverage = EXCLUDED.leverage, margin_type = EXCLUDED.margin_type, cross_wallet = EXCLUDED.cross_wallet`,
};
const ignore = (table: string, width: number): TableWrite => ({ insert: `INSERT INTO ${table} VALUES`, width, onConflict: 'ON CONFLICT DO NOTHING' });

/** Rows whose key repeats keep only their last occurrence (the newest values), in first-seen order. */
function lastPerKey(values: readonly SqlValue[], width: number, keyColumns: number): SqlValue[] {
  const byKey = new Map<string, number>();
  for (let at = 0; at < values.length; at += width) byKey.set(JSON.stringify(values.slice(at, at + keyColumns)), at);
  if (byKey.size * width === values.length) return values as SqlValue[];
  const out: SqlValue[] = [];
  for (const at of byKey.values()) out.push(...values.slice(at, at + width));
  return out;
}

async function writeRows(client: pg.PoolClient, table: TableWrite, rawValues: readonly SqlValue[]): Promise<void> {
  if (rawValues.length === 0) return;
  const values = table.keyColumns === undefined ? rawValues : lastPerKey(rawValues, table.width, table.keyColumns);
  const rowsPerStatement = Math.floor(PARAMS_PER_STATEMENT / table.width);
  const nulls = new Set(table.emptyAsNull ?? []);
  for (let first = 0; first < values.length; first += rowsPerStatement * table.width) {
    const chunk = values.slice(first, first + rowsPerStatement * table.width);
    const params: (SqlValue | null)[] = new Array<SqlValue | null>(chunk.length);
    const tuples: string[] = [];
    for (let row = 0; row < chunk.length; row += table.width) {
      const marks: string[] = [];
      for (let column = 0; column < table.width; column++) {
        const value = chunk[row + column]!;
        params[row + column] = value === '' && nulls.has(column) ? null : value;
        marks.push(`$${row + column + 1}`);
      }
      tuples.push(`(${marks.join(', ')})`);
    }
    await client.query(`${table.insert} ${tuples.join(', ')} ${table.onConflict}`, params);
  }
}

/** Writes `batch` unless the store already holds it (see module comment). */
export async function applyBatch(pool: pg.Pool, batch: WriteBatch): Promise<ApplyResult> {
  return inTransaction(pool, async (client) => {
    const { rows } = await client.query<{ last_seq: number }>('SELECT last_seq FROM projection WHERE id = 1 FOR UPDATE');
    const storedSeq = rows[0]!.last_seq;
    if (storedSeq >= batch.lastSeq) return 'duplicate';
    if (storedSeq !== batch.afterSeq) throw new SeqGapError(storedSeq, batch.afterSeq, batch.lastSeq);
    await writeRows(client, ORDERS, batch.orders);
    await writeRows(client, ignore('trades', TRADE_COLUMNS), batch.trades);
    await writeRows(client, ignore('user_trades', USER_TRADE_COLUMNS), batch.userTrades);
    await writeRows(client, ignore('income', INCOME_COLUMNS), batch.income);
    await writeRows(client, ignore('funding', FUNDING_COLUMNS), batch.funding);
    await writeRows(client, KLINES, batch.klines);
    await writeRows(client, ignore('liquidations', LIQUIDATION_COLUMNS), batch.liquidations);
    await writeRows(client, ACCOUNT_POINTS, batch.accountPoints);
    await writeRows(client, ignore('market_stats', MARKET_STAT_COLUMNS), batch.marketStats);
    await client.query(`UPDATE projection SET last_seq = $1, next_agg_id = $2, next_tran_id = $3, next_liquidation_id = $4
      WHERE id = 1`, [batch.lastSeq, batch.nextAggId, batch.nextTranId, batch.nextLiquidationId]);
    return 'applied';
  });
}
