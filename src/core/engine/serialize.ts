/**
 * @module engine/serialize
 * Canonical binary encoding of the whole engine state: the snapshot format and the input of
 * stateHash(). It writes only primary state (balances, positions, live orders in book priority,
 * market prices, samplers, counters); everything derivable (order-margin sums, order counts, open
 * positions, open interest, multi-symbol sets, liquidation index) is rebuilt on restore, so a
 * restored engine cannot carry a stale cache. Every collection is written in a canonical order
 * (accounts by id, positions by market, live orders by id, books in priority order), so two
 * engines in the same state hash the same whatever path led there. The state is written in
 * sections, one per module (see StateSection).
 */
import { assert } from '../assert.js';
import { BUY, SELL } from '../book/types.js';
import { ByteReader, ByteWriter } from '../num/bytes.js';
import { sha256Hex } from '../num/sha256.js';
import type {
  OrderTypeName, StpModeName, TimeInForceName, WorkingTypeName,
} from './commands.js';
import { ORDER_STATUSES, ORDER_TYPES, STP_MODES, TIME_IN_FORCE, WORKING_TYPES } from './codes.js';
import { ORDER_ORIGINS, type OrderOriginName } from '../schema/enums.js';
import type { EngineContext } from './context.js';
import type { OrderStatusName } from './events.js';
import { reserveOrder } from './order-margin.js';
import { addLiveOrder, generatedClientOrderId } from './order-lifecycle.js';
import { copySection } from './copy-snapshot.js';
import { sponsorSection } from './sponsor-snapshot.js';
import { policySection } from './policy-state.js';
import { positionOf } from './positions.js';
import { refreshLiquidationKeys } from './settle.js';
import { OrderRecord, Position, type Account } from './state.js';

const MAGIC = 'PERPX-STATE';
/** 2: named sections, one per module; 1: one fixed layout (main until 2026-12; still restored). */
export const STATE_FORMAT_VERSION = 2;

/**
 * One module's part of the state. A module that adds state (copy trading, policies, timers) adds a
 * section of its own: sections are written in SECTIONS order, each with its name, its own version
 * and its length, and read back by name; a section missing from an older snapshot leaves that
 * module's fresh state. A name this engine does not know refuses the snapshot.
 */
export interface StateSection {
  readonly name: string;
  readonly version: number;
  write(ctx: EngineContext, w: ByteWriter): void;
  /**
   * True when the module holds nothing: the section is then not written (restore leaves the fresh
   * state), so a module that a venue never uses adds nothing to its snapshots or state hashes.
   */
  isEmpty?(ctx: EngineContext): boolean;
  /** Reads the section into a fresh context; sections before it in SECTIONS are already read. */
  read(ctx: EngineContext, r: ByteReader, version: number): void;
}

const ledgerSection: StateSection = {
  name: 'ledger',
  version: 1,
  write(ctx, w) {
    w.uint(ctx.nextAccountId);
    w.uint(ctx.nextOrderId);
    w.big(ctx.insuranceFundE8);
    w.big(ctx.feePoolE8);
    w.big(ctx.depositsE8);
    w.big(ctx.withdrawalsE8);
  },
  read(ctx, r) {
    readLedger(ctx, r);
  },
};

const marketsSection: StateSection = {
  name: 'markets',
  version: 1,
  write(ctx, w) {
    w.uint(ctx.markets.length);
    for (const market of ctx.markets) {
      w.string(market.instrument.symbol);
      w.uint(market.indexTicks);
      w.uint(market.markTicks);
      w.uint(market.lastTicks);
      w.uint(market.lastTriggerCheckTicks);
      w.big(market.lastFundingRateE8);
      // Basis ring from oldest to newest.
      w.uint(market.basisCount);
      const ring = market.basisRing;
      const start = market.basisCount === ring.length ? market.basisCursor : 0;
      for (let i = 0; i < market.basisCount; i++) w.int(ring[(start + i) % ring.length]!);
      w.big(market.premiumWeightedSum);
      w.big(market.premiumWeightSum);
      w.uint(market.nextMarkMs);
      w.uint(market.nextPremiumMs);
      w.uint(market.nextFundingMs);
      w.uint(market.nextTradeId);
    }
  },
  read(ctx, r) {
    readMarkets(ctx, r, false);
  },
};

