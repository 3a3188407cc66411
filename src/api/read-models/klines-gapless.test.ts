import { describe, expect, it } from 'vitest';
import { KlineModel } from './klines.js';
import { ReadStore } from './store.js';

const MINUTE = 60_000;
const T0 = 1_700_000_040_000 - (1_700_000_040_000 % (5 * MINUTE));

describe('gapless klines', () => {
  it('fills quiet periods up to now at the previous close with zero volume, from the first candle on', () => {
    const store = new ReadStore(undefined);
    const klines = new KlineModel(store);
    klines.onTrade('BTCUSDT', 1, 600_000, 5, 0n, true, T0 + 1_000);
    klines.onTrade('BTCUSDT', 2, 600_100, 5, 0n, false, T0 + 3 * MINUTE + 1_000);
    const now = T0 + 6 * MINUTE + 5_000;
    const rows = klines.query('BTCUSDT', 'trade', '1m', { limit: 500, nowMs: now });
    expect(rows.map((row) => (row.openTimeMs - T0) / MINUTE)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(rows.map((row) => [row.close, row.volumeLots])).toEqual([
      [600_000, 5], [600_000, 0], [600_000, 0], [600_100, 5], [600_100, 0], [600_100, 0], [600_100, 0]]);
    // A window that starts in a gap takes the close before it; the newest `limit` periods end at now.
    const window = klines.query('BTCUSDT', 'trade', '1m', { startTime: T0 + 2 * MINUTE, limit: 2, nowMs: now });
    expect(window.map((row) => [(row.openTimeMs - T0) / MINUTE, row.open, row.volumeLots])).toEqual([[2, 600_000, 0], [3, 600_100, 5]]);
    const newest = klines.query('BTCUSDT', 'trade', '1m', { limit: 2, nowMs: now });
    expect(newest.map((row) => (row.openTimeMs - T0) / MINUTE)).toEqual([5, 6]);
    expect(klines.query('BTCUSDT', 'trade', '5m', { limit: 10, nowMs: now }).map((row) => [row.openTimeMs - T0, row.volumeLots]))
      .toEqual([[0, 10], [5 * MINUTE, 0]]);
    expect(klines.query('ETHUSDT', 'trade', '1m', { limit: 10, nowMs: now })).toEqual([]);
    // Without `nowMs`, stored candles only (the ticker's and the operator views' reads).
    expect(klines.query('BTCUSDT', 'trade', '1m', { limit: 500 })).toHaveLength(2);
    store.close();
  });
});
