/**
 * The engine's event log: the three ways of taking a command's events (decoded objects, the
 * collected log, streamed chunks) agree event for event, across chunk boundaries, for money
 * beyond int64, and for every event type a seeded workload produces.
 */
import { describe, expect, it } from 'vitest';
import {
  createOrderBook, DEFAULT_INSTRUMENTS, Engine, type Command, type EngineEvent, type EngineEventType,
  type UnsequencedCommand,
} from '../../src/core/index.js';
import { EventLog, type EventChunk } from '../../src/core/engine/event-log.js';
import { BTCUSDT } from '../../src/core/instrument/catalog.js';
import { compileInstrument } from '../../src/core/instrument/instrument.js';

const BTCUSDT_COMPILED = compileInstrument(BTCUSDT);
import { Workload } from '../journal/support/workload.js';

const START_MS = Date.UTC(2024, 0, 1);

function streamed(engine: Engine, command: Command): { events: EngineEvent[]; chunks: number; counts: Map<EngineEventType, number> } {
  const events: EngineEvent[] = [];
  const counts = new Map<EngineEventType, number>();
  let chunks = 0;
  engine.applyStreaming(command, (chunk: EventChunk) => {
    chunks++;
    chunk.decodeInto(events);
    chunk.addTypeCounts(counts);
  });
  return { events, chunks, counts };
}

function tally(events: readonly EngineEvent[]): Map<EngineEventType, number> {
  const counts = new Map<EngineEventType, number>();
  for (const event of events) counts.set(event.type, (counts.get(event.type) ?? 0) + 1);
  return counts;
}

/**
 * An oracle independent of the log: the last word of a command's events on a wallet, a position
 * or a live order equals the engine's state after the command.
 */
function lastOf(events: readonly EngineEvent[], match: (event: EngineEvent) => boolean): EngineEvent | undefined {
  for (let i = events.length - 1; i >= 0; i--) if (match(events[i]!)) return events[i];
  return undefined;
}

function checkAgainstState(engine: Engine, events: readonly EngineEvent[]): void {
  const ctx = engine.ctx;
  for (const event of events) {
    if (event.type === 'BalanceChanged') {
      const last = lastOf(events, (e) => e.type === 'BalanceChanged' && e.accountId === event.accountId &&
        e.isolatedSymbol === event.isolatedSymbol);
      if (last !== event) continue;
      const account = ctx.account(event.accountId);
      expect(event.balanceE8).toBe(event.isolatedSymbol === '' ? account.crossWalletE8
        : account.positions.get(engine.market(event.isolatedSymbol).marketIndex)!.isolatedWalletE8);
    } else if (event.type === 'PositionChanged') {
      const last = lastOf(events, (e) => e.type === 'PositionChanged' && e.accountId === event.accountId && e.symbol === event.symbol);
      if (last !== event) continue;
      const position = ctx.account(event.accountId).positions.get(engine.market(event.symbol).marketIndex)!;
      // (An isolated wallet can still move after it, by a BalanceChanged checked above.)
      expect([event.sizeLots, event.costE8, event.realizedPnlE8, event.leverage, event.marginType])
        .toEqual([position.sizeLots, position.costE8, position.realizedPnlE8, position.leverage, position.isolated ? 'ISOLATED' : 'CROSSED']);
    } else if (event.type === 'OrderUpdate') {
      const last = lastOf(events, (e) => e.type === 'OrderUpdate' && e.order.orderId === event.order.orderId);
      const live = ctx.liveOrders.get(event.order.orderId);
      if (last === event && live !== undefined) expect(event.order).toEqual(ctx.orderView(live));
    } else if (event.type === 'InsuranceFundChanged') {
      const last = lastOf(events, (e) => e.type === 'InsuranceFundChanged');
      if (last === event) expect(event.balanceE8).toBe(ctx.insuranceFundE8);
    }
  }
}

