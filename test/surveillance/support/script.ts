/**
 * Crafted event sequences for surveillance tests: builds engine-shaped events (accounts, wallets,
 * positions, marks, orders, trades, liquidations, funding, insurance fund) and copy-trading events,
 * and feeds them to a Surveillance instance one batch (one "command") at a time with its own seq
 * and time. Prices are ticks and sizes lots of the default instruments (BTCUSDT: tick 0.1, lot
 * 0.001; ETHUSDT: tick 0.01, lot 0.001).
 */
import type {
  EngineEvent, LiquidationEvent, OrderUpdateEvent, OrderView, TradeEvent,
} from '../../../src/core/engine/events.js';
import { compileInstrument, type Instrument } from '../../../src/core/instrument/instrument.js';
import { DEFAULT_INSTRUMENTS } from '../../../src/core/instrument/catalog.js';
import type { Alert, AlertCode } from '../../../src/surveillance/alert.js';
import type { ConfigOverrides } from '../../../src/surveillance/config.js';
import type { CopyTradingEvent } from '../../../src/surveillance/copy-events.js';
import type { AccountLink } from '../../../src/surveillance/links.js';
import { Surveillance } from '../../../src/surveillance/service.js';
import type { SurveilledEvent } from '../../../src/surveillance/source.js';

export const T0 = Date.UTC(2021, 4, 19, 0, 0, 0);
export const E8 = 100_000_000n;
export const usdt = (value: number): bigint => BigInt(Math.round(value * 100)) * 1_000_000n;

export class Script {
  readonly surveillance: Surveillance;
  readonly instruments: Instrument[];
  seq = 0;
  atMs = T0;
  readonly alerts: Alert[] = [];
  private nextOrderId = 1;
  private nextTradeId = 1;
  private insuranceE8 = 0n;

  constructor(options: { config?: ConfigOverrides; links?: readonly AccountLink[] } = {}) {
    this.instruments = DEFAULT_INSTRUMENTS.map(compileInstrument);
    this.surveillance = new Surveillance({ instruments: this.instruments, ...options });
  }

  instrument(symbol: string): Instrument {
    return this.instruments.find((instrument) => instrument.symbol === symbol)!;
  }

  /** One batch at `atMs` (default: the current time); returns its alerts. */
  batch(events: readonly SurveilledEvent[], atMs = this.atMs): readonly Alert[] {
    this.atMs = atMs;
    const alerts = this.surveillance.ingest({ fromSeq: ++this.seq, toSeq: this.seq, atMs, events });
    this.alerts.push(...alerts);
    return alerts;
  }

  at(atMs: number): this {
    this.atMs = atMs;
    return this;
  }

  advance(ms: number): readonly Alert[] {
    return this.batch([], this.atMs + ms);
  }

  of(code: AlertCode): Alert[] {
    return this.alerts.filter((alert) => alert.code === code);
  }

  // ---- events ------------------------------------------------------------------------------------

  account(accountId: number, walletUsdt: number, parentAccountId = 0): readonly Alert[] {
    return this.batch([
      { type: 'AccountCreated', accountId, parentAccountId },
      this.wallet(accountId, walletUsdt),
    ]);
  }

  wallet(accountId: number, walletUsdt: number, isolatedSymbol = ''): EngineEvent {
    const balance = usdt(walletUsdt);
    return { type: 'BalanceChanged', accountId, isolatedSymbol, reason: 'DEPOSIT', symbol: '', deltaE8: balance, balanceE8: balance, refId: 0 };
  }

  /** A position with entry price `entryTicks` (cost = size × entry × k). */
  position(accountId: number, symbol: string, sizeLots: number, entryTicks: number,
    options: { leverage?: number; isolatedWalletUsdt?: number } = {}): EngineEvent {
    const k = this.instrument(symbol).quotePerTickLotE8;
    return {
      type: 'PositionChanged', accountId, symbol, sizeLots, costE8: BigInt(sizeLots) * BigInt(entryTicks) * k,
      marginType: options.isolatedWalletUsdt === undefined ? 'CROSSED' : 'ISOLATED',
      isolatedWalletE8: options.isolatedWalletUsdt === undefined ? 0n : usdt(options.isolatedWalletUsdt), leverage: options.leverage ?? 20,
      realizedPnlE8: 0n,
    };
  }

