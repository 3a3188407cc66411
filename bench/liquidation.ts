/**
 * @module bench/liquidation
 * Liquidation benchmark (issue 3): 1,000,000 open positions (500,000 long/short pairs, leverage
 * 1–125x, small enough to sit in bracket 1), then a 20% mark gap down.
 *
 * Measured in the same run:
 * - find: the liquidation index's candidate walk for the new mark (the engine's own lookup), against
 *   a peer that scans every position and checks its margin exactly (what an engine without the
 *   index would do). Both must select the same accounts.
 * - cascade: the whole Tick command that moves the mark: every liquidation found and processed
 *   (cancel, IOC into the book against a backstop bid wall 1% under the new mark, fees, insurance
 *   fund deficits, events), timed end to end. The engine writes its events into its event log
 *   (typed arrays); here they stream out in 2 MiB chunks to a consumer that tallies them. The same
 *   cascade runs again on a copy restored from a snapshot taken just before, keeping every event
 *   in the log, and then decodes them all into objects (both timed); both copies must end in the
 *   same state.
 * - order entry with full margin checks: PlaceOrder (validation, §1.2 cost, available balance,
 *   position limit, matching, events into the event log) and CancelOrder commands, against the
 *   raw order book's submit/cancel on the same operations (the ratio shows what the checks cost);
 *   once more through engine.apply, which also decodes every command's events into objects.
 *   Commands are made in batches of 1,024 outside the timed region, as a sequencer hands over
 *   commands it has just decoded; a second run builds all of them up front (cold in the CPU cache)
 *   and is reported too.
 *
 * Usage: npm run bench -- liquidation [--json] [--pairs N] [--orders N]
 */
import { PerformanceObserver } from 'node:perf_hooks';
import { SingleBar, Presets } from 'cli-progress';
import { createOrderBook } from '../src/core/book/index.js';
import { BUY, SELL, STP_NONE, TIF_GTC } from '../src/core/book/types.js';
import type { Command, PlaceOrderCommand, UnsequencedCommand } from '../src/core/engine/commands.js';
import { Engine } from '../src/core/engine/engine.js';
import type { EngineEvent, EngineEventType } from '../src/core/engine/events.js';
import type { EventChunk } from '../src/core/engine/event-log.js';
import { maintenanceMarginE8, unrealizedPnlE8 } from '../src/core/engine/margin.js';
import { BTCUSDT } from '../src/core/instrument/catalog.js';

const START_MS = Date.UTC(2021, 4, 19, 12);
const PRICE_TICKS = 500_000; // 50,000.0
const GAP_PRICE_TICKS = 400_000; // 40,000.0, a 20% gap
const SPEC = {
  ...BTCUSDT, maxQty: '10000000', marketMaxQty: '10000000', funding: { ...BTCUSDT.funding, interestRate: '0' },
};

function option(argv: readonly string[], name: string, fallback: number): number {
  const at = argv.indexOf(name);
  return at >= 0 ? Number(argv[at + 1]) : fallback;
}

class Driver {
  readonly engine = new Engine({ instruments: [SPEC], bookFactory: createOrderBook });
  private seq = 0;
  atMs = START_MS;
  rejected = 0;

  apply(command: UnsequencedCommand): EngineEvent[] {
    const events = this.engine.apply({ ...command, seq: ++this.seq, atMs: this.atMs });
    for (const event of events) if (event.type === 'Rejected') this.rejected++;
    return events;
  }
}

const ORDER: Omit<PlaceOrderCommand, 'seq' | 'atMs' | 'accountId' | 'side' | 'qtyLots' | 'priceTicks'> = {
  type: 'PlaceOrder', symbol: 'BTCUSDT', orderType: 'LIMIT', timeInForce: 'GTC', stopPriceTicks: 0,
  activationPriceTicks: 0, callbackRateBps: 0, reduceOnly: false, closePosition: false, workingType: 'CONTRACT_PRICE',
  priceProtect: false, stpMode: 'NONE', clientOrderId: '',
};

function progress(label: string, total: number, quiet: boolean): SingleBar | undefined {
  if (quiet && !process.stderr.isTTY) return undefined;
  const bar = new SingleBar({ format: `${label} [{bar}] {percentage}% {value}/{total} {eta_formatted}`, stream: process.stderr },
    Presets.shades_classic);
  bar.start(total, 0);
  return bar;
}

