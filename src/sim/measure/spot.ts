/**
 * @module sim/measure/spot
 * The spot candles a replay's index followed, as floats over [from, to]: the same files, joins and
 * rescale as the run (scenario/index-data.ts), so the basis is measured against exactly the prices
 * the index was built from.
 */
import type { SimResult } from '../run/batch.js';
import { loadIndexData, type IndexCandle } from '../scenario/index-data.js';
import { scenarioDataFiles } from '../scenario/load.js';

export function spotCandles(result: SimResult, fromMs: number, toMs: number): IndexCandle[] {
  const data = loadIndexData({
    files: scenarioDataFiles(result.spec), rescaleTo: result.spec.data.rescaleTo, baseDir: result.baseDir,
    fromMs: result.data.candles[0]!.openTimeMs, toMs,
  });
  return data.candles.filter((c) => c.candle.openTimeMs >= fromMs);
}
