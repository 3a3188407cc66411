/**
 * @module engine/event-log
 * The engine's output buffer: every event of a command written as numbers into reusable typed
 * arrays (an LMAX-style output ring, but growable), not as objects. A liquidation cascade of
 * hundreds of thousands of accounts writes millions of events; as objects they all survive the
 * young generation and the collector copies each of them, which used to cost as much as the
 * liquidations themselves. Here they cost a few stores each and nothing to the collector.
 *
 * Layout: each event is a type code followed by its numeric fields in `nums` (Float64Array: ids,
 * ticks, lots, times and enum codes are safe integers), its money fields in `bigs`
 * (BigInt64Array; a value outside int64 is stored as ESCAPE and kept in `hugeBigs`, in order), and
 * its free-text fields in `strs` (client order ids, reject messages, unknown symbols). Enum names
 * are stored as small codes; the tables below are part of the format.
 *
 * `decode` turns the buffer back into the EngineEvent objects adapters consume, field for field
 * what the engine used to build directly (a property test holds the two equal); `Engine.apply`
 * returns that. Hot consumers (benchmarks, replay, counters) read the buffer without decoding.
 */
import { AssertionFailure } from '../assert.js';
import { BUY } from '../book/types.js';
import type { Instrument } from '../instrument/instrument.js';
import type {
  CommandType, MarginTypeName, OrderSideName, OrderTypeName, StpModeName, TimeInForceName, WorkingTypeName,
} from './commands.js';
import type {
  AdlFill, BalanceReason, EngineEvent, EngineEventType, ExecutionTypeName, InsuranceReason, OrderEndReason,
  OrderStatusName, OrderView,
} from './events.js';
import type { OrderRecord } from './state.js';

// ---- Codes (part of the buffer format) ------------------------------------------------------------

const EVENT_TYPES: readonly EngineEventType[] = [
  'AccountCreated', 'BalanceChanged', 'InsuranceFundChanged', 'OrderUpdate', 'Trade', 'PositionChanged',
  'LeverageChanged', 'MarginTypeChanged', 'IndexPriceUpdated', 'MarkPriceUpdated', 'FundingSettled', 'Liquidation',
  'Rejected',
];
const T_ACCOUNT = 0;
const T_BALANCE = 1;
const T_INSURANCE = 2;
const T_ORDER = 3;
const T_TRADE = 4;
const T_POSITION = 5;
const T_LEVERAGE = 6;
const T_MARGIN_TYPE = 7;
const T_INDEX = 8;
const T_MARK = 9;
const T_FUNDING = 10;
const T_LIQUIDATION = 11;
const T_REJECTED = 12;

const BALANCE_REASONS: readonly BalanceReason[] = [
  'DEPOSIT', 'WITHDRAW', 'TRANSFER', 'TRADE_FEE', 'REALIZED_PNL', 'FUNDING_FEE', 'LIQUIDATION_FEE', 'INSURANCE_CLEAR',
  'ISOLATED_MARGIN', 'ADL',
];
const INSURANCE_REASONS: readonly InsuranceReason[] = ['FUND', 'LIQUIDATION_FEE', 'DEFICIT', 'FUNDING_RESIDUE'];
const EXECUTIONS: readonly ExecutionTypeName[] = ['NEW', 'TRADE', 'CANCELED', 'EXPIRED', 'AMENDMENT', 'TRIGGERED'];
const END_REASONS: readonly OrderEndReason[] = [
  'NONE', 'USER_CANCEL', 'STP', 'IOC', 'FOK', 'REDUCE_ONLY', 'LIQUIDATION', 'MARKET_REMAINDER', 'TRIGGER_REJECTED', 'ADL',
];
const STATUSES: readonly OrderStatusName[] = [
  'NEW', 'PARTIALLY_FILLED', 'FILLED', 'CANCELED', 'EXPIRED', 'EXPIRED_IN_MATCH',
];
const ORDER_TYPES: readonly OrderTypeName[] = [
  'LIMIT', 'MARKET', 'STOP', 'STOP_MARKET', 'TAKE_PROFIT', 'TAKE_PROFIT_MARKET', 'TRAILING_STOP_MARKET',
];
const TIME_IN_FORCE: readonly TimeInForceName[] = ['GTC', 'IOC', 'FOK', 'GTX'];
const WORKING_TYPES: readonly WorkingTypeName[] = ['MARK_PRICE', 'CONTRACT_PRICE'];
const STP_MODES: readonly StpModeName[] = ['NONE', 'EXPIRE_TAKER', 'EXPIRE_MAKER', 'EXPIRE_BOTH'];
const TRADE_KINDS: readonly ('NORMAL' | 'LIQUIDATION' | 'ADL')[] = ['NORMAL', 'LIQUIDATION', 'ADL'];

