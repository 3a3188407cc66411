/**
 * Live market state of one symbol, fed by the public streams of the Binance-compatible API and a few
 * REST reads: the sequenced order book (feed/book.ts), trades tape, 1m candles, mark and index,
 * funding, 24h ticker, open interest and forced liquidations. Stream updates land in plain objects
 * and are published to signals at most once per animation frame.
 */
import { signal } from '@preact/signals';
import { BookSync, type BookState, type DepthDiff, type DepthSnapshot, type Level } from '../feed/book.js';
import { get } from '../feed/http.js';
import { StreamSocket, type SocketState } from '../feed/socket.js';
import { decimalsOf } from '../lib/decimal.js';

export interface SymbolInfo {
  readonly symbol: string;
  readonly tickSize: string;
  readonly stepSize: string;
  readonly minQty: string;
  readonly minNotional: string;
  readonly priceDecimals: number;
  readonly qtyDecimals: number;
}

export interface Candle { time: number; open: string; high: string; low: string; close: string; volume: string }
export interface TapeTrade { id: number; price: string; qty: string; time: number; buyerMaker: boolean }
export interface ForceOrder { time: number; side: string; price: string; qty: string }
export interface Ticker { lastPrice: string; priceChangePercent: string; volume: string; quoteVolume: string; highPrice: string; lowPrice: string }
export interface MarkInfo { markPrice: string; indexPrice: string; fundingRate: string; nextFundingTime: number }

export const BOOK_ROWS = 16;
const TAPE_LENGTH = 40;
const OI_POLL_MS = 10_000;

type RawLevels = [string, string][];

interface ExchangeSymbol {
  symbol: string;
  filters: { filterType: string; tickSize?: string; stepSize?: string; minQty?: string; notional?: string }[];
}

let symbolsCache: Promise<SymbolInfo[]> | undefined;

export function loadSymbols(): Promise<SymbolInfo[]> {
  symbolsCache ??= get<{ symbols: ExchangeSymbol[] }>('/fapi/v1/exchangeInfo').then((info) => info.symbols.map((raw) => {
    const filter = (type: string) => raw.filters.find((candidate) => candidate.filterType === type);
    const tickSize = filter('PRICE_FILTER')?.tickSize ?? '0.1';
    const stepSize = filter('LOT_SIZE')?.stepSize ?? '0.001';
    return { symbol: raw.symbol, tickSize, stepSize, minQty: filter('LOT_SIZE')?.minQty ?? stepSize,
      minNotional: filter('MIN_NOTIONAL')?.notional ?? '0', priceDecimals: decimalsOf(tickSize), qtyDecimals: decimalsOf(stepSize) };
  }));
  // A failed load is not remembered: the next caller tries again.
  symbolsCache.catch(() => { symbolsCache = undefined; });
  return symbolsCache;
}

export class MarketState {
  readonly connection = signal<SocketState>('CONNECTING');
  readonly bookState = signal<BookState>('CONNECTING');
  readonly book = signal<{ bids: Level[]; asks: Level[]; lastUpdateId: number; resyncs: number }>({ bids: [], asks: [], lastUpdateId: 0, resyncs: 0 });
  readonly trades = signal<TapeTrade[]>([]);
  readonly candles = signal<Candle[]>([]);
  readonly markLine = signal<{ time: number; value: string }[]>([]);
  readonly indexLine = signal<{ time: number; value: string }[]>([]);
  readonly mark = signal<MarkInfo | undefined>(undefined);
  readonly ticker = signal<Ticker | undefined>(undefined);
  readonly openInterest = signal<string>('');
  readonly forceOrders = signal<ForceOrder[]>([]);
  readonly roundTripMs = signal<number | undefined>(undefined);
  readonly depthBook: BookSync;
  private readonly socket: StreamSocket;
  private frame = 0;
  private dirtyBook = false;
  private readonly timers: number[] = [];
  private disposed = false;
  private opened = false;

  constructor(readonly info: SymbolInfo) {
    const lower = info.symbol.toLowerCase();
    this.depthBook = new BookSync(() => get<DepthSnapshot>('/fapi/v1/depth', { symbol: info.symbol, limit: 1000 }),
      info.priceDecimals, () => this.schedule());
    this.socket = new StreamSocket('/stream', {
      state: (state) => {
        this.connection.value = state;
        if (state === 'CLOSED') this.depthBook.markStale();
      },
      // Binance's order: diffs first, then the snapshot. A snapshot fetched before the server has
      // the subscription can be followed by a diff the page never sees, and no later diff may come
      // to reveal the gap. Every reconnect rebuilds from a new snapshot the same way.
      subscribed: () => {
        this.depthBook.restart(this.opened ? 'RESYNC' : 'CONNECTING');
        this.opened = true;
      },
      message: (stream, data) => this.onMessage(stream, data),
    });
    this.socket.subscribe([`${lower}@depth@100ms`, `${lower}@aggTrade`, `${lower}@markPrice@1s`, `${lower}@kline_1m`,
      `${lower}@ticker`, `${lower}@forceOrder`]);
    void this.loadHistory();
    this.timers.push(window.setInterval(() => void this.loadOpenInterest(), OI_POLL_MS));
  }

