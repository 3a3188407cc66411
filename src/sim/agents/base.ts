/**
 * @module sim/agents/base
 * Shared plumbing for agent policies: command builders (always integer ticks and lots), the
 * agent's own position read from the engine, sizing from a notional in USDT, and bookkeeping of
 * liquidations and rejects from the agent's events.
 */
import {
  maxNotionalForLeverage, type EngineEvent, type MarginTypeName, type OrderSideName, type PlaceOrderCommand,
  type PositionRiskView, type UnsequencedCommand, type AccountView,
} from '../../core/index.js';
import type { Rng } from '../rng.js';
import type { Agent, AgentKind, MarketView } from './types.js';

export type PlaceOrder = Omit<PlaceOrderCommand, 'seq' | 'atMs'>;

const E8 = 100_000_000;

export abstract class BaseAgent implements Agent {
  accountId = 0;
  nextWakeMs = 0;
  liquidations = 0;
  firstLiquidationMs: number | undefined = undefined;
  copyLead = false;
  rejects = 0;
  readonly everyStep: boolean = false;
  private orderCounter = 0;
  /** Signed position size (agents trade one symbol), kept from PositionChanged events. */
  private trackedLots = 0;

  constructor(
    readonly name: string,
    readonly kind: AgentKind,
    readonly group: string,
    readonly capitalUsdt: number,
    readonly leverage: number,
    readonly marginType: MarginTypeName,
    protected readonly rng: Rng,
  ) {}

  setup(view: MarketView): UnsequencedCommand[] {
    const out: UnsequencedCommand[] = [];
    if (this.marginType === 'ISOLATED') {
      out.push({ type: 'SetMarginType', accountId: this.accountId, symbol: view.symbol, marginType: 'ISOLATED' });
    }
    out.push({ type: 'SetLeverage', accountId: this.accountId, symbol: view.symbol, leverage: this.leverage });
    return out;
  }

  abstract act(view: MarketView): UnsequencedCommand[];

  onEvent(event: EngineEvent): void {
    if (event.type === 'PositionChanged') {
      this.trackedLots = event.sizeLots;
    } else if (event.type === 'Liquidation') {
      this.liquidations++;
      this.firstLiquidationMs ??= event.atMs;
      this.onLiquidated(event.atMs);
    } else if (event.type === 'Rejected') {
      this.rejects++;
    }
  }

  /** Hook for policies that change course after a liquidation. */
  protected onLiquidated(_atMs: number): void {}

  protected account(view: MarketView): AccountView | undefined {
    return view.engine.accountView(this.accountId);
  }

  protected position(view: MarketView, account = this.account(view)): PositionRiskView | undefined {
    return account?.positions.find((p) => p.symbol === view.symbol);
  }

  /** The position's size in lots, from the agent's own PositionChanged events (no engine query). */
  protected positionLots(_view: MarketView): number {
    return this.trackedLots;
  }

  /** Takes over an account that already exists (live mode after a restart): reads its position once. */
  resume(view: MarketView): void {
    this.trackedLots = this.position(view)?.sizeLots ?? 0;
  }

  /** Equity (margin balance) in USDT as a float, for sizing decisions. */
  protected equityUsdt(view: MarketView, account = this.account(view)): number {
    return account === undefined ? 0 : Number(account.marginBalanceE8) / E8;
  }

  protected price(view: MarketView): number {
    return view.history.price;
  }

  /** Lots for a notional in USDT at the index, capped by the leverage's position limit. */
  protected lotsForNotional(view: MarketView, notionalUsdt: number, leverage = this.leverage): number {
    const instrument = view.instrument;
    const cap = Number(maxNotionalForLeverage(instrument, leverage)) / E8;
    const notional = Math.min(notionalUsdt, cap * 0.98);
    const perLot = (view.indexTicks * Number(instrument.quotePerTickLotE8)) / E8;
    if (!(perLot > 0) || !(notional > 0)) return 0;
    const lots = Math.floor(notional / perLot);
    return Math.min(lots, instrument.marketMaxQtyLots);
  }