/** Opens `pairs` long/short pairs at 50,000 with leverage cycling 1..125 and margin ~5% above IM. */
function buildPositions(driver: Driver, pairs: number, quiet: boolean): void {
  const bar = progress('positions', pairs, quiet);
  for (let i = 0; i < pairs; i++) {
    const leverage = 1 + (i % 125);
    const lots = 1 + (i % 40);
    const notionalUsdt = (PRICE_TICKS * lots) / 10_000;
    const depositE8 = BigInt(Math.ceil((notionalUsdt / leverage) * 1.05 + notionalUsdt * 0.001 + 1)) * 100_000_000n;
    const ids: number[] = [];
    for (let side = 0; side < 2; side++) {
      const created = driver.apply({ type: 'CreateAccount', parentAccountId: 0 })[0];
      if (created?.type !== 'AccountCreated') throw new Error('account');
      ids.push(created.accountId);
      driver.apply({ type: 'Deposit', accountId: created.accountId, amountE8: depositE8 });
      driver.apply({ type: 'SetLeverage', accountId: created.accountId, symbol: 'BTCUSDT', leverage });
    }
    driver.apply({ ...ORDER, accountId: ids[1]!, side: 'SELL', qtyLots: lots, priceTicks: PRICE_TICKS });
    driver.apply({ ...ORDER, accountId: ids[0]!, side: 'BUY', qtyLots: lots, priceTicks: PRICE_TICKS });
    if ((i & 1023) === 0) bar?.update(i);
  }
  bar?.update(pairs);
  bar?.stop();
}

/** The peer: scan every open position and check its account exactly (no index). */
function scanAll(driver: Driver, markTicks: number): Set<number> {
  const ctx = driver.engine.ctx;
  const market = driver.engine.market('BTCUSDT');
  const found = new Set<number>();
  const instrument = market.instrument;
  for (const position of market.openPositions.values()) {
    const account = ctx.accounts.get(position.accountId)!;
    // Single-symbol cross accounts: margin balance = wallet + UPnL at the new mark.
    const shifted = { ...position };
    const balance = account.crossWalletE8 + unrealizedPnlE8(instrument, shifted, markTicks);
    if (balance <= maintenanceMarginE8(instrument, shifted, markTicks)) found.add(position.accountId);
  }
  return found;
}

/**
 * The order-entry flow: non-crossing limits 1..200 ticks from mid over 10,000 accounts, every
 * other operation a cancel of a random resting order. Deterministic, so the engine and the book
 * peer see the same operations; `firstOrderId` is the engine's next order id when the flow starts.
 */
class OrderFlow {
  private readonly pending: { account: number; orderId: number }[] = [];
  private index = 0;
  private nextOrderId: number;

  constructor(private readonly accounts: readonly number[], firstOrderId: number) {
    this.nextOrderId = firstOrderId;
  }

  /** The next operation as a sequenced command (one object literal: no spreads, little garbage). */
  next(seq: number, atMs: number): Command {
    const i = this.index++;
    const pending = this.pending;
    if (i % 2 === 1 && pending.length > 0) {
      const at = (i * 7919) % pending.length;
      const victim = pending[at]!;
      pending[at] = pending[pending.length - 1]!;
      pending.pop();
      return { type: 'CancelOrder', accountId: victim.account, symbol: 'BTCUSDT', orderId: victim.orderId, clientOrderId: '', seq, atMs };
    }
    const account = this.accounts[i % this.accounts.length]!;
    const buy = (i >> 1) % 2 === 0;
    const offset = 1 + ((i * 31) % 200);
    pending.push({ account, orderId: this.nextOrderId++ });
    return {
      type: 'PlaceOrder', symbol: 'BTCUSDT', orderType: 'LIMIT', timeInForce: 'GTC', stopPriceTicks: 0, activationPriceTicks: 0,
      callbackRateBps: 0, reduceOnly: false, closePosition: false, workingType: 'CONTRACT_PRICE', priceProtect: false,
      stpMode: 'NONE', clientOrderId: '', accountId: account, side: buy ? 'BUY' : 'SELL', qtyLots: 2 + (i % 10),
      priceTicks: buy ? PRICE_TICKS - offset : PRICE_TICKS + offset, seq, atMs,
    };
  }
}

/**
 * Commands are made in batches of this many outside the timed region, stamped with seq and time,
 * then applied: like commands a sequencer has just decoded, they are in the CPU cache. (`cold`
 * builds every command up front instead; then most of the time goes to cache misses on commands.)
 */
