/**
 * Candle loader: both CSV layouts, header or not, ms or µs open times, and clear errors.
 */
import { describe, expect, it } from 'vitest';
import { parseDecimal } from '../../src/core/index.js';
import { CandleFormatError, parseCandleCsv, sliceCandles } from '../../src/sim/data/csv.js';
import { loadCandleFile } from '../../src/sim/data/load.js';
import { decimalTextToTicks, toTickCandle } from '../../src/sim/data/ticks.js';
import { DATA_DIR, FIXTURES, hasData } from './support.js';
import { join } from 'node:path';

const T = 1621382400000;
const simple = `open_time_ms,open,high,low,close,volume
${T},42882.54,43156.34,42870.89,42962.73,1009.048
${T + 60000},42962.59,42965.18,42596.11,42724.06,1816.072
`;
const kline = (time: (t: number) => number): string => [
  `${time(T)},42882.54,43156.34,42870.89,42962.73,1009.048,${time(T) + 59999},43400000.1,12000,500.1,21500000.2,0`,
  `${time(T + 60000)},42962.59,42965.18,42596.11,42724.06,1816.072,${time(T + 60000) + 59999},77600000.1,15000,800.1,34100000.2,0`,
].join('\n');

function expectError(text: string, pattern: RegExp): void {
  let caught: unknown;
  try {
    parseCandleCsv(text, 'x.csv');
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(CandleFormatError);
  expect((caught as Error).message).toMatch(pattern);
}

describe('candle CSV loader', () => {
  it('reads the simple layout with a header', () => {
    const s = parseCandleCsv(simple, 'a.csv');
    expect(s.candles).toHaveLength(2);
    expect(s.intervalMs).toBe(60_000);
    expect(s.candles[1]).toMatchObject({ openTimeMs: T + 60000, open: 42962.59, low: 42596.11, volume: 1816.072 });
    expect(s.candles[1]!.text).toEqual(['42962.59', '42965.18', '42596.11', '42724.06']);
  });

  it('reads the simple layout without a header', () => {
    const s = parseCandleCsv(simple.split('\n').slice(1).join('\n'), 'a.csv');
    expect(s.candles.map((c) => c.openTimeMs)).toEqual([T, T + 60000]);
  });

  it('reads the 12-column Binance kline layout, with and without header, ms and µs', () => {
    const header = 'open_time,open,high,low,close,volume,close_time,quote_volume,count,taker_buy_volume,taker_buy_quote_volume,ignore\n';
    for (const text of [kline((t) => t), header + kline((t) => t), kline((t) => t * 1000), header + kline((t) => t * 1000)]) {
      const s = parseCandleCsv(text, 'k.csv');
      expect(s.candles.map((c) => c.openTimeMs)).toEqual([T, T + 60000]);
      expect(s.candles[0]!.close).toBe(42962.73);
      expect(s.intervalMs).toBe(60_000);
    }
  });

  it('handles CRLF and blank lines, and reports gaps', () => {
    const text = `${T},1,2,0.5,1.5,1\r\n\r\n${T + 60000},1.5,2,1,1,1\r\n${T + 240000},1,1,1,1,0\r\n${T + 300000},1,1,1,1,0\r\n`;
    const s = parseCandleCsv(text);
    expect(s.candles).toHaveLength(4);
    expect(s.gaps).toEqual([[T + 60000, T + 240000]]);
  });

  it('rejects malformed files with the line and the field', () => {
    expectError('', /no candle rows/);
    expectError('open_time_ms,open,high,low,close,volume\n', /no candle rows/);
    expectError(`${T},1,2,0.5,1.5\n`, /x\.csv:1: 5 columns; expected 6/);
    expectError(`${T},1,2,0.5,1.5,1\n${T + 60000},1,2,0.5,abc,1\n`, /x\.csv:2: close "abc" is not a number/);
    expectError(`${T},1,2,0.5,1.5,1\n${T},1,2,0.5,1.5,1\n`, /x\.csv:2: open time .* is not after/);
    expectError(`${T},1,2,1.2,1.5,1\n`, /open 1 is outside \[low 1\.2, high 2\]/);
    expectError(`${T},1,0.9,0.5,0.7,1\n`, /open 1 is outside/);
    expectError(`${T},1,2,2.5,1.5,1\n`, /high 2 is below low 2\.5/);
    expectError(`${T},1,2,0,1.5,1\n`, /low 0 must be positive/);
    expectError(`${T},1,2,0.5,1.5,1\n${T + 60000},1,2,0.5,1.5,1,1,1,1,1,1,1\n`, /12 columns where earlier rows have 6/);
    expectError('a,b,c\n1,2,3\n', /header has 3 columns/);
    expectError(`${T},1e3,2,0.5,1.5,1\n`, /open "1e3" is not a number/);
  });

  it('slices a window and says what the file covers when the window is empty', () => {
    const s = parseCandleCsv(simple);
    expect(sliceCandles(s, T + 60000, undefined).candles).toHaveLength(1);
    expect(() => sliceCandles(s, T + 3_600_000, undefined)).toThrow(/no candles in the window .*file covers 2021-05-19T00:00:00\.000Z/);
  });

  it('reports a missing file with the places it looked', () => {
    expect(() => loadCandleFile('no-such-file.csv')).toThrow(/file not found \(looked in: .*no-such-file\.csv/);
  });

  it('loads the synthetic fixture', () => {
    const s = loadCandleFile(join(FIXTURES, 'synthetic-1m.csv'));
    expect(s.candles).toHaveLength(30);
    expect(s.gaps).toHaveLength(0);
  });

  it.runIf(hasData('btcusdt-perp-1m-2021-05-19.csv'))('loads the real 19 May 2021 perpetual file', () => {
    const s = loadCandleFile(join(DATA_DIR, 'btcusdt-perp-1m-2021-05-19.csv'));
    expect(s.candles).toHaveLength(1440);
    expect(Math.min(...s.candles.map((c) => c.low))).toBe(28688);
  });
});

describe('prices onto the tick grid', () => {
  const tick = parseDecimal('0.1')!;
  it('rounds exactly in the stated direction', () => {
    expect(decimalTextToTicks('42882.54', tick, 'down')).toBe(428825);
    expect(decimalTextToTicks('42882.54', tick, 'up')).toBe(428826);
    expect(decimalTextToTicks('42882.54', tick, 'nearest')).toBe(428825);
    expect(decimalTextToTicks('42882.55', tick, 'nearest')).toBe(428826);
    expect(decimalTextToTicks('42882.5', tick, 'up')).toBe(428825);
    expect(decimalTextToTicks('-1', tick, 'up')).toBeUndefined();
  });

  it('keeps the tick candle inside the real candle (high down, low up)', () => {
    const [c] = parseCandleCsv(`${T},42882.54,43156.34,42870.89,42962.73,1`).candles;
    const t = toTickCandle(c!, 60_000, tick);
    expect(t).toMatchObject({ openTicks: 428825, highTicks: 431563, lowTicks: 428709, closeTicks: 429627 });
    const [narrow] = parseCandleCsv(`${T},100.01,100.04,100.01,100.03,1`).candles;
    const n = toTickCandle(narrow!, 60_000, tick);
    expect(n.lowTicks).toBe(n.highTicks);
  });
});
