/**
 * The order form: every Binance order type and time in force, reduce-only, attached take-profit and
 * stop-loss, leverage and margin mode. Cost, margin, available balance and the liquidation price now →
 * after come from POST /perpx/v1/order/preview, i.e. from the engine's own preview code, never from
 * a formula of the UI's. Safety: Enter never submits (there is no submit button, and Enter in a field
 * is swallowed); high leverage needs an acknowledgement; large or risky orders need a second,
 * explicit confirmation; a stop-loss beyond the liquidation price is refused; after an error the
 * confirmation is withdrawn.
 */
import { signal, useSignalEffect, type Signal } from '@preact/signals';
import type { InputHTMLAttributes, JSX } from 'preact';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { ApiFailure, get, send, type Query } from '../feed/http.js';
import { abs, cmp, dec, format, isDecimal, mul, percent, sub, type Dec } from '../lib/decimal.js';
import type { AccountState } from '../state/account.js';
import type { MarketState } from '../state/market.js';
import { Notice } from './ui.js';

export const ORDER_TYPES = ['LIMIT', 'MARKET', 'STOP', 'STOP_MARKET', 'TAKE_PROFIT', 'TAKE_PROFIT_MARKET', 'TRAILING_STOP_MARKET'] as const;
export type OrderType = (typeof ORDER_TYPES)[number];
const TIFS = ['GTC', 'IOC', 'FOK', 'GTX'] as const;
/** Leverage from which placing needs an explicit acknowledgement. */
export const HIGH_LEVERAGE = 50;
/** Orders whose margin exceeds this share of the available balance need a second confirmation. */
const LARGE_ORDER_SHARE = 50n;
/** Liquidation after the fill closer than this (percent of mark) is flagged. */
const NEAR_LIQUIDATION_PCT = '2';

interface Preview {
  cost: string; marginIncrease: string; available: string; affordable: boolean; positionAmtNow: string; liquidationPriceNow: string;
  positionAmtAfter: string; liquidationPriceAfter: string; entryPriceAfter: string; markPrice: string; leverage: number; marginType: string;
}

const hasLimitPrice = (type: OrderType): boolean => type === 'LIMIT' || type === 'STOP' || type === 'TAKE_PROFIT';
const hasTrigger = (type: OrderType): boolean => type !== 'LIMIT' && type !== 'MARKET' && type !== 'TRAILING_STOP_MARKET';
const isConditional = (type: OrderType): boolean => type !== 'LIMIT' && type !== 'MARKET';

