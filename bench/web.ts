/**
 * Web UI page-load budget: `npm run bench -- web [--json] [--runs N]`.
 * Builds the UI, sums the gzip size of the JavaScript it ships (budget 300 KB), starts a real
 * `perpx serve` (manual prices, one resting order on each side), logs in with Debian's Chromium
 * and measures, over N cold page loads (fresh browser context, so no cache), the time from
 * navigation start to the terminal's first complete render: the order book LIVE with its rows and
 * the chart's candles drawn (budget 1.5 s on loopback).
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { signedFetch, startServerProcess } from '../test/api/support/server.js';

const ROOT = join(import.meta.dirname, '..');
const JS_BUDGET_BYTES = 300 * 1024;
const FIRST_RENDER_BUDGET_MS = 1500;

export async function runWebBench(argv: string[]): Promise<void> {
  const json = argv.includes('--json');
  const runsAt = argv.indexOf('--runs');
  const runs = runsAt >= 0 ? Number(argv[runsAt + 1]) : 5;
  execFileSync(process.execPath, [join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--config', 'vite.web.config.ts', '--logLevel', 'warn'],
    { cwd: ROOT, stdio: 'inherit' });
  const assets = join(ROOT, 'dist', 'web', 'assets');
  const jsGzipBytes = readdirSync(assets).filter((name) => name.endsWith('.js'))
    .reduce((total, name) => total + gzipSync(readFileSync(join(assets, name)), { level: 9 }).length, 0);
  const server = await startServerProcess(['--no-fsync', '--rate-limit-weight', '1000000']);
  const browser = await chromium.launch({ executablePath: process.env['PERPX_CHROMIUM'] ?? '/usr/bin/chromium',
    args: ['--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
  const timings: number[] = [];
  try {
    await server.admin.setIndexPrice('BTCUSDT', '60000');
    const trader = await server.admin.createAccount('100000');
    for (const [side, price] of [['BUY', '59900'], ['SELL', '60100']]) {
      await signedFetch(server.url, trader, 'POST', '/fapi/v1/order', { symbol: 'BTCUSDT', side: side!, type: 'LIMIT', quantity: '0.1', price: price!, timeInForce: 'GTC' });
    }
    for (let run = 0; run < runs; run++) {
      const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
      const login = await context.request.post(`${server.url}/perpx/v1/session`, { data: { apiKey: trader.apiKey, apiSecret: trader.apiSecret } });
      if (!login.ok()) throw new Error(`login failed: ${login.status()}`);
      const page = await context.newPage();
      await page.goto(`${server.url}/trade/BTCUSDT`, { waitUntil: 'commit' });
      await page.waitForSelector('[data-testid=order-book][data-connection=LIVE] tbody.bids tr');
      await page.waitForSelector('[data-testid=price-chart][data-candles]');
      timings.push(await page.evaluate(() => performance.now()));
      await context.close();
    }
  } finally {
    await browser.close();
    await server.dispose();
  }
  const sorted = [...timings].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)]!;
  const result = { bench: 'web', jsGzipBytes, jsBudgetBytes: JS_BUDGET_BYTES, firstRenderMs: timings.map((t) => Math.round(t)),
    firstRenderMedianMs: Math.round(median), firstRenderBudgetMs: FIRST_RENDER_BUDGET_MS,
    withinBudget: jsGzipBytes <= JS_BUDGET_BYTES && median <= FIRST_RENDER_BUDGET_MS };
  if (json) console.log(JSON.stringify(result));
  else {
    console.log(`JS shipped: ${(jsGzipBytes / 1024).toFixed(1)} KB gzip (budget ${JS_BUDGET_BYTES / 1024} KB)`);
    console.log(`first render of the terminal: median ${result.firstRenderMedianMs} ms over ${runs} cold loads ${JSON.stringify(result.firstRenderMs)} (budget ${FIRST_RENDER_BUDGET_MS} ms)`);
    console.log(result.withinBudget ? 'within budget' : 'OVER BUDGET');
  }
  if (!result.withinBudget) process.exitCode = 1;
}