/** Code of `name` in `table` (tables have at most a dozen names; called on hot paths). */
function codeOf<T extends string>(table: readonly T[], name: T): number {
  for (let i = 0; i < table.length; i++) if (table[i] === name) return i;
  throw new AssertionFailure(`event field value ${name} is known`);
}

function nameOf<T extends string>(table: readonly T[], code: number): T {
  const name = table[code];
  if (name === undefined) throw new AssertionFailure(`event field code ${code} is known`);
  return name;
}

const MIN_I64 = -(2n ** 63n);
const MAX_I64 = 2n ** 63n - 1n;
/** Stored in `bigs` for a value outside int64 (or equal to it); the value itself goes to hugeBigs. */
const ESCAPE = MIN_I64;

// Bit layout of an order view's packed enums and flags (one number, < 2^31).
const PACK_SIDE = 1;
const PACK_REDUCE_ONLY = 2;
const PACK_CLOSE_POSITION = 4;
const PACK_PRICE_PROTECT = 8;
const PACK_CONDITIONAL = 16;
const PACK_TRIGGERED = 32;
const PACK_LIQUIDATION = 64;
const PACK_TYPE_SHIFT = 8;
const PACK_TIF_SHIFT = 12;
const PACK_WORKING_SHIFT = 16;
const PACK_STP_SHIFT = 18;
const PACK_STATUS_SHIFT = 21;

/** Numeric fields after the type code, by type (Liquidation: 11 plus 3 per ADL fill). */
const NUM_FIELDS: readonly number[] = [2, 5, 3, 16, 10, 5, 3, 3, 2, 5, 4, 11, 3];

/** Index just past the event whose type code sits at `at` (Liquidation: 11 fields plus 3 per ADL fill). */
function eventEnd(nums: Float64Array, at: number): number {
  const code = nums[at]!;
  return at + 1 + (code === T_LIQUIDATION ? 11 + 3 * nums[at + 11]! : NUM_FIELDS[code]!);
}

/** The packed bits of an order's fields that never change after creation. */
function fixedOrderBits(order: OrderRecord): number {
  return (order.side === BUY ? 0 : PACK_SIDE) | (order.reduceOnly ? PACK_REDUCE_ONLY : 0) |
    (order.closePosition ? PACK_CLOSE_POSITION : 0) | (order.priceProtect ? PACK_PRICE_PROTECT : 0) |
    (order.conditional ? PACK_CONDITIONAL : 0) | (order.liquidation ? PACK_LIQUIDATION : 0) |
    (codeOf(ORDER_TYPES, order.orderType) << PACK_TYPE_SHIFT) | (codeOf(TIME_IN_FORCE, order.timeInForce) << PACK_TIF_SHIFT) |
    (codeOf(WORKING_TYPES, order.workingType) << PACK_WORKING_SHIFT) | (codeOf(STP_MODES, order.stpMode) << PACK_STP_SHIFT);
}

/** A chunk holds 2 MiB of numeric fields and 512 KiB of money fields (events never span chunks). */
const CHUNK_NUMS = 1 << 18;
const CHUNK_BIGS = 1 << 16;
/** The first chunk of an engine is small (simulations and scratch replays build many engines). */
const FIRST_CHUNK_NUMS = 1 << 12;
const FIRST_CHUNK_BIGS = 1 << 10;
/** Sealed chunks kept for reuse after a command (a cascade may need many; memory goes back). */
const POOL_CHUNKS = 8;
/** Stale string/huge-value slots a chunk may keep between commands. */
const STALE_SLOTS_KEPT = 4096;

type Markets = readonly { readonly instrument: Instrument }[];

/**
 * A run of consecutive events in buffer form. Chunks handed to a streaming sink are reused after
 * the sink returns: read (count, decode, countOf) inside the call, keep nothing.
 */
export class EventChunk {
  readonly nums: Float64Array;
  readonly bigs: BigInt64Array;
  readonly strs: string[] = [];
  readonly hugeBigs: bigint[] = [];
  /** Used length of strs and hugeBigs (slots past it are stale: truncating an array every command costs more). */
  strLength = 0;
  hugeLength = 0;
  numLength = 0;
  bigLength = 0;
  count = 0;

