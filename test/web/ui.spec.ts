/// <reference lib="dom" />
// (Code in page.evaluate/addInitScript runs in the browser.)
/**
 * Frozen-state screenshots (committed baselines), accessibility (axe: zero serious or critical
 * violations), the mobile layout at 375 px, and keyboard use. The venue is fresh and its data fixed;
 * cells that show the clock are masked.
 */
import { expect, test, type Page } from '@playwright/test';
import { seriousViolations } from './support/axe.js';
import { account, api, login, startVenue, type ServerProcess } from './support/venue.js';

let server: ServerProcess;
let trader: Awaited<ReturnType<typeof account>>;
test.beforeAll(async () => {
  server = await startVenue();
  trader = await account(server, '1000');
  const maker = await account(server);
  for (const [side, price, quantity] of [['SELL', '60150', '0.800'], ['SELL', '60100', '0.500'], ['BUY', '59950', '0.300'], ['BUY', '59900', '1.200']] as const) {
    await api(server, maker, 'POST', '/fapi/v1/order', { symbol: 'BTCUSDT', side, type: 'LIMIT', quantity, price, timeInForce: 'GTC' });
  }
  await api(server, trader, 'POST', '/fapi/v1/order', { symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', quantity: '0.1', price: '59800', timeInForce: 'GTC' });
});
test.afterAll(async () => { await server.dispose(); });

async function openTerminal(page: Page): Promise<void> {
  await login(page, server, trader);
  await page.goto(`${server.url}/trade/BTCUSDT`);
  await expect(page.getByTestId('order-book')).toHaveAttribute('data-connection', 'LIVE');
  await expect(page.getByTestId('book-ladder').locator('tbody.asks tr')).toHaveCount(2);
  await expect(page.getByTestId('wallet-balance')).toHaveText('1,000.00');
}

const volatile = (page: Page) => [page.getByTestId('price-chart'), page.getByTestId('stat-funding'), page.getByTestId('stat-connection'),
  page.getByTestId('stat-mark'), page.locator('.time'), page.getByTestId('trades-tape'), page.locator('.spread'),
  page.getByTestId('liq-after'), page.getByTestId('liq-distance')];

test('login page: screenshot and accessibility', async ({ page }) => {
  await page.goto(`${server.url}/login`);
  await expect(page.getByRole('heading', { name: 'Log in to perpx' })).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);
  await expect(page).toHaveScreenshot('login.png');
});

test('terminal: screenshot, accessibility, keyboard', async ({ page }) => {
  await openTerminal(page);
  const form = page.getByTestId('order-form');
  await form.getByRole('textbox', { name: /^Price/ }).fill('59000');
  await form.getByRole('textbox', { name: /^Quantity/ }).fill('0.200');
  await expect(form.getByTestId('liq-after')).toHaveText(/\d/);
  await page.getByRole('tab', { name: /Open orders/ }).click();
  await expect(page.getByTestId('open-orders').locator('tbody tr')).toHaveCount(1);
  expect(await seriousViolations(page)).toEqual([]);
  await expect(page).toHaveScreenshot('terminal.png', { mask: volatile(page), fullPage: true });
  // Tabs move with the arrow keys; the order form's controls are reachable with Tab.
  await page.getByRole('tab', { name: /Open orders/ }).focus();
  await page.keyboard.press('ArrowRight');
  await expect(page.getByRole('tab', { name: 'Order history' })).toBeFocused();
  await form.getByTestId('order-type').focus();
  await page.keyboard.press('Tab');
  await expect(form.getByRole('textbox', { name: /^Price/ })).toBeFocused();
});

test('mobile: the terminal stacks chart, form, book and tables at 375 px without sideways scrolling', async ({ page }) => {
  await page.setViewportSize({ width: 375, height: 812 });
  await openTerminal(page);
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(width).toBeLessThanOrEqual(375);
  const top = async (testId: string): Promise<number> => (await page.getByTestId(testId).boundingBox())!.y;
  expect(await top('price-chart')).toBeLessThan(await top('order-form'));
  expect(await top('order-form')).toBeLessThan(await top('order-book'));
  const place = (await page.getByTestId('place-order').boundingBox())!;
  expect(place.x + place.width).toBeLessThanOrEqual(375);
  expect(await seriousViolations(page)).toEqual([]);
  await expect(page).toHaveScreenshot('terminal-mobile.png', { mask: volatile(page), fullPage: true });
});

test('hotkeys are opt-in and never place an order', async ({ page }) => {
  await openTerminal(page);
  await page.getByLabel(/^Hotkeys/).check();
  await page.locator('body').click({ position: { x: 5, y: 300 } });
  await page.keyboard.press('s');
  await expect(page.getByTestId('order-form').getByRole('radio', { name: 'Sell / Short' })).toHaveAttribute('aria-checked', 'true');
  await page.keyboard.type('0.001');
  await page.keyboard.press('Enter');
  await page.waitForTimeout(500);
  const open = await api(server, trader, 'GET', '/fapi/v1/openOrders', { symbol: 'BTCUSDT' }) as unknown[];
  expect(open).toHaveLength(1);
});
