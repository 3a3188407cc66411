/**
 * @module api/extra/statement-routes
 * Daily account statements (docs/api.md "Account statements"), computed by
 * read-models/statements.ts:
 * - `GET /perpx/v1/statements` (USER_DATA): JSON rows, one per UTC day;
 * - `GET /perpx/v1/statements.csv` (USER_DATA): the same rows as CSV (a header row, then one row per
 *   day; money with 8 decimals, exactly the JSON strings).
 * Parameters: `startDay`, `endDay` (YYYY-MM-DD, UTC, inclusive, at most MAX_STATEMENT_DAYS days, not
 * after the venue's current day) and `accountId` (default the caller): the caller's own account or
 * one of its sub-accounts, else -1002 (as the copy routes: the same answer whether or not it exists).
 */
import type { ApiContext } from '../context.js';
import { E } from '../errors.js';
import { money } from '../format.js';
import type { Params } from '../params.js';
import { DAY_MS, MAX_STATEMENT_DAYS, dailyStatements, parseDay, type DailyStatement } from '../read-models/statements.js';
import { registerRoute, TextAnswer, type RouteHost } from '../rest/route.js';
import { isOwnAccount } from './copy-access.js';

/** A 90-day statement reads every income row of the range and ~90 account states. */
const STATEMENT_WEIGHT = 10;

/** Columns of the CSV, in order; the JSON rows carry the same names. */
export const STATEMENT_COLUMNS = [
  'day', 'accountId', 'closed', 'equityOpen', 'equityClose', 'walletOpen', 'walletClose', 'realizedPnl', 'funding', 'commission',
  'insuranceClear', 'liquidations', 'liquidationFee', 'deposits', 'withdrawals', 'transfersIn', 'transfersOut', 'profitSharePaid',
  'profitShareReceived', 'other',
] as const;

export type StatementJson = Record<(typeof STATEMENT_COLUMNS)[number], string | number | boolean> & { startTime: number };

export function statementJson(row: DailyStatement): StatementJson {
  return {
    day: row.day, startTime: row.startMs, accountId: row.accountId, closed: row.closed, equityOpen: money(row.equityOpenE8),
    equityClose: money(row.equityCloseE8), walletOpen: money(row.walletOpenE8), walletClose: money(row.walletCloseE8),
    realizedPnl: money(row.realizedPnlE8), funding: money(row.fundingE8), commission: money(row.commissionE8),
    insuranceClear: money(row.insuranceClearE8), liquidations: row.liquidations, liquidationFee: money(row.liquidationFeeE8),
    deposits: money(row.depositsE8), withdrawals: money(row.withdrawalsE8), transfersIn: money(row.transfersInE8),
    transfersOut: money(row.transfersOutE8), profitSharePaid: money(row.profitSharePaidE8),
    profitShareReceived: money(row.profitShareReceivedE8), other: money(row.otherE8),
  };
}

/** RFC 4180 text: every field is a number, a day or a boolean, so none needs quoting. */
export function statementsCsv(rows: readonly StatementJson[]): string {
  const lines = [STATEMENT_COLUMNS.join(',')];
  for (const row of rows) lines.push(STATEMENT_COLUMNS.map((column) => String(row[column])).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

function day(params: Params, name: string): number {
  const startMs = parseDay(params.required(name));
  if (startMs === undefined) throw E.illegalValue(name, 'a UTC day YYYY-MM-DD');
  return startMs;
}

function statements(ctx: ApiContext, params: Params, callerId: number): StatementJson[] {
  const accountId = params.uint('accountId', { min: 1 }) ?? callerId;
  if (!isOwnAccount(ctx, callerId, accountId)) throw E.unauthorized();
  const startMs = day(params, 'startDay');
  const endMs = day(params, 'endDay');
  if (endMs < startMs) throw E.illegalValue('endDay', 'before startDay');
  const dayCount = (endMs - startMs) / DAY_MS + 1;
  if (dayCount > MAX_STATEMENT_DAYS) throw E.illegalValue('endDay', `more than ${MAX_STATEMENT_DAYS} days after startDay`);
  const nowMs = ctx.venueNow();
  if (endMs > nowMs) throw E.illegalValue('endDay', 'after the current UTC day');
  return dailyStatements(ctx.store, ctx.instruments, accountId, startMs, dayCount, nowMs).map(statementJson);
}

export function registerStatementRoutes(routes: RouteHost, ctx: ApiContext): void {
  registerRoute(routes, ctx, {
    method: 'GET', paths: ['/perpx/v1/statements'], security: 'USER_DATA', weight: STATEMENT_WEIGHT,
    handler: ({ params, accountId }) => statements(ctx, params, accountId),
  });
  registerRoute(routes, ctx, {
    method: 'GET', paths: ['/perpx/v1/statements.csv'], security: 'USER_DATA', weight: STATEMENT_WEIGHT,
    handler: ({ params, accountId }) => new TextAnswer('text/csv; charset=utf-8', statementsCsv(statements(ctx, params, accountId))),
  });
}
