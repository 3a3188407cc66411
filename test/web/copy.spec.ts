/**
 * Copy trading in the browser against a real perpx serve: a lead's master opens a portfolio in its
 * sub-account and shares it live; a follower's master finds it on the leaderboard (with the
 * past-performance warning), is refused above the lead's per-follower cap (the API's -9026) and
 * follows with its copy sub-account; the lead trades through the API with its own key; the
 * follower's page shows the copied position, the copy fill and the skipped copy with its reason;
 * the follower unfollows, the lead sees it gone and closes the portfolio. Then the leaderboard in a
 * frozen state (screenshot, axe, sorting) and at 375 px.
 */
import { expect, test, type Page } from '@playwright/test';
import type { CreatedAccount } from '../../src/api/admin-client.js';
import { seriousViolations } from './support/axe.js';
import { account, api, login, startVenue, type ServerProcess } from './support/venue.js';

let server: ServerProcess;
let maker: CreatedAccount;
/** Lead A (opened and closed through the UI) and lead B (opened through the API, never trades: its row is frozen). */
const lead = { master: undefined as unknown as CreatedAccount, sub: undefined as unknown as CreatedAccount };
let quietLead: CreatedAccount;
const follower = { master: undefined as unknown as CreatedAccount, copy: undefined as unknown as CreatedAccount };

async function subAccount(master: CreatedAccount, funds: string): Promise<CreatedAccount> {
  const sub = await server.admin.createAccount('0', { parentAccountId: master.accountId });
  await api(server, master, 'POST', '/perpx/v1/subAccount/transfer', { fromAccountId: master.accountId, toAccountId: sub.accountId, amount: funds });
  return sub;
}

test.beforeAll(async () => {
  server = await startVenue();
  maker = await account(server, '1000000');
  for (const [side, price, quantity] of [['SELL', '60010', '0.120'], ['BUY', '59990', '0.120']] as const) {
    await api(server, maker, 'POST', '/fapi/v1/order', { symbol: 'BTCUSDT', side, type: 'LIMIT', quantity, price, timeInForce: 'GTC' });
  }
  lead.master = await account(server, '12000');
  lead.sub = await subAccount(lead.master, '10000');
  const quietMaster = await account(server, '3000');
  quietLead = await subAccount(quietMaster, '2000');
  await api(server, quietMaster, 'POST', '/perpx/v1/copy/portfolio', { accountId: quietLead.accountId, profitShare: '5', maxFollowers: 3 });
  follower.master = await account(server, '5000');
  follower.copy = await subAccount(follower.master, '1000');
});
test.afterAll(async () => { await server.dispose(); });

async function noSeriousViolations(page: Page): Promise<void> {
  expect(await seriousViolations(page)).toEqual([]);
  // PERPX_LOOK=<dir>: keep a full-page picture of every page checked, to look at while building.
  const look = process.env['PERPX_LOOK'];
  if (look !== undefined) await page.screenshot({ path: `${look}/${new URL(page.url()).pathname.replace(/\//g, '_')}-${Date.now()}.png`, fullPage: true });
}