const ENTRY_BATCH = 1_024;

interface EntryFigures { enginePerSec: number; bookPerSec: number; rejected: number }

function orderEntry(orders: number, cold: boolean, decoded: boolean): EntryFigures {
  const driver = new Driver();
  driver.apply({ type: 'SetIndexPrice', symbol: 'BTCUSDT', priceTicks: PRICE_TICKS });
  const accounts: number[] = [];
  for (let i = 0; i < 10_000; i++) {
    const created = driver.apply({ type: 'CreateAccount', parentAccountId: 0 })[0];
    if (created?.type !== 'AccountCreated') throw new Error('account');
    accounts.push(created.accountId);
    driver.apply({ type: 'Deposit', accountId: created.accountId, amountE8: 10_000_000_000_000n });
  }
  const engine = driver.engine;
  const firstOrderId = engine.ctx.nextOrderId;
  const batchSize = cold ? orders : ENTRY_BATCH;
  let rejected = 0;
  let engineNs = 0;
  const flow = new OrderFlow(accounts, firstOrderId);
  for (let done = 0; done < orders;) {
    const count = Math.min(batchSize, orders - done);
    const batch: Command[] = [];
    for (let i = 0; i < count; i++) batch.push(flow.next(engine.lastSeq + 1 + i, driver.atMs));
    const start = process.hrtime.bigint();
    if (decoded) {
      for (const command of batch) {
        const events = engine.apply(command);
        if (events.length > 0 && events[0]!.type === 'Rejected') rejected++;
      }
    } else {
      for (const command of batch) rejected += engine.applyToEventLog(command).countOf('Rejected');
    }
    engineNs += Number(process.hrtime.bigint() - start);
    done += count;
  }
  // The same operations on a bare book (book ids count from 1 where the engine's start at firstOrderId).
  const book = createOrderBook({ maxPriceTicks: 45_297_640, listener: { reduceOnlyCapacity: () => 0 } });
  const peerFlow = new OrderFlow(accounts, firstOrderId);
  let bookNs = 0;
  let bookId = 1;
  for (let done = 0; done < orders;) {
    const count = Math.min(batchSize, orders - done);
    const batch: Command[] = [];
    for (let i = 0; i < count; i++) batch.push(peerFlow.next(0, 0));
    const start = process.hrtime.bigint();
    for (const command of batch) {
      if (command.type === 'PlaceOrder') {
        book.submit(bookId++, command.accountId, command.side === 'BUY' ? BUY : SELL, command.priceTicks, command.qtyLots, TIF_GTC, STP_NONE, 0);
      } else if (command.type === 'CancelOrder') {
        book.cancel(command.orderId - firstOrderId + 1);
      }
    }
    bookNs += Number(process.hrtime.bigint() - start);
    done += count;
  }
  return { enginePerSec: (orders / engineNs) * 1e9, bookPerSec: (orders / bookNs) * 1e9, rejected };
}

interface StreamedCascade {
  readonly positions: number;
  readonly setupMs: number;
  readonly candidates: number;
  readonly missed: number;
  readonly expected: ReadonlySet<number>;
  readonly findMs: number;
  readonly scanMs: number;
  readonly cascadeMs: number;
  readonly cascadeGcMs: number;
  readonly tally: EventTally;
  readonly snapshot: Uint8Array;
  readonly tick: Command;
  readonly stateHash: string;
}

/**
 * Builds the 1M positions, measures find against the full scan, snapshots the engine, then runs
 * the gap's Tick with events streamed. Returns plain figures only, so the engine can be collected
 * before the second run.
 */
