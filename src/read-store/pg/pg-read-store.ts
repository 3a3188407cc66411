/**
 * @module read-store/pg/pg-read-store
 * The history queries of ReadStoreQueries on PostgreSQL. Each is the SQLite store's query in
 * PostgreSQL's dialect (numbered parameters; money compared as NUMERIC rather than by its text's
 * sign; "unchanged" account-point values are NULL, read back as ''), mapped by the same row
 * functions, so both stores answer alike (test/cluster/pg-read-store.cluster.test.ts). A reader
 * sees the batches committed so far (the projector writes each in one transaction).
 */
import type pg from 'pg';
import type { OrderView } from '../../core/index.js';
import type { MarginAdjustmentRow, TimeWindow } from '../../api/read-models/history-queries.js';
import { TRANSFER_INCOME_TYPES } from '../../api/read-models/lead-history.js';
import {
  accountPointFromDb, fundingFromDb, incomeFromDb, klineFromDb, liquidationFromDb, marketStatFromDb, orderFromDb, positionPointsOf,
  tradeFromDb,
  userTradeFromDb, type AccountPointDbRow, type AggTradeRow, type FundingDbRow, type IncomeDbRow, type KlineDbRow,
  type LiquidationDbRow, type MarketStatDbRow, type OrderDbRow, type TradeDbRow, type UserTradeDbRow,
} from '../../api/read-models/store-rows.js';
import {
  MARGIN_ADJUSTMENT_TYPE, type AccountPointRow, type BaseInterval, type FundingRow, type IncomeRow, type KlineKind, type KlineRow,
  type LiquidationRow, type MarketStatRow, type TradeRow, type UserTradeRow,
} from '../../api/read-models/store.js';
import type { AccountState, AggTradeQuery, IncomeQuery, OrderQuery, ReadStoreQueries, UserTradeQuery } from '../read-store.js';

/** Rows read per round trip when visiting a range (a statement's quarter of fills). */
const VISIT_PAGE_ROWS = 2_000;

/** account_points columns with NULL ("unchanged") read as '' like the SQLite store's. */
const POINT_COLUMNS = `account_id, seq, symbol, time_ms, has_position, size, COALESCE(cost::text, '') AS cost,
  COALESCE(isolated_wallet::text, '') AS isolated_wallet, leverage, margin_type, COALESCE(cross_wallet::text, '') AS cross_wallet`;

/** A WHERE clause built from conditions with numbered parameters. */
class Where {
  readonly clauses: string[] = [];
  readonly params: (string | number)[] = [];

  /** Adds `value` as the next parameter and returns its placeholder. */
  param(value: string | number): string {
    this.params.push(value);
    return `$${this.params.length}`;
  }

  add(clause: (placeholder: string) => string, value: string | number): this {
    this.clauses.push(clause(this.param(value)));
    return this;
  }

  when(value: string | number | undefined, clause: (placeholder: string) => string): this {
    if (value !== undefined) this.add(clause, value);
    return this;
  }

  get sql(): string {
    return this.clauses.length === 0 ? '' : `WHERE ${this.clauses.join(' AND ')}`;
  }
}

export class PgReadStore implements ReadStoreQueries {
  constructor(private readonly pool: pg.Pool) {}

  private async all<R extends pg.QueryResultRow>(sql: string, params: readonly unknown[]): Promise<R[]> {
    return (await this.pool.query<R>(sql, params as unknown[])).rows;
  }

  async projectedSeq(): Promise<number> {
    return (await this.all<{ last_seq: number }>('SELECT last_seq FROM projection WHERE id = 1', []))[0]?.last_seq ?? 0;
  }

