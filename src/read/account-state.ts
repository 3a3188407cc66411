/**
 * @module read/account-state
 * A projection of the engine's account state built only from committed events: accounts and their
 * cross wallets, positions (size, cost, margin type, leverage, isolated wallet, realized PnL), open
 * orders (the last order view of every live order), resting depth per price level, marks, index
 * prices, funding, open interest and the insurance fund. Feed it batches in sequence order with
 * `apply`; it never reads the engine, so it runs anywhere events arrive (surveillance, the API's
 * read side, a journal replay).
 *
 * Every fact comes from an event that carries the new value, not a delta: BalanceChanged carries the
 * wallet's new balance, PositionChanged the whole position, OrderUpdate the whole order view,
 * InsuranceFundChanged the fund's balance. So a projection that starts from seq 1 equals the engine
 * after every command (test/read/account-state.property.test.ts checks it on random streams).
 *
 * Derived figures (UPnL, maintenance margin, margin balance, liquidation price) are computed on
 * demand with the engine's own pure margin functions over plain figures (core: crossTotalsOf,
 * liquidationBackingOf, …): a PositionState is a PositionFigures and a MarketState a MarketFigures.
 */
import {
  CrossTotals, crossTotalsOf, liquidationBackingOf, liquidationPrice, maintenanceMarginE8, unrealizedPnlE8,
  type EngineEvent, type Instrument, type MarginTypeName, type MarketFigures, type OrderView, type PositionFigures,
  type PriceFraction,
} from '../core/index.js';

/** One position as the engine last reported it (the figures core's margin functions take). */
export class PositionState implements PositionFigures {
  /** Market index (PositionFigures.market); the market itself is `marketState`. */
  readonly market: number;
  /** Not projected: order margin is an account's own concern, and no risk figure here needs it. */
  readonly orderMarginE8 = 0n;
  sizeLots = 0;
  costE8 = 0n;
  isolated = false;
  isolatedWalletE8 = 0n;
  leverage: number;
  realizedPnlE8 = 0n;
  /** Event time of the last change (the batch's time). */
  updatedAtMs = 0;

  constructor(readonly accountId: number, readonly marketState: MarketState, leverage: number) {
    this.market = marketState.marketIndex;
    this.leverage = leverage;
  }

  get symbol(): string {
    return this.marketState.symbol;
  }

  get marginType(): MarginTypeName {
    return this.isolated ? 'ISOLATED' : 'CROSSED';
  }
}

export class AccountState {
  crossWalletE8 = 0n;
  /** Positions by market index (created on first mention, like the engine's). */
  readonly positions: (PositionState | undefined)[] = [];
  /** Live orders (resting and untriggered conditional), by order id. */
  readonly orders = new Map<number, OrderView>();
  /** Non-zero cross positions, kept so multi-symbol cross accounts are cheap to find. */
  crossOpen = 0;
  open = 0;

  constructor(readonly accountId: number, readonly parentAccountId: number) {}

  /** Open positions (size ≠ 0). */
  *openPositions(): IterableIterator<PositionState> {
    for (const position of this.positions) if (position !== undefined && position.sizeLots !== 0) yield position;
  }
}

/** Resting quantity per price level of one side. */
export type DepthSide = Map<number, number>;

export class MarketState implements MarketFigures {
  markTicks = 0;
  indexTicks = 0;
  lastTicks = 0;
  markAtMs = 0;
  estimatedFundingRateE8 = 0n;
  lastFundingRateE8 = 0n;
  nextFundingMs = 0;
  /** Σ sizes of long positions (= Σ |shorts|). */
  openInterestLots = 0;
  readonly bids: DepthSide = new Map();
  readonly asks: DepthSide = new Map();

  constructor(readonly instrument: Instrument, readonly marketIndex: number) {}

  get symbol(): string {
    return this.instrument.symbol;
  }
}

const TERMINAL = new Set(['FILLED', 'CANCELED', 'EXPIRED', 'EXPIRED_IN_MATCH']);
const LIMIT_TYPES = new Set(['LIMIT', 'STOP', 'TAKE_PROFIT']);

/** Lots an order view keeps on the book (0 for market, IOC/FOK and untriggered conditional orders). */
export function restingLots(order: OrderView): number {
  if (TERMINAL.has(order.status)) return 0;
  if (order.conditional && !order.triggered) return 0;
  if (!LIMIT_TYPES.has(order.orderType)) return 0;
  if (order.timeInForce !== 'GTC' && order.timeInForce !== 'GTX') return 0;
  return order.origQtyLots - order.executedQtyLots;
}

