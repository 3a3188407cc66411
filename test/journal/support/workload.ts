/**
 * @module test/journal/support/workload
 * A seeded, engine-independent command stream for the journal's tests, crash test and soak
 * script. It does not read engine state, so a driver can regenerate exactly the same stream and
 * keys after any crash: account ids are predicted (the engine hands them out 1, 2, 3, ...),
 * cancels and amends address orders by client order id, and prices follow the generator's own
 * index random walk with 2–4 % jumps (`jumpChance` of the index moves). The first tenth of the
 * accounts are well-funded market makers quoting both sides; the rest are thinly funded,
 * levered, directional takers (odd accounts lean long, even short), so jumps liquidate some.
 * Commands that turn out to be invalid (cancelling a filled order, not enough margin) are
 * rejected by the engine, which is realistic traffic too.
 *
 * Mix after the bootstrap (accounts, deposits, leverage, first index prices): ~36 % passive
 * market-maker limits, ~30 % cancels, ~12 % crossing taker limits, ~5 % market orders, ~4 % index
 * prices, the rest amends, conditional orders, deposits, withdrawals, transfers, leverage,
 * margin type and cancel-all. Every command carries a unique idempotency key.
 */
import type { OrderSideName, PlaceOrderCommand, UnsequencedCommand } from '../../../src/core/index.js';
import { Sfc32 as Prng } from '../../../src/sim/rng.js';
export { Prng };

export interface WorkloadItem {
  readonly command: UnsequencedCommand;
  readonly idempotencyKey: string;
}

export interface WorkloadOptions {
  readonly seed: number;
  /** Accounts created during the bootstrap; the first tenth are well-funded market makers. */
  readonly accounts: number;
  /** Prefix of every idempotency key and client order id, so several streams can share a venue. */
  readonly keyPrefix?: string;
  /** Share of index moves that are 2–4 % jumps (default 0.04); higher means more liquidations. */
  readonly jumpChance?: number;
}

interface SymbolModel {
  readonly symbol: string;
  readonly symbolIndex: number;
  /** Current index in ticks (the generator's own random walk). */
  indexTicks: number;
  readonly startTicks: number;
  /** Lots of the smallest order that passes min notional with margin to spare. */
  readonly minLots: number;
}

const E8 = 100_000_000n;
const RECENT_ORDERS = 24;


export class Workload {
  private readonly random: Prng;
  private readonly symbols: SymbolModel[];
  private readonly bootstrap: WorkloadItem[] = [];
  private readonly recentOrders: string[][];
  private readonly prefix: string;
  private produced = 0;
  private orderCounter = 0;

  constructor(readonly options: WorkloadOptions) {
    this.random = new Prng(options.seed);
    this.prefix = options.keyPrefix ?? `s${options.seed}`;
    this.symbols = [
      { symbol: 'BTCUSDT', symbolIndex: 0, indexTicks: 300_000, startTicks: 300_000, minLots: 2 },
      { symbol: 'ETHUSDT', symbolIndex: 1, indexTicks: 200_000, startTicks: 200_000, minLots: 10 },
    ];
    this.recentOrders = Array.from({ length: (options.accounts + 1) * this.symbols.length }, () => []);
    this.planBootstrap();
  }

  /** Commands produced so far (the index of the next one). */
  get index(): number {
    return this.produced;
  }

  next(): WorkloadItem {
    const index = this.produced++;
    if (index < this.bootstrap.length) return this.bootstrap[index]!;
    return this.steady(index);
  }

  private key(index: number): string {
    return `${this.prefix}:${index}`;
  }

  private isMaker(accountId: number): boolean {
    return accountId <= Math.max(1, Math.floor(this.options.accounts / 10));
  }

  private planBootstrap(): void {
    const plan: UnsequencedCommand[] = [{ type: 'FundInsurance', amountE8: 1_000_000n * E8 }];
    for (let accountId = 1; accountId <= this.options.accounts; accountId++) {
      plan.push({ type: 'CreateAccount', parentAccountId: 0 });
      const usdt = this.isMaker(accountId) ? this.random.between(2_000_000, 5_000_000) : this.random.between(100, 3_000);
      plan.push({ type: 'Deposit', accountId, amountE8: BigInt(usdt) * E8 });
      if (!this.isMaker(accountId)) {
        for (const model of this.symbols) {
          plan.push({ type: 'SetLeverage', accountId, symbol: model.symbol, leverage: this.random.between(10, 100) });
        }
      }
    }
    for (const model of this.symbols) plan.push({ type: 'SetIndexPrice', symbol: model.symbol, priceTicks: model.indexTicks });
    plan.forEach((command, index) => this.bootstrap.push({ command, idempotencyKey: this.key(index) }));
  }

