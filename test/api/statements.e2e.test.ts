/**
 * Daily account statements through the real server (issue 15, "Records and profiles"). A trader
 * deposits on day 0; on day 1 (the venue clock moved past midnight) it trades as taker and maker,
 * pays fees, receives an operator transfer, sends money to its sub-account, withdraws, deposits,
 * sees the mark move and pays or gets funding; on day 2 it is liquidated. Each day's statement
 * equals the day's /fapi/v1/income rows summed by type and sign exactly, the wallet moves by the
 * day's figures, a day closes at the next one's open, day 1 closes at the equity /fapi/v2/account
 * showed before midnight, the CSV and `perpx statement --csv` carry the same figures, a master reads
 * its sub-account but nobody reads another's (-1002), bad ranges are refused, and a restart gives
 * the same statements.
 */
import { execFile } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CreatedAccount } from '../../src/api/admin-client.js';
import { decimalToScaled } from '../../src/core/num/decimal.js';
import { signedFetch, startServerProcess, waitFor, type ServerProcess, type SignedResponse } from './support/server.js';

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;
const CLI = join(import.meta.dirname, 'support', 'perpx-cli.ts');
const run = promisify(execFile);

/** Statement figures that are sums of income rows: type → [figure of amounts > 0, figure of amounts < 0]. */
const FIGURES: Readonly<Record<string, readonly [string, string]>> = {
  REALIZED_PNL: ['realizedPnl', 'realizedPnl'],
  FUNDING_FEE: ['funding', 'funding'],
  COMMISSION: ['commission', 'commission'],
  INSURANCE_CLEAR: ['insuranceClear', 'insuranceClear'],
  TRANSFER: ['deposits', 'withdrawals'],
  INTERNAL_TRANSFER: ['transfersIn', 'transfersOut'],
  PROFIT_SHARE: ['profitShareReceived', 'profitSharePaid'],
};
const WALLET_FIGURES = [...new Set(Object.values(FIGURES).flat()), 'other'];

type Statement = Record<string, string | number | boolean>;
interface IncomeRow { readonly incomeType: string; readonly income: string; readonly time: number }

function e8(text: unknown): bigint {
  const value = decimalToScaled(String(text), 8);
  if (value === undefined) throw new Error(`not an 8-decimal amount: ${String(text)}`);
  return value;
}

