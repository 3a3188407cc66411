/**
 * Live driver: through a Venue, the index moves, makers quote, and a restart reuses the agents'
 * accounts from the state file.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createOrderBook, DEFAULT_INSTRUMENTS, Engine } from '../../src/core/index.js';
import { startMarketDriver } from '../../src/sim/drivers.js';
import { loadCandleFile } from '../../src/sim/data/load.js';
import { STATE_FILE } from '../../src/sim/live/state-file.js';
import { MemoryVenue } from '../../src/venue/memory-venue.js';
import { FIXTURES } from './support.js';

const dir = mkdtempSync(join(tmpdir(), 'perpx-driver-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('startMarketDriver', () => {
  it('runs a synthetic market through the venue and reuses its accounts after a restart', async () => {
    const venue = new MemoryVenue(new Engine({ instruments: DEFAULT_INSTRUMENTS, bookFactory: createOrderBook }));
    let commands = 0;
    venue.subscribe(() => commands++);
    const driver = await startMarketDriver(venue, { source: 'sim', speed: 120, tickMs: 20, seed: 3, stateDir: dir });
    await sleep(700);
    await driver.stop();
    const engine = venue.engine;
    const market = engine.market('BTCUSDT');
    expect(market.indexTicks).toBeGreaterThan(0);
    expect(market.markTicks).toBeGreaterThan(0);
    const depth = engine.depth('BTCUSDT', 5);
    expect(depth.bids.length).toBeGreaterThan(0);
    expect(depth.asks.length).toBeGreaterThan(0);
    expect(depth.bids[0]!.priceTicks).toBeLessThan(depth.asks[0]!.priceTicks);
    expect(engine.checkInvariants()).toEqual([]);
    const state = JSON.parse(readFileSync(join(dir, STATE_FILE), 'utf8')) as { accounts: Record<string, number> };
    const accounts = engine.ledger().accounts;
    expect(Object.keys(state.accounts).length).toBe(accounts);
    expect(commands).toBeGreaterThan(accounts * 2);
    // Restart on the same venue state: no new accounts, and the path goes on from the venue's last
    // index (moved here to 60,600) instead of starting again at 60,000.
    await venue.submit({ type: 'SetIndexPrice', symbol: 'BTCUSDT', priceTicks: 606_000 });
    const indexes: number[] = [];
    venue.subscribe((entry) => {
      for (const e of entry.events) if (e.type === 'IndexPriceUpdated' && e.symbol === 'BTCUSDT') indexes.push(e.indexTicks);
    });
    const again = await startMarketDriver(venue, { source: 'sim', speed: 120, tickMs: 20, seed: 3, stateDir: dir });
    await sleep(300);
    await again.stop();
    expect(indexes.length).toBeGreaterThan(0);
    for (const ticks of indexes) expect(Math.abs(ticks - 606_000)).toBeLessThan(3_000);
    expect(engine.ledger().accounts).toBe(accounts);
    expect(engine.depth('BTCUSDT', 1).bids.length).toBe(1);
    expect(engine.checkInvariants()).toEqual([]);
  });

  it('replays a candle file as the index', async () => {
    const venue = new MemoryVenue(new Engine({ instruments: DEFAULT_INSTRUMENTS, bookFactory: createOrderBook }));
    const indexes: number[] = [];
    venue.subscribe((entry) => {
      for (const e of entry.events) if (e.type === 'IndexPriceUpdated') indexes.push(e.indexTicks);
    });
    const driver = await startMarketDriver(venue, { source: `replay:${join(FIXTURES, 'synthetic-1m.csv')}`, speed: 600, tickMs: 20 });
    await sleep(500);
    await driver.stop();
    expect(indexes.length).toBeGreaterThan(10);
    expect(indexes[0]).toBe(500000); // the fixture's first open, 50,000.0
    const candles = loadCandleFile(join(FIXTURES, 'synthetic-1m.csv')).candles;
    const low = Math.min(...candles.map((c) => c.low));
    const high = Math.max(...candles.map((c) => c.high));
    for (const ticks of indexes) {
      expect(ticks / 10).toBeGreaterThanOrEqual(low);
      expect(ticks / 10).toBeLessThanOrEqual(high);
    }
    await expect(startMarketDriver(venue, { source: 'nope' })).rejects.toThrow(/unknown price source/);
  });
});