async function streamedCascade(pairs: number, json: boolean): Promise<StreamedCascade> {
  const driver = new Driver();
  driver.apply({ type: 'SetIndexPrice', symbol: 'BTCUSDT', priceTicks: PRICE_TICKS });
  // 10 billion USDT: deep enough that no liquidation reaches ADL (the ADL path is measured by tests).
  driver.apply({ type: 'FundInsurance', amountE8: 1_000_000_000_000_000_000n });
  const backstop = driver.apply({ type: 'CreateAccount', parentAccountId: 0 })[0];
  if (backstop?.type !== 'AccountCreated') throw new Error('account');
  driver.apply({ type: 'Deposit', accountId: backstop.accountId, amountE8: 100_000_000_000_000_000n });
  driver.apply({ type: 'SetLeverage', accountId: backstop.accountId, symbol: 'BTCUSDT', leverage: 1 });
  const setupStart = performance.now();
  buildPositions(driver, pairs, json);
  const setupMs = performance.now() - setupStart;
  const market = driver.engine.market('BTCUSDT');
  const positions = market.openPositions.size;
  // The gap: the index drops 20%; a backstop bid wall 1% below absorbs the liquidation orders.
  driver.atMs += 500;
  driver.apply({ type: 'SetIndexPrice', symbol: 'BTCUSDT', priceTicks: GAP_PRICE_TICKS });
  driver.apply({ ...ORDER, accountId: backstop.accountId, side: 'BUY', qtyLots: market.longOpenInterestLots,
    priceTicks: (GAP_PRICE_TICKS * 99) / 100 });
  // find: the engine's index walk vs the peer's full scan, for the mark the next instant will set.
  const findStart = process.hrtime.bigint();
  const candidates = market.liquidations.collectAccountsAtRisk(GAP_PRICE_TICKS).slice();
  const findMs = Number(process.hrtime.bigint() - findStart) / 1e6;
  const scanStart = process.hrtime.bigint();
  const expected = scanAll(driver, GAP_PRICE_TICKS);
  const scanMs = Number(process.hrtime.bigint() - scanStart) / 1e6;
  const candidateAccounts = new Set(candidates);
  const missed = [...expected].filter((id) => !candidateAccounts.has(id)).length;
  // The same engine state again, for the second way of taking the cascade's events (and a
  // determinism check: both copies must end in the same state).
  const snapshot = driver.engine.serialize();
  // cascade: the Tick that moves the mark processes every liquidation (from a collected heap; the
  // collector's pauses inside it are measured too). Events stream out in 2 MiB chunks to a
  // consumer that tallies them by type, as a liquidation feed would read them.
  driver.atMs = Math.ceil((driver.atMs + 1) / 1000) * 1000;
  const tick: Command = { type: 'Tick', seq: driver.engine.lastSeq + 1, atMs: driver.atMs };
  const tally = new EventTally();
  collectGarbage();
  const gcPauses = watchGcPauses();
  const startMs = performance.now();
  driver.engine.applyStreaming(tick, (chunk) => tally.add(chunk));
  const cascadeMs = performance.now() - startMs;
  const cascadeGcMs = await gcPauses.totalMs(startMs, startMs + cascadeMs);
  if (market.markTicks !== GAP_PRICE_TICKS) throw new Error(`mark ${market.markTicks} after the gap`);
  return {
    positions, setupMs, candidates: candidates.length, missed, expected, findMs, scanMs, cascadeMs, cascadeGcMs, tally, snapshot,
    tick, stateHash: driver.engine.stateHash(),
  };
}

