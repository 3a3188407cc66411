/**
 * The reference engine's state as plain data: accounts with their positions and live orders in
 * arrays (insertion order, which the engine's event order depends on), markets with a naive
 * reference order book, and the venue's totals. No caches, no indexes: everything derived
 * (order margin, open interest, open positions, counts) is recomputed where a rule needs it.
 */
import { createReferenceBook } from '../../../src/core/book/reference-book.js';
import { BUY, type OrderBook, type Side } from '../../../src/core/book/types.js';
import type { Instrument } from '../../../src/core/instrument/instrument.js';
import type {
  OrderTypeName, StpModeName, TimeInForceName, WorkingTypeName,
} from '../../../src/core/engine/commands.js';
import type { EngineEvent, OrderStatusName } from '../../../src/core/engine/events.js';
import type { OrderOriginName } from '../../../src/core/schema/enums.js';

export type SideName = 'BUY' | 'SELL';

export interface RefOrder {
  readonly orderId: number;
  readonly accountId: number;
  readonly market: number;
  readonly clientOrderId: string;
  readonly side: SideName;
  readonly orderType: OrderTypeName;
  readonly timeInForce: TimeInForceName;
  origQtyLots: number;
  executedQtyLots: number;
  cumQuoteE8: bigint;
  priceTicks: number;
  readonly stopPriceTicks: number;
  readonly activationPriceTicks: number;
  readonly callbackRateBps: number;
  readonly reduceOnly: boolean;
  readonly closePosition: boolean;
  readonly workingType: WorkingTypeName;
  readonly priceProtect: boolean;
  readonly stpMode: StpModeName;
  /** A stop / take-profit / trailing order (waits for its trigger until `triggered`). */
  readonly conditional: boolean;
  triggered: boolean;
  /** USER, or the engine rule that made the order (the reference makes only LIQUIDATION orders). */
  readonly origin: OrderOriginName;
  /** For an engine-made order, what caused it (the liquidated account); 0 otherwise. */
  readonly causeId: number;
  status: OrderStatusName;
  readonly createdAtMs: number;
  updatedAtMs: number;
  /** Live: accepted and not finished (resting in the book, or waiting for its trigger). */
  live: boolean;
  resting: boolean;
  /** §1.2 inputs of the whole original quantity, fixed when the order was priced. */
  marginNotionalE8: bigint;
  marginOpenLossE8: bigint;
  trailingActive: boolean;
  trailingExtremeTicks: number;
}

export interface RefPosition {
  readonly accountId: number;
  readonly market: number;
  leverage: number;
  isolated: boolean;
  sizeLots: number;
  /** Signed entry notional (long > 0). */
  costE8: bigint;
  isolatedWalletE8: bigint;
  realizedPnlE8: bigint;
  updatedAtMs: number;
  /** True while the liquidation of this position runs (isolated margin is released after it). */
  liquidating: boolean;
}

export interface RefAccount {
  readonly accountId: number;
  readonly parentAccountId: number;
  crossWalletE8: bigint;
  depositedE8: bigint;
  withdrawnE8: bigint;
  /** Per symbol settings and position, in the order the engine first created them. */
  readonly positions: RefPosition[];
  /** Live orders in the order they became live (= order id order). */
  readonly orders: RefOrder[];
}

export interface RefMarket {
  readonly index: number;
  readonly instrument: Instrument;
  readonly book: OrderBook;
  indexTicks: number;
  markTicks: number;
  lastTicks: number;
  lastTriggerCheckTicks: number;
  lastFundingRateE8: bigint;
  /** Basis samples (bid + ask − 2 × index, half-ticks), oldest first, at most basisSamples. */
  readonly basis: number[];
  /** Σ weight × premium (1e-12) and Σ weight over the current funding interval. */
  premiumWeightedSum: bigint;
  premiumWeightSum: bigint;
  nextMarkMs: number;
  nextPremiumMs: number;
  nextFundingMs: number;
  nextTradeId: number;
  /** Waiting trailing stops, in the order they joined (it decides firing order). */
  readonly trailing: RefOrder[];
  /** ADL rankings built once per command (0: longs, 1: shorts) and a cursor into each. */
  adlQueues: [RefPosition[] | undefined, RefPosition[] | undefined];
  adlCursors: [number, number];
}

export interface RefLimits {
  readonly maxAccounts: number;
  readonly maxSampleCatchUpMs: number;
}