  constructor(private readonly markets: Markets, numCapacity: number, bigCapacity: number) {
    this.nums = new Float64Array(numCapacity);
    this.bigs = new BigInt64Array(bigCapacity);
  }

  clear(): void {
    this.numLength = 0;
    this.bigLength = 0;
    this.count = 0;
    // Small arrays keep their stale slots for reuse; a big one (a cascade's) lets its strings go.
    if (this.strLength > STALE_SLOTS_KEPT) this.strs.length = 0;
    if (this.hugeLength > STALE_SLOTS_KEPT) this.hugeBigs.length = 0;
    this.strLength = 0;
    this.hugeLength = 0;
  }

  /** Number of events of one type in the chunk (no decoding, no allocation). */
  countOf(type: EngineEventType): number {
    const wanted = codeOf(EVENT_TYPES, type);
    const nums = this.nums;
    let found = 0;
    for (let i = 0, at = 0; i < this.count; i++, at = eventEnd(nums, at)) if (nums[at] === wanted) found++;
    return found;
  }

  /** Adds the chunk's number of events of each type to `counts` (one pass, no decoding). */
  addTypeCounts(counts: Map<EngineEventType, number>): void {
    const perType = new Array<number>(EVENT_TYPES.length).fill(0);
    const nums = this.nums;
    for (let i = 0, at = 0; i < this.count; i++, at = eventEnd(nums, at)) perType[nums[at]!]!++;
    for (let code = 0; code < perType.length; code++) {
      if (perType[code]! > 0) counts.set(EVENT_TYPES[code]!, (counts.get(EVENT_TYPES[code]!) ?? 0) + perType[code]!);
    }
  }

  /** Appends the chunk's events to `out` as the objects adapters consume. */
  decodeInto(out: EngineEvent[]): void {
    new ChunkReader(this, this.markets).readAll(out);
  }
}

/**
 * The writer. Collecting (the default), it keeps every chunk of the current command for
 * `decode`; streaming, it hands each full chunk to the sink and reuses it, so a command of any
 * size writes into the same few megabytes.
 */
export class EventLog {
  private current: EventChunk;
  private nums: Float64Array;
  private bigs: BigInt64Array;
  private strs: string[];
  private hugeBigs: bigint[];
  private strLength = 0;
  private hugeLength = 0;
  private numLength = 0;
  private bigLength = 0;
  private chunkCount = 0;
  private readonly sealed: EventChunk[] = [];
  private readonly pool: EventChunk[] = [];
  private sink: ((chunk: EventChunk) => void) | undefined = undefined;
  /** Events written since the last reset. */
  count = 0;

  /** `markets`: the engine's market list (read at write and decode time; it is filled after construction). */
  constructor(private readonly markets: Markets) {
    this.current = new EventChunk(markets, FIRST_CHUNK_NUMS, FIRST_CHUNK_BIGS);
    this.nums = this.current.nums;
    this.bigs = this.current.bigs;
    this.strs = this.current.strs;
    this.hugeBigs = this.current.hugeBigs;
  }

  /**
   * Clears `chunk` and writes into it from its start. The writer keeps the chunk's arrays and
   * lengths in its own fields (every event write goes through them; they are synced back by
   * sealCurrent).
   */
  private startChunk(chunk: EventChunk): void {
    chunk.clear();
    this.current = chunk;
    this.nums = chunk.nums;
    this.bigs = chunk.bigs;
    this.strs = chunk.strs;
    this.hugeBigs = chunk.hugeBigs;
    this.numLength = 0;
    this.bigLength = 0;
    this.strLength = 0;
    this.hugeLength = 0;
    this.chunkCount = 0;
  }

  /** Starts a new command's events: collecting, or streaming full chunks to `sink`. */
  reset(sink?: (chunk: EventChunk) => void): void {
    if (this.sealed.length > 0) {
      for (const chunk of this.sealed) {
        if (this.pool.length < POOL_CHUNKS && chunk.nums.length === CHUNK_NUMS) this.pool.push(chunk);
      }
      this.sealed.length = 0;
    }
    this.sealCurrent();
    this.startChunk(this.current);
    this.count = 0;
    this.sink = sink;
  }