  async order(accountId: number, orderId: number | undefined, clientOrderId: string | undefined): Promise<OrderView | undefined> {
    const rows = orderId !== undefined
      ? await this.all<OrderDbRow>('SELECT * FROM orders WHERE order_id = $1 AND account_id = $2', [orderId, accountId])
      : await this.all<OrderDbRow>(
        'SELECT * FROM orders WHERE account_id = $1 AND client_order_id = $2 ORDER BY order_id DESC LIMIT 1',
        [accountId, clientOrderId ?? '']);
    if (rows[0] === undefined) return undefined;
    const view = orderFromDb(rows[0]);
    if (orderId !== undefined && clientOrderId !== undefined && view.clientOrderId !== clientOrderId) return undefined;
    return view;
  }

  async orders(accountId: number, symbol: string, query: OrderQuery): Promise<OrderView[]> {
    const where = new Where().add((p) => `account_id = ${p}`, accountId).add((p) => `symbol = ${p}`, symbol)
      .when(query.orderId, (p) => `order_id >= ${p}`).when(query.startTime, (p) => `created_ms >= ${p}`)
      .when(query.endTime, (p) => `created_ms <= ${p}`)
      .when(query.conditional === undefined ? undefined : query.conditional ? 1 : 0, (p) => `conditional = ${p}`);
    const order = query.orderId !== undefined ? 'ASC' : 'DESC';
    const views = (await this.all<OrderDbRow>(
      `SELECT * FROM orders ${where.sql} ORDER BY order_id ${order} LIMIT ${where.param(query.limit)}`, where.params)).map(orderFromDb);
    return order === 'DESC' ? views.reverse() : views;
  }

  async trades(symbol: string, limit: number, fromId?: number): Promise<TradeRow[]> {
    const rows = fromId === undefined
      ? (await this.all<TradeDbRow>('SELECT * FROM trades WHERE symbol = $1 ORDER BY trade_id DESC LIMIT $2', [symbol, limit])).reverse()
      : await this.all<TradeDbRow>('SELECT * FROM trades WHERE symbol = $1 AND trade_id >= $2 ORDER BY trade_id ASC LIMIT $3',
        [symbol, fromId, limit]);
    return rows.map(tradeFromDb);
  }

  async aggTrades(symbol: string, query: AggTradeQuery): Promise<AggTradeRow[]> {
    const where = new Where().add((p) => `symbol = ${p}`, symbol).when(query.fromId, (p) => `agg_id >= ${p}`)
      .when(query.startTime, (p) => `time_ms >= ${p}`).when(query.endTime, (p) => `time_ms <= ${p}`);
    const ascending = query.fromId !== undefined || query.startTime !== undefined;
    const rows = await this.all<AggTradeRow>(
      `SELECT agg_id AS "aggId", MIN(price) AS "priceTicks", SUM(qty)::bigint AS "qtyLots", MIN(trade_id) AS "firstId",
       MAX(trade_id) AS "lastId", MIN(time_ms) AS "timeMs", MAX(buyer_maker) AS "buyerMaker"
       FROM trades ${where.sql} GROUP BY agg_id ORDER BY agg_id ${ascending ? 'ASC' : 'DESC'} LIMIT ${where.param(query.limit)}`,
      where.params);
    return ascending ? rows : rows.reverse();
  }

  async userTrades(accountId: number, symbol: string, query: UserTradeQuery): Promise<UserTradeRow[]> {
    const where = new Where().add((p) => `account_id = ${p}`, accountId).add((p) => `symbol = ${p}`, symbol)
      .when(query.fromId, (p) => `trade_id >= ${p}`).when(query.startTime, (p) => `time_ms >= ${p}`)
      .when(query.endTime, (p) => `time_ms <= ${p}`).when(query.orderId, (p) => `order_id = ${p}`);
    const ascending = query.fromId !== undefined || query.startTime !== undefined;
    const out = (await this.all<UserTradeDbRow>(
      `SELECT * FROM user_trades ${where.sql} ORDER BY trade_id ${ascending ? 'ASC' : 'DESC'}, maker ASC
       LIMIT ${where.param(query.limit)}`, where.params)).map(userTradeFromDb);
    return ascending ? out : out.reverse();
  }

