/**
 * @module api/ws/user-events
 * User-data-stream events from one committed entry, per account (reference §4.5):
 * ORDER_TRADE_UPDATE per OrderUpdate, one ACCOUNT_UPDATE per account per entry for its balance and
 * position changes (reason m from the first balance reason), ACCOUNT_CONFIG_UPDATE for leverage,
 * and MARGIN_CALL (computed by the hub on mark updates). Liquidation orders are the account's own
 * orders with client id `autoclose-…`, as on Binance.
 */
import type {
  AccountView, BalanceReason, EngineEvent, ExecutionTypeName, Instrument, OrderUpdateEvent, OrderView, PositionChangedEvent,
} from '../../core/index.js';
import { averagePrice, fractionPrice, money, price, qty } from '../format.js';
import { unrealizedAt } from '../rest/render.js';
import { breakEvenPrice } from '../read-models/position-figures.js';

const EXPIRE_REASON: Record<string, number> = { NONE: 0, STP: 1, IOC: 2, REDUCE_ONLY: 4, LIQUIDATION: 5, MARKET_REMAINDER: 9 };

function executionType(execution: ExecutionTypeName): string {
  // Binance has no TRIGGERED execution: a fired conditional order re-announces itself as NEW.
  return execution === 'TRIGGERED' ? 'NEW' : execution;
}

export function orderTradeUpdate(instrument: Instrument, event: OrderUpdateEvent, nowMs: number): Record<string, unknown> {
  const view: OrderView = event.order;
  const trade = event.execution === 'TRADE';
  const effectiveType = view.triggered
    ? (view.orderType === 'STOP' || view.orderType === 'TAKE_PROFIT' ? 'LIMIT' : 'MARKET') : view.orderType;
  return {
    e: 'ORDER_TRADE_UPDATE', E: nowMs, T: view.updatedAtMs,
    o: {
      s: view.symbol, c: view.clientOrderId, S: view.side, o: effectiveType, f: view.timeInForce,
      q: qty(instrument, view.origQtyLots), p: price(instrument, view.priceTicks),
      ap: averagePrice(instrument, view.cumQuoteE8, view.executedQtyLots), sp: price(instrument, view.stopPriceTicks),
      x: executionType(event.execution), X: view.status, i: view.orderId,
      l: qty(instrument, trade ? event.lastQtyLots : 0), z: qty(instrument, view.executedQtyLots),
      L: price(instrument, trade ? event.lastPriceTicks : 0),
      ...(trade ? { N: instrument.spec.marginAsset, n: money(event.feeE8) } : {}),
      T: view.updatedAtMs, t: trade ? event.tradeId : 0, b: '0', a: '0', m: trade ? event.maker : false,
      R: view.reduceOnly, wt: view.workingType, ot: view.orderType, ps: 'BOTH', cp: view.closePosition,
      ...(view.orderType === 'TRAILING_STOP_MARKET'
        ? { AP: price(instrument, view.activationPriceTicks), cr: (view.callbackRateBps / 100).toString() } : {}),
      pP: view.priceProtect, si: 0, ss: 0, rp: money(trade ? event.realizedPnlE8 : 0n), V: view.stpMode, pm: 'NONE', gtd: 0,
      er: String(EXPIRE_REASON[event.reason] ?? 0),
    },
  };
}

function accountReason(reason: BalanceReason): string {
  switch (reason) {
    case 'DEPOSIT': return 'DEPOSIT';
    case 'WITHDRAW': return 'WITHDRAW';
    case 'TRANSFER': return 'ASSET_TRANSFER';
    case 'FUNDING_FEE': return 'FUNDING_FEE';
    case 'ISOLATED_MARGIN': return 'MARGIN_TRANSFER';
    case 'INSURANCE_CLEAR': return 'INSURANCE_CLEAR';
    case 'LIQUIDATION_FEE': return 'ORDER';
    case 'ADL': return 'ORDER';
    case 'REALIZED_PNL': return 'ORDER';
    case 'TRADE_FEE': return 'ORDER';
    case 'PROFIT_SHARE': return 'ASSET_TRANSFER';
  }
}

export interface AccountChanges {
  reason: string | undefined;
  crossWalletE8: bigint | undefined;
  /** Σ deposits, withdrawals and transfers (Binance bc: change except PnL and commission). */
  balanceChangeE8: bigint;
  readonly positions: Map<string, PositionChangedEvent>;
}

