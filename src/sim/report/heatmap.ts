/**
 * @module sim/report/heatmap
 * The liquidation-price heatmap: at each snapshot (report.heatmapEveryMs), the notional of every
 * open position binned by the price at which the engine would liquidate it, over a price range
 * around the replay's index (30 % below its low to 30 % above its high, where leveraged positions
 * sit). Bright bands just under the price are the fuel of the next cascade.
 */
import { compileInstrument } from '../../core/index.js';
import type { SimResult } from '../run/batch.js';
import { heatmapSvg } from './svg.js';

const BINS = 60;
const MARGIN = 0.3;

export function liquidationHeatmapSvg(result: SimResult): string {
  const snapshots = result.recorder.heatmap;
  const instrument = compileInstrument(result.instrument);
  const tick = Number(instrument.tick.digits) / 10 ** instrument.tick.scale;
  let low = Infinity;
  let high = 0;
  for (const s of snapshots) {
    low = Math.min(low, s.indexTicks * tick);
    high = Math.max(high, s.indexTicks * tick);
  }
  const from = low * (1 - MARGIN);
  const to = high * (1 + MARGIN);
  const binSize = (to - from) / BINS;
  const cells = snapshots.map((s) => {
    const col = new Array<number>(BINS).fill(0);
    for (const [priceTicks, notional] of s.positions) {
      const b = Math.floor((priceTicks * tick - from) / binSize);
      if (b >= 0 && b < BINS) col[b]! += notional;
    }
    return col;
  });
  return heatmapSvg({
    title: 'Where open positions would be liquidated (notional per price band, sampled over the replay)',
    timesMs: snapshots.map((s) => s.atMs), cells, priceFrom: from, binSize, index: snapshots.map((s) => s.indexTicks * tick),
  });
}