  private steady(index: number): WorkloadItem {
    const r = this.random.float();
    const model = this.symbols[this.random.below(this.symbols.length)]!;
    const accounts = this.options.accounts;
    const makers = Math.max(1, Math.floor(accounts / 10));
    const maker = 1 + this.random.below(makers);
    const taker = accounts > makers ? makers + 1 + this.random.below(accounts - makers) : maker;
    const key = this.key(index);
    if (r < 0.04) return { command: this.indexMove(model), idempotencyKey: key };
    if (r < 0.40) return this.order(model, maker, 'LIMIT', 'GTC', false);
    if (r < 0.70) return { command: this.cancel(model, this.random.float() < 0.5 ? maker : taker), idempotencyKey: key };
    if (r < 0.82) return this.order(model, taker, 'LIMIT', this.random.float() < 0.5 ? 'IOC' : 'GTC', true);
    if (r < 0.87) return this.order(model, taker, 'MARKET', 'GTC', true);
    if (r < 0.89) return { command: this.amend(model, maker), idempotencyKey: key };
    if (r < 0.905) return this.conditional(model, taker);
    if (r < 0.925) return { command: { type: 'Deposit', accountId: taker, amountE8: BigInt(this.random.between(20, 300)) * E8 }, idempotencyKey: key };
    if (r < 0.935) return { command: { type: 'Withdraw', accountId: taker, amountE8: BigInt(this.random.between(10, 2_000)) * E8 }, idempotencyKey: key };
    if (r < 0.945) {
      return {
        command: { type: 'Transfer', fromAccountId: maker, toAccountId: taker, amountE8: BigInt(this.random.between(10, 200)) * E8 },
        idempotencyKey: key,
      };
    }
    if (r < 0.955) return { command: { type: 'SetLeverage', accountId: taker, symbol: model.symbol, leverage: this.random.between(5, 125) }, idempotencyKey: key };
    if (r < 0.96) {
      return {
        command: { type: 'SetMarginType', accountId: taker, symbol: model.symbol, marginType: this.random.float() < 0.5 ? 'ISOLATED' : 'CROSSED' },
        idempotencyKey: key,
      };
    }
    if (r < 0.965) {
      return {
        command: { type: 'AdjustIsolatedMargin', accountId: taker, symbol: model.symbol, amountE8: BigInt(this.random.between(-50, 200)) * E8 },
        idempotencyKey: key,
      };
    }
    if (r < 0.97) {
      const scope = (['ALL', 'REGULAR', 'CONDITIONAL'] as const)[this.random.below(3)]!;
      this.recentOrders[this.slot(maker, model)] = [];
      return { command: { type: 'CancelAllOrders', accountId: maker, symbol: model.symbol, scope }, idempotencyKey: key };
    }
    return this.order(model, maker, 'LIMIT', 'GTC', false);
  }

  private indexMove(model: SymbolModel): UnsequencedCommand {
    const jump = this.random.float() < (this.options.jumpChance ?? 0.04);
    const bps = jump ? this.random.between(200, 400) * (this.random.float() < 0.5 ? -1 : 1) : this.random.between(-12, 12);
    let next = Math.round(model.indexTicks * (1 + bps / 10_000));
    // Mean reversion keeps the walk within ±30 % of the start, far inside the instrument's range.
    if (next > model.startTicks * 1.3 || next < model.startTicks * 0.7) next = Math.round((next + model.startTicks) / 2);
    model.indexTicks = next;
    return { type: 'SetIndexPrice', symbol: model.symbol, priceTicks: next };
  }

  private clientOrderId(): string {
    return `${this.prefix}-${(this.orderCounter++).toString(36)}`;
  }