/** Account-level cross figures at current marks. */
export interface CrossFigures {
  readonly walletE8: bigint;
  readonly unrealizedPnlE8: bigint;
  readonly maintenanceE8: bigint;
  readonly marginBalanceE8: bigint;
  readonly positions: number;
}

/** A position's figures at the current mark. */
export interface PositionFiguresView {
  readonly markTicks: number;
  readonly unrealizedPnlE8: bigint;
  readonly maintenanceMarginE8: bigint;
  /** The equity that backs the position apart from its own PnL (isolated wallet, or the cross backing). */
  readonly backingE8: bigint;
  readonly liquidationPrice: PriceFraction | undefined;
}

/** What `apply` needs of a batch: its events, in order. */
export interface EventBatch {
  readonly atMs: number;
  readonly events: readonly EngineEvent[];
}

export class AccountStateProjection {
  readonly markets: readonly MarketState[];
  private readonly bySymbol = new Map<string, MarketState>();
  /** Reused by crossFigures (its result is copied out at once). */
  private readonly scratch = new CrossTotals();
  /** Accounts by id (ids are dense from 1). */
  private readonly accountList: (AccountState | undefined)[] = [];
  accountCount = 0;
  insuranceFundE8 = 0n;
  /** Time of the last batch applied. */
  atMs = 0;

  constructor(instruments: readonly Instrument[]) {
    this.markets = instruments.map((instrument, index) => new MarketState(instrument, index));
    for (const market of this.markets) this.bySymbol.set(market.symbol, market);
  }

  apply(batch: EventBatch): void {
    this.atMs = batch.atMs;
    for (const event of batch.events) this.applyEvent(event);
  }

  applyEvent(event: EngineEvent): void {
    switch (event.type) {
      case 'AccountCreated':
        this.accountList[event.accountId] = new AccountState(event.accountId, event.parentAccountId);
        this.accountCount++;
        return;
      case 'BalanceChanged': {
        const account = this.accountList[event.accountId];
        if (account === undefined) return;
        if (event.isolatedSymbol === '') account.crossWalletE8 = event.balanceE8;
        else this.positionFor(account, this.market(event.isolatedSymbol)).isolatedWalletE8 = event.balanceE8;
        return;
      }
      case 'PositionChanged':
        this.applyPosition(event);
        return;
      case 'LeverageChanged': {
        const account = this.accountList[event.accountId];
        if (account !== undefined) this.positionFor(account, this.market(event.symbol)).leverage = event.leverage;
        return;
      }
      case 'MarginTypeChanged': {
        const account = this.accountList[event.accountId];
        if (account === undefined) return;
        const position = this.positionFor(account, this.market(event.symbol));
        this.setIsolated(account, position, event.marginType === 'ISOLATED');
        return;
      }
      case 'OrderUpdate':
        this.applyOrder(event.order);
        return;
      case 'Trade':
        this.market(event.symbol).lastTicks = event.priceTicks;
        return;
      case 'MarkPriceUpdated': {
        const market = this.market(event.symbol);
        market.markTicks = event.markTicks;
        market.indexTicks = event.indexTicks;
        market.markAtMs = event.atMs;
        market.estimatedFundingRateE8 = event.estimatedFundingRateE8;
        market.lastFundingRateE8 = event.lastFundingRateE8;
        market.nextFundingMs = event.nextFundingMs;
        return;
      }
      case 'IndexPriceUpdated':
        this.market(event.symbol).indexTicks = event.indexTicks;
        return;
      case 'FundingSettled':
        this.market(event.symbol).lastFundingRateE8 = event.rateE8;
        return;
      case 'InsuranceFundChanged':
        this.insuranceFundE8 = event.balanceE8;
        return;
      case 'Liquidation':
      case 'Rejected':
      case 'AccountPolicyChanged':
      case 'AcknowledgementRecorded':
      case 'SponsorshipChanged':
      case 'SponsorLimitBreached':
      case 'SponsorDayStarted':
      case 'SponsorshipSettled':
      case 'JurisdictionPolicyChanged':
      case 'VenuePolicyChanged':
      case 'LeadPortfolioChanged':
      case 'FollowerChanged':
      case 'CopyFill':
      case 'CopySkipped':
      case 'ProfitShareSettled':
        return;
    }
  }

  // ---- queries --------------------------------------------------------------------------------

  market(symbol: string): MarketState {
    const market = this.bySymbol.get(symbol);
    if (market === undefined) throw new Error(`unknown symbol ${symbol}`);
    return market;
  }

  hasSymbol(symbol: string): boolean {
    return this.bySymbol.has(symbol);
  }

  account(accountId: number): AccountState | undefined {
    return this.accountList[accountId];
  }

  *accounts(): IterableIterator<AccountState> {
    for (const account of this.accountList) if (account !== undefined) yield account;
  }

