/**
 * @module surveillance/detectors/mark-divergence
 * E7 MARK_DIVERGENCE: the last trade price away from the mark (|last − mark| / mark, at each trade)
 * or the mark away from the index (|mark − index| / index, at each mark update): ≥ 1 % warn, ≥ 5 %
 * high (Binance's PERCENT_PRICE band). Integer arithmetic on ticks.
 */
import { price } from '../../api/format.js';
import type { MarketState } from '../../read/account-state.js';
import type { SurveillanceContext } from '../context.js';
import type { Detector, EventOf } from '../detector.js';
import { Latches } from '../latch.js';
import type { SurveilledEvent } from '../source.js';

export class MarkDivergenceDetector implements Detector {
  readonly name = 'E7';
  readonly events = ['Trade', 'MarkPriceUpdated'] as const;
  private readonly latches: Latches<string>;

  constructor(ctx: SurveillanceContext) {
    this.latches = new Latches(ctx.config.e7.repeatAfterMs);
  }

  onEvent(event: SurveilledEvent, ctx: SurveillanceContext): void {
    if (event.type === 'Trade') {
      const trade = event;
      const market = ctx.state.market(trade.symbol);
      if (market.markTicks > 0) this.check(market, 'LAST_VS_MARK', trade.priceTicks, market.markTicks, trade.atMs, ctx);
      return;
    }
    const mark = event as EventOf<'MarkPriceUpdated'>;
    if (mark.indexTicks > 0) this.check(ctx.state.market(mark.symbol), 'MARK_VS_INDEX', mark.markTicks, mark.indexTicks, mark.atMs, ctx);
  }

  private check(market: MarketState, kind: string, valueTicks: number, referenceTicks: number, atMs: number, ctx: SurveillanceContext): void {
    const { e7 } = ctx.config;
    const gap = Math.abs(valueTicks - referenceTicks) * 10_000;
    const level = gap >= e7.highBps * referenceTicks ? 2 : gap >= e7.warnBps * referenceTicks ? 1 : 0;
    if (!this.latches.update(`${market.marketIndex}:${kind}`, level, atMs)) return;
    const instrument = market.instrument;
    const bps = Math.floor(gap / referenceTicks);
    const [what, against] = kind === 'LAST_VS_MARK' ? ['last', 'mark'] : ['mark', 'index'];
    ctx.emit({
      code: 'E7', severity: level === 2 ? 'high' : 'warn', symbol: market.symbol, accountIds: [], atMs,
      message: `${market.symbol}: ${what} ${price(instrument, valueTicks)} is ${(bps / 100).toFixed(2)} % from the ${against} ${price(instrument, referenceTicks)}`,
      inputs: { kind, [what]: price(instrument, valueTicks), [against]: price(instrument, referenceTicks), divergenceBps: bps },
      threshold: { warnBps: e7.warnBps, highBps: e7.highBps },
    });
  }
}