function dayOf(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

describe('daily account statements over the API', () => {
  let server: ServerProcess;
  let maker: CreatedAccount;
  let trader: CreatedAccount;
  let sub: CreatedAccount;
  let stranger: CreatedAccount;
  /** 00:00 UTC of day 0 (the day the trader deposited). */
  let day0Ms: number;
  const days: string[] = [];
  /** /fapi/v2/account just before day 1 ended. */
  let lastOfDay1: { totalMarginBalance: string; totalWalletBalance: string; totalUnrealizedProfit: string };

  const call = (by: CreatedAccount, method: string, path: string, params: Record<string, string | number | boolean> = {}):
    Promise<SignedResponse> => signedFetch(server.url, by, method, path, params);
  const order = async (by: CreatedAccount, params: Record<string, string>): Promise<void> => {
    const response = await call(by, 'POST', '/fapi/v1/order', { symbol: 'BTCUSDT', ...params });
    expect(response.status, response.text).toBe(200);
  };
  const statements = async (by: CreatedAccount, params: Record<string, string | number> = {}): Promise<SignedResponse> =>
    call(by, 'GET', '/perpx/v1/statements', { startDay: days[0]!, endDay: days.at(-1)!, ...params });
  /** Moves the venue clock to `minutes` past the next UTC midnight. */
  const nextDay = async (minutes = 10): Promise<void> => {
    const { venueTime } = await server.admin.clock();
    const midnight = Math.floor(venueTime / DAY_MS) * DAY_MS + DAY_MS;
    await server.admin.clock({ advanceMs: midnight + minutes * MINUTE_MS - venueTime });
  };

  beforeAll(async () => {
    server = await startServerProcess([]);
    await server.admin.setIndexPrice('BTCUSDT', '60000');
    maker = await server.admin.createAccount('1000000');
    stranger = await server.admin.createAccount('100');
    trader = await server.admin.createAccount('1000');
    sub = await server.admin.createAccount('0', { parentAccountId: trader.accountId });
    day0Ms = Math.floor((await server.admin.clock()).venueTime / DAY_MS) * DAY_MS;
    for (let index = 0; index < 4; index++) days.push(dayOf(day0Ms + index * DAY_MS));
    expect((await call(trader, 'POST', '/fapi/v1/leverage', { symbol: 'BTCUSDT', leverage: 20 })).status).toBe(200);

    // Day 1: taker buy 0.100 at 60,000, maker sell 0.020 at 60,100, money in and out, the mark up, funding.
    await nextDay();
    await order(maker, { side: 'SELL', type: 'LIMIT', timeInForce: 'GTC', quantity: '0.100', price: '60000' });
    await order(trader, { side: 'BUY', type: 'MARKET', quantity: '0.100' });
    await order(trader, { side: 'SELL', type: 'LIMIT', timeInForce: 'GTC', quantity: '0.020', price: '60100' });
    await order(maker, { side: 'BUY', type: 'MARKET', quantity: '0.020' });
    await server.admin.transfer(maker.accountId, trader.accountId, '100');
    expect((await call(trader, 'POST', '/perpx/v1/subAccount/transfer',
      { fromAccountId: trader.accountId, toAccountId: sub.accountId, amount: '50' })).status).toBe(200);
    await server.admin.withdraw(trader.accountId, '30');
    await server.admin.deposit(trader.accountId, '20');
    await server.admin.setIndexPrice('BTCUSDT', '60500');
    await server.admin.clock({ advanceMs: 8 * 3_600_000 + MINUTE_MS });
    lastOfDay1 = (await call(trader, 'GET', '/fapi/v2/account')).body as typeof lastOfDay1;

    // Day 2: the index falls just below the trader's liquidation price.
    await nextDay();
    const risk = (await call(trader, 'GET', '/fapi/v2/positionRisk', { symbol: 'BTCUSDT' })).body as { liquidationPrice: string }[];
    const liquidationPrice = Number(risk[0]!.liquidationPrice);
    expect(liquidationPrice).toBeGreaterThan(40_000);
    // A bid between the bankruptcy and liquidation prices takes the liquidation order: a fee to the insurance fund.
    const below = (ratio: number): string => (Math.floor(liquidationPrice * ratio * 10) / 10).toFixed(1);
    await order(maker, { side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', quantity: '0.080', price: below(0.997) });
    await server.admin.setIndexPrice('BTCUSDT', below(0.998));
    await waitFor(async () => {
      const rows = (await call(trader, 'GET', '/fapi/v2/positionRisk', { symbol: 'BTCUSDT' })).body as { positionAmt: string }[];
      return rows[0]!.positionAmt === '0.000' ? true : undefined;
    }, 10_000, 'the liquidation');
    // Day 3 is still open: its close is what is committed so far.
    await nextDay();
  });

  afterAll(async () => {
    // After the restart the server no longer owns its data directory.
    await server?.dispose();
    if (server !== undefined) rmSync(server.dataDir, { recursive: true, force: true });
  });

  it('each day\'s figures are the day\'s income rows summed by type and sign, exactly', async () => {
    const response = await statements(trader);
    expect(response.status, response.text).toBe(200);
    const rows = response.body as Statement[];
    expect(rows.map((row) => row.day)).toEqual(days);
    expect(rows.map((row) => row.closed)).toEqual([true, true, true, false]);
    for (const [index, row] of rows.entries()) {
      const startTime = day0Ms + index * DAY_MS;
      const income = (await call(trader, 'GET', '/fapi/v1/income', { startTime, endTime: startTime + DAY_MS - 1, limit: 1000 }))
        .body as IncomeRow[];
      expect(income.length).toBeLessThan(1000);
      const expected = new Map<string, bigint>(WALLET_FIGURES.map((name) => [name, 0n]));
      for (const item of income) {
        const amount = e8(item.income);
        const [positive, negative] = FIGURES[item.incomeType] ?? ['other', 'other'];
        const figure = amount > 0n ? positive : negative;
        expected.set(figure, expected.get(figure)! + amount);
      }
      for (const [figure, amount] of expected) expect(e8(row[figure]), `${row.day as string} ${figure}`).toBe(amount);
    }
    const [day0, day1, day2, day3] = rows as [Statement, Statement, Statement, Statement];
    expect(day0).toMatchObject({ equityOpen: '0.00000000', walletOpen: '0.00000000', deposits: '1000.00000000',
      equityClose: '1000.00000000', walletClose: '1000.00000000', liquidations: 0 });
    expect(day1).toMatchObject({ deposits: '20.00000000', withdrawals: '-30.00000000', transfersIn: '100.00000000',
      transfersOut: '-50.00000000', liquidations: 0, profitSharePaid: '0.00000000', profitShareReceived: '0.00000000' });
    // Taker fee on 6,000 plus maker fee on 1,202; the maker sale realized (60,100 − 60,000) × 0.020.
    expect(e8(day1.commission)).toBeLessThan(0n);
    expect(day1.realizedPnl).toBe('2.00000000');
    expect(e8(day1.funding)).not.toBe(0n);
    expect(Number(day2.liquidations)).toBeGreaterThanOrEqual(1);
    expect(e8(day2.liquidationFee)).toBeLessThan(0n);
    // Filled above the bankruptcy price: no deficit, so the insurance clearing is the fee alone.
    expect(day2.insuranceClear).toBe(day2.liquidationFee);
    expect(e8(day2.realizedPnl)).toBeLessThan(0n);
    if (process.env['PERPX_PRINT_STATEMENTS'] === '1') console.log(JSON.stringify(rows));
    expect(day3).toMatchObject({ liquidations: 0, equityOpen: day2.equityClose, equityClose: day2.equityClose });
  });

  it('the wallet moves by the day\'s figures and each day closes at the next one\'s open', async () => {
    const rows = (await statements(trader)).body as Statement[];
    for (const row of rows) {
      const moved = WALLET_FIGURES.reduce((sum, figure) => sum + e8(row[figure]), 0n);
      expect(e8(row.walletClose) - e8(row.walletOpen), row.day as string).toBe(moved);
    }
    for (let index = 1; index < rows.length; index++) {
      expect(rows[index]!.equityOpen).toBe(rows[index - 1]!.equityClose);
      expect(rows[index]!.walletOpen).toBe(rows[index - 1]!.walletClose);
    }
    // Day 1 closed with the long open, at the mark: the equity the account showed before midnight.
    expect(rows[1]!.equityClose).toBe(lastOfDay1.totalMarginBalance);
    expect(rows[1]!.walletClose).toBe(lastOfDay1.totalWalletBalance);
    expect(e8(lastOfDay1.totalUnrealizedProfit)).toBeGreaterThan(0n);
    // Liquidated and flat: the close is the wallet.
    expect(rows[2]!.equityClose).toBe(rows[2]!.walletClose);
  });

  it('the CSV and `perpx statement --csv` carry the same figures; the table shows them', async () => {
    const rows = (await statements(trader)).body as Statement[];
    const csv = await call(trader, 'GET', '/perpx/v1/statements.csv', { startDay: days[0]!, endDay: days.at(-1)! });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const [header, ...lines] = csv.text.trimEnd().split('\r\n') as [string, ...string[]];
    const columns = header.split(',');
    expect(columns).toEqual(['day', 'accountId', 'closed', 'equityOpen', 'equityClose', 'walletOpen', 'walletClose', 'realizedPnl',
      'funding', 'commission', 'insuranceClear', 'liquidations', 'liquidationFee', 'deposits', 'withdrawals', 'transfersIn',
      'transfersOut', 'profitSharePaid', 'profitShareReceived', 'other']);
    expect(lines.map((line) => line.split(','))).toEqual(rows.map((row) => columns.map((column) => String(row[column]))));

    const keys = ['--key', trader.apiKey, '--secret', trader.apiSecret, '--url', server.url];
    const perpx = async (...args: string[]): Promise<string> =>
      (await run(process.execPath, ['--import', 'tsx', CLI, 'statement', ...args, ...keys])).stdout;
    expect(await perpx('--from', days[0]!, '--to', days.at(-1)!, '--csv')).toBe(csv.text);
    const table = (await perpx('--from', days[1]!, '--to', days[1]!)).split('\n');
    expect(table[0]!.trim().split(/\s+/)).toEqual(columns);
    expect(table[1]!.trim().split(/\s+/)).toEqual(columns.map((column) => String(rows[1]![column])));
    await expect(perpx('--from', days[0]!, '--to', '2000-01-01')).rejects.toThrow(/-1130/);
  });

  it('a master reads its sub-account; nobody reads another\'s account (-1002); bad ranges are refused', async () => {
    const subRows = (await statements(trader, { accountId: sub.accountId })).body as Statement[];
    expect(subRows.map((row) => [row.accountId, row.transfersIn, row.equityClose])).toEqual([
      [sub.accountId, '0.00000000', '0.00000000'], [sub.accountId, '50.00000000', '50.00000000'],
      [sub.accountId, '0.00000000', '50.00000000'], [sub.accountId, '0.00000000', '50.00000000']]);
    for (const [by, accountId] of [[stranger, trader.accountId], [stranger, sub.accountId], [sub, trader.accountId],
      [stranger, 999_999]] as const) {
      for (const path of ['/perpx/v1/statements', '/perpx/v1/statements.csv']) {
        const refused = await call(by, 'GET', path, { accountId, startDay: days[0]!, endDay: days[1]! });
        expect(refused.status).toBe(401);
        expect(refused.body).toEqual({ code: -1002, msg: 'You are not authorized to execute this request.' });
      }
    }
    expect(((await statements(stranger)).body as Statement[])[0]).toMatchObject({ accountId: stranger.accountId, deposits: '100.00000000' });
    const refusedWith = async (params: Record<string, string>): Promise<unknown> =>
      (await call(trader, 'GET', '/perpx/v1/statements.csv', params)).body;
    expect(await refusedWith({ startDay: days[0]! })).toMatchObject({ code: -1102 });
    expect(await refusedWith({ startDay: '2024-02-30', endDay: '2024-03-01' })).toMatchObject({ code: -1130 });
    expect(await refusedWith({ startDay: '2024-1-01', endDay: '2024-03-01' })).toMatchObject({ code: -1130 });
    expect(await refusedWith({ startDay: days[1]!, endDay: days[0]! })).toMatchObject({ code: -1130 });
    expect(await refusedWith({ startDay: dayOf(day0Ms - 90 * DAY_MS), endDay: days[0]! })).toMatchObject({ code: -1130 });
    expect((await call(trader, 'GET', '/perpx/v1/statements', { startDay: dayOf(day0Ms - 89 * DAY_MS), endDay: days[0]! })).status)
      .toBe(200);
    expect(await refusedWith({ startDay: days[0]!, endDay: dayOf(day0Ms + 4 * DAY_MS) })).toMatchObject({ code: -1130 });
  });

  it('a restart gives the same statements', async () => {
    const before = (await statements(trader)).text;
    const subBefore = (await statements(trader, { accountId: sub.accountId })).text;
    await server.stop();
    server = await startServerProcess([], { dataDir: server.dataDir });
    expect((await statements(trader)).text).toBe(before);
    expect((await statements(trader, { accountId: sub.accountId })).text).toBe(subBefore);
  });
});
