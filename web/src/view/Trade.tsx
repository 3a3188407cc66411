/**
 * The trading terminal: market header, chart, order book, trades tape, order form, account summary
 * and tables. Layout is a CSS grid that stacks chart → form → book → tables on narrow screens.
 * Opt-in hotkeys only choose a side and focus the quantity field: no key places or cancels an order.
 */
import { signal } from '@preact/signals';
import type { JSX } from 'preact';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { AccountState } from '../state/account.js';
import { MarketState, type SymbolInfo } from '../state/market.js';
import { session } from '../state/session.js';
import { AccountPanels, AccountSummary } from './AccountPanels.js';
import { OrderBook } from './Book.js';
import { PriceChart, type Fill } from './Chart.js';
import { MarketHeader, TradesTape } from './MarketHeader.js';
import { loadFills, OrderForm } from './OrderForm.js';
import { navigate } from './router.js';

const HOTKEYS_KEY = 'perpx.hotkeys';

export function TradePage(props: { symbol: string; symbols: SymbolInfo[] }): JSX.Element {
  const info = props.symbols.find((s) => s.symbol === props.symbol) ?? props.symbols[0]!;
  const isAccount = session.value?.kind === 'account';
  const market = useMemo(() => new MarketState(info), [info.symbol]);
  const account = useMemo(() => (isAccount ? new AccountState() : undefined), [isAccount]);
  const fills = useMemo(() => signal<Fill[]>([]), [info.symbol]);
  const pickPrice = useMemo(() => signal(''), [info.symbol]);
  const side = useMemo(() => signal<'BUY' | 'SELL'>('BUY'), []);
  const quantityField = useRef<HTMLInputElement | null>(null);
  const [hotkeys, setHotkeys] = useState(localStorage.getItem(HOTKEYS_KEY) === 'on');
  useEffect(() => () => market.dispose(), [market]);
  useEffect(() => () => account?.dispose(), [account]);
  const revision = account?.revision.value;
  useEffect(() => {
    if (account === undefined) return;
    let live = true;
    loadFills(info.symbol).then((list) => { if (live) fills.value = list; }, () => undefined);
    return () => { live = false; };
  }, [account, info.symbol, revision]);
  useEffect(() => {
    if (!hotkeys) return;
    const onKey = (event: KeyboardEvent): void => {
      const target = event.target as HTMLElement;
      if (event.ctrlKey || event.metaKey || event.altKey || ['INPUT', 'SELECT', 'TEXTAREA'].includes(target.tagName)) return;
      if (event.key === 'b' || event.key === 's') {
        event.preventDefault();
        side.value = event.key === 'b' ? 'BUY' : 'SELL';
        quantityField.current?.focus();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [hotkeys]);
  const toggleHotkeys = (on: boolean): void => {
    localStorage.setItem(HOTKEYS_KEY, on ? 'on' : 'off');
    setHotkeys(on);
  };
  return (
    <div class="trade" data-testid="trade-page">
      <MarketHeader market={market} symbols={props.symbols} onSymbol={(symbol) => navigate(`/trade/${symbol}`)} />
      <div class="trade-grid">
        <section class="panel chart-panel" aria-label="Price chart"><PriceChart market={market} account={account} fills={fills} /></section>
        <div class="book-col"><OrderBook market={market} pickPrice={pickPrice} /><TradesTape market={market} /></div>
        <div class="form-col">
          {account !== undefined
            ? <><OrderForm market={market} account={account} pickPrice={pickPrice} side={side} qtyRef={(element) => { quantityField.current = element; }} />
              <AccountSummary account={account} />
              <label class="check hotkeys"><input type="checkbox" checked={hotkeys} onChange={(e) => toggleHotkeys(e.currentTarget.checked)} />
                Hotkeys: B buy, S sell (they only pick the side and focus the quantity; orders are placed with the button)</label></>
            : <section class="panel"><p>Log in with an account to trade. The operator sees the market read-only.</p></section>}
        </div>
        {account !== undefined && <div class="tables-row"><AccountPanels account={account} info={info} symbols={props.symbols} /></div>}
      </div>
    </div>
  );
}
