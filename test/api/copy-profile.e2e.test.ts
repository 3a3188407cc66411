/**
 * Lead profiles, the leaderboard and the live lead stream through the real server (issue 15,
 * "Records and profiles"). Three leads: A trades a win, a loss and a win with one follower; B loses
 * with one follower in its only slot (full); C does nothing. The profile's all-time PnL, win rate,
 * AUM and follower count are checked against figures this test computes itself from
 * /fapi/v1/income, positionRisk and the lead's follower rows; positions appear only after the lead
 * opts in to live sharing (which nobody else can switch); `<accountId>@leadTrades` carries A's fill
 * while A shares and nothing of B until B does; the leaderboard sorts, filters and breaks ties by id;
 * `perpx copy …` drives the same routes; and after the venue clock moves eight days on, the windows,
 * Sharpe and drawdown are rebuilt from the stored daily equity.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CreatedAccount } from '../../src/api/admin-client.js';
import { publicFetch, signedFetch, startServerProcess, waitFor, type ServerProcess, type SignedResponse } from './support/server.js';
import { openWs, type WsClient } from './support/ws-client.js';

const E8 = 100_000_000n;
const TRANSFER_TYPES = ['TRANSFER', 'INTERNAL_TRANSFER'];
const DAY_MS = 86_400_000;
const CLI = join(import.meta.dirname, 'support', 'perpx-cli.ts');
const run = promisify(execFile);

/** A decimal string with at most 8 places → E8 (exact). */
function e8(text: string): bigint {
  const [whole, fraction = ''] = text.split('.') as [string, string?];
  const negative = whole.startsWith('-');
  const value = BigInt(whole.replace('-', '')) * E8 + BigInt(fraction.padEnd(8, '0'));
  return negative ? -value : value;
}

interface Lead { readonly master: CreatedAccount; readonly lead: CreatedAccount; readonly copy?: CreatedAccount }
interface Profile {
  pnl: Record<string, string>; roi: Record<string, string | null>; winRate: string | null; closingTrades: number; aum: string;
  followers: number; followersPnl: string; liveSharing: boolean; positions: Record<string, unknown>[] | null; warning: string;
  maxDrawdown: string; sharpe: string | null; full: boolean; equity: string; performance: { time: number; equity: string; return: string }[];
}
interface StreamMessage { stream: string; data: Record<string, unknown> }

