/**
 * The story walkthrough on a live venue (operator, manual price mode) ends in a liquidation, and
 * that liquidation has its "why" page: facts, timeline chart, what would have saved it. Also an
 * account sees only its own liquidations.
 */
import { expect, test } from '@playwright/test';
import { signedFetch } from '../api/support/server.js';
import { account, login, startVenue, type ServerProcess } from './support/venue.js';

let server: ServerProcess;
test.beforeAll(async () => { server = await startVenue(); });
test.afterAll(async () => { await server.dispose(); });

test('the story liquidates the 100x trader and the why page explains it @heavy', async ({ page }) => {
  await login(page, server, 'operator');
  await page.goto(`${server.url}/story`);
  const next = page.getByTestId('story-next');
  for (let step = 0; step < 7; step++) {
    await expect(next).toBeEnabled({ timeout: 60_000 });
    await next.click();
    await expect(next).toHaveText(/Run:|Finished/, { timeout: 60_000 });
  }
  await expect(next).toHaveText('Finished', { timeout: 60_000 });
  // The engine's liquidation prices of the story (test/engine/story.test.ts): 43,304.78 → 42,309.10 → 41,438.19.
  const log = page.getByTestId('story-log');
  await expect(log).toContainText('43,304.78');
  await expect(log).toContainText('42,309.10');
  await expect(log).toContainText('41,438.19');
  await page.getByTestId('story-why').click();
  const why = page.getByTestId('why-page');
  await expect(why).toBeVisible();
  await expect(why.getByRole('heading', { level: 1 })).toContainText('BTCUSDT');
  await expect(page.getByTestId('why-facts')).toContainText('Auto-deleveraging');
  await expect(page.getByTestId('why-saved')).toContainText('more margin');
  await expect(page.getByTestId('surviving-leverage')).toHaveText(/^\d+x$/);
  await expect(page.getByTestId('why-chart').locator('canvas').first()).toBeVisible();
  await page.screenshot({ path: '.tmp/why.png', fullPage: true });

  // Another account's report is invisible to an account (-9004, as a missing one).
  const stranger = await account(server);
  const answer = await signedFetch(server.url, stranger, 'GET', '/perpx/v1/liquidations/why', { id: 1 });
  expect(answer.body).toMatchObject({ code: -9004 });
  const own = await signedFetch(server.url, stranger, 'GET', '/perpx/v1/liquidations');
  expect(own.body).toEqual([]);
});
