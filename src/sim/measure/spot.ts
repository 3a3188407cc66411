/**
 * @module sim/measure/spot
 * The spot candles a replay's index followed, as floats over [from, to]: the same files, joins and
 * rescale as the run (scenario/index-data.ts), so the basis is measured against exactly the prices
 * the index was built from.
 */
import type { Candle } from '../data/candle.js';
import type { SimResult } from '../run/batch.js';
import { loadIndexData } from '../scenario/index-data.js';
import { scenarioDataFiles } from '../scenario/load.js';

export function spotCandles(result: SimResult, fromMs: number, toMs: number): Candle[] {
  const data = loadIndexData({
    files: scenarioDataFiles(result.spec), rescaleTo: result.spec.data.rescaleTo, baseDir: result.baseDir,
    fromMs: result.data.candles[0]!.openTimeMs, toMs,
  });
  return data.candles.map((c) => c.candle).filter((c) => c.openTimeMs >= fromMs);
}