describe('lead profiles, leaderboard and the live lead stream over the API', () => {
  let server: ServerProcess;
  let maker: CreatedAccount;
  let stranger: CreatedAccount;
  let a: Lead;
  let b: Lead;
  let c: Lead;
  let stream: WsClient | undefined;

  const call = (by: CreatedAccount, method: string, path: string, params: Record<string, string | number | boolean> = {}):
    Promise<SignedResponse> => signedFetch(server.url, by, method, path, params);
  const order = async (by: CreatedAccount, side: string, quantity: string, price?: string): Promise<void> => {
    const params = price === undefined ? { symbol: 'BTCUSDT', side, type: 'MARKET', quantity }
      : { symbol: 'BTCUSDT', side, type: 'LIMIT', timeInForce: 'GTC', quantity, price };
    const response = await call(by, 'POST', '/fapi/v1/order', params);
    expect(response.status, JSON.stringify(response.body)).toBe(200);
  };
  /** The maker rests exactly what the lead and its copies take, then the lead trades at market. */
  const trade = async (lead: CreatedAccount, side: 'BUY' | 'SELL', leadQty: string, bookQty: string, price: string): Promise<void> => {
    await order(maker, side === 'BUY' ? 'SELL' : 'BUY', bookQty, price);
    await order(lead, side, leadQty);
    expect((await call(maker, 'GET', '/fapi/v1/openOrders', { symbol: 'BTCUSDT' })).body).toEqual([]);
  };
  const positionAmt = async (account: CreatedAccount): Promise<string> =>
    ((await call(account, 'GET', '/fapi/v2/positionRisk', { symbol: 'BTCUSDT' })).body as { positionAmt: string }[])[0]!.positionAmt;
  const profile = async (lead: Lead): Promise<Profile> => {
    const response = await publicFetch(server.url, `/perpx/v1/copy/profile?accountId=${lead.lead.accountId}`);
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    return response.body as Profile;
  };
  const share = (by: CreatedAccount, lead: Lead, live: boolean): Promise<SignedResponse> =>
    call(by, 'POST', '/perpx/v1/copy/sharing', { accountId: lead.lead.accountId, live });
  const leaderboard = async (query: string): Promise<number[]> => {
    const response = await publicFetch(server.url, `/perpx/v1/copy/leaderboard?${query}`);
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    return (response.body as { accountId: number }[]).map((row) => row.accountId);
  };
  const leadTrades = (lead: Lead): Record<string, unknown>[] => (stream?.messages as unknown as StreamMessage[])
    .filter((message) => message.stream === `${lead.lead.accountId}@leadTrades`).map((message) => message.data);

  /** A lead portfolio in a fresh sub-account, and optionally one FIXED_RATIO follower. */
  const openLead = async (funds: string, settings: Record<string, string | number>, copyFunds?: string): Promise<Lead> => {
    const master = await server.admin.createAccount(funds);
    const lead = await server.admin.createAccount('0', { parentAccountId: master.accountId });
    expect((await call(master, 'POST', '/perpx/v1/subAccount/transfer',
      { fromAccountId: master.accountId, toAccountId: lead.accountId, amount: funds })).status).toBe(200);
    expect((await call(master, 'POST', '/perpx/v1/copy/portfolio', { accountId: lead.accountId, ...settings })).status).toBe(200);
    if (copyFunds === undefined) return { master, lead };
    const follower = await server.admin.createAccount(copyFunds);
    const copy = await server.admin.createAccount('0', { parentAccountId: follower.accountId });
    expect((await call(follower, 'POST', '/perpx/v1/subAccount/transfer',
      { fromAccountId: follower.accountId, toAccountId: copy.accountId, amount: copyFunds })).status).toBe(200);
    const followed = await call(follower, 'POST', '/perpx/v1/copy/follow',
      { accountId: copy.accountId, leadAccountId: lead.accountId, mode: 'FIXED_RATIO', amount: copyFunds });
    expect(followed.status, JSON.stringify(followed.body)).toBe(200);
    return { master, lead, copy };
  };

  beforeAll(async () => {
    server = await startServerProcess([]);
    await server.admin.setIndexPrice('BTCUSDT', '60000');
    maker = await server.admin.createAccount('1000000');
    stranger = await server.admin.createAccount('10000');
    a = await openLead('10000', { profitShare: '10' }, '1000');
    b = await openLead('5000', { maxFollowers: 1 }, '500');
    c = await openLead('2000', {});
  });

  afterAll(async () => {
    stream?.socket.close();
    await server?.dispose();
  });

  it('positions (entry and liquidation prices) show only once the lead opts in; nobody else can switch it', async () => {
    // FIXED_RATIO copies 0.200 × 1,000 / 10,000 = 0.020; 12,002 USDT of BTC on 10,000 has a liquidation price.
    await trade(a.lead, 'BUY', '0.200', '0.220', '60010');
    expect(await positionAmt(a.copy!)).toBe('0.020');
    const hidden = await profile(a);
    expect(hidden).toMatchObject({ liveSharing: false, positions: null });
    expect(hidden.warning).toMatch(/^Past performance is not a reliable indicator of future results/);

    const foreign = await share(stranger, a, true);
    expect(foreign.status).toBe(401);
    expect(foreign.body).toMatchObject({ code: -1002 });
    expect((await share(b.master, a, true)).body).toMatchObject({ code: -1002 });
    expect((await call(a.master, 'POST', '/perpx/v1/copy/sharing', { accountId: a.lead.accountId })).body).toMatchObject({ code: -1102 });
    expect((await share(a.master, { ...a, lead: a.master }, true)).body).toMatchObject({ code: -9024 });
    expect(await profile(a)).toMatchObject({ liveSharing: false, positions: null });

    expect((await share(a.master, a, true)).body).toEqual({ accountId: a.lead.accountId, liveSharing: true });
    const risk = ((await call(a.lead, 'GET', '/fapi/v2/positionRisk', { symbol: 'BTCUSDT' })).body as Record<string, string>[])[0]!;
    const shown = await profile(a);
    expect(shown.liveSharing).toBe(true);
    expect(shown.positions).toEqual([expect.objectContaining({
      symbol: 'BTCUSDT', positionAmt: '0.200', entryPrice: risk['entryPrice'], liquidationPrice: risk['liquidationPrice'],
    })]);
    expect(risk['liquidationPrice']).not.toBe('0');
    // The lead's own key (the sub-account) may switch it too.
    expect((await share(a.lead, a, false)).body).toEqual({ accountId: a.lead.accountId, liveSharing: false });
    expect((await profile(a)).positions).toBeNull();
    expect((await share(a.master, a, true)).status).toBe(200);
  });

  it('<accountId>@leadTrades carries a sharing lead\'s fills and positions, and nothing of a lead that does not share', async () => {
    const [aName, bName] = [`${a.lead.accountId}@leadTrades`, `${b.lead.accountId}@leadTrades`];
    stream = await openWs(`${server.wsUrl}/stream?streams=${aName}/${bName}`);
    // B (not sharing) trades first; entries reach the socket in order, so A's later fill proves B's was not sent.
    await trade(b.lead, 'BUY', '0.050', '0.055', '60010');
    await trade(a.lead, 'SELL', '0.100', '0.110', '61000');
    const fill = await waitFor(() => leadTrades(a).find((data) => data['e'] === 'leadTrade'), 5_000, 'A leadTrade');
    expect(fill).toMatchObject({ a: a.lead.accountId, s: 'BTCUSDT', S: 'SELL', p: '61000.0', q: '0.100' });
    await waitFor(() => leadTrades(a).find((data) => data['e'] === 'leadPosition'), 5_000, 'A leadPosition');
    expect(leadTrades(a).find((data) => data['e'] === 'leadPosition')).toMatchObject({ s: 'BTCUSDT', pa: '0.100' });
    expect(leadTrades(b)).toEqual([]);

    // A stops sharing, then trades; B starts, then trades: only B's fill arrives.
    expect((await share(a.master, a, false)).status).toBe(200);
    await trade(a.lead, 'SELL', '0.060', '0.066', '59000');
    expect((await share(b.master, b, true)).status).toBe(200);
    await trade(b.lead, 'SELL', '0.050', '0.055', '59000');
    await waitFor(() => leadTrades(b).find((data) => data['e'] === 'leadTrade'), 5_000, 'B leadTrade');
    expect(leadTrades(b).find((data) => data['e'] === 'leadTrade')).toMatchObject({ S: 'SELL', p: '59000.0', q: '0.050' });
    expect(leadTrades(a).filter((data) => data['e'] === 'leadTrade')).toHaveLength(1);

    // Streams are parsed strictly and bounded like the others.
    const listed = await openWs(`${server.wsUrl}/ws`);
    listed.socket.send(JSON.stringify({ method: 'SUBSCRIBE', params: ['01@leadTrades'], id: 1 }));
    await waitFor(() => listed.messages[0], 5_000, 'SUBSCRIBE answer');
    expect(listed.messages[0]).toMatchObject({ error: { code: 2 }, id: 1 });
    listed.socket.close();
  });

  it('the profile\'s PnL, win rate, AUM and followers match figures computed from income, positions and follower rows', async () => {
    await trade(a.lead, 'SELL', '0.040', '0.044', '60500');
    for (const account of [a.lead, a.copy!, b.lead, b.copy!]) expect(await positionAmt(account)).toBe('0.000');

    const income = (await call(a.lead, 'GET', '/fapi/v1/income', { limit: 1000 })).body as { incomeType: string; income: string }[];
    const pnl = income.filter((row) => !TRANSFER_TYPES.includes(row.incomeType)).reduce((sum, row) => sum + e8(row.income), 0n);
    const deposits = income.filter((row) => TRANSFER_TYPES.includes(row.incomeType)).reduce((sum, row) => sum + e8(row.income), 0n);
    const closes = income.filter((row) => row.incomeType === 'REALIZED_PNL' && e8(row.income) !== 0n);
    const wins = closes.filter((row) => e8(row.income) > 0n).length;
    expect([closes.length, wins]).toEqual([3, 2]);
    const followers = (await call(a.master, 'GET', '/perpx/v1/copy/followers', { accountId: a.lead.accountId })).body as
      { equity: string; totalPnl: string }[];

    const figures = await profile(a);
    expect(e8(figures.pnl['all']!)).toBe(pnl);
    expect(figures.pnl['7d']).toBe(figures.pnl['all']);
    expect(pnl).toBeGreaterThan(0n);
    // ROI = PnL / net transfers (the account began empty), in percent truncated to 2 decimals.
    const roiBps = (pnl * 10_000n) / deposits;
    expect(figures.roi['all']).toBe(`${roiBps / 100n}.${String(roiBps % 100n).padStart(2, '0')}`);
    expect(figures.winRate).toBe('66.66');
    expect(figures.closingTrades).toBe(3);
    expect(figures.followers).toBe(1);
    expect(e8(figures.aum)).toBe(followers.reduce((sum, row) => sum + e8(row.equity), 0n));
    expect(e8(figures.aum)).toBeGreaterThan(900n * E8);
    expect(e8(figures.followersPnl)).toBe(followers.reduce((sum, row) => sum + e8(row.totalPnl), 0n));
    // One (partial) day of history: equity ended above its capital, and a Sharpe needs two complete days.
    expect(figures).toMatchObject({ maxDrawdown: '0.00', sharpe: null, full: false });

    const lost = await profile(b);
    expect(e8(lost.pnl['all']!)).toBeLessThan(0n);
    expect(lost).toMatchObject({ winRate: '0.00', closingTrades: 1, followers: 1, full: true });
    expect(e8(lost.maxDrawdown)).toBeGreaterThan(0n);
    // The performance curve: today's midnight (before the account existed) and now; its one period's fall is the drawdown.
    expect(lost.performance).toHaveLength(2);
    expect(lost.performance[0]).toMatchObject({ equity: '0.00000000', return: '0.00' });
    expect(lost.performance[1]).toMatchObject({ equity: lost.equity, return: `-${lost.maxDrawdown}` });
    expect(await profile(c)).toMatchObject({ pnl: { all: '0.00000000' }, roi: { all: '0.00' }, winRate: null, aum: '0.00000000' });
    expect((await publicFetch(server.url, '/perpx/v1/copy/profile?accountId=999999')).body).toMatchObject({ code: -9024 });
  });

  it('the leaderboard sorts by each key (ties by account id), hides full portfolios on request and honours the limit', async () => {
    const [idA, idB, idC] = [a.lead.accountId, b.lead.accountId, c.lead.accountId];
    expect(await leaderboard('sort=pnl30')).toEqual([idA, idC, idB]);
    expect(await leaderboard('sort=roi30')).toEqual([idA, idC, idB]);
    expect(await leaderboard('sort=pnl30&hideFull=true')).toEqual([idA, idC]);
    expect(await leaderboard('sort=pnl30&hideFull=false&limit=2')).toEqual([idA, idC]);
    expect(await leaderboard('sort=aum')).toEqual([idA, idB, idC]);
    // A and C never fell below their capital at a sample: equal drawdowns, so by account id.
    expect(await leaderboard('sort=drawdown')).toEqual([idA, idC, idB]);
    const copierPnl = await leaderboard('sort=copierPnl');
    expect(copierPnl.indexOf(idA)).toBeLessThan(copierPnl.indexOf(idB));
    const rows = (await publicFetch(server.url, '/perpx/v1/copy/leaderboard?sort=aum&limit=1')).body as Record<string, unknown>[];
    expect(rows).toEqual([expect.objectContaining({ rank: 1, accountId: idA, followers: 1, full: false })]);
    expect((await publicFetch(server.url, '/perpx/v1/copy/leaderboard?sort=luck')).body).toMatchObject({ code: -1130 });
    expect((await publicFetch(server.url, '/perpx/v1/copy/leaderboard?limit=101')).body).toMatchObject({ code: -1130 });
  });

  it('`perpx copy leaderboard|profile|share` drive the same routes', async () => {
    const perpx = async (by: CreatedAccount | undefined, ...args: string[]): Promise<unknown> => {
      const keys = by === undefined ? [] : ['--key', by.apiKey, '--secret', by.apiSecret];
      const { stdout } = await run(process.execPath, ['--import', 'tsx', CLI, 'copy', ...args, '--url', server.url, ...keys]);
      return JSON.parse(stdout);
    };
    const rows = await perpx(undefined, 'leaderboard', '--sort', 'pnl30', '--hide-full') as { accountId: number }[];
    expect(rows.map((row) => row.accountId)).toEqual([a.lead.accountId, c.lead.accountId]);
    expect(await perpx(c.master, 'share', '--account', String(c.lead.accountId), '--live', 'on'))
      .toEqual({ accountId: c.lead.accountId, liveSharing: true });
    expect(await profile(c)).toMatchObject({ liveSharing: true, positions: [] });
  });

  it('eight quiet days later the 7-day window is empty while 30 days and all time keep the record, rebuilt from the store', async () => {
    const [beforeA, beforeB] = [await profile(a), await profile(b)];
    await server.admin.clock({ advanceMs: 8 * DAY_MS });
    const afterA = await profile(a);
    expect(afterA.pnl).toMatchObject({ '7d': '0.00000000', '30d': beforeA.pnl['all'], all: beforeA.pnl['all'] });
    expect(afterA.roi).toMatchObject({ '7d': '0.00', '30d': beforeA.roi['all'], all: beforeA.roi['all'] });
    // Eight complete days: the first carries the whole gain r, the other seven 0; mean r/8 over a sample
    // deviation of r/√8 makes √(365/8) whatever r is. Still no drawdown.
    expect(afterA).toMatchObject({ sharpe: Math.sqrt(365 / 8).toFixed(2), maxDrawdown: '0.00' });
    // B's loss is now measured at a midnight from its stored wallet, no longer from the engine: the same drawdown.
    expect((await profile(b)).maxDrawdown).toBe(beforeB.maxDrawdown);
  });
});
