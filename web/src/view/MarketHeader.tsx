/** Symbol picker and market stats: last, mark, index, 24 h change and volume, open interest, funding rate with countdown, connection. */
import type { JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { dec, format, mul } from '../lib/decimal.js';
import type { MarketState, SymbolInfo } from '../state/market.js';

function countdown(targetMs: number, nowMs: number): string {
  const left = Math.max(0, Math.floor((targetMs - nowMs) / 1000));
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${pad(Math.floor(left / 3600))}:${pad(Math.floor((left % 3600) / 60))}:${pad(left % 60)}`;
}

export function MarketHeader(props: { market: MarketState; symbols: SymbolInfo[]; onSymbol: (symbol: string) => void }): JSX.Element {
  const { market } = props;
  const info = market.info;
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), 1000);
    return () => window.clearInterval(timer);
  }, []);
  const ticker = market.ticker.value;
  const mark = market.mark.value;
  const d = info.priceDecimals;
  const change = ticker?.priceChangePercent ?? '0';
  const stat = (label: string, value: string, testId?: string, cls = ''): JSX.Element => (
    <div class={`stat ${cls}`}><dt>{label}</dt><dd data-testid={testId}>{value}</dd></div>
  );
  return (
    <section class="market-header" aria-label="Market">
      <label class="symbol-picker">
        <span class="sr-only">Symbol</span>
        <select value={info.symbol} onChange={(e) => props.onSymbol(e.currentTarget.value)}>
          {props.symbols.map((s) => <option value={s.symbol}>{s.symbol}</option>)}
        </select>
      </label>
      <dl class="stats">
        {stat('Last', ticker === undefined ? '—' : format(ticker.lastPrice, d, true), 'stat-last')}
        {stat('Mark', mark === undefined ? '—' : format(mark.markPrice, d, true), 'stat-mark')}
        {stat('Index', mark === undefined ? '—' : format(mark.indexPrice, d, true), 'stat-index')}
        {stat('24h change', `${format(change, 2)}%`, undefined, change.startsWith('-') ? 'down' : 'up')}
        {stat('24h volume', ticker === undefined ? '—' : `${format(ticker.quoteVolume, 0, true)} USDT`)}
        {stat('Open interest', market.openInterest.value === '' ? '—' : `${market.openInterest.value} ${info.symbol.replace('USDT', '')}`)}
        {stat('Funding / countdown', mark === undefined ? '—' : `${format(mul(dec(mark.fundingRate), dec('100')), 4)}% · ${countdown(mark.nextFundingTime, now)}`, 'stat-funding')}
        {stat('Connection', `${market.connection.value === 'OPEN' ? 'LIVE' : market.connection.value}${market.roundTripMs.value === undefined ? '' : ` · ${market.roundTripMs.value} ms`}`, 'stat-connection')}
      </dl>
    </section>
  );
}

export function TradesTape(props: { market: MarketState }): JSX.Element {
  const d = props.market.info.priceDecimals;
  return (
    <section class="panel tape" aria-label="Recent trades">
      <header class="panel-head"><h2>Recent trades</h2></header>
      <div class="table-wrap" tabIndex={0} role="region" aria-label="Recent trades list">
        <table data-testid="trades-tape">
          <caption class="sr-only">Recent trades: price, size, time</caption>
          <thead><tr><th scope="col" class="num">Price</th><th scope="col" class="num">Size</th><th scope="col" class="num">Time</th></tr></thead>
          <tbody>
            {props.market.trades.value.map((trade) => (
              <tr key={trade.id} class={trade.buyerMaker ? 'ask' : 'bid'}>
                <td class="num">{format(trade.price, d)}</td><td class="num">{trade.qty}</td>
                <td class="num muted time">{new Date(trade.time).toISOString().slice(11, 19)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
