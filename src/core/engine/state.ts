/**
 * @module engine/state
 * The engine's mutable state. Only engine code mutates it, and only inside Engine.apply().
 * Maps iterate in insertion order, which is itself a pure function of the command stream, and
 * snapshots preserve it; nothing iterates plain objects.
 */
import type { Follower, LeadPortfolio } from './copy-state.js';
import type { Sponsorship } from './sponsor-state.js';
import { AssertionFailure } from '../assert.js';
import { divCeil } from '../num/int.js';
import type { OrderBook, Side } from '../book/types.js';
import type { Instrument } from '../instrument/instrument.js';
import type {
  AccountStatusName, OrderOriginName, OrderTypeName, StpModeName, TimeInForceName, WorkingTypeName,
} from '../schema/enums.js';
import type { OrderStatusName } from './events.js';
import type { LiquidationIndex } from './liquidation-index.js';
import type { TriggerIndex } from './trigger-index.js';

/** Everything an order is created with (the fields that never change, and the first quantity and price). */
export interface OrderSpec {
  readonly orderId: number;
  readonly accountId: number;
  readonly market: number;
  readonly clientOrderId: string;
  readonly side: Side;
  readonly orderType: OrderTypeName;
  readonly timeInForce: TimeInForceName;
  readonly qtyLots: number;
  readonly priceTicks: number;
  readonly stopPriceTicks: number;
  readonly activationPriceTicks: number;
  readonly callbackRateBps: number;
  readonly reduceOnly: boolean;
  readonly closePosition: boolean;
  readonly workingType: WorkingTypeName;
  readonly priceProtect: boolean;
  readonly stpMode: StpModeName;
  readonly conditional: boolean;
  /** USER, or the engine rule that made it (see ORDER_ORIGINS). */
  readonly origin: OrderOriginName;
  /** What caused an engine-made order (a copied trade's id, a liquidated account); 0 for USER. */
  readonly causeId: number;
  readonly createdAtMs: number;
}

/** A live order (resting in the book or waiting for its trigger). Done orders leave the state. */
export class OrderRecord {
  executedQtyLots = 0;
  cumQuoteE8 = 0n;
  status: OrderStatusName = 'NEW';
  triggered = false;
  /** True while the order rests in the book. */
  resting = false;
  /** Margin reserved for the remaining quantity (non-reduce-only resting orders only). */
  marginCostE8 = 0n;
  /** §1.2 inputs for the full original quantity: IM notional (assuming price for shorts), open loss. */
  private notionalInputE8 = 0n;
  private openLossInputE8 = 0n;
  /** Trailing stop: activated flag and the best price seen since activation. */
  trailingActive = false;
  /** In ctx.liveOrders (a flag, so hot paths need no map lookup to ask). */
  live = false;
  /** The engine made up the client id (`perpx-<orderId>`); such ids stay out of clientOrderIds. */
  generatedClientId = false;
  /** Neighbours in the account's list of live orders (insertion order). */
  prevInAccount: OrderRecord | undefined = undefined;
  nextInAccount: OrderRecord | undefined = undefined;
  trailingExtremeTicks = 0;
  updatedAtMs: number;
  /** Cache of the §1.2 cost of the full original quantity at leverage `fullCostLeverage` (0: stale). */
  private fullCostE8 = 0n;
  private fullCostLeverage = 0;
  /** The event log's packed code of the fields fixed at creation (a cache, not state; -1 until first used). */
  eventBits = -1;

  readonly orderId: number;
  readonly accountId: number;
  readonly market: number;
  readonly clientOrderId: string;
  readonly side: Side;
  readonly orderType: OrderTypeName;
  readonly timeInForce: TimeInForceName;
  origQtyLots: number;
  priceTicks: number;
  readonly stopPriceTicks: number;
  readonly activationPriceTicks: number;
  readonly callbackRateBps: number;
  readonly reduceOnly: boolean;
  readonly closePosition: boolean;
  readonly workingType: WorkingTypeName;
  readonly priceProtect: boolean;
  readonly stpMode: StpModeName;
  readonly conditional: boolean;
  readonly origin: OrderOriginName;
  readonly causeId: number;
  readonly createdAtMs: number;

