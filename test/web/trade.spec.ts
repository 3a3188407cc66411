/**
 * The terminal end to end against a real perpx serve: log in, place a limit order and see it rest,
 * cross it from another account (logged in in a second browser) and see the fill, the position and
 * the liquidation line; the crossing order's previewed liquidation price equals the API's
 * positionRisk after the fill.
 */
import { expect, test } from '@playwright/test';
import { account, api, login, startVenue, type ServerProcess } from './support/venue.js';

let server: ServerProcess;
test.beforeAll(async () => { server = await startVenue(); });
test.afterAll(async () => { await server.dispose(); });

test('limit order rests, another account crosses it, fill, position and liquidation line appear', async ({ page, browser }) => {
  const maker = await account(server, '1000');
  const taker = await account(server, '1000');
  await login(page, server, maker);
  await page.goto(`${server.url}/trade/BTCUSDT`);
  const book = page.getByTestId('order-book');
  await expect(book).toHaveAttribute('data-connection', 'LIVE');
  const form = page.getByTestId('order-form');
  await form.getByRole('textbox', { name: /^Price/ }).fill('59900');
  await form.getByRole('textbox', { name: /^Quantity/ }).fill('0.100');
  await expect(form.getByTestId('liq-after')).not.toHaveText('—');
  // Enter in a field never places an order.
  await form.getByRole('textbox', { name: /^Quantity/ }).press('Enter');
  await page.waitForTimeout(300);
  expect(await api(server, maker, 'GET', '/fapi/v1/openOrders', { symbol: 'BTCUSDT' })).toEqual([]);
  await form.getByTestId('place-order').click();
  await expect(form.getByText('Buy 0.100 BTCUSDT placed.')).toBeVisible();
  await page.getByRole('tab', { name: /Open orders/ }).click();
  await expect(page.getByTestId('open-orders').getByRole('cell', { name: '0.000 / 0.100' })).toBeVisible();
  await expect(book.locator('tbody.bids tr').first()).toContainText('59900.0');

  // The other account crosses it from its own browser, with a market sell previewed by the engine.
  const context = await browser.newContext();
  const other = await context.newPage();
  await login(other, server, taker);
  await other.goto(`${server.url}/trade/BTCUSDT`);
  await expect(other.getByTestId('order-book').locator('tbody.bids tr').first()).toContainText('59900.0');
  const otherForm = other.getByTestId('order-form');
  await otherForm.getByRole('radio', { name: 'Sell / Short' }).click();
  await otherForm.getByTestId('order-type').selectOption('MARKET');
  await otherForm.getByRole('textbox', { name: /^Quantity/ }).fill('0.100');
  const previewed = otherForm.getByTestId('liq-after');
  await expect(previewed).toHaveText(/^\d[\d,]*\.\d$/);
  const shown = (await previewed.textContent())!;
  const previewedText = shown.replace(/,/g, '');
  await otherForm.getByTestId('place-order').click();
  await expect(otherForm.getByText('Sell 0.100 BTCUSDT placed.')).toBeVisible();
  const risk = await api(server, taker, 'GET', '/fapi/v2/positionRisk', { symbol: 'BTCUSDT' }) as { liquidationPrice: string; positionAmt: string }[];
  expect(risk[0]!.positionAmt).toBe('-0.100');
  // positionRisk is the exact fraction truncated to 8 decimals; the engine's tick value rounds it half up.
  const exact = risk[0]!.liquidationPrice;
  const [whole, fraction = ''] = exact.split('.');
  const tenths = BigInt(`${whole}${fraction.padEnd(8, '0')}`);
  const ticks = (tenths + 5_000_000n) / 10_000_000n;
  expect(previewedText).toBe(`${ticks / 10n}.${ticks % 10n}`);
  await expect(other.getByTestId('position-liq-BTCUSDT')).toHaveText(shown);
  await context.close();

  // Back on the maker's page: the fill, the position, the liquidation line on the chart.
  await page.getByRole('tab', { name: /Positions/ }).click();
  const positions = page.getByTestId('positions');
  await expect(positions.getByRole('cell', { name: '0.100', exact: true })).toBeVisible();
  const liq = page.getByTestId('position-liq-BTCUSDT');
  await expect(liq).toHaveText(/^\d[\d,]*\.\d$/);
  const chart = page.getByTestId('price-chart');
  await expect(chart).toHaveAttribute('data-liquidation-line', (await liq.textContent())!.replace(/,/g, ''));
  await expect(chart).toHaveAttribute('data-entry-line', '59900.0');
  await expect(chart).not.toHaveAttribute('data-markers', '0');
  await page.getByRole('tab', { name: 'Trades' }).click();
  await expect(page.getByTestId('trade-history').getByRole('cell', { name: 'maker' })).toBeVisible();
});
