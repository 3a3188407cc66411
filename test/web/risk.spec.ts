/**
 * The risk console's surveillance parts in the browser against a real perpx serve: a 20x cross long
 * pushed to 80 % of its margin balance raises E1 (MARGIN_CALL); the operator sees it under Alerts,
 * reviews it and acknowledges it with a note (the audit log holds who and why, and the open list no
 * longer shows it); the heatmap shows the long at its liquidation price over the mark chart; the
 * contagion tab lists a lead portfolio whose lead holds a position, with its followers' money.
 */
import { expect, test, type Page } from '@playwright/test';
import type { CreatedAccount } from '../../src/api/admin-client.js';
import { seriousViolations } from './support/axe.js';
import { account, api, login, startVenue, type ServerProcess } from './support/venue.js';

let server: ServerProcess;
let trader: CreatedAccount;
let lead: CreatedAccount;
let liquidationPrice: number;

test.beforeAll(async () => {
  server = await startVenue();
  const maker = await account(server, '1000000');
  await api(server, maker, 'POST', '/fapi/v1/order', { symbol: 'BTCUSDT', side: 'SELL', type: 'LIMIT', quantity: '0.200', price: '60000', timeInForce: 'GTC' });
  // A lead (a sub-account with a portfolio and one follower) that holds a position.
  const leadMaster = await account(server, '2000');
  lead = await server.admin.createAccount('0', { parentAccountId: leadMaster.accountId });
  await api(server, leadMaster, 'POST', '/perpx/v1/subAccount/transfer', { fromAccountId: leadMaster.accountId, toAccountId: lead.accountId, amount: '1000' });
  await api(server, leadMaster, 'POST', '/perpx/v1/copy/portfolio', { accountId: lead.accountId });
  const followerMaster = await account(server, '1000');
  const copy = await server.admin.createAccount('0', { parentAccountId: followerMaster.accountId });
  await api(server, followerMaster, 'POST', '/perpx/v1/subAccount/transfer', { fromAccountId: followerMaster.accountId, toAccountId: copy.accountId, amount: '500' });
  await api(server, followerMaster, 'POST', '/perpx/v1/copy/follow', { accountId: copy.accountId, leadAccountId: lead.accountId, mode: 'FIXED_RATIO', amount: '500' });
  await api(server, lead, 'POST', '/fapi/v1/leverage', { symbol: 'BTCUSDT', leverage: 20 });
  // 0.080 on 1,000 USDT: liquidation near 47,700, below where the trader's margin call happens (the follower copies 0.040).
  await api(server, lead, 'POST', '/fapi/v1/order', { symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET', quantity: '0.080' });
  // The trader: 100 USDT, 20x, 0.010 BTC; the index then moves to 0.05 % above its liquidation price (E1 warns at 80 %).
  trader = await account(server, '100');
  await api(server, trader, 'POST', '/fapi/v1/leverage', { symbol: 'BTCUSDT', leverage: 20 });
  await api(server, trader, 'POST', '/fapi/v1/order', { symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET', quantity: '0.010' });
  const risk = await api(server, trader, 'GET', '/fapi/v2/positionRisk', { symbol: 'BTCUSDT' }) as { liquidationPrice: string }[];
  liquidationPrice = Number(risk[0]!.liquidationPrice);
  await server.admin.setIndexPrice('BTCUSDT', (Math.ceil(liquidationPrice * 1.0005 * 10) / 10).toFixed(1));
});
test.afterAll(async () => { await server.dispose(); });

/** PERPX_LOOK=<dir>: keep full-page pictures to look at while building. */
async function look(page: Page, name: string): Promise<void> {
  const dir = process.env['PERPX_LOOK'];
  if (dir !== undefined) await page.screenshot({ path: `${dir}/risk-${name}.png`, fullPage: true });
}

test('an operator sees a margin-call alert, acknowledges it with a note; the heatmap and contagion tabs show the positions', async ({ page }) => {
  await login(page, server, 'operator');
  await page.goto(`${server.url}/risk`);
  await page.getByRole('tab', { name: 'Alerts' }).click();
  const list = page.getByTestId('alert-list');
  const row = list.locator('tbody tr', { hasText: 'E1 MARGIN_CALL' }).filter({ hasText: String(trader.accountId) }).first();
  await expect(row).toBeVisible();
  await row.getByRole('button', { name: /^Review E1/ }).click();
  const review = page.getByTestId('alert-review');
  await expect(review.getByTestId('review-status')).toHaveText('open');
  // A disposition needs a note.
  await expect(review.getByRole('button', { name: 'Acknowledge' })).toBeDisabled();
  await review.getByLabel('Note (required)').fill('client called, adding margin');
  expect(await seriousViolations(page)).toEqual([]);
  await look(page, 'alert-review');
  const id = (await review.locator('code').textContent())!;
  await review.getByRole('button', { name: 'Acknowledge' }).click();
  await expect(page.getByText(`${id} acknowledged.`)).toBeVisible();
  const reviewed = list.locator('tbody tr', { has: page.getByRole('button', { name: `Review E1 ${id}` }) });
  await expect(reviewed).toHaveCount(0);
  const stored: unknown = await (await fetch(`${server.url}/admin/v1/surveillance/alerts/${id}`, { headers: { authorization: `Bearer ${server.token}` } })).json();
  expect(stored).toMatchObject({ status: 'acknowledged', dispositions: [{ status: 'acknowledged', by: 'operator', why: 'client called, adding margin' }] });
  await page.getByLabel('Status').selectOption('acknowledged');
  await expect(reviewed).toContainText('acknowledged');

  // The heatmap holds the trader's long at its liquidation price (within one 0.1 % level).
  await page.getByRole('tab', { name: 'Heatmap' }).click();
  const chart = page.getByTestId('heatmap-chart');
  await expect(chart).toHaveAttribute('data-levels', /^[1-9]/);
  const prices = (await page.getByTestId('heatmap-levels').locator('tbody tr td:first-child').allTextContents()).map(Number);
  expect(prices.some((price) => Math.abs(price - liquidationPrice) <= liquidationPrice * 0.001)).toBe(true);
  expect(await seriousViolations(page)).toEqual([]);

  // Contagion: the lead, its follower's money, and its own position near liquidation.
  await page.getByRole('tab', { name: 'Copy contagion' }).click();
  const leadRow = page.getByTestId('contagion-table').locator('tbody tr', { hasText: `Lead ${lead.accountId}` });
  await expect(leadRow).toContainText('1 /');
  await expect(leadRow).toContainText('BTCUSDT 0.080 at 20x');
  expect(await seriousViolations(page)).toEqual([]);
  await look(page, 'contagion');
  await page.getByRole('tab', { name: 'Heatmap' }).click();
  await expect(chart).toHaveAttribute('data-levels', /^[1-9]/);
  await look(page, 'heatmap');
});