  /** Ends a streaming command: the last, partly filled chunk goes to the sink. */
  finishStream(): void {
    const sink = this.sink;
    if (sink === undefined || this.chunkCount === 0) return;
    this.sealCurrent();
    sink(this.current);
    this.startChunk(this.current);
  }

  /** Every event since the last reset as the objects adapters consume (collecting mode). */
  decode(): EngineEvent[] {
    if (this.sink !== undefined) throw new AssertionFailure('a streamed command has no events to decode');
    this.sealCurrent();
    const events: EngineEvent[] = [];
    for (const chunk of this.sealed) chunk.decodeInto(events);
    this.current.decodeInto(events);
    if (events.length !== this.count) throw new AssertionFailure('the event log decodes to its end');
    return events;
  }

  /** Number of events of one type since the last reset (collecting mode; no decoding). */
  countOf(type: EngineEventType): number {
    this.sealCurrent();
    let found = this.current.countOf(type);
    for (const chunk of this.sealed) found += chunk.countOf(type);
    return found;
  }

  // ---- Writers ------------------------------------------------------------------------------------

  private sealCurrent(): void {
    const chunk = this.current;
    chunk.numLength = this.numLength;
    chunk.bigLength = this.bigLength;
    chunk.strLength = this.strLength;
    chunk.hugeLength = this.hugeLength;
    chunk.count = this.chunkCount;
  }

  /** Moves to a fresh chunk that has room for one event of this size. */
  private nextChunk(numFields: number, bigFields: number): void {
    this.sealCurrent();
    // An event larger than a chunk (a liquidation with tens of thousands of ADL fills) gets a
    // chunk of its own size.
    const oversize = numFields > CHUNK_NUMS || bigFields > CHUNK_BIGS;
    const fresh = (): EventChunk => oversize
      ? new EventChunk(this.markets, Math.max(numFields, CHUNK_NUMS), Math.max(bigFields, CHUNK_BIGS))
      : (this.pool.pop() ?? new EventChunk(this.markets, CHUNK_NUMS, CHUNK_BIGS));
    if (this.sink !== undefined) {
      if (this.chunkCount > 0) this.sink(this.current);
      // Streaming reuses the chunk, unless it is the small first one or too small for this event.
      this.startChunk(oversize || this.current.nums.length < CHUNK_NUMS ? fresh() : this.current);
    } else {
      this.sealed.push(this.current);
      this.startChunk(fresh());
    }
  }

  private begin(type: number, numFields: number, bigFields: number): void {
    if (this.numLength + numFields + 1 > this.nums.length || this.bigLength + bigFields > this.bigs.length) {
      this.nextChunk(numFields + 1, bigFields);
    }
    this.nums[this.numLength++] = type;
    this.count++;
    this.chunkCount++;
  }

  private num(value: number): void {
    this.nums[this.numLength++] = value;
  }

  private big(value: bigint): void {
    if (value > MIN_I64 && value <= MAX_I64) {
      this.bigs[this.bigLength++] = value;
    } else {
      this.bigs[this.bigLength++] = ESCAPE;
      this.hugeBigs[this.hugeLength++] = value;
    }
  }

  /** -1 for '' (no symbol), else the market index of an instrument symbol. */
  symbolCode(symbol: string): number {
    if (symbol === '') return -1;
    const markets = this.markets;
    for (let i = 0; i < markets.length; i++) if (markets[i]!.instrument.symbol === symbol) return i;
    throw new AssertionFailure(`event symbol ${symbol} is an instrument`);
  }

  accountCreated(accountId: number, parentAccountId: number): void {
    this.begin(T_ACCOUNT, 2, 0);
    this.num(accountId);
    this.num(parentAccountId);
  }

  /** `isolatedMarket`: -1 for the cross wallet; `symbolMarket`: the market it relates to, -1 for none. */
  balanceChanged(accountId: number, isolatedMarket: number, reason: BalanceReason, symbolMarket: number, deltaE8: bigint,
    balanceE8: bigint, refId: number): void {
    this.begin(T_BALANCE, 5, 2);
    this.num(accountId);
    this.num(isolatedMarket);
    this.num(codeOf(BALANCE_REASONS, reason));
    this.num(symbolMarket);
    this.num(refId);
    this.big(deltaE8);
    this.big(balanceE8);
  }

