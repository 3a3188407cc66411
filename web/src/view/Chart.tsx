/**
 * Candles with volume, mark and index lines, the own position's entry and liquidation price lines,
 * resting-order lines, own fills and liquidations as markers (lightweight-charts v5). The chart is
 * driven imperatively from signals (outside Preact's render), and publishes what it shows as data
 * attributes so tests can read it without pixels.
 */
import { effect } from '@preact/signals';
import {
  CandlestickSeries, createChart, createSeriesMarkers, HistogramSeries, LineSeries, LineStyle, type IChartApi, type IPriceLine,
  type SeriesMarker, type UTCTimestamp,
} from 'lightweight-charts';
import type { JSX } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import { format, toNumber } from '../lib/decimal.js';
import type { AccountState } from '../state/account.js';
import type { MarketState } from '../state/market.js';

export interface Fill { time: number; side: string; price: string; qty: string }

const sec = (ms: number): UTCTimestamp => Math.floor(ms / 1000) as UTCTimestamp;
const minute = (ms: number): UTCTimestamp => sec(Math.floor(ms / 60_000) * 60_000);

export const CHART_COLORS = { up: '#26a269', down: '#e5484d', mark: '#f5a524', index: '#8b9bb4', liq: '#ff5c5c', entry: '#4ea1ff', order: '#9d7cff' };

export function chartOptions(): Parameters<typeof createChart>[1] {
  return {
    autoSize: true,
    layout: { background: { color: '#10151c' }, textColor: '#c9d1d9', fontFamily: 'Liberation Sans, Arial, sans-serif', fontSize: 12 },
    grid: { vertLines: { color: '#1c2430' }, horzLines: { color: '#1c2430' } },
    timeScale: { timeVisible: true, secondsVisible: false, borderColor: '#2a3441' },
    rightPriceScale: { borderColor: '#2a3441' },
    crosshair: { mode: 0 },
  };
}

export function PriceChart(props: { market: MarketState; account: AccountState | undefined; fills: { value: Fill[] } }): JSX.Element {
  const host = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const element = host.current!;
    const decimals = props.market.info.priceDecimals;
    const chart: IChartApi = createChart(element, chartOptions());
    const candles = chart.addSeries(CandlestickSeries, { upColor: CHART_COLORS.up, downColor: CHART_COLORS.down, wickUpColor: CHART_COLORS.up,
      wickDownColor: CHART_COLORS.down, borderVisible: false, priceFormat: { type: 'price', precision: decimals, minMove: 10 ** -decimals } });
    const volume = chart.addSeries(HistogramSeries, { priceScaleId: '', priceFormat: { type: 'volume' }, color: '#2a3441' });
    volume.priceScale().applyOptions({ scaleMargins: { top: 0.82, bottom: 0 } });
    const mark = chart.addSeries(LineSeries, { color: CHART_COLORS.mark, lineWidth: 1, priceLineVisible: false, lastValueVisible: true, title: 'Mark' });
    const index = chart.addSeries(LineSeries, { color: CHART_COLORS.index, lineWidth: 1, lineStyle: LineStyle.Dotted, priceLineVisible: false,
      lastValueVisible: false, title: 'Index' });
    const markers = createSeriesMarkers(candles, []);
    let lines: IPriceLine[] = [];
    const stop: (() => void)[] = [];
    stop.push(effect(() => {
      const rows = props.market.candles.value;
      candles.setData(rows.map((c) => ({ time: minute(c.time), open: toNumber(c.open), high: toNumber(c.high), low: toNumber(c.low), close: toNumber(c.close) })));
      volume.setData(rows.map((c) => ({ time: minute(c.time), value: toNumber(c.volume), color: toNumber(c.close) >= toNumber(c.open) ? '#1d4d3a' : '#5a2328' })));
      element.dataset['candles'] = String(rows.length);
    }));
    stop.push(effect(() => {
      mark.setData(props.market.markLine.value.map((p) => ({ time: minute(p.time), value: toNumber(p.value) })));
      index.setData(props.market.indexLine.value.map((p) => ({ time: minute(p.time), value: toNumber(p.value) })));
    }));
    stop.push(effect(() => {
      const list: SeriesMarker<UTCTimestamp>[] = props.fills.value.map((fill) => ({
        time: minute(fill.time), position: fill.side === 'BUY' ? 'belowBar' : 'aboveBar', shape: fill.side === 'BUY' ? 'arrowUp' : 'arrowDown',
        color: fill.side === 'BUY' ? CHART_COLORS.up : CHART_COLORS.down, text: `${fill.side === 'BUY' ? 'B' : 'S'} ${fill.qty}`,
      }));
      for (const liq of props.market.forceOrders.value) {
        list.push({ time: minute(liq.time), position: 'aboveBar', shape: 'circle', color: CHART_COLORS.liq, text: `LIQ ${liq.qty}` });
      }
      list.sort((a, b) => a.time - b.time);
      markers.setMarkers(list);
      element.dataset['markers'] = String(list.length);
    }));
    stop.push(effect(() => {
      for (const line of lines) candles.removePriceLine(line);
      lines = [];
      const account = props.account;
      if (account === undefined) return;
      const symbol = props.market.info.symbol;
      const position = account.positions.value.find((p) => p.symbol === symbol && toNumber(p.positionAmt) !== 0);
      element.dataset['entryLine'] = '';
      element.dataset['liquidationLine'] = '';
      if (position !== undefined) {
        const entry = format(position.entryPrice, decimals);
        lines.push(candles.createPriceLine({ price: toNumber(entry), color: CHART_COLORS.entry, lineStyle: LineStyle.Dashed, axisLabelVisible: true, title: 'Entry' }));
        element.dataset['entryLine'] = entry;
        if (toNumber(position.liquidationPrice) > 0) {
          const liq = format(position.liquidationPrice, decimals);
          lines.push(candles.createPriceLine({ price: toNumber(liq), color: CHART_COLORS.liq, lineStyle: LineStyle.Dashed, lineWidth: 2,
            axisLabelVisible: true, title: 'Liq.' }));
          element.dataset['liquidationLine'] = liq;
        }
      }
      for (const order of account.openOrders.value.filter((o) => o.symbol === symbol && toNumber(o.price) > 0)) {
        lines.push(candles.createPriceLine({ price: toNumber(order.price), color: CHART_COLORS.order, lineStyle: LineStyle.Dotted,
          axisLabelVisible: false, title: `${order.side} ${order.origQty}` }));
      }
    }));
    return () => {
      for (const dispose of stop) dispose();
      chart.remove();
    };
  }, [props.market, props.account]);
  return <div ref={host} class="chart" data-testid="price-chart" role="group"
    aria-label={`${props.market.info.symbol} one-minute candles with mark and index price, entry and liquidation lines`} />;
}