  async income(accountId: number, query: IncomeQuery): Promise<IncomeRow[]> {
    const where = new Where().add((p) => `account_id = ${p}`, accountId).add((p) => `income_type <> ${p}`, MARGIN_ADJUSTMENT_TYPE)
      .when(query.symbol, (p) => `symbol = ${p}`).when(query.incomeType, (p) => `income_type = ${p}`)
      .when(query.startTime, (p) => `time_ms >= ${p}`).when(query.endTime, (p) => `time_ms <= ${p}`);
    const offset = ((query.page ?? 1) - 1) * query.limit;
    const ascending = query.startTime !== undefined;
    const out = (await this.all<IncomeDbRow>(
      `SELECT * FROM income ${where.sql} ORDER BY tran_id ${ascending ? 'ASC' : 'DESC'}
       LIMIT ${where.param(query.limit)} OFFSET ${where.param(offset)}`, where.params)).map(incomeFromDb);
    return ascending ? out : out.reverse();
  }

  async funding(symbol: string | undefined, query: { startTime?: number; endTime?: number; limit: number }): Promise<FundingRow[]> {
    const where = new Where().when(symbol, (p) => `symbol = ${p}`).when(query.startTime, (p) => `funding_time >= ${p}`)
      .when(query.endTime, (p) => `funding_time <= ${p}`);
    const ascending = query.startTime !== undefined;
    const out = (await this.all<FundingDbRow>(
      `SELECT * FROM funding ${where.sql} ORDER BY funding_time ${ascending ? 'ASC' : 'DESC'}, symbol ${ascending ? 'ASC' : 'DESC'}
       LIMIT ${where.param(query.limit)}`,
      where.params)).map(fundingFromDb);
    return ascending ? out : out.reverse();
  }

  async liquidations(accountId: number | undefined, limit: number, beforeId?: number): Promise<LiquidationRow[]> {
    const where = new Where().when(accountId, (p) => `account_id = ${p}`).when(beforeId, (p) => `liquidation_id < ${p}`);
    return (await this.all<LiquidationDbRow>(
      `SELECT * FROM liquidations ${where.sql} ORDER BY liquidation_id DESC LIMIT ${where.param(limit)}`, where.params))
      .map(liquidationFromDb);
  }

  async liquidation(liquidationId: number): Promise<LiquidationRow | undefined> {
    const rows = await this.all<LiquidationDbRow>('SELECT * FROM liquidations WHERE liquidation_id = $1', [liquidationId]);
    return rows[0] === undefined ? undefined : liquidationFromDb(rows[0]);
  }

  async accountPoints(accountId: number, fromSeq: number, toSeq: number, limit: number): Promise<AccountPointRow[]> {
    return (await this.all<AccountPointDbRow>(
      `SELECT ${POINT_COLUMNS} FROM account_points WHERE account_id = $1 AND seq >= $2 AND seq <= $3
       ORDER BY seq ASC, symbol ASC LIMIT $4`, [accountId, fromSeq, toSeq, limit])).map(accountPointFromDb);
  }

  async accountStateAt(accountId: number, seq: number): Promise<AccountState> {
    const cross = await this.all<{ cross_wallet: string }>(
      `SELECT cross_wallet::text AS cross_wallet FROM account_points WHERE account_id = $1 AND cross_wallet IS NOT NULL
       AND seq <= $2 ORDER BY seq DESC LIMIT 1`, [accountId, seq]);
    const rows = await this.all<AccountPointDbRow>(
      `SELECT ${POINT_COLUMNS} FROM account_points p WHERE account_id = $1 AND seq = (SELECT MAX(seq) FROM account_points q
       WHERE q.account_id = $1 AND q.symbol = p.symbol AND q.has_position = 1 AND q.seq <= $2) AND symbol <> ''`, [accountId, seq]);
    const wallets = await this.all<{ symbol: string; isolated_wallet: string }>(
      `SELECT symbol, isolated_wallet::text AS isolated_wallet FROM account_points p WHERE account_id = $1 AND seq = (
       SELECT MAX(seq) FROM account_points q WHERE q.account_id = $1 AND q.symbol = p.symbol AND q.isolated_wallet IS NOT NULL
       AND q.seq <= $2) AND symbol <> ''`, [accountId, seq]);
    const positions = positionPointsOf(accountId, rows, wallets);
    return { crossWalletE8: BigInt(cross[0]?.cross_wallet ?? '0'), positions };
  }