  position(accountId: number, symbol: string): PositionState | undefined {
    return this.accountList[accountId]?.positions[this.market(symbol).marketIndex];
  }

  openOrders(accountId: number, symbol?: string): OrderView[] {
    const account = this.accountList[accountId];
    if (account === undefined) return [];
    const views = [...account.orders.values()];
    return symbol === undefined ? views : views.filter((order) => order.symbol === symbol);
  }

  /** Resting depth, best first: bids high to low, asks low to high. */
  depth(symbol: string, limit: number): { bids: { priceTicks: number; qtyLots: number }[]; asks: { priceTicks: number; qtyLots: number }[] } {
    const market = this.market(symbol);
    const side = (levels: DepthSide, descending: boolean): { priceTicks: number; qtyLots: number }[] =>
      [...levels].sort((a, b) => (descending ? b[0] - a[0] : a[0] - b[0])).slice(0, limit)
        .map(([priceTicks, qtyLots]) => ({ priceTicks, qtyLots }));
    return { bids: side(market.bids, true), asks: side(market.asks, false) };
  }

  crossFigures(account: AccountState): CrossFigures {
    const totals = crossTotalsOf(account.crossWalletE8, account.openPositions(), this.markets, this.scratch, false);
    return {
      walletE8: totals.walletE8, unrealizedPnlE8: totals.unrealizedPnlE8, maintenanceE8: totals.maintenanceE8,
      marginBalanceE8: totals.marginBalanceE8, positions: totals.crossPositions,
    };
  }

  /** The position's figures at the current mark, with its liquidation price as the engine computes it. */
  positionFigures(position: PositionState): PositionFiguresView {
    const { instrument, markTicks } = position.marketState;
    const account = this.accountList[position.accountId]!;
    const backing = liquidationBackingOf(account.crossWalletE8, account.openPositions(), this.markets, position);
    return {
      markTicks, unrealizedPnlE8: unrealizedPnlE8(instrument, position, markTicks),
      maintenanceMarginE8: maintenanceMarginE8(instrument, position, markTicks), backingE8: backing,
      liquidationPrice: liquidationPrice(instrument, position.sizeLots, position.costE8, backing),
    };
  }

  // ---- event application ----------------------------------------------------------------------

  private positionFor(account: AccountState, market: MarketState): PositionState {
    let position = account.positions[market.marketIndex];
    if (position === undefined) {
      position = new PositionState(account.accountId, market, market.instrument.defaultLeverage);
      account.positions[market.marketIndex] = position;
    }
    return position;
  }

  private setIsolated(account: AccountState, position: PositionState, isolated: boolean): void {
    if (position.isolated === isolated) return;
    if (position.sizeLots !== 0) account.crossOpen += isolated ? -1 : 1;
    position.isolated = isolated;
  }

  private applyPosition(event: Extract<EngineEvent, { type: 'PositionChanged' }>): void {
    const account = this.accountList[event.accountId];
    if (account === undefined) return;
    const market = this.market(event.symbol);
    const position = this.positionFor(account, market);
    const before = position.sizeLots;
    if (before > 0) market.openInterestLots -= before;
    if (event.sizeLots > 0) market.openInterestLots += event.sizeLots;
    if (before !== 0 && !position.isolated) account.crossOpen--;
    if (before !== 0) account.open--;
    position.sizeLots = event.sizeLots;
    position.costE8 = event.costE8;
    position.isolated = event.marginType === 'ISOLATED';
    position.isolatedWalletE8 = event.isolatedWalletE8;
    position.leverage = event.leverage;
    position.realizedPnlE8 = event.realizedPnlE8;
    position.updatedAtMs = this.atMs;
    if (event.sizeLots !== 0 && !position.isolated) account.crossOpen++;
    if (event.sizeLots !== 0) account.open++;
  }

  private applyOrder(order: OrderView): void {
    const account = this.accountList[order.accountId];
    if (account === undefined) return;
    const market = this.market(order.symbol);
    const previous = account.orders.get(order.orderId);
    if (previous !== undefined) this.addDepth(market, previous, -restingLots(previous));
    if (TERMINAL.has(order.status)) account.orders.delete(order.orderId);
    else account.orders.set(order.orderId, order);
    this.addDepth(market, order, restingLots(order));
  }

  private addDepth(market: MarketState, order: OrderView, lots: number): void {
    if (lots === 0) return;
    const side = order.side === 'BUY' ? market.bids : market.asks;
    const next = (side.get(order.priceTicks) ?? 0) + lots;
    if (next === 0) side.delete(order.priceTicks);
    else side.set(order.priceTicks, next);
  }
}