  insuranceFundChanged(reason: InsuranceReason, symbol: string, accountId: number, deltaE8: bigint, balanceE8: bigint): void {
    this.begin(T_INSURANCE, 3, 2);
    this.num(codeOf(INSURANCE_REASONS, reason));
    this.num(this.symbolCode(symbol));
    this.num(accountId);
    this.big(deltaE8);
    this.big(balanceE8);
  }

  /** An OrderUpdate with a copy of the order's state now (tradeId 0 and zero fill fields unless a TRADE). */
  orderUpdate(execution: ExecutionTypeName, reason: OrderEndReason, order: OrderRecord, tradeId: number,
    lastQtyLots: number, lastPriceTicks: number, maker: boolean, feeE8: bigint, realizedPnlE8: bigint): void {
    this.begin(T_ORDER, 16, 3);
    this.num(codeOf(EXECUTIONS, execution) | (codeOf(END_REASONS, reason) << 4) | (maker ? 256 : 0));
    this.num(tradeId);
    this.num(lastQtyLots);
    this.num(lastPriceTicks);
    this.big(feeE8);
    this.big(realizedPnlE8);
    // The order view.
    this.num(order.orderId);
    this.num(order.accountId);
    this.num(order.market);
    this.strs[this.strLength++] = order.clientOrderId;
    let fixed = order.eventBits;
    if (fixed < 0) fixed = order.eventBits = fixedOrderBits(order);
    this.num(fixed | (order.triggered ? PACK_TRIGGERED : 0) | (codeOf(STATUSES, order.status) << PACK_STATUS_SHIFT));
    this.num(order.origQtyLots);
    this.num(order.executedQtyLots);
    this.big(order.cumQuoteE8);
    this.num(order.priceTicks);
    this.num(order.stopPriceTicks);
    this.num(order.activationPriceTicks);
    this.num(order.callbackRateBps);
    this.num(order.createdAtMs);
    this.num(order.updatedAtMs);
  }

  trade(market: number, tradeId: number, priceTicks: number, qtyLots: number, takerSide: OrderSideName,
    makerOrderId: number, takerOrderId: number, makerAccountId: number, takerAccountId: number, makerFeeE8: bigint,
    takerFeeE8: bigint, kind: 'NORMAL' | 'LIQUIDATION' | 'ADL', atMs: number): void {
    this.begin(T_TRADE, 10, 2);
    this.num(market);
    this.num(tradeId);
    this.num(priceTicks);
    this.num(qtyLots);
    this.num((takerSide === 'BUY' ? 0 : 1) | (codeOf(TRADE_KINDS, kind) << 1));
    this.num(makerOrderId);
    this.num(takerOrderId);
    this.num(makerAccountId);
    this.num(takerAccountId);
    this.num(atMs);
    this.big(makerFeeE8);
    this.big(takerFeeE8);
  }

  positionChanged(accountId: number, market: number, sizeLots: number, costE8: bigint, isolated: boolean,
    isolatedWalletE8: bigint, leverage: number, realizedPnlE8: bigint): void {
    this.begin(T_POSITION, 5, 3);
    this.num(accountId);
    this.num(market);
    this.num(sizeLots);
    this.num(isolated ? 1 : 0);
    this.num(leverage);
    this.big(costE8);
    this.big(isolatedWalletE8);
    this.big(realizedPnlE8);
  }

  leverageChanged(accountId: number, market: number, leverage: number, maxNotionalE8: bigint): void {
    this.begin(T_LEVERAGE, 3, 1);
    this.num(accountId);
    this.num(market);
    this.num(leverage);
    this.big(maxNotionalE8);
  }

  marginTypeChanged(accountId: number, market: number, marginType: MarginTypeName): void {
    this.begin(T_MARGIN_TYPE, 3, 0);
    this.num(accountId);
    this.num(market);
    this.num(marginType === 'ISOLATED' ? 1 : 0);
  }

  indexPriceUpdated(market: number, indexTicks: number): void {
    this.begin(T_INDEX, 2, 0);
    this.num(market);
    this.num(indexTicks);
  }

  markPriceUpdated(market: number, atMs: number, markTicks: number, indexTicks: number, estimatedFundingRateE8: bigint,
    lastFundingRateE8: bigint, nextFundingMs: number): void {
    this.begin(T_MARK, 5, 2);
    this.num(market);
    this.num(atMs);
    this.num(markTicks);
    this.num(indexTicks);
    this.num(nextFundingMs);
    this.big(estimatedFundingRateE8);
    this.big(lastFundingRateE8);
  }