describe('event log', () => {
  it('gives the same events decoded, collected and streamed, for every command of a seeded workload', () => {
    const engines = [0, 1, 2].map(() => new Engine({ instruments: DEFAULT_INSTRUMENTS, bookFactory: createOrderBook }));
    const workload = new Workload({ seed: 7, accounts: 40, jumpChance: 0.8 });
    const seen = new Set<EngineEventType>();
    let atMs = START_MS;
    for (let seq = 1; seq <= 12_000; seq++) {
      atMs += (seq % 5) * 2_000;
      const command = { ...workload.next().command, seq, atMs } as Command;
      const decoded = engines[0]!.apply(command);
      const log = engines[1]!.applyToEventLog(command);
      const collected = log.decode();
      const { events: viaStream, counts } = streamed(engines[2]!, command);
      expect(collected).toEqual(decoded);
      expect(viaStream).toEqual(decoded);
      expect(log.count).toBe(decoded.length);
      expect(counts).toEqual(tally(decoded));
      for (const event of decoded) seen.add(event.type);
      checkAgainstState(engines[0]!, decoded);
    }
    // The workload reaches the event types whose encoding has special cases.
    for (const type of ['OrderUpdate', 'Trade', 'Liquidation', 'FundingSettled', 'Rejected', 'MarkPriceUpdated'] as const) {
      expect(seen.has(type)).toBe(true);
    }
    const hashes = engines.map((engine) => engine.stateHash());
    expect(new Set(hashes).size).toBe(1);
  });

  it('streams a cascade larger than one chunk in order, each chunk once', () => {
    const make = (): { engine: Engine; run: (command: UnsequencedCommand) => EngineEvent[]; next: () => Command } => {
      const engine = new Engine({ instruments: [{ ...BTCUSDT, funding: { ...BTCUSDT.funding, interestRate: '0' } }], bookFactory: createOrderBook });
      let seq = 0;
      let atMs = START_MS;
      return {
        engine,
        run: (command) => engine.apply({ ...command, seq: ++seq, atMs }),
        next: () => ({ type: 'Tick', seq: ++seq, atMs: (atMs = Math.ceil((atMs + 1_001) / 1000) * 1000) }),
      };
    };
    const order = (accountId: number, side: 'BUY' | 'SELL', qtyLots: number, priceTicks: number): UnsequencedCommand => ({
      type: 'PlaceOrder', accountId, symbol: 'BTCUSDT', side, orderType: 'LIMIT', timeInForce: 'GTC', qtyLots, priceTicks,
      stopPriceTicks: 0, activationPriceTicks: 0, callbackRateBps: 0, reduceOnly: false, closePosition: false,
      workingType: 'CONTRACT_PRICE', priceProtect: false, stpMode: 'NONE', clientOrderId: '',
    });
    const build = (): ReturnType<typeof make> => {
      const world = make();
      world.run({ type: 'SetIndexPrice', symbol: 'BTCUSDT', priceTicks: 500_000 });
      world.run({ type: 'FundInsurance', amountE8: 10n ** 18n });
      const backstop = world.engine.ctx.nextAccountId;
      world.run({ type: 'CreateAccount', parentAccountId: 0 });
      world.run({ type: 'Deposit', accountId: backstop, amountE8: 10n ** 17n });
      // 2,500 pairs at 50x: a 20% gap liquidates every long (~11 events each, several chunks).
      for (let i = 0; i < 2_500; i++) {
        const long = world.engine.ctx.nextAccountId;
        for (const id of [long, long + 1]) {
          world.run({ type: 'CreateAccount', parentAccountId: 0 });
          world.run({ type: 'Deposit', accountId: id, amountE8: 150n * 100_000_000n });
          world.run({ type: 'SetLeverage', accountId: id, symbol: 'BTCUSDT', leverage: 50 });
        }
        world.run(order(long + 1, 'SELL', 100, 500_000));
        world.run(order(long, 'BUY', 100, 500_000));
      }
      world.run({ type: 'SetIndexPrice', symbol: 'BTCUSDT', priceTicks: 400_000 });
      world.run(order(backstop, 'BUY', 250_000, 396_000));
      return world;
    };
    const a = build();
    const b = build();
    const collected = a.engine.applyToEventLog(a.next());
    const events = collected.decode();
    const { events: viaStream, chunks, counts } = streamed(b.engine, b.next());
    expect(collected.countOf('Liquidation')).toBe(2_500);
    expect(chunks).toBeGreaterThan(1);
    expect(viaStream.length).toBe(events.length);
    expect(viaStream).toEqual(events);
    expect(counts.get('Liquidation')).toBe(2_500);
    expect(b.engine.stateHash()).toBe(a.engine.stateHash());
  });

  it('gives an event larger than a chunk a chunk of its own, collected and streamed', () => {
    const markets = [{ instrument: BTCUSDT_COMPILED }];
    // 100,000 ADL fills: 300,011 numeric fields and 100,005 money fields, more than one chunk holds.
    const adl = Array.from({ length: 100_000 }, (_, i) => ({ accountId: i + 2, qtyLots: 1 + (i % 7), priceTicks: 400_000 + i,
      realizedPnlE8: BigInt(i) * -1_000n }));
    const write = (log: EventLog): void => {
      log.accountCreated(1, 0);
      log.liquidation(1, 0, 'CROSSED', 'SELL', 9, 700_007, 700_007, 399_000, 400_000, -5n, 10n, 0, 0n, 0n, -3n, adl, START_MS);
      log.indexPriceUpdated(0, 400_100);
    };
    const collecting = new EventLog(markets);
    collecting.reset();
    write(collecting);
    const collected = collecting.decode();
    const streaming = new EventLog(markets);
    const viaStream: EngineEvent[] = [];
    let chunks = 0;
    streaming.reset((chunk) => {
      chunks++;
      chunk.decodeInto(viaStream);
    });
    write(streaming);
    streaming.finishStream();
    expect(collected.map((event) => event.type)).toEqual(['AccountCreated', 'Liquidation', 'IndexPriceUpdated']);
    const liquidation = collected[1]!;
    expect(liquidation.type === 'Liquidation' && liquidation.adl).toEqual(adl);
    expect(viaStream).toEqual(collected);
    expect(chunks).toBeGreaterThanOrEqual(2);
  });

  it('keeps money outside int64 exact', () => {
    const engine = new Engine({ instruments: DEFAULT_INSTRUMENTS, bookFactory: createOrderBook });
    const huge = 2n ** 70n + 12_345n;
    const negativeEdge = -(2n ** 63n);
    engine.apply({ type: 'CreateAccount', parentAccountId: 0, seq: 1, atMs: START_MS });
    const deposit = engine.apply({ type: 'Deposit', accountId: 1, amountE8: huge, seq: 2, atMs: START_MS });
    expect(deposit).toEqual([{
      type: 'BalanceChanged', accountId: 1, isolatedSymbol: '', reason: 'DEPOSIT', symbol: '', deltaE8: huge, balanceE8: huge, refId: 0,
    }]);
    const withdraw = engine.apply({ type: 'Withdraw', accountId: 1, amountE8: huge + negativeEdge, seq: 3, atMs: START_MS });
    expect(withdraw).toEqual([{
      type: 'BalanceChanged', accountId: 1, isolatedSymbol: '', reason: 'WITHDRAW', symbol: '', deltaE8: -(huge + negativeEdge),
      balanceE8: -negativeEdge, refId: 0,
    }]);
  });

  it('refuses to decode a streamed command (its events went to the sink)', () => {
    const engine = new Engine({ instruments: DEFAULT_INSTRUMENTS, bookFactory: createOrderBook });
    let count = 0;
    engine.applyStreaming({ type: 'CreateAccount', parentAccountId: 0, seq: 1, atMs: START_MS }, (chunk) => { count += chunk.count; });
    expect(count).toBe(1);
    expect(() => engine.ctx.log.decode()).toThrow(/streamed/);
  });
});