  async accountSeqBefore(accountId: number, beforeMs: number): Promise<number> {
    const rows = await this.all<{ seq: number | null }>(
      'SELECT MAX(seq) AS seq FROM account_points WHERE account_id = $1 AND time_ms < $2', [accountId, beforeMs]);
    return rows[0]?.seq ?? 0;
  }

  async forEachIncome(accountId: number, fromMs: number, toMs: number, visit: (row: IncomeRow) => void): Promise<void> {
    // Keyset pages in (time, tran id) order: memory stays one page however long the range.
    let after: [number, number] = [fromMs - 1, Number.MAX_SAFE_INTEGER];
    for (;;) {
      const rows = await this.all<IncomeDbRow>(
        `SELECT * FROM income WHERE account_id = $1 AND income_type <> $2 AND time_ms >= $3 AND time_ms < $4
         AND (time_ms, tran_id) > ($5, $6) ORDER BY time_ms ASC, tran_id ASC LIMIT $7`,
        [accountId, MARGIN_ADJUSTMENT_TYPE, fromMs, toMs, after[0], after[1], VISIT_PAGE_ROWS]);
      for (const row of rows) visit(incomeFromDb(row));
      if (rows.length < VISIT_PAGE_ROWS) return;
      const last = rows[rows.length - 1]!;
      after = [last.time_ms, last.tran_id];
    }
  }

  async forEachLiquidationFee(accountId: number, fromMs: number, toMs: number,
    visit: (timeMs: number, feeE8: bigint) => void): Promise<void> {
    // Liquidations per account and range are few (each closes the account's positions): one query.
    const rows = await this.all<{ time_ms: number; fee: string | null }>(
      `SELECT time_ms, event->>'feeE8' AS fee FROM liquidations WHERE account_id = $1 AND time_ms >= $2 AND time_ms < $3
       ORDER BY liquidation_id ASC`, [accountId, fromMs, toMs]);
    for (const r of rows) visit(r.time_ms, BigInt(r.fee ?? '0'));
  }

  async lastFlatSeq(accountId: number, symbol: string, seq: number): Promise<number> {
    const rows = await this.all<{ seq: number }>(
      `SELECT seq FROM account_points WHERE account_id = $1 AND symbol = $2 AND has_position = 1 AND size = 0 AND seq <= $3
       ORDER BY seq DESC LIMIT 1`, [accountId, symbol, seq]);
    return rows[0]?.seq ?? 0;
  }

  async klines(symbol: string, kind: KlineKind, interval: BaseInterval, fromMs: number, toMs: number, limit: number,
    newestFirst: boolean): Promise<KlineRow[]> {
    const out = (await this.all<KlineDbRow>(
      `SELECT * FROM klines WHERE symbol = $1 AND kind = $2 AND "interval" = $3 AND open_time >= $4 AND open_time <= $5
       ORDER BY open_time ${newestFirst ? 'DESC' : 'ASC'} LIMIT $6`, [symbol, kind, interval, fromMs, toMs, limit])).map(klineFromDb);
    return newestFirst ? out.reverse() : out;
  }