const accountsSection: StateSection = {
  name: 'accounts',
  version: 1,
  write(ctx, w) {
    // By id (ids are dense counters), each account's positions in market order.
    w.uint(ctx.accounts.size);
    for (let id = 1; id < ctx.nextAccountId; id++) {
      const account = ctx.findAccount(id);
      if (account !== undefined) writeAccount(w, account);
    }
  },
  read(ctx, r) {
    const accountCount = r.uint();
    for (let i = 0; i < accountCount; i++) readAccount(r, ctx);
  },
};

const ordersSection: StateSection = {
  name: 'orders',
  version: 2,
  write(ctx, w) {
    writeOrders(ctx, w);
  },
  read(ctx, r, version) {
    readOrders(ctx, r, version);
  },
};

/** Every section, in the order they are written and read. */
const SECTIONS: readonly StateSection[] = [ledgerSection, marketsSection, accountsSection, ordersSection, policySection, copySection,
  sponsorSection];

export function serializeState(ctx: EngineContext): Uint8Array {
  const w = new ByteWriter(1 << 16);
  w.string(MAGIC);
  w.uint(STATE_FORMAT_VERSION);
  w.uint(ctx.lastSeq);
  w.uint(ctx.clockMs);
  const written = SECTIONS.filter((section) => section.isEmpty?.(ctx) !== true);
  w.uint(written.length);
  const body = new ByteWriter(1 << 12);
  for (const section of written) {
    body.reset();
    section.write(ctx, body);
    w.string(section.name);
    w.uint(section.version);
    w.uint(body.size);
    const bytes = body.finish();
    w.bytes(bytes);
  }
  return w.finish();
}

/** Restores `bytes` (format 2, or 1 from older snapshots) into a freshly constructed engine context. */
export function restoreState(ctx: EngineContext, bytes: Uint8Array): void {
  assert(ctx.accounts.size === 0 && ctx.lastSeq === 0, 'restore into an empty engine');
  const r = new ByteReader(bytes);
  assert(r.string() === MAGIC, 'snapshot: not a perpx state');
  const version = r.uint();
  assert(version === 1 || version === STATE_FORMAT_VERSION, `snapshot: unsupported state version ${version}`);
  ctx.lastSeq = r.uint();
  ctx.clockMs = r.uint();
  ctx.earliestDueMs = 0;
  if (version === 1) {
    restoreVersion1(ctx, r);
  } else {
    const count = r.uint();
    let next = 0;
    for (let i = 0; i < count; i++) {
      const name = r.string();
      const sectionVersion = r.uint();
      const length = r.uint();
      const at = r.skip(length);
      let index = next;
      while (index < SECTIONS.length && SECTIONS[index]!.name !== name) index++;
      assert(index < SECTIONS.length, `snapshot: unknown or out-of-order section ${name}`);
      const section = SECTIONS[index]!;
      assert(sectionVersion >= 1 && sectionVersion <= section.version, `snapshot: section ${name} version ${sectionVersion}`);
      const sectionReader = new ByteReader(r.source, at, at + length);
      section.read(ctx, sectionReader, sectionVersion);
      assert(sectionReader.remaining === 0, `snapshot: section ${name} has trailing bytes`);
      next = index + 1;
    }
  }
  assert(r.remaining === 0, 'snapshot: trailing bytes');
  for (const account of ctx.accounts.values()) refreshLiquidationKeys(ctx, account);
}

/** Format 1: ledger and markets (with a premium sample count, no longer kept), accounts, orders. */
function restoreVersion1(ctx: EngineContext, r: ByteReader): void {
  readLedger(ctx, r);
  readMarkets(ctx, r, true);
  const accountCount = r.uint();
  for (let i = 0; i < accountCount; i++) readAccount(r, ctx);
  readOrders(ctx, r, 1);
}

function readLedger(ctx: EngineContext, r: ByteReader): void {
  ctx.nextAccountId = r.uint();
  ctx.nextOrderId = r.uint();
  ctx.insuranceFundE8 = r.big();
  ctx.feePoolE8 = r.big();
  ctx.depositsE8 = r.big();
  ctx.withdrawalsE8 = r.big();
}

