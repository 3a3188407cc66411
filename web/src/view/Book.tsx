/**
 * The order book ladder (asks above, bids below, the spread and mark between), with cumulative size
 * bars computed exactly, and a depth chart tab (lightweight-charts' options chart: price on the
 * horizontal axis, stepped areas). Clicking a price fills the order form. The root publishes the
 * book's sync state and last update id (data-connection, data-seq) for tests and people alike.
 */
import { effect, type Signal } from '@preact/signals';
import { AreaSeries, createOptionsChart, LineType } from 'lightweight-charts';
import type { JSX } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { Level } from '../feed/book.js';
import { add, dec, format, toNumber, ZERO, type Dec } from '../lib/decimal.js';
import { BOOK_ROWS, type MarketState } from '../state/market.js';
import { chartOptions, CHART_COLORS } from './Chart.js';
import { Tabs } from './ui.js';

function cumulative(levels: readonly Level[]): Dec[] {
  let total: Dec = ZERO;
  return levels.map((level) => (total = add(total, dec(level.qty))));
}

function Ladder(props: { market: MarketState; onPrice: (price: string) => void }): JSX.Element {
  const { market } = props;
  const book = market.book.value;
  const info = market.info;
  const asks = book.asks.slice(0, BOOK_ROWS);
  const bids = book.bids.slice(0, BOOK_ROWS);
  const askTotals = cumulative(asks);
  const bidTotals = cumulative(bids);
  const max = Math.max(toNumber(askTotals.at(-1) ?? ZERO), toNumber(bidTotals.at(-1) ?? ZERO), 1e-12);
  const row = (level: Level, total: Dec, side: 'ask' | 'bid'): JSX.Element => (
    <tr key={`${side}${level.price}`} class={side}>
      <td class="num price">
        <button type="button" class="link" onClick={() => props.onPrice(level.price)} aria-label={`Use price ${level.price}`}>{level.price}</button>
      </td>
      <td class="num">{level.qty}</td>
      <td class="num depth-cell">
        <span class="bar" style={{ width: `${(toNumber(total) / max) * 100}%` }} aria-hidden="true" />
        {format(total, info.qtyDecimals)}
      </td>
    </tr>
  );
  const mark = market.mark.value?.markPrice;
  return (
    <table class="ladder" data-testid="book-ladder">
      <caption class="sr-only">Order book for {info.symbol}: asks then bids, price, size and cumulative size</caption>
      <thead><tr><th scope="col" class="num">Price</th><th scope="col" class="num">Size</th><th scope="col" class="num">Total</th></tr></thead>
      <tbody class="asks">{asks.map((level, i) => row(level, askTotals[i]!, 'ask')).reverse()}</tbody>
      <tbody class="spread"><tr><td colSpan={3}>
        <span>Mark {mark === undefined ? '—' : format(mark, info.priceDecimals)}</span>
        <span>Spread {asks[0] !== undefined && bids[0] !== undefined
          ? format(add(dec(asks[0].price), { ...dec(bids[0].price), units: -dec(bids[0].price).units }), info.priceDecimals) : '—'}</span>
      </td></tr></tbody>
      <tbody class="bids">{bids.map((level, i) => row(level, bidTotals[i]!, 'bid'))}</tbody>
    </table>
  );
}

function DepthChart(props: { market: MarketState }): JSX.Element {
  const host = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const chart = createOptionsChart(host.current!, { ...chartOptions(), timeScale: { borderColor: '#2a3441' } });
    const bids = chart.addSeries(AreaSeries, { lineColor: CHART_COLORS.up, topColor: 'rgba(38,162,105,0.4)', bottomColor: 'rgba(38,162,105,0.05)',
      lineType: LineType.WithSteps, priceLineVisible: false, lastValueVisible: false });
    const asks = chart.addSeries(AreaSeries, { lineColor: CHART_COLORS.down, topColor: 'rgba(229,72,77,0.4)', bottomColor: 'rgba(229,72,77,0.05)',
      lineType: LineType.WithSteps, priceLineVisible: false, lastValueVisible: false });
    const stop = effect(() => {
      const book = props.market.book.value;
      const bidTotals = cumulative(book.bids);
      const askTotals = cumulative(book.asks);
      bids.setData(book.bids.map((level, i) => ({ time: toNumber(level.price), value: toNumber(bidTotals[i]!) })).reverse());
      asks.setData(book.asks.map((level, i) => ({ time: toNumber(level.price), value: toNumber(askTotals[i]!) })));
    });
    return () => {
      stop();
      chart.remove();
    };
  }, [props.market]);
  return <div ref={host} class="depth-chart" role="group" aria-label="Depth chart: cumulative bid and ask size by price" />;
}

export function OrderBook(props: { market: MarketState; pickPrice: Signal<string> }): JSX.Element {
  const [tab, setTab] = useState<'book' | 'depth'>('book');
  const state = props.market.bookState.value;
  return (
    <section class="panel book" aria-label="Order book" data-testid="order-book" data-connection={state}
      data-seq={String(props.market.book.value.lastUpdateId)} data-resyncs={String(props.market.book.value.resyncs)}>
      <header class="panel-head">
        <h2>Order book</h2>
        <span class={`badge ${state.toLowerCase()}`} role="status" aria-live="polite">{state}</span>
      </header>
      <Tabs label="Book view" tabs={[{ id: 'book', title: 'Ladder' }, { id: 'depth', title: 'Depth' }] as const} active={tab} onSelect={setTab}>
        {tab === 'book' ? <Ladder market={props.market} onPrice={(price) => { props.pickPrice.value = price; }} /> : <DepthChart market={props.market} />}
      </Tabs>
    </section>
  );
}