  /** True when `lots` clears the minimum notional at the index (so the engine would accept it). */
  protected meetsMinNotional(view: MarketView, lots: number): boolean {
    const notionalE8 = BigInt(lots) * BigInt(view.indexTicks) * view.instrument.quotePerTickLotE8;
    return lots >= view.instrument.minQtyLots && notionalE8 >= view.instrument.minNotionalE8;
  }

  protected nextClientId(tag: string): string {
    return `${tag}${++this.orderCounter}`;
  }

  protected market(view: MarketView, side: OrderSideName, lots: number, reduceOnly = false): PlaceOrder {
    return this.order(view, side, 'MARKET', lots, 0, { reduceOnly });
  }

  protected limit(view: MarketView, side: OrderSideName, lots: number, priceTicks: number,
    timeInForce: PlaceOrder['timeInForce'] = 'GTC', clientOrderId = ''): PlaceOrder {
    return this.order(view, side, 'LIMIT', lots, priceTicks, { timeInForce, clientOrderId });
  }

  /** Close-position stop (STOP_MARKET) or take-profit on the mark price. */
  protected closeTrigger(view: MarketView, side: OrderSideName, orderType: 'STOP_MARKET' | 'TAKE_PROFIT_MARKET',
    stopPriceTicks: number): PlaceOrder {
    return this.order(view, side, orderType, 0, 0, { stopPriceTicks, closePosition: true, workingType: 'MARK_PRICE' });
  }

  protected order(view: MarketView, side: OrderSideName, orderType: PlaceOrder['orderType'], qtyLots: number,
    priceTicks: number, extra: Partial<PlaceOrder> = {}): PlaceOrder {
    return {
      type: 'PlaceOrder', accountId: this.accountId, symbol: view.symbol, side, orderType,
      timeInForce: 'GTC', qtyLots, priceTicks, stopPriceTicks: 0, activationPriceTicks: 0, callbackRateBps: 0,
      reduceOnly: false, closePosition: false, workingType: 'CONTRACT_PRICE', priceProtect: false,
      stpMode: 'EXPIRE_TAKER', clientOrderId: '', ...extra,
    };
  }

  protected cancelAll(view: MarketView, scope: 'ALL' | 'REGULAR' | 'CONDITIONAL' = 'ALL'): UnsequencedCommand {
    return { type: 'CancelAllOrders', accountId: this.accountId, symbol: view.symbol, scope };
  }

  /** Market order that flattens the position (reduce-only). */
  protected flatten(view: MarketView, sizeLots: number): PlaceOrder[] {
    if (sizeLots === 0) return [];
    return [this.market(view, sizeLots > 0 ? 'SELL' : 'BUY', Math.min(Math.abs(sizeLots), view.instrument.marketMaxQtyLots), true)];
  }

  /** Orders moving the position from `current` to `target` lots (market orders). */
  protected moveTo(view: MarketView, current: number, target: number): PlaceOrder[] {
    const delta = target - current;
    if (delta === 0) return [];
    const side: OrderSideName = delta > 0 ? 'BUY' : 'SELL';
    const lots = Math.min(Math.abs(delta), view.instrument.marketMaxQtyLots);
    // Part of the move that only reduces never needs min notional; opening parts do.
    const reducing = current !== 0 && Math.sign(delta) !== Math.sign(current) && Math.abs(delta) <= Math.abs(current);
    if (!reducing && !this.meetsMinNotional(view, lots)) return [];
    return [this.market(view, side, lots, reducing)];
  }

  protected wakeIn(view: MarketView, meanMs: number): void {
    this.nextWakeMs = view.nowMs + Math.max(1_000, Math.round(this.rng.exponential(meanMs)));
  }
}

/** Draws a number from [min, max] (uniform), or returns a fixed value. */
export function drawRange(rng: Rng, range: number | readonly [number, number]): number {
  return typeof range === 'number' ? range : rng.uniform(range[0], range[1]);
}
