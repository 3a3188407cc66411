/**
 * @module api/read-models/statements
 * Daily account statements (issue 15, "Records and profiles"): per account and UTC day, what moved
 * its wallet, by kind, and its equity at the day's open and close, all from the read store.
 *
 * - The day's figures are sums of the account's income rows (the rows `/fapi/v1/income` lists) with
 *   a time in [00:00, 24:00) UTC, by income type and sign, so a statement always agrees with the
 *   income endpoint. Every money figure is a signed wallet effect (received > 0, paid < 0), hence
 *   `walletClose − walletOpen` = the sum of the day's figures (`liquidationFee` excepted: it is the
 *   part of `insuranceClear` the liquidations took, shown again).
 * - Equity at a boundary T (a day's 00:00) is wallet + unrealized PnL from the account's state as
 *   of its last committed entry before T (read-models/account-points: cross wallet, isolated wallets,
 *   positions' size and cost), at each symbol's mark price as of T: the close of the last 1-minute
 *   mark kline opening before T, i.e. the last mark published before T. The mark klines are stored
 *   for all time (why.ts's 1 s in-memory samples cover only a day), so a statement of any past day
 *   is exact and the same after a restart. Unrealized PnL is the engine's own `unrealizedPnlE8`.
 *   A day that has not ended yet closes at what is committed so far (`closed: false`).
 * - A day without activity still has its equity; before the account's first recorded state, both
 *   are 0.
 */
import type { Instrument } from '../../core/index.js';
import { unrealizedPnlE8 } from '../../core/engine/margin.js';
import type { ReadStore } from './store.js';

export const DAY_MS = 86_400_000;
/** The longest range one request may ask for: a quarter (a request reads every income row of its range). */
export const MAX_STATEMENT_DAYS = 90;

/** One account's statement for one UTC day; money in E8, signed as its effect on the wallet. */
export interface DailyStatement {
  readonly accountId: number;
  /** UTC day, YYYY-MM-DD. */
  readonly day: string;
  readonly startMs: number;
  /** false: the day has not ended yet (its close is what is committed so far). */
  readonly closed: boolean;
  readonly equityOpenE8: bigint;
  readonly equityCloseE8: bigint;
  readonly walletOpenE8: bigint;
  readonly walletCloseE8: bigint;
  /** REALIZED_PNL (closing fills, ADL). */
  readonly realizedPnlE8: bigint;
  /** FUNDING_FEE. */
  readonly fundingE8: bigint;
  /** COMMISSION (trading fees). */
  readonly commissionE8: bigint;
  /** INSURANCE_CLEAR: liquidation fees paid (< 0) and deficits the insurance fund covered (> 0). */
  readonly insuranceClearE8: bigint;
  /** Liquidation events of the day. */
  readonly liquidations: number;
  /** Their fees to the insurance fund (≤ 0; included in insuranceClear). */
  readonly liquidationFeeE8: bigint;
  /** TRANSFER > 0 (deposits) and < 0 (withdrawals). */
  readonly depositsE8: bigint;
  readonly withdrawalsE8: bigint;
  /** INTERNAL_TRANSFER > 0 and < 0 (between accounts: sub-accounts, copy trading, operator transfers). */
  readonly transfersInE8: bigint;
  readonly transfersOutE8: bigint;
  /** PROFIT_SHARE < 0 (paid by a follower) and > 0 (received by a lead's master). */
  readonly profitSharePaidE8: bigint;
  readonly profitShareReceivedE8: bigint;
  /** Income of a type none of the above names (none today; kept so the wallet identity always holds). */
  readonly otherE8: bigint;
}

type Sums = { -readonly [K in keyof DailyStatement as DailyStatement[K] extends bigint ? K : never]: bigint };

/** Which figure an income row adds to. */
function figureOf(incomeType: string, amountE8: bigint): keyof Sums {
  const positive = amountE8 > 0n;
  switch (incomeType) {
    case 'REALIZED_PNL': return 'realizedPnlE8';
    case 'FUNDING_FEE': return 'fundingE8';
    case 'COMMISSION': return 'commissionE8';
    case 'INSURANCE_CLEAR': return 'insuranceClearE8';
    case 'TRANSFER': return positive ? 'depositsE8' : 'withdrawalsE8';
    case 'INTERNAL_TRANSFER': return positive ? 'transfersInE8' : 'transfersOutE8';
    case 'PROFIT_SHARE': return positive ? 'profitShareReceivedE8' : 'profitSharePaidE8';
    default: return 'otherE8';
  }
}

