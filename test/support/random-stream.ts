/**
 * Interprets lists of small integers as realistic engine command streams (orders of every type,
 * cancels, amends, index moves, leverage and margin-type changes, transfers, ticks) for
 * property-based tests: fast-check generates and shrinks the integers; this maps them to commands
 * against the live state (so cancels name real orders and prices stay near the mark).
 */
import type { UnsequencedCommand } from '../../src/core/engine/commands.js';
import { usd, type Harness } from './engine-harness.js';

export type Step = readonly [kind: number, a: number, b: number, c: number, d: number];

const TIFS = ['GTC', 'GTC', 'IOC', 'FOK', 'GTX'] as const;
const STPS = ['NONE', 'EXPIRE_TAKER', 'EXPIRE_MAKER', 'EXPIRE_BOTH'] as const;
const CONDITIONAL = ['STOP_MARKET', 'TAKE_PROFIT_MARKET', 'STOP', 'TAKE_PROFIT', 'TRAILING_STOP_MARKET'] as const;

/** Builds the next command from one step; `accounts` are the ids created by setupAccounts. */
export function commandFor(h: Harness, accounts: readonly number[], step: Step): UnsequencedCommand {
  const [kind, a, b, c, d] = step;
  const accountId = accounts[a % accounts.length]!;
  const side: 'BUY' | 'SELL' = b % 2 === 0 ? 'BUY' : 'SELL';
  // A third of the steps trade ETHUSDT, so accounts hold cross positions in both symbols.
  const symbol = ((b >> 1) % 3 === 0) ? 'ETHUSDT' : 'BTCUSDT';
  const market = h.engine.market(symbol);
  const mark = market.markTicks;
  const price = Math.max(1, mark + ((c % 2001) - 1000));
  const base = {
    type: 'PlaceOrder' as const, accountId, symbol, side, timeInForce: 'GTC' as const,
    stopPriceTicks: 0, activationPriceTicks: 0, callbackRateBps: 0, reduceOnly: false, closePosition: false,
    workingType: 'CONTRACT_PRICE' as const, priceProtect: false, stpMode: 'NONE' as const, clientOrderId: '',
  };
  switch (kind % 12) {
    case 0: case 1: case 2:
      return { ...base, orderType: 'LIMIT', timeInForce: TIFS[d % TIFS.length]!, qtyLots: 1 + (d % 500), priceTicks: price,
        reduceOnly: d % 11 === 0, stpMode: STPS[c % STPS.length]! };
    case 3:
      return { ...base, orderType: 'MARKET', qtyLots: 1 + (d % 300), priceTicks: 0, reduceOnly: d % 5 === 0 };
    case 4: {
      const type = CONDITIONAL[d % CONDITIONAL.length]!;
      const trailing = type === 'TRAILING_STOP_MARKET';
      const close = !trailing && type.endsWith('MARKET') && c % 7 === 0;
      return { ...base, orderType: type, qtyLots: close ? 0 : 1 + (d % 100),
        priceTicks: type === 'STOP' || type === 'TAKE_PROFIT' ? price : 0,
        stopPriceTicks: trailing ? 0 : Math.max(1, mark + ((d % 3001) - 1500)), callbackRateBps: trailing ? 10 + (c % 200) : 0,
        closePosition: close, reduceOnly: !close && c % 3 === 0, workingType: c % 2 === 0 ? 'MARK_PRICE' : 'CONTRACT_PRICE' };
    }
    case 5: {
      const orders = h.account(accountId).orders.values();
      if (orders.length === 0) return { type: 'Tick' };
      const order = orders[d % orders.length]!;
      return { type: 'CancelOrder', accountId, symbol: h.engine.ctx.markets[order.market]!.instrument.symbol,
        orderId: order.orderId, clientOrderId: '' };
    }
    case 6: {
      const resting = [...h.account(accountId).orders.values()].filter((order) => order.resting);
      if (resting.length === 0) return { type: 'Tick' };
      const order = resting[d % resting.length]!;
      const orderMarket = h.engine.ctx.markets[order.market]!;
      return { type: 'AmendOrder', accountId, symbol: orderMarket.instrument.symbol, orderId: order.orderId,
        clientOrderId: '', qtyLots: 1 + (c % 500), priceTicks: Math.max(1, orderMarket.markTicks + ((c % 2001) - 1000)) };
    }
    case 7: case 8:
      return { type: 'SetIndexPrice', symbol, priceTicks: Math.max(100_000, market.indexTicks + (c % 6001) - 3000) };
    case 9:
      return d % 2 === 0
        ? { type: 'SetLeverage', accountId, symbol, leverage: [1, 5, 20, 50, 100, 125][c % 6]! }
        : { type: 'SetMarginType', accountId, symbol, marginType: c % 2 === 0 ? 'ISOLATED' : 'CROSSED' };
    case 10:
      if (d % 3 === 0) return { type: 'AdjustIsolatedMargin', accountId, symbol, amountE8: usd(String((c % 201) - 100)) };
      if (d % 3 === 1) return { type: 'Withdraw', accountId, amountE8: usd(String(1 + (c % 50))) };
      return { type: 'Transfer', fromAccountId: accountId, toAccountId: accounts[(a + 1) % accounts.length]!,
        amountE8: usd(String(1 + (c % 100))) };
    case 11:
      // Policy: mostly caps on active accounts, sometimes reduce-only, rarely closed; transfers in the hierarchy.
      if (d % 4 === 0) {
        const status = c % 10 === 0 ? 'CLOSED' : c % 5 === 0 ? 'REDUCE_ONLY' : 'ACTIVE';
        return { type: 'SetAccountPolicy', accountId, status, leverageCap: [0, 0, 5, 20, 50][c % 5]!, jurisdiction: '', source: 'fuzz' };
      }
      if (d % 4 === 1) {
        return { type: 'SubAccountTransfer', byAccountId: accountId, fromAccountId: accountId,
          toAccountId: accounts[(a + 1) % accounts.length]!, amountE8: usd(String(1 + (c % 100))) };
      }
      return { type: 'Tick' };
    default:
      return { type: 'Tick' };
  }
}

/** Creates `count` funded accounts, a funded insurance fund and the first index price. */
export function setupAccounts(h: Harness, count: number, seedDeposits: readonly number[]): number[] {
  const accounts: number[] = [];
  for (let i = 0; i < count; i++) accounts.push(h.createAccount(String(100 + (seedDeposits[i % seedDeposits.length] ?? 1) % 100_000)));
  h.run({ type: 'FundInsurance', amountE8: usd('1000') });
  h.run({ type: 'SetIndexPrice', symbol: 'BTCUSDT', priceTicks: 430_000 });
  h.run({ type: 'SetIndexPrice', symbol: 'ETHUSDT', priceTicks: 300_000 });
  return accounts;
}