  constructor(spec: OrderSpec) {
    this.orderId = spec.orderId;
    this.accountId = spec.accountId;
    this.market = spec.market;
    this.clientOrderId = spec.clientOrderId;
    this.side = spec.side;
    this.orderType = spec.orderType;
    this.timeInForce = spec.timeInForce;
    this.origQtyLots = spec.qtyLots;
    this.priceTicks = spec.priceTicks;
    this.stopPriceTicks = spec.stopPriceTicks;
    this.activationPriceTicks = spec.activationPriceTicks;
    this.callbackRateBps = spec.callbackRateBps;
    this.reduceOnly = spec.reduceOnly;
    this.closePosition = spec.closePosition;
    this.workingType = spec.workingType;
    this.priceProtect = spec.priceProtect;
    this.stpMode = spec.stpMode;
    this.conditional = spec.conditional;
    this.origin = spec.origin;
    this.causeId = spec.causeId;
    this.createdAtMs = spec.createdAtMs;
    this.updatedAtMs = spec.createdAtMs;
  }

  /** Engine-made orders (liquidations, copies, close-outs) are not the account's own. */
  get engineMade(): boolean {
    return this.origin !== 'USER';
  }

  get remainingLots(): number {
    return this.origQtyLots - this.executedQtyLots;
  }

  get marginNotionalE8(): bigint {
    return this.notionalInputE8;
  }

  get marginOpenLossE8(): bigint {
    return this.openLossInputE8;
  }

  /** Sets the §1.2 inputs; the cached full cost goes stale with them. */
  setMarginInputs(notionalE8: bigint, openLossE8: bigint): void {
    this.notionalInputE8 = notionalE8;
    this.openLossInputE8 = openLossE8;
    this.fullCostLeverage = 0;
  }

  /** §1.2 cost of the full original quantity at `leverage`: IM notional / leverage (rounded up) + open loss. */
  fullCostAt(leverage: number): bigint {
    // Cached per leverage: a large resting order is re-priced on every fill against it.
    if (this.fullCostLeverage !== leverage) {
      this.fullCostE8 = divCeil(this.notionalInputE8, BigInt(leverage)) + this.openLossInputE8;
      this.fullCostLeverage = leverage;
    }
    return this.fullCostE8;
  }
}

/** One account's state in one symbol: settings, position, and order-margin aggregates. */
export class Position {
  sizeLots = 0;
  /** Signed entry notional in quote E8 (long > 0, short < 0). */
  costE8 = 0n;
  isolatedWalletE8 = 0n;
  realizedPnlE8 = 0n;
  /** Resting non-reduce-only orders: total lots and total reserved cost per side. */
  buyQtyLots = 0;
  buyCostE8 = 0n;
  sellQtyLots = 0;
  sellCostE8 = 0n;
  /** Cached order margin of this symbol: max(buy side, sell side) opening cost. */
  orderMarginE8 = 0n;
  /** Live regular orders (resting) and live conditional orders. */
  openOrderCount = 0;
  algoOrderCount = 0;
  /** Slot in the market's liquidation index, -1 when not indexed. */
  liquidationSlot = -1;
  /** Set while the liquidation module closes this position (defers the isolated-margin release). */
  liquidating = false;
  updatedAtMs = 0;
  /** Neighbours in the market's list of open positions; `open` while listed. */
  prevOpen: Position | undefined = undefined;
  nextOpen: Position | undefined = undefined;
  open = false;

  constructor(
    readonly accountId: number,
    readonly market: number,
    public leverage: number,
    public isolated: boolean,
  ) {}
}

/**
 * An account's positions (one record per market it has used), kept in market-index order, so
 * every walk over them (risk checks, liquidation order, snapshots, the state hash) has one
 * canonical order whatever order the account first used its markets in. Records are never removed.
 */
export class AccountPositions {
  private readonly byMarket: (Position | undefined)[] = [];
  private readonly inOrder: Position[] = [];

