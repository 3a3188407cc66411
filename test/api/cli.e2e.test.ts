/**
 * The operator CLI subcommands against a running server (HTTP to /admin/v1), `serve` with the
 * simulator's live market driver (`--price-source sim`): the index moves without an operator, and
 * what `serve --demo` prints: no secret unless asked (--print-keys), a generated admin token once.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publicFetch, startServerProcess, waitFor, type ServerProcess } from './support/server.js';

const run = promisify(execFile);
const CLI = join(import.meta.dirname, 'support', 'perpx-cli.ts');

async function perpx(server: ServerProcess, ...args: string[]): Promise<unknown> {
  const { stdout } = await run(process.execPath, ['--import', 'tsx', CLI, ...args, '--url', server.url, '--token', server.token]);
  return JSON.parse(stdout);
}

describe('operator CLI', () => {
  let server: ServerProcess;

  beforeAll(async () => {
    server = await startServerProcess();
  });

  afterAll(async () => {
    await server?.dispose();
  });

  it('creates accounts and keys, moves money, sets index prices and prints the ledger', async () => {
    const created = await perpx(server, 'account', 'create', '--deposit', '2500') as { accountId: number; apiKey: string };
    expect(created).toMatchObject({ accountId: 1, permissions: ['read', 'trade'] });
    const other = await perpx(server, 'account', 'create') as { accountId: number };
    expect(await perpx(server, 'api-key', 'create', '--account', '1', '--permissions', 'read', '--ip', '127.0.0.1'))
      .toMatchObject({ accountId: 1, permissions: ['read'], ipAllowList: ['127.0.0.1'] });
    await perpx(server, 'deposit', '--account', '1', '--amount', '500.5');
    await perpx(server, 'withdraw', '--account', '1', '--amount', '0.5');
    await perpx(server, 'transfer', '--from', '1', '--to', String(other.accountId), '--amount', '1000');
    await perpx(server, 'insurance', '--amount', '10000');
    expect(await perpx(server, 'index-price', '--symbol', 'BTCUSDT', '--price', '61234.5')).toMatchObject({ price: '61234.5' });
    expect(await perpx(server, 'account', 'show', '1')).toMatchObject({ walletBalance: '2000.00000000', deposited: '3000.50000000' });
    expect(await perpx(server, 'ledger')).toMatchObject({ deposits: '13000.50000000', withdrawals: '0.50000000',
      balances: '3000.00000000', insuranceFund: '10000.00000000', ok: true, violations: [] });
    await expect(perpx(server, 'withdraw', '--account', '1', '--amount', '999999')).rejects.toThrow(/Balance is insufficient/);
  });
});

describe('serve --price-source sim', () => {
  let server: ServerProcess | undefined;

  afterAll(async () => {
    await server?.dispose();
  });

  it('starts the live market driver, which moves the index', async () => {
    server = await startServerProcess(['--price-source', 'sim', '--speed', '60']);
    const mark = await waitFor(async () => {
      const body = (await publicFetch(server!.url, '/fapi/v1/premiumIndex?symbol=BTCUSDT')).body as { indexPrice: string };
      return Number(body.indexPrice) > 0 ? Number(body.indexPrice) : undefined;
    }, 20_000, 'an index price from the sim driver');
    expect(mark).toBeGreaterThan(1000);
    const refused = await fetch(`${server.url}/admin/v1/index-price`, { method: 'POST',
      headers: { authorization: `Bearer ${server.token}`, 'content-type': 'application/json' }, body: '{"symbol":"BTCUSDT","price":"1"}' });
    expect(refused.status).toBe(409);
  });
});

describe('serve --demo and secrets', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'perpx-secrets-'));
  let server: ServerProcess | undefined;

  afterAll(async () => {
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('prints no secret unless asked, shows a generated admin token once and keeps both files at mode 0600', async () => {
    const start = async (...flags: string[]): Promise<string> => {
      server = await startServerProcess(['--demo', ...flags], { dataDir, tokenFromDataDir: true });
      const output = await waitFor(() => (server!.output().includes('ccxt:') ? server!.output() : undefined), 20_000, 'the demo banner');
      await server.stop();
      return output;
    };
    const first = await start();
    const token = readFileSync(join(dataDir, 'admin-token'), 'utf8').trim();
    const accounts = JSON.parse(readFileSync(join(dataDir, 'demo-accounts.json'), 'utf8')) as { apiKey: string; apiSecret: string }[];
    expect(accounts).toHaveLength(3);
    for (const file of ['admin-token', 'demo-accounts.json', 'api-keys.json']) expect(statSync(join(dataDir, file)).mode & 0o777).toBe(0o600);
    expect(first).toContain(`shown this once): ${token}`);
    const later = await start();
    const asked = await start('--print-keys');
    for (const output of [first, later]) {
      for (const account of accounts) {
        expect(output).not.toContain(account.apiSecret);
        expect(output).not.toContain(account.apiKey);
      }
      expect(output).toContain("readFileSync(");
    }
    expect(later).not.toContain(token);
    expect(asked).toContain(token);
    for (const account of accounts) expect(asked).toContain(`apiKey ${account.apiKey} secret ${account.apiSecret}`);
  });
});