test('a lead opens a portfolio, a follower follows it, the lead trades, the follower sees its copy; unfollow and close', async ({ page, browser }) => {
  // The lead's master opens the portfolio in its sub-account and shares it live.
  await login(page, server, lead.master);
  await page.goto(`${server.url}/copy/portfolio?account=${lead.sub.accountId}`);
  const open = page.getByTestId('open-portfolio');
  await open.getByLabel(/^Profit share/).fill('10');
  await open.getByLabel(/^Cap per follower/).fill('2000');
  await open.getByLabel(/^Minimum per follower/).fill('100');
  await open.getByTestId('open-button').click();
  await expect(page.getByText(`Portfolio opened in account ${lead.sub.accountId}.`)).toBeVisible();
  await expect(page.getByTestId('portfolio-followers')).toHaveText(/^0 \/ \d+$/);
  await page.getByLabel(/Share my positions and fills live/).check();
  await expect(page.getByText('Positions and fills are now shared live.')).toBeVisible();
  await noSeriousViolations(page);

  // The follower finds it on the leaderboard, with the warning, and opens its profile.
  const context = await browser.newContext();
  const other = await context.newPage();
  await login(other, server, follower.master);
  await other.goto(`${server.url}/copy`);
  await expect(other.getByTestId('past-performance-warning')).toContainText('Past performance is not a reliable indicator');
  await other.getByTestId('leaderboard').locator(`tr[data-lead="${lead.sub.accountId}"]`).getByRole('link').click();
  await expect(other.getByTestId('lead-profile')).toBeVisible();
  await expect(other.getByTestId('past-performance-warning')).toContainText('you can lose all of the money you invest');
  await expect(other.getByTestId('performance-chart')).toHaveAttribute('data-points', /^[1-9]/);
  await expect(other.getByTestId('lead-positions')).toContainText('No open positions.');
  const form = other.getByTestId('follow-form');
  await expect(form.getByTestId('copy-range')).toContainText('100.00 to 2,000.00 USDT');

  // The follow button waits for the warning to be acknowledged; the API refuses a copy account above the lead's cap.
  await form.getByLabel(/^Copy account/).fill(String(follower.copy.accountId));
  await form.getByLabel(/^Investment/).fill('2500');
  await form.getByLabel(/^Leverage/).selectOption('5');
  await form.getByLabel(/^Slippage guard/).fill('1');
  await form.getByLabel(/^Stop loss/).fill('40');
  await expect(form.getByTestId('follow-button')).toBeDisabled();
  await form.getByLabel(/I have read the warning/).check();
  await form.getByTestId('follow-button').click();
  await expect(form.getByRole('alert')).toContainText('(-9026)');
  expect(await api(server, follower.master, 'GET', '/perpx/v1/copy/following')).toEqual([]);
  await noSeriousViolations(other);
  await form.getByLabel(/^Investment/).fill('1000');
  await form.getByTestId('follow-button').click();
  await expect(form.getByRole('status')).toContainText(`Account ${follower.copy.accountId} now copies lead ${lead.sub.accountId}`);
  expect(await api(server, follower.master, 'GET', '/perpx/v1/copy/following')).toMatchObject([
    { accountId: follower.copy.accountId, mode: 'FIXED_RATIO', amount: '1000.00000000', leverage: 5, slippage: '1.00', stopLoss: '40.00' }]);

  // The lead trades with its own key: 0.100 is copied (0.010 for 1,000 of 10,000), 0.001 rounds to nothing and is skipped.
  await api(server, lead.sub, 'POST', '/fapi/v1/order', { symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET', quantity: '0.100' });
  await api(server, lead.sub, 'POST', '/fapi/v1/order', { symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET', quantity: '0.001' });
  await expect(other.getByTestId('lead-positions')).toContainText('0.101');

  await form.getByRole('link', { name: 'See what it copies' }).click();
  const activity = other.getByTestId('copy-activity');
  await expect(activity.getByTestId('copy-positions').locator('tbody tr')).toContainText('0.010');
  await expect(activity.getByTestId('copy-fills').locator('tbody tr')).toHaveCount(1);
  const fill = activity.getByTestId('copy-fills').locator('tbody tr');
  await expect(fill.getByRole('cell', { name: 'BUY', exact: true })).toBeVisible();
  await expect(fill.getByRole('cell', { name: '0.010', exact: true })).toBeVisible();
  await expect(fill.getByRole('cell', { name: '60010.0', exact: true })).toBeVisible();
  await expect(activity.getByTestId('copy-skipped').locator('tbody tr')).toContainText('your share was below one lot');
  const risk = await api(server, follower.copy, 'GET', '/fapi/v2/positionRisk', { symbol: 'BTCUSDT' }) as { positionAmt: string }[];
  expect(risk[0]!.positionAmt).toBe('0.010');
  await noSeriousViolations(other);

  // The follower unfollows; the lead sees no follower left and closes its portfolio.
  await page.reload();
  await expect(page.getByTestId('followers').locator('tbody tr')).toContainText(String(follower.copy.accountId));
  await other.getByRole('button', { name: `Unfollow with account ${follower.copy.accountId}` }).click();
  await other.getByRole('button', { name: 'Unfollow now' }).click();
  await expect(other.getByText(`Account ${follower.copy.accountId} stopped copying`)).toBeVisible();
  await expect(other.getByTestId('following')).toContainText('None of your accounts copies a lead.');
  await context.close();
  await page.reload();
  await expect(page.getByTestId('followers')).toContainText('No followers yet.');
  await page.getByRole('button', { name: 'Close portfolio' }).click();
  await page.getByRole('button', { name: 'Close now' }).click();
  await expect(page.getByText('Portfolio closed; 0 follower(s) removed.')).toBeVisible();
  await expect(page.getByTestId('open-portfolio')).toBeVisible();
});

test('leaderboard: a frozen state with the warning, sorting, accessibility, screenshot', async ({ page }) => {
  await login(page, server, follower.master);
  await page.goto(`${server.url}/copy`);
  const board = page.getByTestId('leaderboard');
  await expect(board.locator('tbody tr')).toHaveCount(1);
  await expect(board.locator(`tr[data-lead="${quietLead.accountId}"]`)).toContainText('0 / 3');
  await expect(page.getByTestId('past-performance-warning')).toBeVisible();
  await page.getByRole('button', { name: /^Sort by Max drawdown/ }).click();
  await expect(board).toHaveAttribute('data-sort', 'drawdown');
  await expect(board.getByRole('columnheader', { name: /Max drawdown/ })).toHaveAttribute('aria-sort', 'ascending');
  await noSeriousViolations(page);
  await expect(page).toHaveScreenshot('leaderboard.png', { fullPage: true });
});

test('leaderboard at 375 px: the warning stays in view, the table scrolls in its own region, no sideways page scroll', async ({ page }) => {
  await page.setViewportSize({ width: 375, height: 812 });
  await login(page, server, follower.master);
  await page.goto(`${server.url}/copy`);
  await expect(page.getByTestId('leaderboard').locator('tbody tr')).toHaveCount(1);
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
  const warning = (await page.getByTestId('past-performance-warning').boundingBox())!;
  expect(warning.y + warning.height).toBeLessThan(812);
  expect(warning.x + warning.width).toBeLessThanOrEqual(375);
  await noSeriousViolations(page);
});