  mark(symbol: string, markTicks: number, options: { atMs?: number; indexTicks?: number; fundingRateE8?: bigint } = {}): EngineEvent {
    return {
      type: 'MarkPriceUpdated', symbol, atMs: options.atMs ?? this.atMs, markTicks, indexTicks: options.indexTicks ?? markTicks,
      estimatedFundingRateE8: options.fundingRateE8 ?? 10_000n, lastFundingRateE8: 10_000n, nextFundingMs: 0,
    };
  }

  /** Marks every second from `fromMs` for `seconds`, each batch one mark (a price path). */
  path(symbol: string, fromMs: number, seconds: number, priceAt: (second: number) => number): Alert[] {
    const out: Alert[] = [];
    for (let second = 0; second < seconds; second++) {
      const atMs = fromMs + second * 1000;
      out.push(...this.batch([this.mark(symbol, priceAt(second), { atMs })], atMs));
    }
    return out;
  }

  insurance(deltaUsdt: number, reason: 'FUND' | 'DEFICIT' | 'LIQUIDATION_FEE' = 'FUND', accountId = 0): EngineEvent {
    const delta = usdt(deltaUsdt);
    this.insuranceE8 += delta;
    return { type: 'InsuranceFundChanged', reason, symbol: '', accountId, deltaE8: delta, balanceE8: this.insuranceE8 };
  }

  orderView(accountId: number, symbol: string, side: 'BUY' | 'SELL', qtyLots: number, priceTicks: number,
    overrides: Partial<OrderView> = {}): OrderView {
    return {
      orderId: this.nextOrderId++, accountId, symbol, clientOrderId: '', side, orderType: 'LIMIT', timeInForce: 'GTC', origQtyLots: qtyLots,
      executedQtyLots: 0, cumQuoteE8: 0n, priceTicks, stopPriceTicks: 0, activationPriceTicks: 0, callbackRateBps: 0, reduceOnly: false,
      closePosition: false, workingType: 'CONTRACT_PRICE', priceProtect: false, stpMode: 'NONE', status: 'NEW', conditional: false,
      triggered: false, createdAtMs: this.atMs, updatedAtMs: this.atMs, origin: 'USER', causeId: 0, ...overrides,
    };
  }

  update(order: OrderView, execution: OrderUpdateEvent['execution'], changes: Partial<OrderView> = {},
    fill: { lastQtyLots?: number; lastPriceTicks?: number; reason?: OrderUpdateEvent['reason'] } = {}): OrderUpdateEvent {
    return {
      type: 'OrderUpdate', execution, reason: fill.reason ?? (execution === 'CANCELED' ? 'USER_CANCEL' : 'NONE'),
      order: { ...order, updatedAtMs: this.atMs, ...changes }, tradeId: 0, lastQtyLots: fill.lastQtyLots ?? 0,
      lastPriceTicks: fill.lastPriceTicks ?? 0, maker: false, feeE8: 0n, realizedPnlE8: 0n,
    };
  }

  trade(symbol: string, priceTicks: number, qtyLots: number, takerSide: 'BUY' | 'SELL', makerAccountId: number, takerAccountId: number,
    kind: TradeEvent['kind'] = 'NORMAL'): TradeEvent {
    return {
      type: 'Trade', symbol, tradeId: this.nextTradeId++, priceTicks, qtyLots, takerSide, makerOrderId: 0, takerOrderId: 0,
      makerAccountId, takerAccountId, makerFeeE8: 0n, takerFeeE8: 0n, kind, atMs: this.atMs,
    };
  }

  liquidation(accountId: number, symbol: string, side: 'BUY' | 'SELL', qtyLots: number, markTicks: number,
    overrides: Partial<LiquidationEvent> = {}): LiquidationEvent {
    return {
      type: 'Liquidation', accountId, symbol, marginType: 'CROSSED', side, orderId: this.nextOrderId++, positionLotsBefore: side === 'SELL' ? qtyLots : -qtyLots,
      qtyLots, bankruptcyPriceTicks: markTicks, markTicks, marginBalanceE8: 0n, maintenanceMarginE8: 0n, bookFilledLots: qtyLots,
      bookNotionalE8: 0n, feeE8: 0n, insuranceDeltaE8: 0n, adl: [], atMs: this.atMs, ...overrides,
    };
  }

  copy(event: CopyTradingEvent): CopyTradingEvent {
    return event;
  }
}