  fundingSettled(market: number, fundingTimeMs: number, rateE8: bigint, markTicks: number, paidE8: bigint,
    receivedE8: bigint, residueE8: bigint, positions: number): void {
    this.begin(T_FUNDING, 4, 4);
    this.num(market);
    this.num(fundingTimeMs);
    this.num(markTicks);
    this.num(positions);
    this.big(rateE8);
    this.big(paidE8);
    this.big(receivedE8);
    this.big(residueE8);
  }

  liquidation(accountId: number, market: number, isolated: boolean, side: OrderSideName, orderId: number,
    positionLotsBefore: number, qtyLots: number, bankruptcyPriceTicks: number, markTicks: number, marginBalanceE8: bigint,
    maintenanceMarginE8: bigint, bookFilledLots: number, bookNotionalE8: bigint, feeE8: bigint, insuranceDeltaE8: bigint,
    adl: readonly AdlFill[], atMs: number): void {
    this.begin(T_LIQUIDATION, 11 + adl.length * 3, 5 + adl.length);
    this.num(accountId);
    this.num(market);
    this.num((isolated ? 1 : 0) | (side === 'BUY' ? 0 : 2));
    this.num(orderId);
    this.num(positionLotsBefore);
    this.num(qtyLots);
    this.num(bankruptcyPriceTicks);
    this.num(markTicks);
    this.num(bookFilledLots);
    this.num(atMs);
    this.num(adl.length);
    this.big(marginBalanceE8);
    this.big(maintenanceMarginE8);
    this.big(bookNotionalE8);
    this.big(feeE8);
    this.big(insuranceDeltaE8);
    for (const fill of adl) {
      this.num(fill.accountId);
      this.num(fill.qtyLots);
      this.num(fill.priceTicks);
      this.big(fill.realizedPnlE8);
    }
  }

  rejected(commandType: CommandType, code: number, msg: string, accountId: number, symbol: string,
    clientOrderId: string, orderId: number): void {
    this.begin(T_REJECTED, 3, 0);
    this.num(code);
    this.num(accountId);
    this.num(orderId);
    const strs = this.strs;
    strs[this.strLength++] = commandType;
    strs[this.strLength++] = msg;
    strs[this.strLength++] = symbol;
    strs[this.strLength++] = clientOrderId;
  }
}

/** Decodes one chunk, in order. */
class ChunkReader {
  private readonly c = new Cursor();

  constructor(private readonly chunk: EventChunk, private readonly markets: Markets) {}

  readAll(out: EngineEvent[]): void {
    const c = this.c;
    for (let i = 0; i < this.chunk.count; i++) out.push(this.read(c));
    if (c.num !== this.chunk.numLength || c.big !== this.chunk.bigLength || c.str !== this.chunk.strLength ||
      c.huge !== this.chunk.hugeLength) {
      throw new AssertionFailure('an event chunk decodes to its end');
    }
  }


  private readNum(cursor: Cursor): number {
    return this.chunk.nums[cursor.num++]!;
  }

  private readBig(cursor: Cursor): bigint {
    const value = this.chunk.bigs[cursor.big++]!;
    return value === ESCAPE ? this.chunk.hugeBigs[cursor.huge++]! : value;
  }

  private readStr(cursor: Cursor): string {
    return this.chunk.strs[cursor.str++]!;
  }

  private symbolOf(code: number): string {
    return code === -1 ? '' : this.markets[code]!.instrument.symbol;
  }

