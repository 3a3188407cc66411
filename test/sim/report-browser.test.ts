/**
 * report.html in a real browser (Debian's Chromium through playwright-core): every chart draws
 * without a script error, and every y-axis label fits the width uPlot gives its axis — the defect
 * this guards against showed 45,000 as "5,000" and an insurance fund of 2,000,000 as "0,000".
 * The report here is a 19 May 2021 crash replay (BTC near 40,000, a fund in the millions), or a
 * synthetic market when the real data is absent.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPORT_CHARTS } from '../../src/sim/report/html.js';
import { runScenario } from '../../src/sim/run/batch.js';
import { writeRunDirectory } from '../../src/sim/run/output.js';
import { hasData, scenario } from './support.js';

const CHROMIUM = '/usr/bin/chromium';
const present = existsSync(CHROMIUM);
if (!present) console.warn(`[sim tests] ${CHROMIUM} is absent: skipping the report browser test (apt-get install chromium)`);
const MAY19 = 'btcusdt-1m-2021-05-17_2021-05-20.csv';

interface AxisFit {
  readonly chart: string;
  readonly labels: readonly string[];
  readonly widest: number;
  readonly room: number;
}

describe.runIf(present)('report.html in Chromium', () => {
  const dir = mkdtempSync(join(tmpdir(), 'perpx-report-'));
  let browser: Browser;
  beforeAll(async () => {
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  });
  afterAll(async () => {
    await browser?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('draws every chart with y-axis labels that fit their axis', async () => {
    const real = hasData(MAY19);
    const result = runScenario(scenario({
      seed: 3,
      data: real ? { file: MAY19, window: { start: '2021-05-19T13:00:00Z', end: '2021-05-19T13:20:00Z' } }
        : { synthetic: { durationHours: 0.4, startPrice: 45_000, annualVol: 3 } },
      engine: { insuranceFundUsdt: 2_000_000 },
      agents: [
        { type: 'marketMaker', name: 'mm', count: 2, capitalUsdt: 5_000_000, params: { levels: 3, levelQty: 0.3, backstopBps: [100, 300] } },
        { type: 'retail', count: 40, capitalUsdt: [200, 5_000], params: { meanEntryIntervalSec: [10, 60], meanHoldSec: [60, 600] } },
      ],
      accounts: [{ name: 'scalper', capitalUsdt: 500, agent: { type: 'scalper' } }],
    }));
    writeRunDirectory(result, dir);
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(String(error)));
    page.on('console', (message) => { if (message.type() === 'error') errors.push(message.text()); });
    await page.goto(`file://${join(dir, 'report.html')}`);
    await page.waitForFunction('window.perpxCharts !== undefined');
    expect(errors).toEqual([]);
    for (const id of REPORT_CHARTS) {
      const box = await page.locator(`#${id}`).boundingBox();
      expect(box?.height ?? 0, id).toBeGreaterThan(100);
    }
    // Runs in the page (the test's TypeScript has no DOM types, so the script is text).
    const fits = await page.evaluate<AxisFit[]>(`window.perpxCharts.map((u) => {
      const axis = u.axes[1];
      const measure = document.createElement('canvas').getContext('2d');
      measure.font = Array.isArray(axis.font) ? axis.font[0] : axis.font;
      const labels = axis._values || [];
      return {
        chart: u.root.parentElement ? u.root.parentElement.id : '?', labels,
        widest: Math.max(0, ...labels.map((l) => measure.measureText(l).width)),
        room: axis._size - axis.ticks.size - axis.gap,
      };
    })`);
    expect(fits.length).toBeGreaterThanOrEqual(7);
    for (const fit of fits) expect(fit.widest, `${fit.chart}: ${fit.labels.join(' | ')}`).toBeLessThanOrEqual(fit.room);
    // Thousands separators on prices and the fund.
    const price = fits.find((f) => f.chart === 'chart-price')!;
    expect(price.labels.some((l) => /^\d{2},\d{3}$/.test(l))).toBe(true);
    const fund = fits.find((f) => f.chart === 'chart-insurance')!;
    expect(fund.labels.some((l) => /^\d,\d{3},\d{3}$/.test(l))).toBe(true);
  });
});
