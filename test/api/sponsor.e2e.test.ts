/**
 * Sub-accounts and sponsored accounts through the real server (issue 15): a master creates its own
 * sub-accounts (never beyond 200, even when asked 220 times at once) and keys for them; it sponsors
 * one for a trader, which revokes the master's key for it; only the trader can take a key for the
 * sponsored account and trade it; strangers neither see nor touch it (-1002, the same answer for a
 * missing account); the sponsor ends it, the position is closed out and the trader's key dies with
 * the sponsorship; `perpx account sub …` and `perpx sponsor …` drive the same API.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CreatedAccount } from '../../src/api/admin-client.js';
import { signedFetch, startServerProcess, waitFor, type ServerProcess, type SignedResponse } from './support/server.js';

const CLI = join(import.meta.dirname, 'support', 'perpx-cli.ts');
const run = promisify(execFile);

interface Key { readonly accountId: number; readonly apiKey: string; readonly apiSecret: string }

describe('sub-accounts and sponsored accounts over the API', () => {
  let server: ServerProcess;
  let maker: CreatedAccount;
  let sponsor: CreatedAccount;
  let trader: CreatedAccount;
  let stranger: CreatedAccount;
  let sponsoredId = 0;
  let masterKey: Key;
  let traderKey: Key;

  const call = (by: Key | CreatedAccount, method: string, path: string, params: Record<string, string | number | boolean> = {}):
    Promise<SignedResponse> => signedFetch(server.url, by, method, path, params);
  const perpx = async (by: CreatedAccount | Key, ...args: string[]): Promise<unknown> => {
    const { stdout } = await run(process.execPath,
      ['--import', 'tsx', CLI, ...args, '--url', server.url, '--key', by.apiKey, '--secret', by.apiSecret]);
    return JSON.parse(stdout);
  };

  beforeAll(async () => {
    server = await startServerProcess([]);
    await server.admin.setIndexPrice('BTCUSDT', '60000');
    maker = await server.admin.createAccount('1000000');
    sponsor = await server.admin.createAccount('100000');
    trader = await server.admin.createAccount('100');
    stranger = await server.admin.createAccount('100');
    for (const side of ['SELL', 'BUY']) {
      const response = await call(maker, 'POST', '/fapi/v1/order',
        { symbol: 'BTCUSDT', side, type: 'LIMIT', timeInForce: 'GTC', quantity: '1', price: side === 'SELL' ? '60010' : '59990' });
      expect(response.status).toBe(200);
    }
  });

  afterAll(async () => {
    await server?.dispose();
  });

  it('a master creates its sub-accounts and keys for them; nobody else can', async () => {
    const created = await call(sponsor, 'POST', '/perpx/v1/subAccount');
    expect(created.status).toBe(200);
    sponsoredId = (created.body as { accountId: number }).accountId;
    expect(created.body).toMatchObject({ walletBalance: '0.00000000', sponsored: 'NONE', copyTrading: 'NONE', apiKeys: 0 });
    expect((await call(sponsor, 'GET', '/perpx/v1/subAccounts')).body).toMatchObject([{ accountId: sponsoredId }]);
    expect((await call(stranger, 'GET', '/perpx/v1/subAccounts')).body).toEqual([]);

    const key = await call(sponsor, 'POST', '/perpx/v1/subAccount/apiKey', { accountId: sponsoredId });
    expect(key.status).toBe(200);
    masterKey = key.body as Key;
    expect(masterKey.accountId).toBe(sponsoredId);
    expect((await call(masterKey, 'GET', '/fapi/v2/balance')).status).toBe(200);
    // A sub-account has no sub-accounts; other people's accounts and missing ones answer alike.
    expect((await call(masterKey, 'POST', '/perpx/v1/subAccount')).body).toMatchObject({ code: -9111 });
    for (const accountId of [sponsoredId, 999_999]) {
      expect((await call(stranger, 'POST', '/perpx/v1/subAccount/apiKey', { accountId })).body).toMatchObject({ code: -1002 });
    }
    expect((await call(sponsor, 'POST', '/perpx/v1/subAccount/apiKey', { accountId: sponsor.accountId })).body)
      .toMatchObject({ code: -1002 });
    expect((await call(stranger, 'DELETE', '/perpx/v1/subAccount/apiKey', { apiKey: masterKey.apiKey })).body)
      .toMatchObject({ code: -1002 });
    expect((await call(sponsor, 'POST', '/perpx/v1/subAccount/apiKey', { accountId: sponsoredId, permissions: 'write' })).body)
      .toMatchObject({ code: -1130 });
    const readOnly = (await call(sponsor, 'POST', '/perpx/v1/subAccount/apiKey', { accountId: sponsoredId, permissions: 'read' })).body as Key;
    expect((await call(sponsor, 'DELETE', '/perpx/v1/subAccount/apiKey', { apiKey: readOnly.apiKey })).body).toMatchObject({ revoked: true });
    expect((await call(readOnly, 'GET', '/fapi/v2/balance')).body).toMatchObject({ code: -2015 });
  });

  it('never more than 200 sub-accounts per master, even asked all at once', async () => {
    const master = await server.admin.createAccount('0');
    // Distinct recvWindows make distinct signatures (the replay guard refuses a repeated one).
    const answers = await Promise.all(Array.from({ length: 220 },
      (_, index) => call(master, 'POST', '/perpx/v1/subAccount', { recvWindow: 5000 + index })));
    const codes = answers.map((answer) => (answer.status === 200 ? 0 : (answer.body as { code: number }).code));
    expect(codes.filter((code) => code === 0)).toHaveLength(200);
    expect(codes.filter((code) => code !== 0).every((code) => code === -9110)).toBe(true);
    expect((await call(master, 'GET', '/perpx/v1/subAccounts')).body).toHaveLength(200);
  });

  it('sponsoring the account revokes the master\'s key; only the trader can take one and trade', async () => {
    const started = await call(sponsor, 'POST', '/perpx/v1/sponsor', {
      accountId: sponsoredId, traderAccountId: trader.accountId, amount: '50000', traderShare: '80', dailyLoss: '4', staticLoss: '6',
    });
    expect(started.status).toBe(200);
    expect(started.body).toMatchObject({
      accountId: sponsoredId, sponsorAccountId: sponsor.accountId, traderAccountId: trader.accountId, status: 'ACTIVE',
      initialBalance: '50000.00000000', traderShare: '80.00', dailyLoss: '4.00', staticLoss: '6.00', trailingLoss: '0.00',
      limits: [{ limit: 'DAILY', threshold: '48000.00000000' }, { limit: 'STATIC', threshold: '47000.00000000' }],
    });
    await waitFor(async () => (await call(masterKey, 'GET', '/fapi/v2/balance')).status === 401 || undefined);
    expect((await call(masterKey, 'GET', '/fapi/v2/balance')).body).toMatchObject({ code: -2015 });
    // The sponsor cannot mint itself a new key for the trader's account.
    expect((await call(sponsor, 'POST', '/perpx/v1/subAccount/apiKey', { accountId: sponsoredId })).body).toMatchObject({ code: -9113 });
    for (const by of [sponsor, stranger]) {
      expect((await call(by, 'POST', '/perpx/v1/sponsored/apiKey', { accountId: sponsoredId })).body).toMatchObject({ code: -1002 });
    }
    const key = await call(trader, 'POST', '/perpx/v1/sponsored/apiKey', { accountId: sponsoredId });
    expect(key.status).toBe(200);
    traderKey = key.body as Key;
    expect(traderKey.accountId).toBe(sponsoredId);
    const order = await call(traderKey, 'POST', '/fapi/v1/order', { symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET', quantity: '0.5' });
    expect(order.status).toBe(200);
    const rows = (await call(traderKey, 'GET', '/fapi/v2/positionRisk', { symbol: 'BTCUSDT' })).body as { positionAmt: string }[];
    expect(rows[0]!.positionAmt).toBe('0.500');
    // Both sides see it; a stranger sees nothing; the money is locked in (-9030).
    for (const by of [sponsor, trader]) {
      expect((await call(by, 'GET', '/perpx/v1/sponsorships')).body).toMatchObject([{ accountId: sponsoredId, status: 'ACTIVE' }]);
    }
    expect((await call(stranger, 'GET', '/perpx/v1/sponsorships')).body).toEqual([]);
    expect((await call(sponsor, 'POST', '/perpx/v1/subAccount/transfer',
      { fromAccountId: sponsoredId, toAccountId: sponsor.accountId, amount: '1' })).body).toMatchObject({ code: -9030 });
    expect((await call(stranger, 'POST', '/perpx/v1/sponsor/end', { accountId: sponsoredId })).body).toMatchObject({ code: -9034 });
  });

  it('the sponsor ends it: the position is closed out, the money goes back, the trader\'s key dies', async () => {
    const ended = await call(sponsor, 'POST', '/perpx/v1/sponsor/end', { accountId: sponsoredId });
    expect(ended.status).toBe(200);
    expect(ended.body).toMatchObject({ accountId: sponsoredId, status: 'SETTLED' });
    await waitFor(async () => (await call(traderKey, 'GET', '/fapi/v2/balance')).status === 401 || undefined);
    const rows = (await call(sponsor, 'GET', '/perpx/v1/subAccounts')).body as { accountId: number; walletBalance: string; positions: number;
      sponsored: string }[];
    expect(rows.find((row) => row.accountId === sponsoredId)).toMatchObject({ walletBalance: '0.00000000', positions: 0, sponsored: 'NONE' });
    expect((await call(sponsor, 'GET', '/perpx/v1/sponsorships')).body).toEqual([]);
  });

  it('`perpx account sub …` and `perpx sponsor …` drive the same API and print its errors', async () => {
    const sub = await perpx(sponsor, 'account', 'sub', 'create') as { accountId: number };
    expect(sub).toMatchObject({ sponsored: 'NONE' });
    expect(await perpx(sponsor, 'sponsor', 'start', '--account', String(sub.accountId), '--trader', String(trader.accountId),
      '--amount', '1000', '--static-loss', '10')).toMatchObject({ status: 'ACTIVE', limits: [{ limit: 'STATIC', threshold: '900.00000000' }] });
    expect(await perpx(trader, 'sponsor', 'key', '--account', String(sub.accountId))).toMatchObject({ accountId: sub.accountId });
    expect(await perpx(sponsor, 'sponsor', 'end', '--account', String(sub.accountId))).toMatchObject({ status: 'SETTLED' });
    await expect(perpx(stranger, 'sponsor', 'end', '--account', String(sub.accountId))).rejects.toThrow(/-90/);
  });
});