  private read(c: Cursor): EngineEvent {
    const type = this.readNum(c);
    switch (type) {
      case T_ACCOUNT: {
        const accountId = this.readNum(c);
        return { type: 'AccountCreated', accountId, parentAccountId: this.readNum(c) };
      }
      case T_BALANCE: {
        const accountId = this.readNum(c);
        const isolatedMarket = this.readNum(c);
        const reason = nameOf(BALANCE_REASONS, this.readNum(c));
        const symbol = this.symbolOf(this.readNum(c));
        const refId = this.readNum(c);
        const deltaE8 = this.readBig(c);
        const balanceE8 = this.readBig(c);
        return {
          type: 'BalanceChanged', accountId, isolatedSymbol: this.symbolOf(isolatedMarket), reason, symbol, deltaE8,
          balanceE8, refId,
        };
      }
      case T_INSURANCE: {
        const reason = nameOf(INSURANCE_REASONS, this.readNum(c));
        const symbol = this.symbolOf(this.readNum(c));
        const accountId = this.readNum(c);
        const deltaE8 = this.readBig(c);
        return { type: 'InsuranceFundChanged', reason, symbol, accountId, deltaE8, balanceE8: this.readBig(c) };
      }
      case T_ORDER: {
        const packed = this.readNum(c);
        const tradeId = this.readNum(c);
        const lastQtyLots = this.readNum(c);
        const lastPriceTicks = this.readNum(c);
        const feeE8 = this.readBig(c);
        const realizedPnlE8 = this.readBig(c);
        const order = this.readOrderView(c);
        return {
          type: 'OrderUpdate', execution: nameOf(EXECUTIONS, packed & 15), reason: nameOf(END_REASONS, (packed >> 4) & 15),
          order, tradeId, lastQtyLots, lastPriceTicks, maker: (packed & 256) !== 0, feeE8, realizedPnlE8,
        };
      }
      case T_TRADE: {
        const market = this.readNum(c);
        const tradeId = this.readNum(c);
        const priceTicks = this.readNum(c);
        const qtyLots = this.readNum(c);
        const packed = this.readNum(c);
        const makerOrderId = this.readNum(c);
        const takerOrderId = this.readNum(c);
        const makerAccountId = this.readNum(c);
        const takerAccountId = this.readNum(c);
        const atMs = this.readNum(c);
        const makerFeeE8 = this.readBig(c);
        const takerFeeE8 = this.readBig(c);
        return {
          type: 'Trade', symbol: this.symbolOf(market), tradeId, priceTicks, qtyLots,
          takerSide: (packed & 1) === 0 ? 'BUY' : 'SELL', makerOrderId, takerOrderId, makerAccountId, takerAccountId,
          makerFeeE8, takerFeeE8, kind: nameOf(TRADE_KINDS, packed >> 1), atMs,
        };
      }
      case T_POSITION: {
        const accountId = this.readNum(c);
        const market = this.readNum(c);
        const sizeLots = this.readNum(c);
        const isolated = this.readNum(c) === 1;
        const leverage = this.readNum(c);
        const costE8 = this.readBig(c);
        const isolatedWalletE8 = this.readBig(c);
        const realizedPnlE8 = this.readBig(c);
        return {
          type: 'PositionChanged', accountId, symbol: this.symbolOf(market), sizeLots, costE8,
          marginType: isolated ? 'ISOLATED' : 'CROSSED', isolatedWalletE8, leverage, realizedPnlE8,
        };
      }
      case T_LEVERAGE: {
        const accountId = this.readNum(c);
        const symbol = this.symbolOf(this.readNum(c));
        const leverage = this.readNum(c);
        return { type: 'LeverageChanged', accountId, symbol, leverage, maxNotionalE8: this.readBig(c) };
      }
      case T_MARGIN_TYPE: {
        const accountId = this.readNum(c);
        const symbol = this.symbolOf(this.readNum(c));
        return { type: 'MarginTypeChanged', accountId, symbol, marginType: this.readNum(c) === 1 ? 'ISOLATED' : 'CROSSED' };
      }
      case T_INDEX: {
        const symbol = this.symbolOf(this.readNum(c));
        return { type: 'IndexPriceUpdated', symbol, indexTicks: this.readNum(c) };
      }
      case T_MARK: {
        const symbol = this.symbolOf(this.readNum(c));
        const atMs = this.readNum(c);
        const markTicks = this.readNum(c);
        const indexTicks = this.readNum(c);
        const nextFundingMs = this.readNum(c);
        const estimatedFundingRateE8 = this.readBig(c);
        const lastFundingRateE8 = this.readBig(c);
        return {
          type: 'MarkPriceUpdated', symbol, atMs, markTicks, indexTicks, estimatedFundingRateE8, lastFundingRateE8,
          nextFundingMs,
        };
      }
      case T_FUNDING: {
        const symbol = this.symbolOf(this.readNum(c));
        const fundingTimeMs = this.readNum(c);
        const markTicks = this.readNum(c);
        const positions = this.readNum(c);
        const rateE8 = this.readBig(c);
        const paidE8 = this.readBig(c);
        const receivedE8 = this.readBig(c);
        const residueE8 = this.readBig(c);
        return { type: 'FundingSettled', symbol, fundingTimeMs, rateE8, markTicks, paidE8, receivedE8, residueE8, positions };
      }
      case T_LIQUIDATION: {
        const accountId = this.readNum(c);
        const symbol = this.symbolOf(this.readNum(c));
        const packed = this.readNum(c);
        const orderId = this.readNum(c);
        const positionLotsBefore = this.readNum(c);
        const qtyLots = this.readNum(c);
        const bankruptcyPriceTicks = this.readNum(c);
        const markTicks = this.readNum(c);
        const bookFilledLots = this.readNum(c);
        const atMs = this.readNum(c);
        const adlCount = this.readNum(c);
        const marginBalanceE8 = this.readBig(c);
        const maintenanceMarginE8 = this.readBig(c);
        const bookNotionalE8 = this.readBig(c);
        const feeE8 = this.readBig(c);
        const insuranceDeltaE8 = this.readBig(c);
        const adl: AdlFill[] = [];
        for (let i = 0; i < adlCount; i++) {
          const adlAccountId = this.readNum(c);
          const adlQtyLots = this.readNum(c);
          const adlPriceTicks = this.readNum(c);
          adl.push({ accountId: adlAccountId, qtyLots: adlQtyLots, priceTicks: adlPriceTicks, realizedPnlE8: this.readBig(c) });
        }
        return {
          type: 'Liquidation', accountId, symbol, marginType: (packed & 1) === 1 ? 'ISOLATED' : 'CROSSED',
          side: (packed & 2) === 0 ? 'BUY' : 'SELL', orderId, positionLotsBefore, qtyLots, bankruptcyPriceTicks, markTicks,
          marginBalanceE8, maintenanceMarginE8, bookFilledLots, bookNotionalE8, feeE8, insuranceDeltaE8, adl, atMs,
        };
      }
      case T_REJECTED: {
        const code = this.readNum(c);
        const accountId = this.readNum(c);
        const orderId = this.readNum(c);
        const commandType = this.readStr(c) as CommandType;
        const msg = this.readStr(c);
        const symbol = this.readStr(c);
        const clientOrderId = this.readStr(c);
        return { type: 'Rejected', commandType, code, msg, accountId, symbol, clientOrderId, orderId };
      }
      default:
        throw new AssertionFailure(`event type code ${type} is known`);
    }
  }