export interface RefState {
  readonly markets: RefMarket[];
  /** Accounts in id order (ids are 1, 2, 3, … so account n sits at index n − 1). */
  readonly accounts: RefAccount[];
  readonly liveOrders: Map<number, RefOrder>;
  insuranceFundE8: bigint;
  feePoolE8: bigint;
  depositsE8: bigint;
  withdrawalsE8: bigint;
  nextAccountId: number;
  nextOrderId: number;
  lastSeq: number;
  clockMs: number;
  readonly limits: RefLimits;
  /** Events of the command being applied. */
  events: EngineEvent[];
  /** Accounts whose margin may have changed since the risk pass last looked (in touch order). */
  touched: RefAccount[];
}

export function createState(instruments: readonly Instrument[], limits: RefLimits): RefState {
  const state: RefState = {
    markets: [], accounts: [], liveOrders: new Map(), insuranceFundE8: 0n, feePoolE8: 0n, depositsE8: 0n,
    withdrawalsE8: 0n, nextAccountId: 1, nextOrderId: 1, lastSeq: 0, clockMs: 0, limits, events: [],
    touched: [],
  };
  instruments.forEach((instrument, index) => {
    const book = createReferenceBook({
      maxPriceTicks: instrument.maxPriceTicks,
      // Positions change only after a sweep returns, so this is the position at sweep start.
      listener: { reduceOnlyCapacity: (owner: number, makerSide: Side) => reducibleBy(state, owner, index, makerSide) },
    });
    state.markets.push({
      index, instrument, book, indexTicks: 0, markTicks: 0, lastTicks: 0, lastTriggerCheckTicks: 0,
      lastFundingRateE8: instrument.interestRateE8, basis: [], premiumWeightedSum: 0n, premiumWeightSum: 0n,
      nextMarkMs: 0, nextPremiumMs: 0, nextFundingMs: 0, nextTradeId: 1, trailing: [],
      adlQueues: [undefined, undefined], adlCursors: [0, 0],
    });
  });
  return state;
}

function reducibleBy(state: RefState, accountId: number, market: number, side: Side): number {
  const size = findAccount(state, accountId)?.positions.find((p) => p.market === market)?.sizeLots ?? 0;
  return side === BUY ? Math.max(0, -size) : Math.max(0, size);
}

export function findAccount(state: RefState, accountId: number): RefAccount | undefined {
  return Number.isSafeInteger(accountId) && accountId > 0 ? state.accounts[accountId - 1] : undefined;
}

export function accountOf(state: RefState, accountId: number): RefAccount {
  const account = findAccount(state, accountId);
  if (account === undefined) throw new Error(`reference: account ${accountId} exists`);
  return account;
}

export function marketBySymbol(state: RefState, symbol: string): RefMarket | undefined {
  return state.markets.find((market) => market.instrument.symbol === symbol);
}

function defaultPosition(state: RefState, account: RefAccount, market: number): RefPosition {
  return {
    accountId: account.accountId, market, leverage: state.markets[market]!.instrument.defaultLeverage, isolated: false,
    sizeLots: 0, costE8: 0n, isolatedWalletE8: 0n, realizedPnlE8: 0n, updatedAtMs: 0, liquidating: false,
  };
}

/** The account's record for the symbol, or a detached default one (checks must not create records). */
export function peekPosition(state: RefState, account: RefAccount, market: number): RefPosition {
  return account.positions.find((p) => p.market === market) ?? defaultPosition(state, account, market);
}

/** The account's record for the symbol, created with the symbol's defaults on first use. */
export function positionOf(state: RefState, account: RefAccount, market: number): RefPosition {
  let position = account.positions.find((p) => p.market === market);
  if (position === undefined) {
    position = defaultPosition(state, account, market);
    addPosition(account, position);
  }
  return position;
}

/** Records stay in market order, the order the engine walks an account's positions in everywhere. */
function addPosition(account: RefAccount, position: RefPosition): void {
  account.positions.push(position);
  account.positions.sort((a, b) => a.market - b.market);
}

/** Keeps a detached record (from peekPosition) once a command commits a setting to it. */
export function keepPosition(account: RefAccount, position: RefPosition): void {
  if (!account.positions.includes(position)) addPosition(account, position);
}

/** Every non-zero position of a market, by account id. */
export function openPositions(state: RefState, market: number): RefPosition[] {
  const out: RefPosition[] = [];
  for (const account of state.accounts) {
    const position = account.positions.find((p) => p.market === market);
    if (position !== undefined && position.sizeLots !== 0) out.push(position);
  }
  return out;
}

export function crossPositionCount(account: RefAccount): number {
  return account.positions.filter((p) => !p.isolated && p.sizeLots !== 0).length;
}

/** Lots a position lets an order on `side` reduce (0 when the order would open or grow it). */
export function reducibleLots(position: RefPosition, side: SideName): number {
  return side === 'BUY' ? Math.max(0, -position.sizeLots) : Math.max(0, position.sizeLots);
}
