/**
 * @module api/ws/streams
 * Stream names and payloads of Binance USDⓈ-M market streams: parsing `<symbol>@<kind>[@<speed>]`
 * (and the `!…@arr` all-market forms) into descriptors, and rendering events in Binance's field
 * layout (reference §4.3). Payloads are built once per event and shared by every subscriber.
 */
import type { Instrument, LiquidationEvent } from '../../core/index.js';
import { averagePrice, money, price, qty, rate } from '../format.js';
import { closeTimeOf, isInterval, type Interval } from '../read-models/klines.js';
import type { SymbolState } from '../read-models/market.js';
import type { PublicTrade } from '../read-models/projector.js';
import type { KlineRow } from '../read-models/store.js';
import type { Ticker24h } from '../read-models/ticker.js';

export type StreamKind =
  | 'aggTrade' | 'trade' | 'markPrice' | 'kline' | 'depthDiff' | 'depthPartial' | 'bookTicker' | 'forceOrder'
  | 'ticker' | 'miniTicker' | 'leadTrades';

export interface StreamSpec {
  readonly name: string;
  readonly kind: StreamKind;
  /** Upper-case symbol; '' for all-market streams. */
  readonly symbol: string;
  /** Update period in ms for timed streams (depth, markPrice, ticker). */
  readonly periodMs: number;
  readonly levels: number;
  readonly interval: Interval | undefined;
  /** The lead portfolio of a `<accountId>@leadTrades` stream; 0 otherwise. */
  readonly leadAccountId: number;
}

/** `<accountId>@leadTrades`: a lead portfolio's live fills and positions (ws/lead-stream.ts). */
const LEAD_STREAM = /^([1-9]\d{0,11})@leadTrades$/;

const SPEEDS: Record<string, number> = { '@100ms': 100, '@250ms': 250, '@500ms': 500, '@1s': 1000 };

/** Parses a stream name; undefined when it is not one perpx serves. */
export function parseStream(name: string, symbols: ReadonlySet<string>): StreamSpec | undefined {
  if (name.length > 64) return undefined;
  const spec = (kind: StreamKind, symbol: string, periodMs: number, levels = 0, interval?: Interval): StreamSpec =>
    ({ name, kind, symbol, periodMs, levels, interval, leadAccountId: 0 });
  switch (name) {
    case '!markPrice@arr': return spec('markPrice', '', 3000);
    case '!markPrice@arr@1s': return spec('markPrice', '', 1000);
    case '!forceOrder@arr': return spec('forceOrder', '', 0);
    case '!bookTicker': return spec('bookTicker', '', 0);
    case '!ticker@arr': return spec('ticker', '', 1000);
    case '!miniTicker@arr': return spec('miniTicker', '', 1000);
    default: break;
  }
  const lead = LEAD_STREAM.exec(name);
  if (lead !== null) return { ...spec('leadTrades', '', 0), leadAccountId: Number(lead[1]) };
  const at = name.indexOf('@');
  if (at <= 0) return undefined;
  const lower = name.slice(0, at);
  if (lower !== lower.toLowerCase()) return undefined;
  const symbol = lower.toUpperCase();
  if (!symbols.has(symbol)) return undefined;
  const rest = name.slice(at + 1);
  switch (rest) {
    case 'aggTrade': return spec('aggTrade', symbol, 0);
    case 'trade': return spec('trade', symbol, 0);
    case 'markPrice': return spec('markPrice', symbol, 3000);
    case 'markPrice@1s': return spec('markPrice', symbol, 1000);
    case 'bookTicker': return spec('bookTicker', symbol, 0);
    case 'forceOrder': return spec('forceOrder', symbol, 0);
    case 'ticker': return spec('ticker', symbol, 1000);
    case 'miniTicker': return spec('miniTicker', symbol, 1000);
    default: break;
  }
  if (rest.startsWith('kline_')) {
    const interval = rest.slice(6);
    return isInterval(interval) ? spec('kline', symbol, 250, 0, interval) : undefined;
  }
  const depth = /^depth(5|10|20)?(@100ms|@250ms|@500ms)?$/.exec(rest);
  if (depth === null) return undefined;
  const period = depth[2] === undefined ? 250 : SPEEDS[depth[2]]!;
  return depth[1] === undefined ? spec('depthDiff', symbol, period) : spec('depthPartial', symbol, period, Number(depth[1]));
}

export function aggTradePayload(instrument: Instrument, trades: readonly PublicTrade[], nowMs: number): Record<string, unknown> {
  const first = trades[0]!;
  let lots = 0;
  for (const trade of trades) lots += trade.qtyLots;
  return {
    e: 'aggTrade', E: nowMs, s: instrument.symbol, a: first.aggId, p: price(instrument, first.priceTicks),
    q: qty(instrument, lots), f: first.tradeId, l: trades[trades.length - 1]!.tradeId, T: first.timeMs, m: first.buyerMaker,
  };
}