export function OrderForm(props: { market: MarketState; account: AccountState; pickPrice: Signal<string>; side: Signal<'BUY' | 'SELL'>;
  qtyRef?: (element: HTMLInputElement | null) => void }): JSX.Element {
  const info = props.market.info;
  const side = props.side.value;
  const [type, setType] = useState<OrderType>('LIMIT');
  const [price, setPrice] = useState('');
  const [stopPrice, setStopPrice] = useState('');
  const [quantity, setQuantity] = useState('');
  const [tif, setTif] = useState<(typeof TIFS)[number]>('GTC');
  const [callbackRate, setCallbackRate] = useState('1');
  const [reduceOnly, setReduceOnly] = useState(false);
  const [takeProfit, setTakeProfit] = useState('');
  const [stopLoss, setStopLoss] = useState('');
  const [leverageInput, setLeverageInput] = useState('');
  const [acknowledged, setAcknowledged] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const [done, setDone] = useState('');
  const preview = useMemo(() => signal<Preview | undefined>(undefined), []);
  const previewError = useMemo(() => signal(''), []);

  useSignalEffect(() => {
    const picked = props.pickPrice.value;
    if (picked !== '') setPrice(picked);
  });

  const position = props.account.positions.value.find((p) => p.symbol === info.symbol);
  const leverage = Number(position?.leverage ?? '20');
  const marginType = position?.marginType ?? 'cross';
  const previewPrice = hasLimitPrice(type) ? price : hasTrigger(type) ? stopPrice : '';
  const inputsValid = isDecimal(quantity) && cmp(dec(quantity), dec('0')) > 0 && (previewPrice === '' || isDecimal(previewPrice)) &&
    (!hasLimitPrice(type) || isDecimal(price)) && (!hasTrigger(type) || isDecimal(stopPrice));

  const revision = props.account.revision.value;
  useEffect(() => {
    preview.value = undefined;
    previewError.value = '';
    if (!inputsValid) return;
    const timer = window.setTimeout(() => {
      const query: Query = { symbol: info.symbol, side, quantity, ...(previewPrice === '' ? {} : { price: previewPrice }) };
      send<Preview>('POST', '/perpx/v1/order/preview', query)
        .then((answer) => { preview.value = answer; })
        .catch((failure: unknown) => { previewError.value = failure instanceof ApiFailure ? failure.message : 'Preview failed'; });
    }, 150);
    return () => window.clearTimeout(timer);
  }, [info.symbol, side, quantity, previewPrice, inputsValid, leverage, marginType, revision]);

  const p = preview.value;
  const mark = p?.markPrice ?? props.market.mark.value?.markPrice ?? '0';
  const distance = p !== undefined && dec(p.liquidationPriceAfter).units !== 0n
    ? percent(abs(sub(dec(mark), dec(p.liquidationPriceAfter))), dec(mark)) : '';
  const near = distance !== '' && cmp(dec(distance), dec(NEAR_LIQUIDATION_PCT)) < 0;
  const stopBeyondLiquidation = p !== undefined && stopLoss !== '' && isDecimal(stopLoss) && dec(p.liquidationPriceAfter).units !== 0n &&
    (side === 'BUY' ? cmp(dec(stopLoss), dec(p.liquidationPriceAfter)) <= 0 : cmp(dec(stopLoss), dec(p.liquidationPriceAfter)) >= 0);
  const large = p !== undefined && dec(p.available).units > 0n &&
    mul(dec(p.marginIncrease), dec('100')).units * 10n ** BigInt(dec(p.available).scale) >
      dec(p.available).units * LARGE_ORDER_SHARE * 10n ** BigInt(dec(p.marginIncrease).scale);
  const needsAck = leverage >= HIGH_LEVERAGE && !reduceOnly;
  const canPlace = inputsValid && !busy && (!needsAck || acknowledged) && !stopBeyondLiquidation && (p === undefined || p.affordable || reduceOnly);

  const maxQty = (share: bigint): string => {
    const basis = previewPrice !== '' && isDecimal(previewPrice) ? previewPrice : mark;
    const available = dec(props.account.account.value?.availableBalance ?? '0');
    if (dec(basis).units === 0n) return '';
    // available × leverage × share% / price, rounded down to the step (so the field shows exactly what is sent).
    const budget: Dec = { units: available.units * BigInt(leverage) * share, scale: available.scale + 2 };
    const step = dec(info.stepSize);
    const priceDec = dec(basis);
    const numerator = budget.units * 10n ** BigInt(priceDec.scale + step.scale);
    const denominator = priceDec.units * step.units * 10n ** BigInt(budget.scale);
    const steps = numerator / denominator;
    return format({ units: steps * step.units, scale: step.scale }, info.qtyDecimals);
  };

  const orderQuery = (): Query => {
    const query: Query = { symbol: info.symbol, side, type, quantity };
    if (hasLimitPrice(type)) { query['price'] = price; query['timeInForce'] = tif; }
    if (type === 'LIMIT') query['timeInForce'] = tif;
    if (hasTrigger(type)) query['stopPrice'] = stopPrice;
    if (type === 'TRAILING_STOP_MARKET') query['callbackRate'] = callbackRate;
    if (reduceOnly) query['reduceOnly'] = 'true';
    return query;
  };

  const place = async (): Promise<void> => {
    if (!canPlace) return;
    if ((large || near) && !confirming) {
      setConfirming(true);
      return;
    }
    setBusy(true);
    setError('');
    setDone('');
    try {
      const query = orderQuery();
      if (isConditional(type)) {
        const { type: orderType, stopPrice: trigger, ...rest } = query;
        await send('POST', '/fapi/v1/algoOrder', { ...rest, algoType: 'CONDITIONAL', type: orderType, triggerPrice: trigger });
      } else {
        await send('POST', '/fapi/v1/order', query);
      }
      const exit = side === 'BUY' ? 'SELL' : 'BUY';
      for (const [kind, trigger] of [['TAKE_PROFIT_MARKET', takeProfit], ['STOP_MARKET', stopLoss]] as const) {
        if (trigger !== '' && isDecimal(trigger)) {
          await send('POST', '/fapi/v1/algoOrder', { symbol: info.symbol, side: exit, algoType: 'CONDITIONAL', type: kind,
            triggerPrice: trigger, closePosition: 'true', workingType: 'MARK_PRICE' });
        }
      }
      setDone(`${side === 'BUY' ? 'Buy' : 'Sell'} ${quantity} ${info.symbol} placed.`);
      props.account.changed();
    } catch (failure) {
      setError(failure instanceof ApiFailure ? `${failure.message} (${failure.code})` : 'The order could not be sent.');
    } finally {
      setConfirming(false);
      setBusy(false);
    }
  };

  const applyLeverage = async (): Promise<void> => {
    setError('');
    try {
      await send('POST', '/fapi/v1/leverage', { symbol: info.symbol, leverage: leverageInput });
      setLeverageInput('');
      props.account.changed();
    } catch (failure) {
      setError(failure instanceof ApiFailure ? failure.message : 'Leverage was not changed.');
    }
  };
  const switchMargin = async (mode: 'CROSSED' | 'ISOLATED'): Promise<void> => {
    setError('');
    try {
      await send('POST', '/fapi/v1/marginType', { symbol: info.symbol, marginType: mode });
      props.account.changed();
    } catch (failure) {
      setError(failure instanceof ApiFailure ? failure.message : 'Margin mode was not changed.');
    }
  };

  const field = (label: string, value: string, set: (v: string) => void, extra: InputHTMLAttributes<HTMLInputElement> = {}): JSX.Element => (
    <label class="field">
      <span>{label}</span>
      <input inputMode="decimal" autoComplete="off" value={value} onInput={(e) => { set(e.currentTarget.value.trim()); setConfirming(false); }}
        {...extra} />
    </label>
  );

  return (
    <section class="panel order-form" aria-label="Order form" data-testid="order-form">
      <header class="panel-head"><h2>Place order</h2>
        <span class="muted">{marginType === 'isolated' ? 'Isolated' : 'Cross'} · {leverage}x</span>
      </header>
      {/* No submit button: Enter in a field can never place an order. */}
      <form onSubmit={(e) => e.preventDefault()} onKeyDown={(e) => { if (e.key === 'Enter' && (e.target as HTMLElement).tagName === 'INPUT') e.preventDefault(); }}>
        <div class="segmented" role="radiogroup" aria-label="Side">
          {(['BUY', 'SELL'] as const).map((s) => (
            <button type="button" role="radio" aria-checked={side === s} class={`side ${s.toLowerCase()} ${side === s ? 'on' : ''}`}
              onClick={() => { props.side.value = s; setConfirming(false); }}>{s === 'BUY' ? 'Buy / Long' : 'Sell / Short'}</button>
          ))}
        </div>
        <div class="row">
          <label class="field"><span>Margin mode</span>
            <select value={marginType === 'isolated' ? 'ISOLATED' : 'CROSSED'} onChange={(e) => void switchMargin(e.currentTarget.value as 'CROSSED' | 'ISOLATED')}>
              <option value="CROSSED">Cross</option><option value="ISOLATED">Isolated</option>
            </select>
          </label>
          <label class="field"><span>Leverage (now {leverage}x)</span>
            <span class="inline">
              <input inputMode="numeric" value={leverageInput} placeholder={String(leverage)} onInput={(e) => setLeverageInput(e.currentTarget.value.trim())} />
              <button type="button" onClick={() => void applyLeverage()} disabled={!/^\d{1,3}$/.test(leverageInput)}>Set</button>
            </span>
          </label>
        </div>
        <label class="field"><span>Order type</span>
          <select value={type} onChange={(e) => { setType(e.currentTarget.value as OrderType); setConfirming(false); }} data-testid="order-type">
            {ORDER_TYPES.map((t) => <option value={t}>{t.replace(/_/g, ' ').toLowerCase()}</option>)}
          </select>
        </label>
        {hasTrigger(type) && field('Trigger price', stopPrice, setStopPrice, { name: 'stopPrice' })}
        {type === 'TRAILING_STOP_MARKET' && field('Callback rate %', callbackRate, setCallbackRate, { name: 'callbackRate' })}
        {hasLimitPrice(type) && field(`Price (${info.tickSize})`, price, setPrice, { name: 'price' })}
        {field(`Quantity (${info.symbol.replace('USDT', '')})`, quantity, setQuantity, { name: 'quantity', ref: props.qtyRef })}
        <div class="shares" role="group" aria-label="Quantity as a share of the maximum">
          {[25n, 50n, 75n, 100n].map((share) => (
            <button type="button" onClick={() => { setQuantity(maxQty(share)); setConfirming(false); }}>{String(share)}%</button>
          ))}
        </div>
        {hasLimitPrice(type) && (
          <label class="field"><span>Time in force</span>
            <select value={tif} onChange={(e) => setTif(e.currentTarget.value as (typeof TIFS)[number])}>
              {TIFS.map((t) => <option value={t}>{t === 'GTX' ? 'GTX (post only)' : t}</option>)}
            </select>
          </label>
        )}
        <label class="check"><input type="checkbox" checked={reduceOnly} onChange={(e) => setReduceOnly(e.currentTarget.checked)} /> Reduce only</label>
        {!reduceOnly && (
          <div class="row">
            {field('Take profit (trigger)', takeProfit, setTakeProfit, { name: 'takeProfit' })}
            {field('Stop loss (trigger)', stopLoss, setStopLoss, { name: 'stopLoss' })}
          </div>
        )}
        <dl class="preview" data-testid="order-preview" aria-live="polite">
          <dt>Cost</dt><dd data-testid="preview-cost">{p === undefined ? '—' : `${format(p.cost, 2, true)} USDT`}</dd>
          <dt>Margin required</dt><dd>{p === undefined ? '—' : `${format(p.marginIncrease, 2, true)} USDT`}</dd>
          <dt>Available</dt><dd>{p === undefined ? '—' : `${format(p.available, 2, true)} USDT`}</dd>
          <dt>Liq. price</dt>
          <dd data-testid="preview-liquidation">
            <span data-testid="liq-now">{p === undefined ? '—' : liqText(p.liquidationPriceNow, info.priceDecimals)}</span>
            {' → '}
            <strong data-testid="liq-after">{p === undefined ? '—' : liqText(p.liquidationPriceAfter, info.priceDecimals)}</strong>
          </dd>
          <dt>Distance to liq.</dt><dd data-testid="liq-distance">{distance === '' ? 'none' : `${distance}%`}</dd>
        </dl>
        {previewError.value !== '' && <Notice kind="error">{previewError.value}</Notice>}
        {p !== undefined && !p.affordable && !reduceOnly && <Notice kind="error">Margin is insufficient for this order.</Notice>}
        {near && <Notice kind="error">Liquidation after this order would be within {NEAR_LIQUIDATION_PCT}% of the mark price.</Notice>}
        {stopBeyondLiquidation && <Notice kind="error">The stop loss is beyond the liquidation price: the position would be liquidated first.</Notice>}
        {needsAck && (
          <label class="check warn"><input type="checkbox" checked={acknowledged} onChange={(e) => setAcknowledged(e.currentTarget.checked)} />
            I understand that at {leverage}x a move of {format({ units: 10000n / BigInt(leverage), scale: 2 }, 2)}% against me loses the whole margin.</label>
        )}
        {confirming ? (
          <div class="confirm" role="group" aria-label="Confirm order">
            <p>Confirm {side.toLowerCase()} {quantity} {info.symbol}{hasLimitPrice(type) ? ` at ${price}` : ''}: {large ? 'it uses more than half of your available margin' : 'liquidation would be near'}.</p>
            <button type="button" class={`place ${side.toLowerCase()}`} onClick={() => void place()} disabled={busy}>Confirm</button>
            <button type="button" onClick={() => setConfirming(false)}>Cancel</button>
          </div>
        ) : (
          <button type="button" class={`place ${side.toLowerCase()}`} data-testid="place-order" disabled={!canPlace} onClick={() => void place()}>
            {side === 'BUY' ? 'Buy / Long' : 'Sell / Short'} {type === 'MARKET' ? 'at market' : type.replace(/_/g, ' ').toLowerCase()}
          </button>
        )}
        {error !== '' && <Notice kind="error">{error}</Notice>}
        {done !== '' && <Notice kind="info">{done}</Notice>}
      </form>
    </section>
  );
}

/** A liquidation price for display: rounded to the tick like the engine's own tick value; "none" when there is none. */
export function liqText(value: string, decimals: number): string {
  return dec(value).units === 0n ? 'none' : format(value, decimals, true);
}

/** Fetches own fills for chart markers (exported for the trade page). */
export async function loadFills(symbol: string): Promise<{ time: number; side: string; price: string; qty: string }[]> {
  const trades = await get<{ time: number; side: string; price: string; qty: string }[]>('/fapi/v1/userTrades', { symbol, limit: 200 });
  return trades.map((t) => ({ time: t.time, side: t.side, price: t.price, qty: t.qty }));
}