/** Groups an entry's balance and position events per account. */
export function accountChanges(events: readonly EngineEvent[], wanted: (accountId: number) => boolean): Map<number, AccountChanges> {
  const out = new Map<number, AccountChanges>();
  const of = (accountId: number): AccountChanges => {
    let changes = out.get(accountId);
    if (changes === undefined) {
      changes = { reason: undefined, crossWalletE8: undefined, balanceChangeE8: 0n, positions: new Map() };
      out.set(accountId, changes);
    }
    return changes;
  };
  for (const event of events) {
    if (event.type === 'BalanceChanged' && wanted(event.accountId)) {
      const changes = of(event.accountId);
      changes.reason ??= accountReason(event.reason);
      if (event.isolatedSymbol === '') changes.crossWalletE8 = event.balanceE8;
      if (event.reason === 'DEPOSIT' || event.reason === 'WITHDRAW' || event.reason === 'TRANSFER') {
        changes.balanceChangeE8 += event.deltaE8;
      }
    } else if (event.type === 'PositionChanged' && wanted(event.accountId)) {
      const changes = of(event.accountId);
      changes.reason ??= 'ORDER';
      changes.positions.set(event.symbol, event);
    } else if (event.type === 'MarginTypeChanged' && wanted(event.accountId)) {
      of(event.accountId).reason ??= 'MARGIN_TYPE_CHANGE';
    }
  }
  return out;
}

export function accountUpdate(changes: AccountChanges, view: AccountView | undefined, instruments: ReadonlyMap<string, Instrument>,
  markOf: (symbol: string) => number, nowMs: number): Record<string, unknown> {
  const positions = [...changes.positions.values()].map((event) => {
    const instrument = instruments.get(event.symbol)!;
    const size = event.sizeLots;
    const entry = size === 0 ? undefined : {
      num: event.costE8 < 0n ? -event.costE8 : event.costE8,
      den: BigInt(size < 0 ? -size : size) * instrument.quotePerTickLotE8,
    };
    return {
      s: event.symbol, pa: qty(instrument, size), ep: fractionPrice(instrument, entry), bep: fractionPrice(instrument, breakEvenPrice(instrument, size, entry)),
      cr: money(event.realizedPnlE8), up: money(size === 0 ? 0n : unrealizedAt(instrument, size, event.costE8, markOf(event.symbol))),
      mt: event.marginType === 'ISOLATED' ? 'isolated' : 'cross', iw: money(event.isolatedWalletE8), ps: 'BOTH',
    };
  });
  const balances = changes.crossWalletE8 === undefined && view === undefined ? [] : [{
    a: 'USDT', wb: money(view?.walletBalanceE8 ?? changes.crossWalletE8 ?? 0n),
    cw: money(changes.crossWalletE8 ?? view?.crossWalletE8 ?? 0n), bc: money(changes.balanceChangeE8),
  }];
  return { e: 'ACCOUNT_UPDATE', E: nowMs, T: nowMs, a: { m: changes.reason ?? 'ORDER', B: balances, P: positions } };
}

export function leverageUpdate(symbol: string, leverage: number, nowMs: number): Record<string, unknown> {
  return { e: 'ACCOUNT_CONFIG_UPDATE', E: nowMs, T: nowMs, ac: { s: symbol, l: leverage } };
}

/** MARGIN_CALL when maintenance margin reaches `thresholdPercent` of margin balance; undefined otherwise. */
export function marginCall(view: AccountView, instruments: ReadonlyMap<string, Instrument>, nowMs: number,
  thresholdPercent = 80n): Record<string, unknown> | undefined {
  const open = view.positions.filter((position) => position.sizeLots !== 0);
  if (open.length === 0) return undefined;
  const atRisk = open.filter((position) => {
    const balance = position.marginType === 'ISOLATED'
      ? position.isolatedWalletE8 + position.unrealizedPnlE8 : view.crossMarginBalanceE8;
    return balance <= 0n || position.maintenanceMarginE8 * 100n >= balance * thresholdPercent;
  });
  if (atRisk.length === 0) return undefined;
  return {
    e: 'MARGIN_CALL', E: nowMs, cw: money(view.crossWalletE8),
    p: atRisk.map((position) => {
      const instrument = instruments.get(position.symbol)!;
      return {
        s: position.symbol, ps: 'BOTH', pa: qty(instrument, position.sizeLots), mt: position.marginType,
        iw: money(position.isolatedWalletE8), mp: price(instrument, position.markTicks), up: money(position.unrealizedPnlE8),
        mm: money(position.maintenanceMarginE8),
      };
    }),
  };
}
