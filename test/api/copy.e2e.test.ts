/**
 * Copy trading through the real server (issue 15): a lead opens a portfolio in its sub-account, two
 * followers' copy sub-accounts follow (one first refused by the portfolio's copy cap, -9026), the
 * lead's market order on /fapi/v1/order is copied in proportion (positionRisk and the follower's
 * user stream show it), nobody acts on another's account (-1002), a restart replays the journal to
 * the same portfolio and followers, unfollowing closes the copy, pays the profit share (income type
 * PROFIT_SHARE) and sends the rest to the master, `perpx copy …` drives the same API, and the lead
 * removes a follower and closes its portfolio.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CreatedAccount } from '../../src/api/admin-client.js';
import { publicFetch, signedFetch, startServerProcess, waitFor, type ServerProcess, type SignedResponse } from './support/server.js';
import { openWs, type WsClient } from './support/ws-client.js';

const E8 = 100_000_000n;
const CLI = join(import.meta.dirname, 'support', 'perpx-cli.ts');
const run = promisify(execFile);

/** A decimal string with at most 8 places → E8 (exact). */
function e8(text: string): bigint {
  const [whole, fraction = ''] = text.split('.') as [string, string?];
  const negative = whole.startsWith('-');
  const value = BigInt(whole.replace('-', '')) * E8 + BigInt(fraction.padEnd(8, '0'));
  return negative ? -value : value;
}

interface Row { readonly symbol: string; readonly positionAmt: string; readonly entryPrice: string }