  get(market: number): Position | undefined {
    return this.byMarket[market];
  }

  /** Files `position` under its market (a record already filed there is left as it is). */
  set(market: number, position: Position): void {
    const current = this.byMarket[market];
    if (current === position) return;
    if (current !== undefined) throw new AssertionFailure(`account ${position.accountId} has one position record per market`);
    this.byMarket[market] = position;
    let at = this.inOrder.length;
    while (at > 0 && this.inOrder[at - 1]!.market > market) at--;
    this.inOrder.splice(at, 0, position);
  }

  /** Every record in market-index order (the array itself: do not modify it). */
  values(): readonly Position[] {
    return this.inOrder;
  }

  get size(): number {
    return this.inOrder.length;
  }
}

/**
 * An account's live orders as an intrusive list in insertion order: adding and removing an order
 * allocates nothing (a per-account Map rehashed its table on every few orders, and the tables
 * outlived young-generation collections).
 */
export class AccountOrders {
  first: OrderRecord | undefined = undefined;
  last: OrderRecord | undefined = undefined;
  size = 0;

  add(order: OrderRecord): void {
    order.prevInAccount = this.last;
    order.nextInAccount = undefined;
    if (this.last === undefined) this.first = order;
    else this.last.nextInAccount = order;
    this.last = order;
    this.size++;
  }

  remove(order: OrderRecord): void {
    const prev = order.prevInAccount;
    const next = order.nextInAccount;
    if (prev === undefined) this.first = next;
    else prev.nextInAccount = next;
    if (next === undefined) this.last = prev;
    else next.prevInAccount = prev;
    order.prevInAccount = undefined;
    order.nextInAccount = undefined;
    this.size--;
  }

  /** A copy in insertion order (callers may end orders while walking it). */
  values(): OrderRecord[] {
    const out: OrderRecord[] = [];
    for (let order = this.first; order !== undefined; order = order.nextInAccount) out.push(order);
    return out;
  }
}

/**
 * A market's non-zero positions as an intrusive list: opening and closing one is two pointer
 * writes, where a Map of a million positions took a hash-table miss per close (one per
 * liquidation in a cascade). Readers that need an order sort (funding and ADL sort by account).
 */
export class OpenPositions {
  private first: Position | undefined = undefined;
  private last: Position | undefined = undefined;
  size = 0;

  add(position: Position): void {
    if (position.open) throw new AssertionFailure(`position of ${position.accountId} is listed once`);
    position.open = true;
    position.prevOpen = this.last;
    position.nextOpen = undefined;
    if (this.last === undefined) this.first = position;
    else this.last.nextOpen = position;
    this.last = position;
    this.size++;
  }

  remove(position: Position): void {
    if (!position.open) throw new AssertionFailure(`position of ${position.accountId} is listed`);
    const prev = position.prevOpen;
    const next = position.nextOpen;
    if (prev === undefined) this.first = next;
    else prev.nextOpen = next;
    if (next === undefined) this.last = prev;
    else next.prevOpen = prev;
    position.prevOpen = undefined;
    position.nextOpen = undefined;
    position.open = false;
    this.size--;
  }

  *values(): IterableIterator<Position> {
    for (let position = this.first; position !== undefined; position = position.nextOpen) yield position;
  }
}

export class Account {
  crossWalletE8 = 0n;
  depositedE8 = 0n;
  withdrawnE8 = 0n;
  /** Per market index; created on first use (settings or trading); walked in market order. */
  readonly positions = new AccountPositions();
  /** Live orders in insertion order. */
  readonly orders = new AccountOrders();
  /** clientOrderId → orderId for live orders whose client id the client chose. */
  readonly clientOrderIds = new Map<string, OrderRecord>();
  /** Live reduce-only orders (lets the risk pass skip reconciliation for most accounts). */
  reduceOnlyOrders = 0;
  /** Number of markets with a non-zero cross position (selects the multi-symbol index key). */
  crossPositionCount = 0;
  /** Generation stamp for the per-command touched-accounts list. */
  touchedGeneration = 0;
  /** The policy gate's account state (policy.ts), set by journaled commands. */
  readonly policy = new AccountPolicy();
  /** Set while the account is a lead portfolio (copy.ts). */
  copyLead: LeadPortfolio | undefined = undefined;
  /** Set while the account copies a lead (copy.ts). */
  copyFollower: Follower | undefined = undefined;
  /** Set while the account is sponsored (sponsor.ts): its loss limits are watched. */
  sponsorship: Sponsorship | undefined = undefined;