export function tradePayload(instrument: Instrument, trade: PublicTrade, nowMs: number): Record<string, unknown> {
  return {
    e: 'trade', E: nowMs, T: trade.timeMs, s: instrument.symbol, t: trade.tradeId, p: price(instrument, trade.priceTicks),
    q: qty(instrument, trade.qtyLots), X: 'MARKET', m: trade.buyerMaker,
  };
}

export function markPricePayload(state: SymbolState, nowMs: number): Record<string, unknown> {
  const instrument = state.instrument;
  const mark = state.mark;
  return {
    e: 'markPriceUpdate', E: nowMs, s: instrument.symbol, p: price(instrument, mark.markTicks),
    ap: price(instrument, mark.markTicks), P: price(instrument, mark.indexTicks), i: price(instrument, mark.indexTicks),
    r: rate(mark.estimatedFundingRateE8), T: mark.nextFundingMs,
  };
}

export function klinePayload(instrument: Instrument, interval: Interval, row: KlineRow, nowMs: number): Record<string, unknown> {
  const close = closeTimeOf(interval, row.openTimeMs);
  return {
    e: 'kline', E: nowMs, s: instrument.symbol,
    k: {
      t: row.openTimeMs, T: close, s: instrument.symbol, i: interval, f: row.firstTradeId, L: row.lastTradeId,
      o: price(instrument, row.open), c: price(instrument, row.close), h: price(instrument, row.high),
      l: price(instrument, row.low), v: qty(instrument, row.volumeLots), n: row.trades, x: nowMs > close,
      q: money(row.quoteE8), V: qty(instrument, row.takerBuyLots), Q: money(row.takerBuyQuoteE8), B: '0',
    },
  };
}

export function depthPayload(instrument: Instrument, firstId: number, lastId: number, previousId: number,
  bids: readonly (readonly [number, number])[], asks: readonly (readonly [number, number])[], nowMs: number): Record<string, unknown> {
  return {
    e: 'depthUpdate', E: nowMs, T: nowMs, s: instrument.symbol, U: firstId, u: lastId, pu: previousId,
    b: bids.map(([p, q]) => [price(instrument, p), qty(instrument, q)]),
    a: asks.map(([p, q]) => [price(instrument, p), qty(instrument, q)]),
  };
}

export function bookTickerPayload(state: SymbolState, nowMs: number): Record<string, unknown> {
  const instrument = state.instrument;
  const bid = state.depth.bestBid();
  const ask = state.depth.bestAsk();
  return {
    e: 'bookTicker', u: state.depth.lastUpdateId, E: nowMs, T: nowMs, s: instrument.symbol,
    b: price(instrument, bid?.[0] ?? 0), B: qty(instrument, bid?.[1] ?? 0), a: price(instrument, ask?.[0] ?? 0),
    A: qty(instrument, ask?.[1] ?? 0),
  };
}

export function forceOrderPayload(instrument: Instrument, event: LiquidationEvent, nowMs: number): Record<string, unknown> {
  // The liquidated quantity closes through the book and, for any remainder, through ADL at the
  // bankruptcy price; both count as the liquidation order's fills.
  let lots = event.bookFilledLots;
  let notional = event.bookNotionalE8;
  for (const fill of event.adl) {
    lots += fill.qtyLots;
    notional += BigInt(fill.priceTicks) * BigInt(fill.qtyLots) * instrument.quotePerTickLotE8;
  }
  return {
    e: 'forceOrder', E: nowMs,
    o: {
      s: instrument.symbol, S: event.side, o: 'LIMIT', f: 'IOC', q: qty(instrument, event.qtyLots),
      p: price(instrument, event.bankruptcyPriceTicks),
      ap: lots > 0 ? averagePrice(instrument, notional, lots) : price(instrument, event.bankruptcyPriceTicks),
      X: lots >= event.qtyLots ? 'FILLED' : 'PARTIALLY_FILLED', l: qty(instrument, lots), z: qty(instrument, lots), T: event.atMs,
    },
  };
}

export function tickerPayload(instrument: Instrument, t: Ticker24h, nowMs: number, mini: boolean): Record<string, unknown> {
  const base = {
    E: nowMs, s: t.symbol, c: price(instrument, t.lastTicks), o: price(instrument, t.openTicks),
    h: price(instrument, t.highTicks), l: price(instrument, t.lowTicks), v: qty(instrument, t.volumeLots), q: money(t.quoteE8),
  };
  if (mini) return { e: '24hrMiniTicker', ...base };
  return {
    e: '24hrTicker', ...base, p: price(instrument, t.lastTicks - t.openTicks), P: '0',
    w: t.volumeLots === 0 ? price(instrument, t.lastTicks) : averagePrice(instrument, t.quoteE8, t.volumeLots),
    Q: qty(instrument, t.lastQtyLots), O: t.openTimeMs, C: t.closeTimeMs, F: t.firstId, L: t.lastId, n: t.count,
  };
}
