/**
 * @module read-store/pg/schema
 * The PostgreSQL read-model schema and its idempotent migration (docs/read-store.md). Tables and
 * column names are the SQLite store's (api/read-models/store.ts), so both share row mappings;
 * types differ where PostgreSQL has better ones: money (E8 integers) is NUMERIC(40,0), exact and
 * never float; ids, ticks, lots and times are BIGINT; flags stay SMALLINT 0/1 (the shared
 * mappings read 0/1); a liquidation event is JSON text (kept byte for byte). account_points'
 * "unchanged in this entry" is NULL (SQLite: ''). The single `projection` row holds the last
 * projected seq and the id counters, updated in the same transaction as the rows (pg/batch-writer.ts).
 */
import type pg from 'pg';
import { inTransaction } from './pool.js';

/** Any fixed number: serializes concurrent migrations of one database (gateways starting together). */
const MIGRATION_LOCK = 19_002;

const MONEY = 'NUMERIC(40, 0)';

/** Migrations by version, each applied once, in order, in one transaction with its version row. */
const MIGRATIONS: readonly string[] = [
  `CREATE TABLE projection (
    id SMALLINT PRIMARY KEY CHECK (id = 1), last_seq BIGINT NOT NULL, next_agg_id BIGINT NOT NULL,
    next_tran_id BIGINT NOT NULL, next_liquidation_id BIGINT NOT NULL);
  INSERT INTO projection VALUES (1, 0, 1, 1, 1);
  CREATE TABLE orders (
    order_id BIGINT PRIMARY KEY, account_id BIGINT NOT NULL, symbol TEXT NOT NULL, client_order_id TEXT NOT NULL,
    side TEXT NOT NULL, type TEXT NOT NULL, tif TEXT NOT NULL, orig_qty BIGINT NOT NULL, executed_qty BIGINT NOT NULL,
    cum_quote ${MONEY} NOT NULL, price BIGINT NOT NULL, stop_price BIGINT NOT NULL, activation_price BIGINT NOT NULL,
    callback_bps INTEGER NOT NULL, reduce_only SMALLINT NOT NULL, close_position SMALLINT NOT NULL, working_type TEXT NOT NULL,
    price_protect SMALLINT NOT NULL, stp TEXT NOT NULL, status TEXT NOT NULL, conditional SMALLINT NOT NULL,
    triggered SMALLINT NOT NULL, created_ms BIGINT NOT NULL, updated_ms BIGINT NOT NULL, liquidation SMALLINT NOT NULL);
  CREATE INDEX orders_account ON orders (account_id, symbol, order_id);
  CREATE INDEX orders_client ON orders (account_id, client_order_id);
  CREATE TABLE trades (
    symbol TEXT NOT NULL, trade_id BIGINT NOT NULL, agg_id BIGINT NOT NULL, price BIGINT NOT NULL, qty BIGINT NOT NULL,
    time_ms BIGINT NOT NULL, buyer_maker SMALLINT NOT NULL, PRIMARY KEY (symbol, trade_id));
  CREATE INDEX trades_agg ON trades (symbol, agg_id);
  CREATE INDEX trades_time ON trades (symbol, time_ms);
  CREATE TABLE user_trades (
    account_id BIGINT NOT NULL, symbol TEXT NOT NULL, trade_id BIGINT NOT NULL, maker SMALLINT NOT NULL,
    order_id BIGINT NOT NULL, side TEXT NOT NULL, price BIGINT NOT NULL, qty BIGINT NOT NULL, realized_pnl ${MONEY} NOT NULL,
    commission ${MONEY} NOT NULL, time_ms BIGINT NOT NULL, PRIMARY KEY (account_id, symbol, trade_id, maker));
  CREATE INDEX user_trades_time ON user_trades (account_id, symbol, time_ms);
  CREATE TABLE income (
    tran_id BIGINT PRIMARY KEY, account_id BIGINT NOT NULL, symbol TEXT NOT NULL, income_type TEXT NOT NULL,
    amount ${MONEY} NOT NULL, time_ms BIGINT NOT NULL, trade_id TEXT NOT NULL);
  CREATE INDEX income_account ON income (account_id, time_ms);
  CREATE TABLE funding (
    symbol TEXT NOT NULL, funding_time BIGINT NOT NULL, rate ${MONEY} NOT NULL, mark BIGINT NOT NULL,
    PRIMARY KEY (symbol, funding_time));
  CREATE TABLE klines (
    symbol TEXT NOT NULL, kind TEXT NOT NULL, "interval" TEXT NOT NULL, open_time BIGINT NOT NULL,
    o BIGINT NOT NULL, h BIGINT NOT NULL, l BIGINT NOT NULL, c BIGINT NOT NULL, volume BIGINT NOT NULL,
    quote ${MONEY} NOT NULL, trades BIGINT NOT NULL, taker_buy BIGINT NOT NULL, taker_buy_quote ${MONEY} NOT NULL,
    first_id BIGINT NOT NULL, last_id BIGINT NOT NULL, PRIMARY KEY (symbol, kind, "interval", open_time));
  CREATE INDEX klines_recent ON klines ("interval", open_time);
  CREATE TABLE liquidations (
    liquidation_id BIGINT PRIMARY KEY, seq BIGINT NOT NULL, account_id BIGINT NOT NULL, symbol TEXT NOT NULL,
    time_ms BIGINT NOT NULL, event JSON NOT NULL);
  CREATE INDEX liquidations_account ON liquidations (account_id, liquidation_id);
  CREATE TABLE account_points (
    account_id BIGINT NOT NULL, seq BIGINT NOT NULL, symbol TEXT NOT NULL, time_ms BIGINT NOT NULL,
    has_position SMALLINT NOT NULL, size BIGINT NOT NULL, cost ${MONEY}, isolated_wallet ${MONEY},
    leverage INTEGER NOT NULL, margin_type TEXT NOT NULL, cross_wallet ${MONEY},
    PRIMARY KEY (account_id, seq, symbol));
  CREATE INDEX account_points_time ON account_points (account_id, time_ms);
  CREATE TABLE market_stats (
    symbol TEXT NOT NULL, time_ms BIGINT NOT NULL, open_interest BIGINT NOT NULL, mark BIGINT NOT NULL,
    long_accounts BIGINT NOT NULL, short_accounts BIGINT NOT NULL, top_long_accounts BIGINT NOT NULL,
    top_short_accounts BIGINT NOT NULL, top_long_size BIGINT NOT NULL, top_short_size BIGINT NOT NULL,
    PRIMARY KEY (symbol, time_ms));`,
];

/** Brings the database to the latest schema; safe to run any number of times, from many processes at once. */
export async function migrate(pool: pg.Pool): Promise<void> {
  await inTransaction(pool, async (client) => {
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await client.query('CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY)');
    const { rows } = await client.query<{ version: number | null }>('SELECT MAX(version) AS version FROM schema_version');
    for (let version = (rows[0]?.version ?? 0) + 1; version <= MIGRATIONS.length; version++) {
      await client.query(MIGRATIONS[version - 1]!);
      await client.query('INSERT INTO schema_version VALUES ($1)', [version]);
    }
  });
}