export async function runLiquidationBench(argv: string[]): Promise<void> {
  const json = argv.includes('--json');
  const pairs = option(argv, '--pairs', 500_000);
  const orders = option(argv, '--orders', 1_000_000);
  // Order entry first, each run on its own engine and a collected heap (the 1M-position engine
  // below would otherwise be alive, and collected, during it).
  const entry = orderEntry(orders, false, false);
  collectGarbage();
  const decodedEntry = orderEntry(orders, false, true);
  collectGarbage();
  const coldEntry = orderEntry(orders, true, false);
  collectGarbage();
  const streamed = await streamedCascade(pairs, json);
  const { positions, setupMs, expected, findMs, scanMs, cascadeMs, cascadeGcMs, tally, missed } = streamed;
  collectGarbage();
  // The same cascade on a copy restored from the snapshot (the first engine is gone), every event
  // kept in the engine's event log, then decoded into the objects adapters consume (timed apart).
  const copy = new Engine({ instruments: [SPEC], bookFactory: createOrderBook });
  copy.restore(streamed.snapshot);
  collectGarbage();
  const gcPauses = watchGcPauses();
  let startMs = performance.now();
  const log = copy.applyToEventLog(streamed.tick);
  const collectedMs = performance.now() - startMs;
  const collectedGcMs = await gcPauses.totalMs(startMs, startMs + collectedMs);
  startMs = performance.now();
  const events = log.decode();
  const decodeMs = performance.now() - startMs;
  const sameStateBothWays = copy.stateHash() === streamed.stateHash;
  if (!sameStateBothWays) throw new Error('the restored copy ended in another state');
  if (events.length !== tally.total) throw new Error(`streamed ${tally.total} events, collected ${events.length}`);
  const liquidations = tally.liquidations;
  const deleveraged = events.filter((event) => event.type === 'Liquidation' && event.adl.length > 0).length;
  const liquidated = new Set(events.flatMap((event) => event.type === 'Liquidation' ? [event.accountId] : []));
  const exact = liquidated.size === expected.size && [...expected].every((id) => liquidated.has(id));
  const result = {
    positions, setupMs: Math.round(setupMs), liquidations, deleveraged, expectedLiquidations: expected.size, candidates: streamed.candidates,
    missedByIndex: missed, allFoundAndProcessed: exact && missed === 0, findMs: round(findMs), scanPeerMs: round(scanMs),
    findSpeedup: round(scanMs / findMs), cascadeMs: round(cascadeMs), cascadeGcMs: round(cascadeGcMs), cascadeEvents: tally.total,
    cascadeEventsByType: tally.byType(), cascadeCollectedMs: round(collectedMs), cascadeCollectedGcMs: round(collectedGcMs),
    decodeAllEventsMs: round(decodeMs), sameStateBothWays,
    orderEntryPerSec: Math.round(entry.enginePerSec), rawBookPerSec: Math.round(entry.bookPerSec),
    orderEntryDecodedPerSec: Math.round(decodedEntry.enginePerSec),
    orderEntryVsRawBook: round(entry.enginePerSec / entry.bookPerSec), orderEntryRejected: entry.rejected + decodedEntry.rejected + coldEntry.rejected,
    orderEntryColdPerSec: Math.round(coldEntry.enginePerSec), rawBookColdPerSec: Math.round(coldEntry.bookPerSec),
  };
  if (!json) {
    console.log(`positions ${positions}, setup ${result.setupMs} ms`);
    console.log(`20% gap: ${liquidations} liquidations (${expected.size} expected by a full scan; all found and processed: ${result.allFoundAndProcessed})`);
    console.log(`find:    index walk ${result.findMs} ms for ${streamed.candidates} candidates; full-scan peer ${result.scanPeerMs} ms (${result.findSpeedup}x)`);
    console.log(`cascade: ${result.cascadeMs} ms for the whole Tick, events streamed (${tally.total} events; GC pauses ${result.cascadeGcMs} ms of it)`);
    console.log(`  the same cascade with every event kept in the event log: ${result.cascadeCollectedMs} ms (GC ${result.cascadeCollectedGcMs} ms); ` +
      `decoding them all into objects afterwards: ${result.decodeAllEventsMs} ms`);
    console.log(`order entry with margin checks: ${result.orderEntryPerSec} ops/s; raw book ${result.rawBookPerSec} ops/s (${result.orderEntryVsRawBook}x)`);
    console.log(`  with every command's events decoded into objects: ${result.orderEntryDecodedPerSec} ops/s`);
    console.log(`  commands built up front (cold in cache): ${result.orderEntryColdPerSec} ops/s; raw book ${result.rawBookColdPerSec} ops/s`);
  }
  console.log(JSON.stringify(result));
}

/** A streaming consumer: counts the cascade's events by type, chunk by chunk (keeps nothing). */
class EventTally {
  private readonly counts = new Map<EngineEventType, number>();
  total = 0;

  add(chunk: EventChunk): void {
    this.total += chunk.count;
    chunk.addTypeCounts(this.counts);
  }

  get liquidations(): number {
    return this.counts.get('Liquidation') ?? 0;
  }

  byType(): Record<string, number> {
    return Object.fromEntries(this.counts);
  }
}

/** Sums the garbage collector's pauses (perf_hooks 'gc' entries) that start inside a time window. */
function watchGcPauses(): { totalMs(fromMs: number, toMs: number): Promise<number> } {
  const entries: { startTime: number; duration: number }[] = [];
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) entries.push({ startTime: entry.startTime, duration: entry.duration });
  });
  observer.observe({ entryTypes: ['gc'] });
  return {
    async totalMs(fromMs: number, toMs: number): Promise<number> {
      // Entries arrive asynchronously, after the synchronous command returned.
      await new Promise((resolve) => setTimeout(resolve, 50));
      observer.disconnect();
      return entries.filter((entry) => entry.startTime >= fromMs && entry.startTime <= toMs)
        .reduce((sum, entry) => sum + entry.duration, 0);
    },
  };
}

/** A full collection between phases when node runs with --expose-gc (npm run bench does). */
function collectGarbage(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
