/**
 * The policy gate through the real server (issue 13 §4): the operator sets an account reduce-only
 * and a dated jurisdiction rule; the account's own orders are refused with the engine's stable
 * codes over the Binance API, its standing explains why, and a restart (journal replay) refuses the
 * same. Sub-accounts move money only inside their own hierarchy; a cool-off locks its owner out.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedFetch, startServerProcess, type ServerProcess } from './support/server.js';

describe('policy gate over the API', () => {
  let server: ServerProcess;

  beforeAll(async () => {
    server = await startServerProcess([]);
    await server.admin.setIndexPrice('BTCUSDT', '60000');
  });

  afterAll(async () => {
    await server?.dispose();
  });

  const market = { symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET', quantity: '0.010' };

  it('reduce-only and jurisdiction rules refuse openings with their codes and explain themselves', async () => {
    const maker = await server.admin.createAccount('1000000');
    const trader = await server.admin.createAccount('10000');
    expect((await signedFetch(server.url, maker, 'POST', '/fapi/v1/order',
      { symbol: 'BTCUSDT', side: 'SELL', type: 'LIMIT', timeInForce: 'GTC', quantity: '1', price: '60010' })).status).toBe(200);
    expect((await signedFetch(server.url, trader, 'POST', '/fapi/v1/order', market)).status).toBe(200);
    await server.admin.request('POST', '/account-policy',
      { accountId: trader.accountId, status: 'REDUCE_ONLY', source: 'P3 leverage-loss review' });
    const refused = await signedFetch(server.url, trader, 'POST', '/fapi/v1/order', market);
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ code: -9012 });
    const reduce = await signedFetch(server.url, trader, 'POST', '/fapi/v1/order', { ...market, side: 'SELL', reduceOnly: 'true' });
    expect(reduce.status).toBe(200);
    const standing = await signedFetch(server.url, trader, 'GET', '/perpx/v1/standing');
    expect(standing.body).toMatchObject({ status: 'REDUCE_ONLY', ownStatus: 'REDUCE_ONLY', source: 'P3 leverage-loss review' });

    const other = await server.admin.createAccount('10000');
    await server.admin.request('POST', '/account-policy',
      { accountId: other.accountId, status: 'ACTIVE', jurisdiction: 'XX', source: 'KYC' });
    await server.admin.request('POST', '/jurisdiction-policy',
      { jurisdiction: 'XX', status: 'ACTIVE', leverageCap: 10, source: 'XX notice 7' });
    const leverage = await signedFetch(server.url, other, 'POST', '/fapi/v1/leverage', { symbol: 'BTCUSDT', leverage: 20 });
    expect(leverage.body).toMatchObject({ code: -9014 });
    expect((await signedFetch(server.url, other, 'GET', '/perpx/v1/standing')).body)
      .toMatchObject({ status: 'ACTIVE', leverageCap: 10, jurisdiction: 'XX', jurisdictionSource: 'XX notice 7' });

    // Replay after a restart keeps every standing.
    await server.stop();
    server = await startServerProcess([], { dataDir: server.dataDir });
    expect((await signedFetch(server.url, trader, 'POST', '/fapi/v1/order', market)).body).toMatchObject({ code: -9012 });
    expect((await signedFetch(server.url, other, 'POST', '/fapi/v1/leverage', { symbol: 'BTCUSDT', leverage: 20 })).body)
      .toMatchObject({ code: -9014 });
  });

  it('sub-accounts: money moves only inside the hierarchy; a cool-off locks the account', async () => {
    const master = await server.admin.createAccount('1000');
    const sub = await server.admin.createAccount('0', { parentAccountId: master.accountId });
    const stranger = await server.admin.createAccount('1000');
    const move = (by: typeof master, from: number, to: number, amount: string) =>
      signedFetch(server.url, by, 'POST', '/perpx/v1/subAccount/transfer', { fromAccountId: from, toAccountId: to, amount });
    expect((await move(master, master.accountId, sub.accountId, '100')).status).toBe(200);
    expect((await move(sub, sub.accountId, master.accountId, '40')).status).toBe(200);
    expect((await move(stranger, master.accountId, stranger.accountId, '1')).body).toMatchObject({ code: -9017 });
    expect((await move(sub, master.accountId, sub.accountId, '1')).body).toMatchObject({ code: -9017 });
    const balance = await signedFetch(server.url, sub, 'GET', '/fapi/v2/balance');
    expect((balance.body as { asset: string; balance: string }[]).find((row) => row.asset === 'USDT')!.balance).toBe('60.00000000');

    expect((await signedFetch(server.url, stranger, 'POST', '/perpx/v1/coolOff', { hours: 24 })).status).toBe(200);
    expect((await signedFetch(server.url, stranger, 'POST', '/fapi/v1/order', market)).body).toMatchObject({ code: -9015 });
    expect((await signedFetch(server.url, stranger, 'POST', '/perpx/v1/coolOff', { hours: 99_999 })).status).toBe(400);
  });

  it('venue rules: the appropriateness test gates openings; high leverage needs an acknowledgement', async () => {
    const trader = await server.admin.createAccount('10000');
    await server.admin.request('POST', '/venue-policy', { requireAppropriateness: true, highLeverageAckAbove: 20, source: 'P8, P12' });
    expect((await signedFetch(server.url, trader, 'POST', '/fapi/v1/order', market)).body).toMatchObject({ code: -9018 });
    const quiz = (await signedFetch(server.url, trader, 'GET', '/perpx/v1/quiz')).body as
      { questions: { id: string; choices: string[] }[]; passed: boolean };
    expect(quiz.passed).toBe(false);
    expect(quiz.questions).toHaveLength(5);
    expect(JSON.stringify(quiz)).not.toContain('answer');
    const failed = await signedFetch(server.url, trader, 'POST', '/perpx/v1/quiz', { answers: 'leverage:0,liquidation:0,funding:1,adl:1,max-loss:0' });
    expect(failed.body).toMatchObject({ passed: false, wrong: [{ id: 'leverage' }] });
    const passed = await signedFetch(server.url, trader, 'POST', '/perpx/v1/quiz', { answers: 'leverage:1,liquidation:0,funding:1,adl:1,max-loss:0' });
    expect(passed.body).toMatchObject({ passed: true });
    expect((await signedFetch(server.url, trader, 'POST', '/fapi/v1/leverage', { symbol: 'BTCUSDT', leverage: 50 })).body)
      .toMatchObject({ code: -9019 });
    expect((await signedFetch(server.url, trader, 'POST', '/perpx/v1/highLeverage/acknowledge')).status).toBe(200);
    expect((await signedFetch(server.url, trader, 'POST', '/fapi/v1/leverage', { symbol: 'BTCUSDT', leverage: 50 })).status).toBe(200);
    expect((await signedFetch(server.url, trader, 'GET', '/perpx/v1/standing')).body).toMatchObject({ appropriatenessAt: expect.any(Number) as number });
    await server.admin.request('POST', '/venue-policy', { source: 'rules lifted' });
  });
});