  private schedule(): void {
    this.dirtyBook = true;
    if (this.frame !== 0 || this.disposed) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      if (this.dirtyBook) {
        this.dirtyBook = false;
        this.bookState.value = this.depthBook.state;
        this.book.value = { ...this.depthBook.top(BOOK_ROWS * 4), lastUpdateId: this.depthBook.lastUpdateId, resyncs: this.depthBook.resyncs };
      }
    });
  }

  private async loadHistory(): Promise<void> {
    const symbol = this.info.symbol;
    const started = performance.now();
    const [klines, marks, indexes, trades, ticker, premium] = await Promise.all([
      get<unknown[][]>('/fapi/v1/klines', { symbol, interval: '1m', limit: 500 }),
      get<unknown[][]>('/fapi/v1/markPriceKlines', { symbol, interval: '1m', limit: 500 }),
      get<unknown[][]>('/fapi/v1/indexPriceKlines', { pair: symbol, interval: '1m', limit: 500 }),
      get<{ a: number; p: string; q: string; T: number; m: boolean }[]>('/fapi/v1/aggTrades', { symbol, limit: TAPE_LENGTH }),
      get<Ticker>('/fapi/v1/ticker/24hr', { symbol }),
      get<{ markPrice: string; indexPrice: string; lastFundingRate: string; nextFundingTime: number }>('/fapi/v1/premiumIndex', { symbol }),
    ]);
    this.roundTripMs.value = Math.round(performance.now() - started);
    if (this.disposed) return;
    this.candles.value = klines.map((k) => ({ time: Number(k[0]), open: String(k[1]), high: String(k[2]), low: String(k[3]),
      close: String(k[4]), volume: String(k[5]) }));
    this.markLine.value = marks.map((k) => ({ time: Number(k[0]), value: String(k[4]) }));
    this.indexLine.value = indexes.map((k) => ({ time: Number(k[0]), value: String(k[4]) }));
    this.trades.value = trades.reverse().map((t) => ({ id: t.a, price: t.p, qty: t.q, time: t.T, buyerMaker: t.m }));
    this.ticker.value = ticker;
    this.mark.value = { markPrice: premium.markPrice, indexPrice: premium.indexPrice, fundingRate: premium.lastFundingRate,
      nextFundingTime: premium.nextFundingTime };
    await this.loadOpenInterest();
  }

  private async loadOpenInterest(): Promise<void> {
    try {
      const answer = await get<{ openInterest: string }>('/fapi/v1/openInterest', { symbol: this.info.symbol });
      if (!this.disposed) this.openInterest.value = answer.openInterest;
    } catch {
      // Shown as before; the next poll tries again.
    }
  }

  private onMessage(stream: string, data: unknown): void {
    if (stream.includes('@depth')) {
      const raw = data as { U: number; u: number; pu: number; b: RawLevels; a: RawLevels };
      const diff: DepthDiff = { U: raw.U, u: raw.u, pu: raw.pu, b: raw.b, a: raw.a };
      this.depthBook.onDiff(diff);
    } else if (stream.endsWith('@aggTrade')) {
      const t = data as { a: number; p: string; q: string; T: number; m: boolean };
      this.trades.value = [{ id: t.a, price: t.p, qty: t.q, time: t.T, buyerMaker: t.m }, ...this.trades.value].slice(0, TAPE_LENGTH);
    } else if (stream.includes('@markPrice')) {
      const m = data as { E: number; p: string; i: string; r: string; T: number };
      this.mark.value = { markPrice: m.p, indexPrice: m.i, fundingRate: m.r, nextFundingTime: m.T };
      const minute = Math.floor(m.E / 60_000) * 60_000;
      this.markLine.value = upsert(this.markLine.value, { time: minute, value: m.p });
      this.indexLine.value = upsert(this.indexLine.value, { time: minute, value: m.i });
    } else if (stream.includes('@kline_')) {
      const k = (data as { k: { t: number; o: string; h: string; l: string; c: string; v: string } }).k;
      const candle = { time: k.t, open: k.o, high: k.h, low: k.l, close: k.c, volume: k.v };
      const candles = this.candles.value;
      this.candles.value = candles.length > 0 && candles[candles.length - 1]!.time === k.t
        ? [...candles.slice(0, -1), candle] : [...candles, candle];
    } else if (stream.endsWith('@ticker')) {
      const t = data as { c: string; P: string; v: string; q: string; h: string; l: string };
      this.ticker.value = { lastPrice: t.c, priceChangePercent: t.P, volume: t.v, quoteVolume: t.q, highPrice: t.h, lowPrice: t.l };
    } else if (stream.endsWith('@forceOrder')) {
      const o = (data as { o: { S: string; ap: string; p: string; q: string; T: number } }).o;
      this.forceOrders.value = [...this.forceOrders.value, { time: o.T, side: o.S, price: o.ap !== '0' ? o.ap : o.p, qty: o.q }].slice(-200);
    }
  }

  dispose(): void {
    this.disposed = true;
    if (this.frame !== 0) cancelAnimationFrame(this.frame);
    for (const timer of this.timers) window.clearInterval(timer);
    this.depthBook.dispose();
    this.socket.close();
  }
}

function upsert(line: { time: number; value: string }[], point: { time: number; value: string }): { time: number; value: string }[] {
  const last = line[line.length - 1];
  if (last !== undefined && last.time === point.time) return [...line.slice(0, -1), point];
  if (last !== undefined && last.time > point.time) return line;
  return [...line, point];
}