  private order(model: SymbolModel, accountId: number, orderType: 'LIMIT' | 'MARKET', timeInForce: 'GTC' | 'IOC',
    crossing: boolean): WorkloadItem {
    // Takers are directional (odd accounts lean long, even short), so some build levered positions
    // that an adverse jump liquidates; makers quote both sides evenly.
    const lean = crossing ? (accountId % 2 === 1 ? 0.75 : 0.25) : 0.5;
    const side: OrderSideName = this.random.float() < lean ? 'BUY' : 'SELL';
    const sign = side === 'BUY' ? 1 : -1;
    const index = model.indexTicks;
    // Passive quotes sit 1–80 bps away on their own side; crossing limits reach up to 40 bps through.
    const offsetBps = crossing ? -this.random.between(0, 40) : this.random.between(1, 80);
    const priceTicks = orderType === 'MARKET' ? 0 : Math.max(1, Math.round(index * (1 - (sign * offsetBps) / 10_000)));
    const qtyLots = model.minLots * (crossing ? this.random.between(5, 150) : this.random.between(1, 40));
    const clientOrderId = this.clientOrderId();
    if (orderType === 'LIMIT' && timeInForce === 'GTC') this.remember(this.slot(accountId, model), clientOrderId);
    const command: Omit<PlaceOrderCommand, 'seq' | 'atMs'> = {
      type: 'PlaceOrder', accountId, symbol: model.symbol, side, orderType, timeInForce, qtyLots, priceTicks,
      stopPriceTicks: 0, activationPriceTicks: 0, callbackRateBps: 0,
      reduceOnly: crossing && this.random.float() < 0.1, closePosition: false, workingType: 'CONTRACT_PRICE',
      priceProtect: false, stpMode: this.random.float() < 0.2 ? 'EXPIRE_TAKER' : 'NONE', clientOrderId,
    };
    return { command, idempotencyKey: `${this.prefix}:order:${accountId}:${clientOrderId}` };
  }

  private conditional(model: SymbolModel, accountId: number): WorkloadItem {
    const side: OrderSideName = this.random.float() < 0.5 ? 'BUY' : 'SELL';
    const sign = side === 'BUY' ? 1 : -1;
    const kind = this.random.below(3);
    const clientOrderId = this.clientOrderId();
    const away = this.random.between(20, 300);
    // STOP_MARKET fires beyond the market in the order's direction, TAKE_PROFIT_MARKET before it.
    const orderType = kind === 0 ? 'STOP_MARKET' : kind === 1 ? 'TAKE_PROFIT_MARKET' : 'TRAILING_STOP_MARKET';
    const direction = orderType === 'TAKE_PROFIT_MARKET' ? -sign : sign;
    const stopPriceTicks = orderType === 'TRAILING_STOP_MARKET' ? 0
      : Math.round(model.indexTicks * (1 + (direction * away) / 10_000));
    const command: Omit<PlaceOrderCommand, 'seq' | 'atMs'> = {
      type: 'PlaceOrder', accountId, symbol: model.symbol, side, orderType, timeInForce: 'GTC',
      qtyLots: model.minLots * this.random.between(1, 10), priceTicks: 0, stopPriceTicks, activationPriceTicks: 0,
      callbackRateBps: orderType === 'TRAILING_STOP_MARKET' ? this.random.between(10, 300) : 0,
      reduceOnly: this.random.float() < 0.5, closePosition: false,
      workingType: this.random.float() < 0.5 ? 'MARK_PRICE' : 'CONTRACT_PRICE', priceProtect: false, stpMode: 'NONE',
      clientOrderId,
    };
    this.remember(this.slot(accountId, model), clientOrderId);
    return { command, idempotencyKey: `${this.prefix}:order:${accountId}:${clientOrderId}` };
  }

  /** Recent client order ids are kept per account and symbol, so cancels name a live order often. */
  private slot(accountId: number, model: SymbolModel): number {
    return accountId * this.symbols.length + model.symbolIndex;
  }

  private remember(slot: number, clientOrderId: string): void {
    const recent = this.recentOrders[slot]!;
    recent.push(clientOrderId);
    if (recent.length > RECENT_ORDERS) recent.shift();
  }

  private pickRecent(slot: number): string {
    const recent = this.recentOrders[slot]!;
    if (recent.length === 0) return 'never-placed';
    const at = this.random.below(recent.length);
    const id = recent[at]!;
    recent[at] = recent[recent.length - 1]!;
    recent.pop();
    return id;
  }

  private cancel(model: SymbolModel, accountId: number): UnsequencedCommand {
    return { type: 'CancelOrder', accountId, symbol: model.symbol, orderId: 0, clientOrderId: this.pickRecent(this.slot(accountId, model)) };
  }

  private amend(model: SymbolModel, accountId: number): UnsequencedCommand {
    const recent = this.recentOrders[this.slot(accountId, model)]!;
    const clientOrderId = recent.length === 0 ? 'never-placed' : recent[this.random.below(recent.length)]!;
    const side = this.random.float() < 0.5 ? 1 : -1;
    return {
      type: 'AmendOrder', accountId, symbol: model.symbol, orderId: 0, clientOrderId,
      qtyLots: model.minLots * this.random.between(1, 40),
      priceTicks: Math.round(model.indexTicks * (1 - (side * this.random.between(5, 80)) / 10_000)),
    };
  }
}
