/**
 * The exact liquidation heatmap over the mark-price chart (operator): one-minute mark candles from
 * /fapi/v1/markPriceKlines and, over them, the notional every open position would liquidate at each
 * price level (GET /admin/v1/surveillance/heatmap: the engine's own liquidation prices, summed by
 * surveillance), refreshed every few seconds. The largest levels are also listed in a table, by
 * leverage band, for keyboard and screen-reader users. Publishes its figures as data attributes.
 */
import { CandlestickSeries, createChart, type UTCTimestamp } from 'lightweight-charts';
import type { JSX } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { get } from '../../feed/http.js';
import { add, cmp, dec, format, toNumber } from '../../lib/decimal.js';
import { chartOptions, CHART_COLORS } from '../Chart.js';
import { Notice, Table, time } from '../ui.js';
import { HEAT_COLORS, HeatmapPrimitive } from './heatmap-primitive.js';

interface HeatLevel { price: string; long: string[]; short: string[]; longTotal: string; shortTotal: string }
interface Heatmap {
  symbol: string; seq: number; atMs: number; markPrice: string; step: string; bands: string[]; longTotal: string; shortTotal: string;
  positions: number; unplaced: number; levels: HeatLevel[];
}

const REFRESH_MS = 3_000;
const CANDLES = 120;
const TOP_LEVELS = 10;

export function HeatmapPanel(props: { symbols: readonly string[] }): JSX.Element {
  const [symbol, setSymbol] = useState(props.symbols[0] ?? 'BTCUSDT');
  const [heatmap, setHeatmap] = useState<Heatmap | undefined>(undefined);
  const [error, setError] = useState('');
  const host = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const element = host.current!;
    // Room right of the last candle, where the heat bars grow from.
    const chart = createChart(element, chartOptions());
    chart.timeScale().applyOptions({ rightOffset: 30 });
    const candles = chart.addSeries(CandlestickSeries, { upColor: CHART_COLORS.up, downColor: CHART_COLORS.down, wickUpColor: CHART_COLORS.up,
      wickDownColor: CHART_COLORS.down, borderVisible: false, title: 'Mark' });
    const heat = new HeatmapPrimitive();
    candles.attachPrimitive(heat);
    let live = true;
    const load = (): void => {
      Promise.all([
        get<unknown[][]>('/fapi/v1/markPriceKlines', { symbol, interval: '1m', limit: CANDLES }),
        get<Heatmap>('/admin/v1/surveillance/heatmap', { symbol }),
      ]).then(([rows, map]) => {
        if (!live) return;
        candles.setData(rows.map((row) => ({ time: Math.floor(Number(row[0]) / 1000) as UTCTimestamp, open: Number(row[1]), high: Number(row[2]),
          low: Number(row[3]), close: Number(row[4]) })));
        const bars = map.levels.map((level) => ({ price: toNumber(level.price), long: toNumber(level.longTotal), short: toNumber(level.shortTotal) }))
          .filter((bar) => bar.long > 0 || bar.short > 0);
        heat.setBars(bars, toNumber(map.step));
        element.dataset['levels'] = String(bars.length);
        element.dataset['longTotal'] = map.longTotal;
        element.dataset['shortTotal'] = map.shortTotal;
        setHeatmap(map);
        setError('');
      }, (failure: unknown) => { if (live) setError((failure as Error).message); });
    };
    load();
    const timer = window.setInterval(load, REFRESH_MS);
    return () => { live = false; window.clearInterval(timer); chart.remove(); };
  }, [symbol]);

  const levelTotal = (level: HeatLevel): ReturnType<typeof dec> => add(dec(level.longTotal), dec(level.shortTotal));
  const top = (heatmap?.levels ?? []).filter((level) => cmp(levelTotal(level), dec('0')) > 0)
    .sort((a, b) => cmp(levelTotal(b), levelTotal(a))).slice(0, TOP_LEVELS);
  const bandCells = (values: string[]): string => (heatmap?.bands ?? []).map((band, i) => [band, values[i] ?? '0'] as const)
    .filter(([, value]) => cmp(dec(value), dec('0')) > 0).map(([band, value]) => `${band}: ${format(value, 0, true)}`).join(', ');
  return (
    <section class="heatmap" aria-labelledby="heatmap-title" data-testid="heatmap">
      <div class="panel-head">
        <h2 id="heatmap-title">Liquidation heatmap</h2>
        <label class="inline-field">Symbol <select value={symbol} onChange={(event) => setSymbol(event.currentTarget.value)}>
          {props.symbols.map((name) => <option value={name}>{name}</option>)}</select></label>
      </div>
      {error !== '' && <Notice kind="error">{error}</Notice>}
      <p class="muted small">
        <span class="swatch" style={{ background: HEAT_COLORS.long }} /> longs liquidated at that price
        <span class="swatch" style={{ background: HEAT_COLORS.short }} /> shorts; bar length: notional (USDT).
        {heatmap !== undefined && <> Mark {heatmap.markPrice}, levels of {heatmap.step}; the chart and the table show the levels within
          ±30 % of the mark. In all, {heatmap.positions} positions: longs {format(heatmap.longTotal, 0, true)} and shorts
          {' '}{format(heatmap.shortTotal, 0, true)} USDT liquidate at their prices
          {heatmap.unplaced > 0 ? `; ${heatmap.unplaced} have no level (being liquidated, or never liquidating)` : ''}. As of
          {' '}<span class="time">{time(heatmap.atMs)}</span>.</>}
      </p>
      <div ref={host} class="chart heatmap-chart" data-testid="heatmap-chart" role="group"
        aria-label={`${symbol} mark price, one-minute candles, with the notional that liquidates at each price level (the table below lists the largest)`} />
      <Table caption={`Largest liquidation levels of ${symbol}`} testId="heatmap-levels" columns={[
        { title: 'Price', numeric: true, cell: (l: HeatLevel) => l.price },
        { title: 'Longs (USDT)', numeric: true, cell: (l: HeatLevel) => format(l.longTotal, 2, true) },
        { title: 'Shorts (USDT)', numeric: true, cell: (l: HeatLevel) => format(l.shortTotal, 2, true) },
        { title: 'By leverage band', cell: (l: HeatLevel) => [bandCells(l.long), bandCells(l.short)].filter((text) => text !== '').join(' | ') }]}
      rows={top} rowKey={(l) => l.price} empty="No position liquidates within ±30 % of the mark." />
    </section>
  );
}