  private readOrderView(c: Cursor): OrderView {
    const orderId = this.readNum(c);
    const accountId = this.readNum(c);
    const symbol = this.symbolOf(this.readNum(c));
    const clientOrderId = this.readStr(c);
    const packed = this.readNum(c);
    const origQtyLots = this.readNum(c);
    const executedQtyLots = this.readNum(c);
    const cumQuoteE8 = this.readBig(c);
    const priceTicks = this.readNum(c);
    const stopPriceTicks = this.readNum(c);
    const activationPriceTicks = this.readNum(c);
    const callbackRateBps = this.readNum(c);
    const createdAtMs = this.readNum(c);
    const updatedAtMs = this.readNum(c);
    return {
      orderId, accountId, symbol, clientOrderId,
      side: (packed & PACK_SIDE) === 0 ? 'BUY' : 'SELL',
      orderType: nameOf(ORDER_TYPES, (packed >> PACK_TYPE_SHIFT) & 15),
      timeInForce: nameOf(TIME_IN_FORCE, (packed >> PACK_TIF_SHIFT) & 15),
      origQtyLots, executedQtyLots, cumQuoteE8, priceTicks, stopPriceTicks, activationPriceTicks, callbackRateBps,
      reduceOnly: (packed & PACK_REDUCE_ONLY) !== 0,
      closePosition: (packed & PACK_CLOSE_POSITION) !== 0,
      workingType: nameOf(WORKING_TYPES, (packed >> PACK_WORKING_SHIFT) & 3),
      priceProtect: (packed & PACK_PRICE_PROTECT) !== 0,
      stpMode: nameOf(STP_MODES, (packed >> PACK_STP_SHIFT) & 7),
      status: nameOf(STATUSES, (packed >> PACK_STATUS_SHIFT) & 7),
      conditional: (packed & PACK_CONDITIONAL) !== 0,
      triggered: (packed & PACK_TRIGGERED) !== 0,
      createdAtMs, updatedAtMs,
      liquidation: (packed & PACK_LIQUIDATION) !== 0,
    };
  }
}

class Cursor {
  num = 0;
  big = 0;
  str = 0;
  huge = 0;
}
