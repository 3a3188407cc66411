/**
 * @module api/read-models/lead-history
 * Read-model queries behind public lead profiles (api/extra/lead-profile.ts): an account's equity
 * at a past moment (its recorded margin state, account-points.ts, valued at the mark of that
 * minute with core's unrealized-PnL function), its net transfers in a window (income TRANSFER and
 * INTERNAL_TRANSFER rows) and its closing fills (income REALIZED_PNL rows). Each query sees every
 * row projected before it (ReadStore.sync).
 */
import { unrealizedPnlE8, type Instrument } from '../../core/index.js';
import type { ReadStore } from './store.js';

/** Income types that move capital in or out (deposits, withdrawals, sub-account transfers), not PnL. */
export const TRANSFER_INCOME_TYPES: readonly string[] = ['TRANSFER', 'INTERNAL_TRANSFER'];

/** Seq of the account's last recorded change at or before `atMs` (undefined: nothing recorded yet). */
export function seqAt(store: ReadStore, accountId: number, atMs: number): number | undefined {
  store.sync();
  const row = store.db.prepare<[number, number], { seq: number | null }>(
    'SELECT MAX(seq) AS seq FROM account_points WHERE account_id = ? AND time_ms <= ?').get(accountId, atMs);
  return row?.seq ?? undefined;
}

/** Time of the account's first recorded change (undefined: none). */
export function firstPointMs(store: ReadStore, accountId: number): number | undefined {
  store.sync();
  const row = store.db.prepare<[number], { t: number | null }>(
    'SELECT MIN(time_ms) AS t FROM account_points WHERE account_id = ?').get(accountId);
  return row?.t ?? undefined;
}

/**
 * Mark of `symbol` at `atMs`: the close of the stored 1-minute mark candle that holds it (or the
 * last one before). undefined when no mark was recorded by then.
 */
function markAt(store: ReadStore, symbol: string, atMs: number): number | undefined {
  return store.klines(symbol, 'mark', '1m', 0, atMs, 1, true, false)[0]?.close;
}

/**
 * The account's equity at `atMs`: cross wallet + isolated wallets + unrealized PnL of its positions
 * at the mark of that minute (a position whose symbol had no mark yet counts at its entry: 0).
 * 0 before the account's first recorded change.
 */
export function equityAt(store: ReadStore, instruments: ReadonlyMap<string, Instrument>, accountId: number, atMs: number): bigint {
  const seq = seqAt(store, accountId, atMs);
  if (seq === undefined) return 0n;
  const state = store.accountStateAt(accountId, seq);
  let equity = state.crossWalletE8;
  for (const [symbol, row] of state.positions) {
    const instrument = instruments.get(symbol);
    if (instrument === undefined) continue;
    if (row.marginType === 'ISOLATED' && row.sizeLots !== 0) equity += BigInt(row.isolatedWalletE8 || '0');
    const mark = markAt(store, symbol, atMs);
    if (mark !== undefined) equity += unrealizedPnlE8(instrument, { sizeLots: row.sizeLots, costE8: BigInt(row.costE8 || '0') }, mark);
  }
  return equity;
}

/** Net transfers into the account (negative: out) with time in (fromMs, toMs], one amount per row, ascending. */
export function transfers(store: ReadStore, accountId: number, fromMs: number, toMs: number): { atMs: number; amountE8: bigint }[] {
  store.sync();
  const marks = TRANSFER_INCOME_TYPES.map(() => '?').join(', ');
  return store.db.prepare<(number | string)[], { time_ms: number; amount: string }>(
    `SELECT time_ms, amount FROM income WHERE account_id = ? AND time_ms > ? AND time_ms <= ? AND income_type IN (${marks})
     ORDER BY tran_id ASC`).all(accountId, fromMs, toMs, ...TRANSFER_INCOME_TYPES)
    .map((row) => ({ atMs: row.time_ms, amountE8: BigInt(row.amount) }));
}

/** Closing fills (REALIZED_PNL income rows, non-zero) and how many of them gained. */
export function closingFills(store: ReadStore, accountId: number): { closes: number; wins: number } {
  store.sync();
  const row = store.db.prepare<[number], { closes: number; wins: number | null }>(
    `SELECT COUNT(*) AS closes, SUM(CASE WHEN amount LIKE '-%' THEN 0 ELSE 1 END) AS wins FROM income
     WHERE account_id = ? AND income_type = 'REALIZED_PNL' AND amount != '0'`).get(accountId);
  return { closes: row?.closes ?? 0, wins: row?.wins ?? 0 };
}