  async liquidationOrders(accountId: number, symbol: string | undefined, window: TimeWindow): Promise<OrderView[]> {
    const where = new Where().add((p) => `account_id = ${p}`, accountId).add((p) => `liquidation = ${p}`, 1)
      .when(symbol, (p) => `symbol = ${p}`).when(window.startTime, (p) => `created_ms >= ${p}`)
      .when(window.endTime, (p) => `created_ms <= ${p}`);
    return (await this.all<OrderDbRow>(
      `SELECT * FROM orders ${where.sql} ORDER BY order_id DESC LIMIT ${where.param(window.limit)}`, where.params)).map(orderFromDb);
  }

  async marginAdjustments(accountId: number, symbol: string, type: 1 | 2 | undefined,
    window: TimeWindow): Promise<MarginAdjustmentRow[]> {
    const where = new Where().add((p) => `account_id = ${p}`, accountId).add((p) => `income_type = ${p}`, MARGIN_ADJUSTMENT_TYPE)
      .add((p) => `symbol = ${p}`, symbol).when(window.startTime, (p) => `time_ms >= ${p}`)
      .when(window.endTime, (p) => `time_ms <= ${p}`);
    if (type !== undefined) where.clauses.push(type === 1 ? 'amount >= 0' : 'amount < 0');
    const rows = await this.all<{ amount: string; time_ms: number }>(
      `SELECT amount, time_ms FROM income ${where.sql} ORDER BY tran_id DESC LIMIT ${where.param(window.limit)}`, where.params);
    return rows.map((row) => ({ symbol, amountE8: BigInt(row.amount), timeMs: row.time_ms })).reverse();
  }

  async marketStats(symbol: string, periodMs: number, window: TimeWindow): Promise<MarketStatRow[]> {
    const where = new Where().add((p) => `symbol = ${p}`, symbol).add((p) => `time_ms % ${p} = 0`, periodMs)
      .when(window.startTime, (p) => `time_ms >= ${p}`).when(window.endTime, (p) => `time_ms <= ${p}`);
    const ascending = window.startTime !== undefined;
    const rows = (await this.all<MarketStatDbRow>(
      `SELECT * FROM market_stats ${where.sql} ORDER BY time_ms ${ascending ? 'ASC' : 'DESC'} LIMIT ${where.param(window.limit)}`,
      where.params)).map(marketStatFromDb);
    return ascending ? rows : rows.reverse();
  }

  async seqAt(accountId: number, atMs: number): Promise<number | undefined> {
    const rows = await this.all<{ seq: number | null }>(
      'SELECT MAX(seq) AS seq FROM account_points WHERE account_id = $1 AND time_ms <= $2', [accountId, atMs]);
    return rows[0]?.seq ?? undefined;
  }

  async firstPointMs(accountId: number): Promise<number | undefined> {
    const rows = await this.all<{ t: number | null }>('SELECT MIN(time_ms) AS t FROM account_points WHERE account_id = $1', [accountId]);
    return rows[0]?.t ?? undefined;
  }

  async transfers(accountId: number, fromMs: number, toMs: number): Promise<{ atMs: number; amountE8: bigint }[]> {
    const rows = await this.all<{ time_ms: number; amount: string }>(
      `SELECT time_ms, amount FROM income WHERE account_id = $1 AND time_ms > $2 AND time_ms <= $3 AND income_type = ANY($4)
       ORDER BY tran_id ASC`, [accountId, fromMs, toMs, TRANSFER_INCOME_TYPES]);
    return rows.map((row) => ({ atMs: row.time_ms, amountE8: BigInt(row.amount) }));
  }

  async closingFills(accountId: number): Promise<{ closes: number; wins: number }> {
    const rows = await this.all<{ closes: number; wins: number | null }>(
      `SELECT COUNT(*) AS closes, SUM(CASE WHEN amount < 0 THEN 0 ELSE 1 END)::bigint AS wins FROM income
       WHERE account_id = $1 AND income_type = 'REALIZED_PNL' AND amount <> 0`, [accountId]);
    return { closes: rows[0]?.closes ?? 0, wins: rows[0]?.wins ?? 0 };
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