const DAY_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A UTC day `YYYY-MM-DD` → its 00:00 in ms; undefined if it is not a calendar day. */
export function parseDay(text: string): number | undefined {
  const match = DAY_RE.exec(text);
  if (match === null) return undefined;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const startMs = Date.UTC(year, month - 1, day);
  return dayText(startMs) === text ? startMs : undefined;
}

export function dayText(startMs: number): string {
  return new Date(startMs).toISOString().slice(0, 10);
}

interface Boundary { readonly walletE8: bigint; readonly equityE8: bigint }

/** Wallet and equity of the account at instant `atMs` (everything committed before it). */
function boundaryAt(store: ReadStore, instruments: ReadonlyMap<string, Instrument>, accountId: number, atMs: number): Boundary {
  const seq = store.accountSeqBefore(accountId, atMs);
  if (seq === 0) return { walletE8: 0n, equityE8: 0n };
  const state = store.accountStateAt(accountId, seq);
  let wallet = state.crossWalletE8;
  let unrealized = 0n;
  for (const [symbol, row] of state.positions) {
    wallet += BigInt(row.isolatedWalletE8 || '0');
    const instrument = instruments.get(symbol);
    if (row.sizeLots === 0 || instrument === undefined) continue;
    const mark = store.klines(symbol, 'mark', '1m', 0, atMs - 1, 1, true)[0]?.close;
    // No mark published before T means no position could have been opened: unreachable, counted as 0.
    if (mark !== undefined) unrealized += unrealizedPnlE8(instrument, { sizeLots: row.sizeLots, costE8: BigInt(row.costE8 || '0') }, mark);
  }
  return { walletE8: wallet, equityE8: wallet + unrealized };
}

function zeroSums(): Sums {
  return {
    equityOpenE8: 0n, equityCloseE8: 0n, walletOpenE8: 0n, walletCloseE8: 0n, realizedPnlE8: 0n, fundingE8: 0n, commissionE8: 0n,
    insuranceClearE8: 0n, liquidationFeeE8: 0n, depositsE8: 0n, withdrawalsE8: 0n, transfersInE8: 0n, transfersOutE8: 0n,
    profitSharePaidE8: 0n, profitShareReceivedE8: 0n, otherE8: 0n,
  };
}

/**
 * Statements of `accountId` for `dayCount` UTC days from `startMs` (a day's 00:00), oldest first.
 * `nowMs` (venue time) only decides which days have closed.
 */
export function dailyStatements(store: ReadStore, instruments: ReadonlyMap<string, Instrument>, accountId: number,
  startMs: number, dayCount: number, nowMs: number): DailyStatement[] {
  const endMs = startMs + dayCount * DAY_MS;
  const sums = Array.from({ length: dayCount }, zeroSums);
  const counts = new Array<number>(dayCount).fill(0);
  const dayIndex = (timeMs: number): number => Math.floor((timeMs - startMs) / DAY_MS);
  store.forEachIncome(accountId, startMs, endMs, (row) => {
    sums[dayIndex(row.timeMs)]![figureOf(row.incomeType, row.amountE8)] += row.amountE8;
  });
  store.forEachLiquidationFee(accountId, startMs, endMs, (timeMs, feeE8) => {
    const index = dayIndex(timeMs);
    counts[index]! += 1;
    sums[index]!.liquidationFeeE8 -= feeE8;
  });
  let open = boundaryAt(store, instruments, accountId, startMs);
  return sums.map((day, index) => {
    const dayStartMs = startMs + index * DAY_MS;
    const close = boundaryAt(store, instruments, accountId, dayStartMs + DAY_MS);
    const statement: DailyStatement = {
      ...day, accountId, day: dayText(dayStartMs), startMs: dayStartMs, closed: dayStartMs + DAY_MS <= nowMs,
      liquidations: counts[index]!, equityOpenE8: open.equityE8, equityCloseE8: close.equityE8, walletOpenE8: open.walletE8,
      walletCloseE8: close.walletE8,
    };
    open = close;
    return statement;
  });
}