function readMarkets(ctx: EngineContext, r: ByteReader, withSampleCount: boolean): void {
  const marketCount = r.uint();
  assert(marketCount === ctx.markets.length, 'snapshot: instrument set differs');
  for (const market of ctx.markets) {
    assert(r.string() === market.instrument.symbol, 'snapshot: instrument order differs');
    market.indexTicks = r.uint();
    market.markTicks = r.uint();
    market.lastTicks = r.uint();
    market.lastTriggerCheckTicks = r.uint();
    market.lastFundingRateE8 = r.big();
    market.basisCount = r.uint();
    assert(market.basisCount <= market.basisRing.length, 'snapshot: basis ring size');
    market.basisSumHalfTicks = 0;
    for (let i = 0; i < market.basisCount; i++) {
      const sample = r.int();
      market.basisRing[i] = sample;
      market.basisSumHalfTicks += sample;
    }
    market.basisCursor = market.basisCount % market.basisRing.length;
    market.premiumWeightedSum = r.big();
    market.premiumWeightSum = r.big();
    if (withSampleCount) r.uint();
    market.nextMarkMs = r.uint();
    market.nextPremiumMs = r.uint();
    market.nextFundingMs = r.uint();
    market.nextTradeId = r.uint();
  }
}

function writeOrders(ctx: EngineContext, w: ByteWriter): void {
  // Live orders by id, then each book's priority order so time priority survives a restore.
  w.uint(ctx.liveOrders.size);
  for (const order of ctx.liveOrders.values()) writeOrder(w, order);
  for (const market of ctx.markets) {
    for (const side of [BUY, SELL] as const) {
      const ids: number[] = [];
      market.book.forEachOrder(side, (orderId) => ids.push(orderId));
      w.uint(ids.length);
      for (const id of ids) w.uint(id);
    }
    w.uint(market.triggers.trailing.length);
    for (const order of market.triggers.trailing) w.uint(order.orderId);
  }
}

function writeAccount(w: ByteWriter, account: Account): void {
  w.uint(account.accountId);
  w.uint(account.parentAccountId);
  w.big(account.crossWalletE8);
  w.big(account.depositedE8);
  w.big(account.withdrawnE8);
  w.uint(account.positions.size);
  for (const position of account.positions.values()) {
    w.uint(position.market);
    w.uint(position.leverage);
    w.bool(position.isolated);
    w.int(position.sizeLots);
    w.big(position.costE8);
    w.big(position.isolatedWalletE8);
    w.big(position.realizedPnlE8);
    w.uint(position.updatedAtMs);
  }
}

function writeOrder(w: ByteWriter, order: OrderRecord): void {
  w.uint(order.orderId);
  w.uint(order.accountId);
  w.uint(order.market);
  w.string(order.clientOrderId);
  w.u8(order.side);
  w.u8(ORDER_TYPES.indexOf(order.orderType));
  w.u8(TIME_IN_FORCE.indexOf(order.timeInForce));
  w.uint(order.origQtyLots);
  w.uint(order.executedQtyLots);
  w.big(order.cumQuoteE8);
  w.uint(order.priceTicks);
  w.uint(order.stopPriceTicks);
  w.uint(order.activationPriceTicks);
  w.uint(order.callbackRateBps);
  w.bool(order.reduceOnly);
  w.bool(order.closePosition);
  w.u8(WORKING_TYPES.indexOf(order.workingType));
  w.bool(order.priceProtect);
  w.u8(STP_MODES.indexOf(order.stpMode));
  w.bool(order.conditional);
  w.u8(ORDER_ORIGINS.indexOf(order.origin));
  w.uint(order.causeId);
  w.uint(order.createdAtMs);
  w.uint(order.updatedAtMs);
  w.u8(ORDER_STATUSES.indexOf(order.status));
  w.bool(order.triggered);
  w.bool(order.resting);
  w.big(order.marginNotionalE8);
  w.big(order.marginOpenLossE8);
  w.bool(order.trailingActive);
  w.uint(order.trailingExtremeTicks);
}

export function enumAt<T>(values: readonly T[], index: number, what: string): T {
  const value = values[index];
  assert(value !== undefined, `snapshot: bad ${what}`);
  return value;
}

