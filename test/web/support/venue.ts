/**
 * A real `perpx serve` for browser tests (manual price mode, temporary data directory, spawned from
 * the TypeScript sources like the API end-to-end tests) with helpers: accounts with keys, index
 * prices, a maker that quotes, signed orders from other accounts, and a logged-in browser page.
 */
import { expect, type Page } from '@playwright/test';
import type { CreatedAccount } from '../../../src/api/admin-client.js';
import { signedFetch, startServerProcess, type ServerProcess } from '../../api/support/server.js';

export type { ServerProcess };

export async function startVenue(args: string[] = []): Promise<ServerProcess> {
  // Browser tests reload the terminal many times a minute; the per-IP weight limit is not what they test.
  const server = await startServerProcess(['--no-fsync', '--tick-interval-ms', '200', '--rate-limit-weight', '1000000', ...args]);
  await server.admin.fundInsurance('1000000');
  await server.admin.setIndexPrice('BTCUSDT', '60000');
  await server.admin.setIndexPrice('ETHUSDT', '3000');
  return server;
}

export async function account(server: ServerProcess, deposit = '100000'): Promise<CreatedAccount> {
  return server.admin.createAccount(deposit);
}

/** A signed REST call that must succeed. */
export async function api(server: ServerProcess, who: CreatedAccount, method: string, path: string,
  params: Record<string, string | number | boolean> = {}): Promise<unknown> {
  const response = await signedFetch(server.url, who, method, path, params);
  if (response.status !== 200) throw new Error(`${method} ${path} → ${response.status} ${response.text}`);
  return response.body;
}

export async function login(page: Page, server: ServerProcess, who: CreatedAccount | 'operator'): Promise<void> {
  // Only loopback: any other host is blocked, so a test cannot reach the network by accident.
  await page.route(/^https?:\/\/(?!127\.0\.0\.1|localhost)/, (route) => route.abort());
  await page.goto(`${server.url}/login`);
  if (who === 'operator') {
    await page.getByRole('tab', { name: 'Operator' }).click();
    await page.getByLabel('Admin token').fill(server.token);
  } else {
    await page.getByLabel('API key').fill(who.apiKey);
    await page.getByLabel('API secret').fill(who.apiSecret);
  }
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page.getByTestId('who')).toBeVisible();
}