describe('copy trading over the API', () => {
  let server: ServerProcess;
  let maker: CreatedAccount;
  let leadMaster: CreatedAccount;
  let lead: CreatedAccount;
  let stranger: CreatedAccount;
  const followerMasters: CreatedAccount[] = [];
  const copies: CreatedAccount[] = [];
  let stream: WsClient | undefined;

  const call = (by: CreatedAccount, method: string, path: string, params: Record<string, string | number | boolean> = {}):
    Promise<SignedResponse> => signedFetch(server.url, by, method, path, params);
  const transfer = (by: CreatedAccount, from: CreatedAccount, to: CreatedAccount, amount: string): Promise<SignedResponse> =>
    call(by, 'POST', '/perpx/v1/subAccount/transfer', { fromAccountId: from.accountId, toAccountId: to.accountId, amount });
  const position = async (account: CreatedAccount): Promise<Row> => {
    const rows = (await call(account, 'GET', '/fapi/v2/positionRisk', { symbol: 'BTCUSDT' })).body as Row[];
    return rows[0]!;
  };
  const usdt = async (account: CreatedAccount): Promise<string> => {
    const rows = (await call(account, 'GET', '/fapi/v2/balance')).body as { asset: string; balance: string }[];
    return rows.find((row) => row.asset === 'USDT')!.balance;
  };
  const portfolios = async (): Promise<unknown> => (await publicFetch(server.url, '/perpx/v1/copy/portfolios')).body;

  beforeAll(async () => {
    server = await startServerProcess([]);
    await server.admin.setIndexPrice('BTCUSDT', '60000');
    maker = await server.admin.createAccount('1000000');
    stranger = await server.admin.createAccount('10000');
    // Exactly what the lead (0.100) and its followers (0.030) take, and a bid as deep: the mark stays at the index.
    for (const side of ['SELL', 'BUY']) {
      const response = await call(maker, 'POST', '/fapi/v1/order',
        { symbol: 'BTCUSDT', side, type: 'LIMIT', timeInForce: 'GTC', quantity: '0.130', price: side === 'SELL' ? '60010' : '59990' });
      expect(response.status).toBe(200);
    }
  });

  afterAll(async () => {
    stream?.socket.close();
    await server?.dispose();
  });

  it('a lead opens a portfolio in its own sub-account; bad settings and other callers change nothing', async () => {
    leadMaster = await server.admin.createAccount('12000');
    lead = await server.admin.createAccount('0', { parentAccountId: leadMaster.accountId });
    expect((await transfer(leadMaster, leadMaster, lead, '10000')).status).toBe(200);
    const open = (by: CreatedAccount, extra: Record<string, string | number> = {}): Promise<SignedResponse> =>
      call(by, 'POST', '/perpx/v1/copy/portfolio', { accountId: lead.accountId, profitShare: '10', copyCap: '2000', minCopy: '100', ...extra });

    expect((await open(leadMaster, { profitShare: '31' })).body).toMatchObject({ code: -1130 });
    expect((await open(leadMaster, { profitShare: '10.001' })).body).toMatchObject({ code: -1111 });
    expect((await open(leadMaster, { copyCap: '-5' })).body).toMatchObject({ code: -1130 });
    expect((await open(leadMaster, { maxFollowers: 501 })).body).toMatchObject({ code: -1130 });
    expect((await open(leadMaster, { minCopy: '3000' })).body).toMatchObject({ code: -9023 });
    const foreign = await open(stranger);
    expect(foreign.status).toBe(401);
    expect(foreign.body).toMatchObject({ code: -1002 });
    expect((await open(leadMaster, { accountId: leadMaster.accountId })).body).toMatchObject({ code: -9020 });
    expect(await portfolios()).toEqual([]);

    const opened = await open(leadMaster);
    expect(opened.status).toBe(200);
    expect(opened.body).toEqual({
      accountId: lead.accountId, profitShare: '10.00', copyCap: '2000.00000000', minCopy: '100.00000000', maxFollowers: 0,
      slots: 500, followers: 0, equity: '10000.00000000', aum: '0.00000000', followersPnl: '0.00000000',
    });
    expect((await open(lead)).body).toMatchObject({ code: -9021 });
    expect(await portfolios()).toEqual([opened.body]);
  });

  it('followers copy the lead in proportion; the copy cap refuses a larger copy account', async () => {
    for (const funds of ['1000', '3000']) {
      const master = await server.admin.createAccount('5000');
      const copy = await server.admin.createAccount('0', { parentAccountId: master.accountId });
      expect((await transfer(master, master, copy, funds)).status).toBe(200);
      followerMasters.push(master);
      copies.push(copy);
    }
    const [masterA, masterB] = followerMasters as [CreatedAccount, CreatedAccount];
    const [copyA, copyB] = copies as [CreatedAccount, CreatedAccount];
    const follow = (by: CreatedAccount, copy: CreatedAccount, extra: Record<string, string | number | boolean> = {}):
      Promise<SignedResponse> => call(by, 'POST', '/perpx/v1/copy/follow',
      { accountId: copy.accountId, leadAccountId: lead.accountId, mode: 'FIXED_RATIO', ...extra });

    // 3,000 USDT in the copy account is above the portfolio's 2,000 cap, whatever the amount.
    const capped = await follow(masterB, copyB, { amount: '2000' });
    expect(capped.status).toBe(400);
    expect(capped.body).toMatchObject({ code: -9026 });
    expect((await follow(stranger, copyA, { amount: '1000' })).body).toMatchObject({ code: -1002 });
    expect((await follow(masterA, copyA, { amount: '1000', mode: 'MIRROR' })).body).toMatchObject({ code: -1130 });
    expect((await follow(masterA, copyA, { amount: '1000', slippage: '5' })).body).toMatchObject({ code: -1130 });
    expect((await follow(masterA, copyA, { amount: '1000', leverage: 11 })).body).toMatchObject({ code: -1130 });
    expect((await follow(masterA, copyA, { amount: '1000', stopLoss: '100' })).body).toMatchObject({ code: -1130 });
    expect((await follow(masterA, copyA, { amount: '0' })).body).toMatchObject({ code: -1130 });
    expect((await publicFetch(server.url, `/perpx/v1/copy/portfolio?accountId=${lead.accountId}`)).body).toMatchObject({ followers: 0 });

    expect((await transfer(copyB, copyB, masterB, '1000')).status).toBe(200);
    const followedB = await follow(copyB, copyB, { amount: '2000', slippage: '1', stopLoss: '40' });
    expect(followedB.status).toBe(200);
    expect(followedB.body).toEqual({
      accountId: copyB.accountId, leadAccountId: lead.accountId, mode: 'FIXED_RATIO', amount: '2000.00000000', leverage: 0,
      slippage: '1.00', stopLoss: '40.00', invested: '2000.00000000', sharedProfit: '0.00000000', equity: '2000.00000000',
      totalPnl: '0.00000000',
    });
    expect((await follow(masterA, copyA, { amount: '1000' })).status).toBe(200);

    const listen = await fetch(`${server.url}/fapi/v1/listenKey`, { method: 'POST', headers: { 'X-MBX-APIKEY': copyA.apiKey } });
    stream = await openWs(`${server.wsUrl}/ws/${(await listen.json() as { listenKey: string }).listenKey}`);

    const order = await call(lead, 'POST', '/fapi/v1/order', { symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET', quantity: '0.100' });
    expect(order.status).toBe(200);
    const [leadRow, rowA, rowB] = [await position(lead), await position(copyA), await position(copyB)];
    // FIXED_RATIO: the lead's 0.100 × 1,000 / 10,000 and × 2,000 / 10,000, at the lead's price.
    expect([leadRow.positionAmt, rowA.positionAmt, rowB.positionAmt]).toEqual(['0.100', '0.010', '0.020']);
    expect(rowA.entryPrice).toBe(leadRow.entryPrice);
    expect(rowB.entryPrice).toBe(leadRow.entryPrice);
    const update = await waitFor(() => stream!.messages.find((message) => message['e'] === 'ACCOUNT_UPDATE'), 5_000, 'ACCOUNT_UPDATE');
    expect(update).toMatchObject({ a: { P: [{ s: 'BTCUSDT', pa: '0.010' }] } });

    // A copy account opens nothing itself; copying does.
    expect((await call(copyA, 'POST', '/fapi/v1/order', { symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET', quantity: '0.010' })).body)
      .toMatchObject({ code: -9028 });
  });

  it('the copy account\'s activity lists its copy fills, its skipped copies with their reason and its positions, to its own side only', async () => {
    const [masterA] = followerMasters as [CreatedAccount];
    const [copyA, copyB] = copies as [CreatedAccount, CreatedAccount];
    // 0.001 × 1,000 / 10,000 rounds to zero lots for copy A (and 0.0002 for B): skipped, not copied.
    expect((await call(maker, 'POST', '/fapi/v1/order',
      { symbol: 'BTCUSDT', side: 'SELL', type: 'LIMIT', timeInForce: 'GTC', quantity: '0.001', price: '60010' })).status).toBe(200);
    expect((await call(lead, 'POST', '/fapi/v1/order', { symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET', quantity: '0.001' })).status).toBe(200);
    // The lead returns to 0.100 (later tests count on it) by selling to a bid of its own size: a reduction, which the
    // engine copies in proportion to the follower's position rounded up to a lot (0.001), so copy A holds 0.009.
    expect((await call(maker, 'POST', '/fapi/v1/order',
      { symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', quantity: '0.001', price: '59995' })).status).toBe(200);
    expect((await call(lead, 'POST', '/fapi/v1/order', { symbol: 'BTCUSDT', side: 'SELL', type: 'MARKET', quantity: '0.001' })).status).toBe(200);
    const activity = (await call(masterA, 'GET', '/perpx/v1/copy/activity', { accountId: copyA.accountId })).body as {
      accountId: number; leadAccountId: number; positions: { positionAmt: string; entryPrice: string }[];
      fills: { side: string; qty: string; price: string; notional: string; fee: string }[]; skipped: { qty: string; reason: string }[];
    };
    expect(activity).toMatchObject({ accountId: copyA.accountId, leadAccountId: lead.accountId });
    const copied = await position(copyA);
    expect(activity.positions).toEqual([expect.objectContaining({ symbol: 'BTCUSDT', positionAmt: copied.positionAmt, entryPrice: copied.entryPrice })]);
    expect(copied.positionAmt).toBe('0.009');
    // Newest first; the lead took the 59,995 bid, its followers' sweep the next one.
    expect(activity.fills).toEqual([
      expect.objectContaining({ leadAccountId: lead.accountId, side: 'SELL', qty: '0.001', price: '59990.00000000', notional: '59.99000000' }),
      expect.objectContaining({ leadAccountId: lead.accountId, side: 'BUY', qty: '0.010', price: '60010.00000000', notional: '600.10000000' })]);
    expect(activity.skipped).toEqual([expect.objectContaining({ side: 'BUY', qty: '0.000', reason: 'ROUNDED_TO_ZERO' })]);
    // Only the copy account's own side reads it; limit is checked.
    expect((await call(stranger, 'GET', '/perpx/v1/copy/activity', { accountId: copyA.accountId })).body).toMatchObject({ code: -1002 });
    expect((await call(copyB, 'GET', '/perpx/v1/copy/activity', { accountId: copyA.accountId })).body).toMatchObject({ code: -1002 });
    expect((await call(copyA, 'GET', '/perpx/v1/copy/activity', { accountId: copyA.accountId, limit: 201 })).body).toMatchObject({ code: -1130 });
    expect((await call(copyA, 'GET', '/perpx/v1/copy/activity', { accountId: copyA.accountId, limit: 1 })).body)
      .toMatchObject({ fills: [{ side: 'SELL' }], skipped: [] });
  });

  it('each side reads only its own: following, followers, and the public portfolio', async () => {
    const [masterA] = followerMasters as [CreatedAccount];
    const [copyA, copyB] = copies as [CreatedAccount, CreatedAccount];
    const following = (await call(masterA, 'GET', '/perpx/v1/copy/following')).body as { accountId: number }[];
    expect(following.map((row) => row.accountId)).toEqual([copyA.accountId]);
    expect(following[0]).toMatchObject({ leadAccountId: lead.accountId, invested: '1000.00000000', amount: '1000.00000000' });
    expect((await call(copyB, 'GET', '/perpx/v1/copy/following')).body).toMatchObject([{ accountId: copyB.accountId }]);
    expect((await call(stranger, 'GET', '/perpx/v1/copy/following')).body).toEqual([]);

    const followers = (await call(leadMaster, 'GET', '/perpx/v1/copy/followers', { accountId: lead.accountId })).body as
      { accountId: number; equity: string; totalPnl: string }[];
    expect(followers.map((row) => row.accountId)).toEqual([copyA.accountId, copyB.accountId]);
    expect((await call(masterA, 'GET', '/perpx/v1/copy/followers', { accountId: lead.accountId })).body).toMatchObject({ code: -1002 });
    expect((await call(stranger, 'POST', '/perpx/v1/copy/unfollow', { accountId: copyA.accountId })).body).toMatchObject({ code: -1002 });
    expect((await call(stranger, 'POST', '/perpx/v1/copy/removeFollower',
      { accountId: lead.accountId, followerAccountId: copyA.accountId })).body).toMatchObject({ code: -1002 });
    expect((await call(stranger, 'DELETE', '/perpx/v1/copy/portfolio', { accountId: lead.accountId })).body).toMatchObject({ code: -1002 });

    const portfolio = (await publicFetch(server.url, `/perpx/v1/copy/portfolio?accountId=${lead.accountId}`)).body as
      { followers: number; aum: string; followersPnl: string };
    expect(portfolio.followers).toBe(2);
    expect(e8(portfolio.aum)).toBe(followers.reduce((sum, row) => sum + e8(row.equity), 0n));
    expect(e8(portfolio.followersPnl)).toBe(followers.reduce((sum, row) => sum + e8(row.totalPnl), 0n));
    expect(e8(portfolio.followersPnl)).toBeLessThan(0n);
    expect((await publicFetch(server.url, '/perpx/v1/copy/portfolio?accountId=999999')).body).toMatchObject({ code: -9024 });
  });

  it('a restart replays the journal to the same portfolio, followers, positions and balances', async () => {
    // Equity and PnL are at the mark, which moves with venue time: compare what the journal decides.
    const without = (row: Record<string, unknown>, ...names: string[]): Record<string, unknown> =>
      Object.fromEntries(Object.entries(row).filter(([name]) => !names.includes(name)));
    const state = async (): Promise<unknown[]> => [
      ((await portfolios()) as Record<string, unknown>[]).map((row) => without(row, 'equity', 'aum', 'followersPnl')),
      ((await call(leadMaster, 'GET', '/perpx/v1/copy/followers', { accountId: lead.accountId })).body as Record<string, unknown>[])
        .map((row) => without(row, 'equity', 'totalPnl')),
      (await Promise.all([lead, ...copies].map(position))).map((row) => [row.positionAmt, row.entryPrice]),
      await Promise.all([lead, ...copies, leadMaster, ...followerMasters].map(usdt)),
    ];
    const before = await state();
    expect(before[1]).toMatchObject([{ invested: '1000.00000000' }, { invested: '2000.00000000' }]);
    await server.stop();
    server = await startServerProcess([], { dataDir: server.dataDir });
    expect(await state()).toEqual(before);
  });

  it('unfollowing closes the copy, pays the profit share (income PROFIT_SHARE) and returns the rest to the master', async () => {
    const [masterA] = followerMasters as [CreatedAccount];
    const [copyA] = copies as [CreatedAccount];
    expect((await call(maker, 'POST', '/fapi/v1/order',
      { symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', quantity: '0.010', price: '61000' })).status).toBe(200);
    const masterBefore = e8(await usdt(masterA));
    const leadMasterBefore = e8(await usdt(leadMaster));
    const stopped = await call(masterA, 'POST', '/perpx/v1/copy/unfollow', { accountId: copyA.accountId });
    expect(stopped.status).toBe(200);
    const body = stopped.body as { status: string; returned: string; profitShare: string };
    expect(body).toMatchObject({ accountId: copyA.accountId, leadAccountId: lead.accountId, status: 'UNFOLLOWED' });
    const returned = e8(body.returned);
    const share = e8(body.profitShare);
    // Closed at 61,000 after buying at 60,010: a profit, 10 % of it (rounded down) to the lead's master.
    expect(returned + share).toBeGreaterThan(1000n * E8);
    expect(share).toBe((returned + share - 1000n * E8) / 10n);
    expect(e8(await usdt(masterA))).toBe(masterBefore + returned);
    expect(await usdt(copyA)).toBe('0.00000000');
    expect(e8(await usdt(leadMaster))).toBe(leadMasterBefore + share);
    expect((await position(copyA)).positionAmt).toBe('0.000');
    expect((await position(lead)).positionAmt).toBe('0.100');

    const income = async (account: CreatedAccount): Promise<unknown> =>
      (await call(account, 'GET', '/fapi/v1/income', { incomeType: 'PROFIT_SHARE' })).body;
    const [paid, received] = await waitFor(async () => {
      const rows = [await income(copyA), await income(leadMaster)] as { income: string }[][];
      return rows.every((list) => list.length > 0) ? rows : undefined;
    }, 5_000, 'PROFIT_SHARE income rows');
    expect(paid).toMatchObject([{ incomeType: 'PROFIT_SHARE', income: `-${body.profitShare}`, asset: 'USDT' }]);
    expect(received).toMatchObject([{ incomeType: 'PROFIT_SHARE', income: body.profitShare }]);
    expect((await call(masterA, 'GET', '/perpx/v1/copy/following')).body).toEqual([]);
    expect((await call(masterA, 'POST', '/perpx/v1/copy/unfollow', { accountId: copyA.accountId })).body).toMatchObject({ code: -9027 });
  });

  it('`perpx copy` opens, lists, follows and closes through the signed API, and prints the server\'s errors', async () => {
    const perpx = async (by: CreatedAccount | undefined, ...args: string[]): Promise<unknown> => {
      const keys = by === undefined ? [] : ['--key', by.apiKey, '--secret', by.apiSecret];
      const { stdout } = await run(process.execPath, ['--import', 'tsx', CLI, 'copy', ...args, '--url', server.url, ...keys]);
      return JSON.parse(stdout);
    };
    const [copyA] = copies as [CreatedAccount];
    const [masterA] = followerMasters as [CreatedAccount];
    const secondLead = await server.admin.createAccount('600', { parentAccountId: leadMaster.accountId });
    expect((await transfer(masterA, masterA, copyA, '500')).status).toBe(200);
    expect(await perpx(leadMaster, 'open', '--account', String(secondLead.accountId), '--profit-share', '5'))
      .toMatchObject({ accountId: secondLead.accountId, profitShare: '5.00', equity: '600.00000000' });
    expect(await perpx(undefined, 'list')).toMatchObject([{ accountId: lead.accountId }, { accountId: secondLead.accountId }]);
    expect(await perpx(masterA, 'follow', '--account', String(copyA.accountId), '--lead', String(secondLead.accountId),
      '--amount', '50', '--mode', 'amount', '--leverage', '2')).toMatchObject({ mode: 'FIXED_AMOUNT', leverage: 2, invested: '500.00000000' });
    expect(await perpx(leadMaster, 'close', '--account', String(secondLead.accountId)))
      .toMatchObject({ closed: true, removedFollowers: [copyA.accountId] });
    expect(await usdt(copyA)).toBe('0.00000000');
    await expect(perpx(masterA, 'unfollow', '--account', String(copyA.accountId))).rejects.toThrow(/-9027/);
  });

  it('the lead removes a follower (its money goes to its master) and closes the portfolio', async () => {
    const [, masterB] = followerMasters as [CreatedAccount, CreatedAccount];
    const [, copyB] = copies as [CreatedAccount, CreatedAccount];
    const masterBefore = e8(await usdt(masterB));
    const removed = await call(leadMaster, 'POST', '/perpx/v1/copy/removeFollower',
      { accountId: lead.accountId, followerAccountId: copyB.accountId });
    expect(removed.status).toBe(200);
    // Closed into the 59,990 bid after buying at 60,010: a loss, so no profit share.
    expect(removed.body).toMatchObject({ accountId: copyB.accountId, status: 'REMOVED_BY_LEAD', profitShare: '0.00000000' });
    const returned = e8((removed.body as { returned: string }).returned);
    expect(returned).toBeGreaterThan(1900n * E8);
    expect(returned).toBeLessThan(2000n * E8);
    expect(e8(await usdt(masterB))).toBe(masterBefore + returned);
    expect(await usdt(copyB)).toBe('0.00000000');
    expect((await position(copyB)).positionAmt).toBe('0.000');

    const closed = await call(lead, 'DELETE', '/perpx/v1/copy/portfolio', { accountId: lead.accountId });
    expect(closed.body).toEqual({ accountId: lead.accountId, closed: true, removedFollowers: [] });
    expect((await publicFetch(server.url, `/perpx/v1/copy/portfolio?accountId=${lead.accountId}`)).body).toMatchObject({ code: -9024 });
    expect(await portfolios()).toEqual([]);
    expect((await position(lead)).positionAmt).toBe('0.100');
  });
});