function readOrders(ctx: EngineContext, r: ByteReader, ordersVersion: number): void {
  const orderCount = r.uint();
  const orders = new Map<number, OrderRecord>();
  for (let i = 0; i < orderCount; i++) {
    const order = readOrder(r, ordersVersion);
    orders.set(order.orderId, order);
    order.generatedClientId = order.clientOrderId === generatedClientOrderId(order.orderId);
    addLiveOrder(ctx, ctx.account(order.accountId), order);
    if (order.conditional && !order.triggered && order.orderType !== 'TRAILING_STOP_MARKET') {
      ctx.markets[order.market]!.triggers.add(order);
    }
  }
  for (const market of ctx.markets) {
    for (const side of [BUY, SELL] as const) {
      const count = r.uint();
      for (let i = 0; i < count; i++) {
        const order = orders.get(r.uint());
        assert(order !== undefined && order.resting && order.side === side && order.market === market.marketIndex,
          'snapshot: book entry names a resting order');
        market.book.insertResting(order.orderId, order.accountId, side, order.priceTicks, order.remainingLots,
          order.reduceOnly ? 1 : 0);
        reserveOrder(positionOf(ctx, ctx.account(order.accountId), market.marketIndex), order);
      }
    }
    const trailing = r.uint();
    for (let i = 0; i < trailing; i++) {
      const order = orders.get(r.uint());
      assert(order !== undefined && order.orderType === 'TRAILING_STOP_MARKET', 'snapshot: trailing entry');
      market.triggers.trailing.push(order);
    }
  }
}

function readAccount(r: ByteReader, ctx: EngineContext): void {
  const account = ctx.addAccount(r.uint(), r.uint());
  account.crossWalletE8 = r.big();
  account.depositedE8 = r.big();
  account.withdrawnE8 = r.big();
  const positions = r.uint();
  for (let i = 0; i < positions; i++) {
    const marketIndex = r.uint();
    const market = ctx.markets[marketIndex];
    assert(market !== undefined, 'snapshot: position market');
    const position = new Position(account.accountId, marketIndex, r.uint(), r.bool());
    position.sizeLots = r.int();
    position.costE8 = r.big();
    position.isolatedWalletE8 = r.big();
    position.realizedPnlE8 = r.big();
    position.updatedAtMs = r.uint();
    account.positions.set(marketIndex, position);
    if (position.sizeLots !== 0) {
      market.openPositions.add(position);
      if (position.sizeLots > 0) market.longOpenInterestLots += position.sizeLots;
      else market.shortOpenInterestLots -= position.sizeLots;
      if (!position.isolated) account.crossPositionCount++;
    }
  }
}

function readOrder(r: ByteReader, ordersVersion: number): OrderRecord {
  const orderId = r.uint();
  const accountId = r.uint();
  const market = r.uint();
  const clientOrderId = r.string();
  const sideCode = r.u8();
  assert(sideCode === BUY || sideCode === SELL, 'snapshot: side');
  const orderType = enumAt<OrderTypeName>(ORDER_TYPES, r.u8(), 'order type');
  const timeInForce = enumAt<TimeInForceName>(TIME_IN_FORCE, r.u8(), 'time in force');
  const origQty = r.uint();
  const executed = r.uint();
  const cumQuote = r.big();
  const price = r.uint();
  const stop = r.uint();
  const activation = r.uint();
  const callback = r.uint();
  const reduceOnly = r.bool();
  const closePosition = r.bool();
  const workingType = enumAt<WorkingTypeName>(WORKING_TYPES, r.u8(), 'working type');
  const priceProtect = r.bool();
  const stpMode = enumAt<StpModeName>(STP_MODES, r.u8(), 'stp mode');
  const conditional = r.bool();
  // Orders section 1 had a liquidation flag where version 2 has the origin and its cause.
  const origin = ordersVersion === 1 ? (r.bool() ? 'LIQUIDATION' : 'USER') : enumAt<OrderOriginName>(ORDER_ORIGINS, r.u8(), 'origin');
  const causeId = ordersVersion === 1 ? 0 : r.uint();
  const createdAtMs = r.uint();
  const order = new OrderRecord({
    orderId, accountId, market, clientOrderId, side: sideCode, orderType, timeInForce, qtyLots: origQty, priceTicks: price,
    stopPriceTicks: stop, activationPriceTicks: activation, callbackRateBps: callback, reduceOnly, closePosition, workingType,
    priceProtect, stpMode, conditional, origin, causeId, createdAtMs,
  });
  order.executedQtyLots = executed;
  order.cumQuoteE8 = cumQuote;
  order.updatedAtMs = r.uint();
  order.status = enumAt<OrderStatusName>(ORDER_STATUSES, r.u8(), 'status');
  order.triggered = r.bool();
  order.resting = r.bool();
  const notionalE8 = r.big();
  order.setMarginInputs(notionalE8, r.big());
  order.trailingActive = r.bool();
  order.trailingExtremeTicks = r.uint();
  return order;
}

/** SHA-256 of the canonical state encoding. */
export function stateHashOf(ctx: EngineContext): string {
  return sha256Hex(serializeState(ctx));
}
