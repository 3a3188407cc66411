/**
 * The account under the terminal: balances with a margin-ratio bar; positions (margin ratio,
 * liquidation price and distance, unrealized PnL and ROE) with close, reverse and isolated margin;
 * open and conditional orders with amend and cancel; order, trade, funding and income history with
 * CSV export. Every action is a plain API call through the session.
 */
import type { JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { ApiFailure, get, send } from '../feed/http.js';
import { abs, cmp, dec, format, percent, sub } from '../lib/decimal.js';
import type { AccountState, Order, Position } from '../state/account.js';
import type { SymbolInfo } from '../state/market.js';
import { liqText } from './OrderForm.js';
import { downloadCsv, Notice, Table, Tabs, time, type Column } from './ui.js';

type Tab = 'positions' | 'orders' | 'history' | 'trades' | 'funding' | 'income';

export function AccountSummary(props: { account: AccountState }): JSX.Element {
  const a = props.account.account.value;
  const ratio = a === undefined ? '' : percent(dec(a.totalMaintMargin), dec(a.totalMarginBalance));
  const width = ratio === '' ? 0 : Math.min(100, Number(ratio));
  return (
    <section class="panel account-summary" aria-label="Account">
      <header class="panel-head"><h2>Account</h2></header>
      <dl class="kv">
        <dt>Wallet balance</dt><dd data-testid="wallet-balance">{a === undefined ? '—' : format(a.totalWalletBalance, 2, true)}</dd>
        <dt>Unrealized PnL</dt><dd>{a === undefined ? '—' : format(a.totalUnrealizedProfit, 2, true)}</dd>
        <dt>Margin balance</dt><dd>{a === undefined ? '—' : format(a.totalMarginBalance, 2, true)}</dd>
        <dt>Maintenance margin</dt><dd>{a === undefined ? '—' : format(a.totalMaintMargin, 2, true)}</dd>
        <dt>Available</dt><dd data-testid="available-balance">{a === undefined ? '—' : format(a.availableBalance, 2, true)}</dd>
        <dt>Margin ratio</dt><dd>{ratio === '' ? '—' : `${ratio}%`}</dd>
      </dl>
      <div class="meter" role="meter" aria-label="Margin ratio" aria-valuemin={0} aria-valuemax={100} aria-valuenow={width}>
        <span style={{ width: `${width}%` }} class={width >= 80 ? 'danger' : width >= 50 ? 'warn' : ''} />
      </div>
    </section>
  );
}

function PositionActions(props: { position: Position; info: SymbolInfo; account: AccountState; onError: (text: string) => void }): JSX.Element {
  const { position, info } = props;
  const [margin, setMargin] = useState('');
  const size = dec(position.positionAmt);
  const closeSide = size.units > 0n ? 'SELL' : 'BUY';
  const run = async (action: () => Promise<unknown>): Promise<void> => {
    try {
      await action();
      props.account.changed();
    } catch (failure) {
      props.onError(failure instanceof ApiFailure ? `${failure.message} (${failure.code})` : 'The request failed.');
    }
  };
  const quantity = format(abs(size), info.qtyDecimals);
  return (
    <span class="actions">
      <button type="button" onClick={() => void run(() => send('POST', '/fapi/v1/order', { symbol: info.symbol, side: closeSide, type: 'MARKET',
        quantity, reduceOnly: 'true' }))}>Close</button>
      <button type="button" onClick={() => void run(() => send('POST', '/fapi/v1/order', { symbol: info.symbol, side: closeSide, type: 'MARKET',
        quantity: format({ units: abs(size).units * 2n, scale: size.scale }, info.qtyDecimals) }))}>Reverse</button>
      {position.marginType === 'isolated' && (
        <>
          <label class="sr-only" for={`margin-${info.symbol}`}>Isolated margin amount</label>
          <input id={`margin-${info.symbol}`} class="small" inputMode="decimal" placeholder="USDT" value={margin}
            onInput={(e) => setMargin(e.currentTarget.value.trim())} />
          <button type="button" onClick={() => void run(() => send('POST', '/fapi/v1/positionMargin', { symbol: info.symbol, amount: margin, type: 1 }))}>Add</button>
          <button type="button" onClick={() => void run(() => send('POST', '/fapi/v1/positionMargin', { symbol: info.symbol, amount: margin, type: 2 }))}>Remove</button>
        </>
      )}
    </span>
  );
}

function OrderActions(props: { order: Order; account: AccountState; onError: (text: string) => void }): JSX.Element {
  const { order } = props;
  const [editing, setEditing] = useState(false);
  const [price, setPrice] = useState(order.price);
  const [qty, setQty] = useState(order.origQty);
  const run = async (action: () => Promise<unknown>): Promise<void> => {
    try {
      await action();
      setEditing(false);
      props.account.changed();
    } catch (failure) {
      props.onError(failure instanceof ApiFailure ? `${failure.message} (${failure.code})` : 'The request failed.');
    }
  };
  if (editing) {
    return (
      <span class="actions">
        <label class="sr-only" for={`p${order.orderId}`}>New price</label>
        <input id={`p${order.orderId}`} class="small" value={price} onInput={(e) => setPrice(e.currentTarget.value.trim())} />
        <label class="sr-only" for={`q${order.orderId}`}>New quantity</label>
        <input id={`q${order.orderId}`} class="small" value={qty} onInput={(e) => setQty(e.currentTarget.value.trim())} />
        <button type="button" onClick={() => void run(() => send('PUT', '/fapi/v1/order', { symbol: order.symbol, orderId: order.orderId,
          side: order.side, price, quantity: qty }))}>Save</button>
        <button type="button" onClick={() => setEditing(false)}>Back</button>
      </span>
    );
  }
  return (
    <span class="actions">
      {order.type === 'LIMIT' && <button type="button" onClick={() => setEditing(true)}>Amend</button>}
      <button type="button" onClick={() => void run(() => send('DELETE', '/fapi/v1/order', { symbol: order.symbol, orderId: order.orderId }))}>Cancel</button>
    </span>
  );
}

function useHistory<T>(load: () => Promise<T[]>, deps: unknown[]): T[] {
  const [rows, setRows] = useState<T[]>([]);
  useEffect(() => {
    let live = true;
    load().then((result) => { if (live) setRows(result); }, () => undefined);
    return () => { live = false; };
  }, deps);
  return rows;
}

interface Trade { id: number; orderId: number; side: string; price: string; qty: string; realizedPnl: string; commission: string; time: number; maker: boolean }
interface Income { tranId: number; incomeType: string; income: string; symbol: string; time: number }

export function AccountPanels(props: { account: AccountState; info: SymbolInfo; symbols: SymbolInfo[] }): JSX.Element {
  const { account, info } = props;
  const [tab, setTab] = useState<Tab>('positions');
  const [error, setError] = useState('');
  const revision = account.revision.value;
  const infoOf = (symbol: string): SymbolInfo => props.symbols.find((s) => s.symbol === symbol) ?? info;
  const positions = account.positions.value.filter((p) => dec(p.positionAmt).units !== 0n);
  const history = useHistory(() => (tab === 'history' ? get<Order[]>('/fapi/v1/allOrders', { symbol: info.symbol, limit: 100 }) : Promise.resolve([])),
    [tab, info.symbol, revision]);
  const trades = useHistory(() => (tab === 'trades' ? get<Trade[]>('/fapi/v1/userTrades', { symbol: info.symbol, limit: 100 }) : Promise.resolve([])),
    [tab, info.symbol, revision]);
  const income = useHistory(() => (tab === 'funding' || tab === 'income'
    ? get<Income[]>('/fapi/v1/income', { limit: 200, ...(tab === 'funding' ? { incomeType: 'FUNDING_FEE' } : {}) }) : Promise.resolve([])),
  [tab, revision]);

  const positionColumns: Column<Position>[] = [
    { title: 'Symbol', cell: (p) => `${p.symbol} ${p.marginType === 'isolated' ? 'Isolated' : 'Cross'} ${p.leverage}x` },
    { title: 'Size', numeric: true, cell: (p) => <span class={p.positionAmt.startsWith('-') ? 'down' : 'up'}>{p.positionAmt}</span> },
    { title: 'Entry', numeric: true, cell: (p) => format(p.entryPrice, infoOf(p.symbol).priceDecimals, true) },
    { title: 'Mark', numeric: true, cell: (p) => format(p.markPrice, infoOf(p.symbol).priceDecimals, true) },
    { title: 'Liq. price', numeric: true, cell: (p) => <span data-testid={`position-liq-${p.symbol}`}>{liqText(p.liquidationPrice, infoOf(p.symbol).priceDecimals)}</span> },
    { title: 'Distance', numeric: true, cell: (p) => (dec(p.liquidationPrice).units === 0n ? 'none'
      : `${percent(abs(sub(dec(p.markPrice), dec(p.liquidationPrice))), dec(p.markPrice))}%`) },
    { title: 'Margin', numeric: true, cell: (p) => format(p.marginType === 'isolated' ? p.isolatedMargin
      : format({ units: abs(dec(p.notional)).units / BigInt(p.leverage), scale: dec(p.notional).scale }, 8), 2, true) },
    { title: 'Unrealized PnL (ROE)', numeric: true, cell: (p) => {
      const margin = p.marginType === 'isolated' ? dec(p.isolatedWallet) : { units: abs(dec(p.notional)).units / BigInt(p.leverage), scale: dec(p.notional).scale };
      const roe = percent(dec(p.unRealizedProfit), margin);
      return <span class={p.unRealizedProfit.startsWith('-') ? 'down' : 'up'}>{format(p.unRealizedProfit, 2, true)}{roe === '' ? '' : ` (${roe}%)`}</span>;
    } },
    { title: 'Actions', cell: (p) => <PositionActions position={p} info={infoOf(p.symbol)} account={account} onError={setError} /> },
  ];
  const orderColumns: Column<Order>[] = [
    { title: 'Time', cell: (o) => <span class="time">{time(o.time)}</span> },
    { title: 'Symbol', cell: (o) => o.symbol },
    { title: 'Type', cell: (o) => `${o.type}${o.reduceOnly ? ' · reduce' : ''}` },
    { title: 'Side', cell: (o) => <span class={o.side === 'BUY' ? 'up' : 'down'}>{o.side}</span> },
    { title: 'Price', numeric: true, cell: (o) => (cmp(dec(o.price), dec('0')) === 0 ? 'market' : o.price) },
    { title: 'Filled / Qty', numeric: true, cell: (o) => `${o.executedQty} / ${o.origQty}` },
    { title: 'Status', cell: (o) => o.status },
  ];
  const openColumns: Column<Order>[] = [...orderColumns.slice(0, 6), { title: 'Actions', cell: (o) => <OrderActions order={o} account={account} onError={setError} /> }];
  const algoRows: Order[] = account.algoOrders.value.map((a) => ({ orderId: a.algoId, symbol: a.symbol, status: a.algoStatus, clientOrderId: '',
    price: a.price, avgPrice: '0', origQty: a.closePosition ? 'position' : a.quantity, executedQty: '0', type: `${a.orderType} @ ${a.triggerPrice}`,
    side: a.side, timeInForce: '', reduceOnly: a.reduceOnly, stopPrice: a.triggerPrice, time: a.createTime, updateTime: a.createTime }));
  const cancelAlgo = async (id: number, symbol: string): Promise<void> => {
    try {
      await send('DELETE', '/fapi/v1/algoOrder', { symbol, algoId: id });
      account.changed();
    } catch (failure) {
      setError(failure instanceof ApiFailure ? failure.message : 'Cancel failed.');
    }
  };

  const tabs = [{ id: 'positions', title: `Positions (${positions.length})` }, { id: 'orders', title: `Open orders (${account.openOrders.value.length + algoRows.length})` },
    { id: 'history', title: 'Order history' }, { id: 'trades', title: 'Trades' }, { id: 'funding', title: 'Funding' }, { id: 'income', title: 'Income' }] as const;
  return (
    <section class="panel account-panels" aria-label="Positions and orders">
      <Tabs label="Account tables" tabs={tabs} active={tab} onSelect={(id) => { setTab(id); setError(''); }}>
        {error !== '' && <Notice kind="error">{error}</Notice>}
        {tab === 'positions' && <Table caption="Open positions" testId="positions" columns={positionColumns} rows={positions} rowKey={(p) => p.symbol} empty="No open positions." />}
        {tab === 'orders' && (
          <>
            <div class="toolbar">
              <button type="button" onClick={() => void send('DELETE', '/fapi/v1/allOpenOrders', { symbol: info.symbol }).then(() => account.changed(),
                (failure: unknown) => setError(failure instanceof ApiFailure ? failure.message : 'Cancel failed.'))}>Cancel all {info.symbol}</button>
            </div>
            <Table caption="Open orders" testId="open-orders" columns={openColumns} rows={account.openOrders.value} rowKey={(o) => o.orderId} empty="No open orders." />
            <Table caption="Conditional orders" testId="algo-orders" columns={[...orderColumns.slice(0, 6), { title: 'Actions',
              cell: (o: Order) => <button type="button" onClick={() => void cancelAlgo(o.orderId, o.symbol)}>Cancel</button> }]} rows={algoRows}
            rowKey={(o) => o.orderId} empty="No conditional orders." />
          </>
        )}
        {tab === 'history' && (
          <>
            <div class="toolbar"><button type="button" onClick={() => downloadCsv(`orders-${info.symbol}.csv`, ['orderId', 'time', 'symbol', 'type', 'side', 'price', 'avgPrice', 'origQty', 'executedQty', 'status'],
              history.map((o) => [o.orderId, o.time, o.symbol, o.type, o.side, o.price, o.avgPrice, o.origQty, o.executedQty, o.status]))}>Export CSV</button></div>
            <Table caption="Order history" columns={orderColumns} rows={[...history].reverse()} rowKey={(o) => o.orderId} empty="No orders yet." />
          </>
        )}
        {tab === 'trades' && (
          <>
            <div class="toolbar"><button type="button" onClick={() => downloadCsv(`trades-${info.symbol}.csv`, ['id', 'orderId', 'time', 'side', 'price', 'qty', 'realizedPnl', 'commission', 'maker'],
              trades.map((t) => [t.id, t.orderId, t.time, t.side, t.price, t.qty, t.realizedPnl, t.commission, t.maker]))}>Export CSV</button></div>
            <Table caption="Trade history" testId="trade-history" columns={[
              { title: 'Time', cell: (t: Trade) => <span class="time">{time(t.time)}</span> }, { title: 'Side', cell: (t: Trade) => t.side },
              { title: 'Price', numeric: true, cell: (t: Trade) => t.price }, { title: 'Qty', numeric: true, cell: (t: Trade) => t.qty },
              { title: 'Realized PnL', numeric: true, cell: (t: Trade) => t.realizedPnl }, { title: 'Fee', numeric: true, cell: (t: Trade) => t.commission },
              { title: 'Role', cell: (t: Trade) => (t.maker ? 'maker' : 'taker') }]} rows={[...trades].reverse()} rowKey={(t) => `${t.id}${t.maker ? 'm' : 't'}`} empty="No trades yet." />
          </>
        )}
        {(tab === 'funding' || tab === 'income') && (
          <>
            <div class="toolbar"><button type="button" onClick={() => downloadCsv(`${tab}.csv`, ['tranId', 'time', 'symbol', 'type', 'amount'],
              income.map((i) => [i.tranId, i.time, i.symbol, i.incomeType, i.income]))}>Export CSV</button></div>
            <Table caption={tab === 'funding' ? 'Funding payments' : 'Income and statement'} columns={[
              { title: 'Time', cell: (i: Income) => <span class="time">{time(i.time)}</span> }, { title: 'Symbol', cell: (i: Income) => i.symbol || '—' },
              { title: 'Type', cell: (i: Income) => i.incomeType }, { title: 'Amount (USDT)', numeric: true, cell: (i: Income) => i.income }]}
            rows={[...income].reverse()} rowKey={(i) => i.tranId} empty="Nothing yet." />
          </>
        )}
      </Tabs>
    </section>
  );
}
