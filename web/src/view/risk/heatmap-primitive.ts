/**
 * The liquidation heatmap drawn over a lightweight-charts price series (a series primitive): at
 * each price level, a bar from the right edge whose length is the notional that liquidates there
 * (longs and shorts side by side, longs first), scaled to the largest level. Its levels join the
 * price scale's autoscale, so levels away from the candles stay in view.
 */
import type {
  AutoscaleInfo, IPrimitivePaneRenderer, IPrimitivePaneView, ISeriesApi, ISeriesPrimitive, SeriesAttachedParameter, SeriesType, Time,
} from 'lightweight-charts';

export interface HeatBar { readonly price: number; readonly long: number; readonly short: number }

type DrawTarget = Parameters<IPrimitivePaneRenderer['draw']>[0];

/** Longest bar, as a share of the pane's width. */
const MAX_BAR_SHARE = 0.4;
/** A level narrower than this on screen is drawn this thick, so that it shows. */
const MIN_BAR_PX = 3;
export const HEAT_COLORS = { long: 'rgba(229, 72, 77, 0.75)', short: 'rgba(38, 162, 105, 0.75)' };

export class HeatmapPrimitive implements ISeriesPrimitive<Time> {
  private bars: readonly HeatBar[] = [];
  private step = 0;
  private series: ISeriesApi<SeriesType, Time> | undefined;
  private requestUpdate: (() => void) | undefined;
  private readonly view: IPrimitivePaneView = { zOrder: () => 'bottom', renderer: () => ({ draw: (target) => this.draw(target) }) };

  attached(param: SeriesAttachedParameter<Time>): void {
    this.series = param.series;
    this.requestUpdate = param.requestUpdate;
  }

  detached(): void {
    this.series = undefined;
    this.requestUpdate = undefined;
  }

  paneViews(): readonly IPrimitivePaneView[] {
    return [this.view];
  }

  autoscaleInfo(): AutoscaleInfo | null {
    if (this.bars.length === 0) return null;
    const prices = this.bars.map((bar) => bar.price);
    return { priceRange: { minValue: Math.min(...prices), maxValue: Math.max(...prices) + this.step } };
  }

  setBars(bars: readonly HeatBar[], step: number): void {
    this.bars = bars;
    this.step = step;
    this.requestUpdate?.();
  }

  private draw(target: DrawTarget): void {
    const series = this.series;
    if (series === undefined || this.bars.length === 0) return;
    const largest = Math.max(...this.bars.map((bar) => bar.long + bar.short));
    if (largest <= 0) return;
    target.useMediaCoordinateSpace(({ context, mediaSize }) => {
      const scale = (mediaSize.width * MAX_BAR_SHARE) / largest;
      for (const bar of this.bars) {
        const top = series.priceToCoordinate(bar.price + this.step);
        const bottom = series.priceToCoordinate(bar.price);
        if (top === null || bottom === null) continue;
        const height = Math.max(MIN_BAR_PX, Math.abs(bottom - top) - 0.5);
        const y = Math.min(top, bottom);
        let right = mediaSize.width;
        for (const [value, color] of [[bar.long, HEAT_COLORS.long], [bar.short, HEAT_COLORS.short]] as const) {
          if (value <= 0) continue;
          const width = Math.max(1, value * scale);
          context.fillStyle = color;
          context.fillRect(right - width, y, width, height);
          right -= width;
        }
      }
    });
  }
}
