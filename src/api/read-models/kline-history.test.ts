import { describe, expect, it } from 'vitest';
import { importKlineHistory } from './kline-history.js';
import { KlineModel } from './klines.js';
import { ReadStore } from './store.js';

const DAY = 86_400_000;
const T0 = 20_000 * DAY;

describe('kline history', () => {
  it('writes file candles before the venue\'s first candle, aggregated to the coarser bases, once', () => {
    const store = new ReadStore(undefined);
    const klines = new KlineModel(store);
    // The venue's own first trade, two days after the file starts.
    klines.onTrade('BTCUSDT', 1, 700_000, 3, 0n, true, T0 + 2 * DAY + 5_000);
    const candles = [0, 1, 2].map((day) => ({ openTimeMs: T0 + day * DAY, openTicks: 600_000 + day, highTicks: 610_000,
      lowTicks: 590_000, closeTicks: 600_001 + day, volumeLots: 10 }));
    const history = { symbol: 'BTCUSDT', intervalMs: DAY, candles };
    expect(importKlineHistory(store, history, T0 + 10 * DAY)).toBe(2);
    const daily = klines.query('BTCUSDT', 'trade', '1d', { startTime: T0, limit: 10 });
    expect(daily.map((row) => [(row.openTimeMs - T0) / DAY, row.close, row.volumeLots])).toEqual([[0, 600_001, 10], [1, 600_002, 10],
      [2, 700_000, 3]]);
    expect(klines.query('BTCUSDT', 'trade', '1w', { startTime: T0 - 7 * DAY, limit: 10 }).reduce((sum, row) => sum + row.volumeLots, 0))
      .toBe(23);
    // A restart imports nothing again: the earliest stored candle is now the file's first.
    expect(importKlineHistory(store, history, T0 + 10 * DAY)).toBe(0);
    store.close();
  });
});
