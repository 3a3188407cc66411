/**
 * The order book's sequence checks in a real browser against a real server: one depth delta is
 * dropped on its way to the page (Playwright's WebSocket routing); the page must notice the gap,
 * resync from a fresh snapshot, and end with exactly the REST depth — no ghost level left over.
 */
import { expect, test } from '@playwright/test';
import { publicFetch } from '../api/support/server.js';
import { account, api, login, startVenue, type ServerProcess } from './support/venue.js';

const SUBSCRIBE_DELAY_MS = 1_500;

let server: ServerProcess;
test.beforeAll(async () => { server = await startVenue(); });
test.afterAll(async () => { await server.dispose(); });

test('a dropped depth delta triggers a resync and the book equals REST depth', async ({ page }) => {
  const trader = await account(server);
  const viewer = await account(server);
  let drop = false;
  let dropped = 0;
  await page.routeWebSocket(/\/stream$/, (ws) => {
    const upstream = ws.connectToServer();
    // The subscription reaches the server late, as on a slow link: a page that fetched its snapshot
    // before the server had the subscription would miss the next diff and never see the order.
    ws.onMessage((message) => {
      if (typeof message === 'string' && message.includes('SUBSCRIBE')) setTimeout(() => upstream.send(message), SUBSCRIBE_DELAY_MS);
      else upstream.send(message);
    });
    upstream.onMessage((message) => {
      if (drop && typeof message === 'string' && message.includes('depthUpdate')) {
        drop = false;
        dropped++;
        return;
      }
      ws.send(message);
    });
  });
  await login(page, server, viewer);
  await page.goto(`${server.url}/trade/BTCUSDT`);
  const book = page.getByTestId('order-book');
  await expect(book).toHaveAttribute('data-connection', 'LIVE');
  await api(server, trader, 'POST', '/fapi/v1/order', { symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', quantity: '0.5', price: '59800', timeInForce: 'GTC' });
  await expect(book.locator('tbody.bids')).toContainText('59800.0');
  drop = true;
  // This removal is lost on the way: without a resync 59800 would stay on the page as a ghost level.
  await api(server, trader, 'DELETE', '/fapi/v1/allOpenOrders', { symbol: 'BTCUSDT' });
  await expect.poll(() => dropped).toBe(1);
  // The next delta's pu names the lost one: the page must see the gap.
  await api(server, trader, 'POST', '/fapi/v1/order', { symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', quantity: '0.2', price: '59700', timeInForce: 'GTC' });
  await api(server, trader, 'POST', '/fapi/v1/order', { symbol: 'BTCUSDT', side: 'SELL', type: 'LIMIT', quantity: '0.3', price: '60200', timeInForce: 'GTC' });
  await expect(book).not.toHaveAttribute('data-resyncs', '0');
  await expect(book).toHaveAttribute('data-connection', 'LIVE');
  const rest = (await publicFetch(server.url, '/fapi/v1/depth?symbol=BTCUSDT&limit=20')).body as
    { lastUpdateId: number; bids: [string, string][]; asks: [string, string][] };
  await expect.poll(async () => Number(await book.getAttribute('data-seq'))).toBeGreaterThanOrEqual(rest.lastUpdateId);
  const rows = async (side: 'bids' | 'asks'): Promise<string[][]> => book.locator(`tbody.${side} tr`).evaluateAll((trs) =>
    trs.map((tr) => [...tr.querySelectorAll('td')].slice(0, 2).map((td) => td.textContent ?? '')));
  expect(rest.bids).toEqual([['59700.0', '0.200']]);
  expect(await rows('bids')).toEqual(rest.bids);
  expect((await rows('asks')).reverse()).toEqual(rest.asks);
});