  constructor(
    readonly accountId: number,
    readonly parentAccountId: number,
  ) {}
}

/** An account's standing for the policy gate (policy.ts). */
export class AccountPolicy {
  status: AccountStatusName = 'ACTIVE';
  /** Highest leverage allowed (0: only the brackets limit it). */
  leverageCap = 0;
  /** ISO 3166 code of the holder ('' when unknown). */
  jurisdiction = '';
  /** Trading is locked until this engine time (0: not cooling off). */
  coolOffUntilMs = 0;
  /** The rule or decision behind the standing, shown to the account. */
  source = '';
  /** Engine time the account was created (0: before the engine kept it; counts as old). */
  createdAtMs = 0;
  /** When the account passed the appropriateness test (0: not yet). */
  appropriatenessAtMs = 0;
  /** When the account acknowledged high-leverage risks (0: not yet). */
  highLeverageAckAtMs = 0;
}

/** Venue-wide protection rules (SetVenuePolicy). */
export class VenuePolicy {
  newAccountLeverageCap = 0;
  newAccountDays = 0;
  requireAppropriateness = false;
  highLeverageAckAbove = 0;
  source = '';

  /** Whether any rule is set (the gate's fast path skips the rest when none is). */
  get any(): boolean {
    return this.newAccountLeverageCap > 0 || this.requireAppropriateness || this.highLeverageAckAbove > 0;
  }
}

/** A jurisdiction's dated policy (set by SetJurisdictionPolicy). */
export interface JurisdictionRule {
  readonly status: AccountStatusName;
  readonly leverageCap: number;
  readonly effectiveFromMs: number;
  readonly source: string;
}

/** Per-symbol market state. */
export class Market {
  indexTicks = 0;
  markTicks = 0;
  /** Price limits derived from the mark (protection and PERCENT_PRICE; order-checks.ts) and the mark they are for (a cache; -1: none). */
  markLimitsTicks = -1;
  readonly markLimits = [0, 0, 0, 0, 0, 0];
  lastTicks = 0;
  lastFundingRateE8: bigint;
  /** Basis samples (bestBid + bestAsk − 2 × index, in half-ticks) in a ring. */
  readonly basisRing: Float64Array;
  basisCount = 0;
  basisCursor = 0;
  basisSumHalfTicks = 0;
  /** Premium samples of the current funding interval: Σ i·P_i (premium scale) and Σ i. */
  premiumWeightedSum = 0n;
  premiumWeightSum = 0n;
  /** Next instants at which time-driven work is due (ms since epoch); 0 until the first index price. */
  nextMarkMs = 0;
  nextPremiumMs = 0;
  nextFundingMs = 0;
  longOpenInterestLots = 0;
  shortOpenInterestLots = 0;
  nextTradeId = 1;
  /** Every non-zero position (funding, ADL, audits). */
  readonly openPositions = new OpenPositions();
  /** Last price at which CONTRACT_PRICE triggers were evaluated. */
  lastTriggerCheckTicks = 0;
  /** ADL ranking built lazily within one command (index 0: longs, 1: shorts), with a cursor. */
  adlQueues: [Position[] | undefined, Position[] | undefined] = [undefined, undefined];
  adlCursors: [number, number] = [0, 0];

  constructor(
    readonly marketIndex: number,
    readonly instrument: Instrument,
    readonly book: OrderBook,
    readonly triggers: TriggerIndex,
    readonly liquidations: LiquidationIndex,
  ) {
    this.lastFundingRateE8 = instrument.interestRateE8;
    this.basisRing = new Float64Array(instrument.basisSamples);
  }
}
