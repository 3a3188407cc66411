/**
 * A venue history for the read-store tests: a real engine (MemoryVenue) through a few days of venue
 * time with a market maker, leveraged traders in cross and isolated margin, random limit, market and
 * stop orders, cancels, index moves, transfers, withdrawals, margin adjustments, a copy-trading lead
 * with a follower, funding settlements (8-hour jumps) and a crash that liquidates. The embedded
 * SQLite projection (Projector + ReadStore, as the server runs it) follows the venue; every
 * committed entry is kept, in order, for other projections to replay.
 */
import { createOrderBook, Engine, DEFAULT_INSTRUMENTS, type EngineEvent, type UnsequencedCommand } from '../../../src/core/index.js';
import { KlineModel } from '../../../src/api/read-models/klines.js';
import { MarketModel } from '../../../src/api/read-models/market.js';
import { Projector } from '../../../src/api/read-models/projector.js';
import { ReadStore } from '../../../src/api/read-models/store.js';
import { Sfc32 } from '../../../src/sim/rng.js';
import { MemoryVenue } from '../../../src/venue/memory-venue.js';
import { MonotonicClock, type CommittedEntry } from '../../../src/venue/venue.js';

export interface Scenario {
  readonly engine: Engine;
  /** Every committed entry, in seq order. */
  readonly entries: readonly CommittedEntry[];
  /** The embedded projection of the same entries. */
  readonly sqlite: ReadStore;
  readonly accounts: readonly number[];
  readonly symbols: readonly string[];
  readonly startMs: number;
  readonly endMs: number;
}

const E8 = 100_000_000n;
const HOUR_MS = 3_600_000;

export async function buildScenario(steps: number, seed = 7): Promise<Scenario> {
  const startMs = Date.UTC(2026, 0, 5, 22, 30);
  let now = startMs;
  const engine = new Engine({ instruments: DEFAULT_INSTRUMENTS, bookFactory: createOrderBook });
  const venue = new MemoryVenue(engine, new MonotonicClock(() => now));
  const sqlite = new ReadStore(undefined);
  const projector = new Projector(venue, sqlite, new KlineModel(sqlite), new MarketModel(engine));
  await projector.start();
  const entries: CommittedEntry[] = [];
  venue.subscribe((entry) => entries.push(entry));
  const rng = new Sfc32(seed);
  const below = (n: number): number => Math.floor(rng.float() * n);
  const run = (command: UnsequencedCommand): readonly EngineEvent[] => venue.submitSync(command).events;
  const account = (usd: bigint, parentAccountId = 0): number => {
    const created = run({ type: 'CreateAccount', parentAccountId }).find((event) => event.type === 'AccountCreated');
    if (created?.type !== 'AccountCreated') throw new Error('no account created');
    if (usd > 0n) run({ type: 'Deposit', accountId: created.accountId, amountE8: usd * E8 });
    return created.accountId;
  };
  const order = (accountId: number, symbol: string, side: 'BUY' | 'SELL', orderType: 'LIMIT' | 'MARKET' | 'STOP_MARKET',
    qtyLots: number, priceTicks = 0, stopPriceTicks = 0, timeInForce: 'GTC' | 'IOC' = 'GTC'): UnsequencedCommand => ({
    type: 'PlaceOrder', accountId, symbol, side, orderType, timeInForce, qtyLots, priceTicks, stopPriceTicks,
    activationPriceTicks: 0, callbackRateBps: 0, reduceOnly: false, closePosition: false, workingType: 'CONTRACT_PRICE',
    priceProtect: false, stpMode: 'NONE', clientOrderId: `c${entries.length}`,
  });
  const symbols = ['BTCUSDT', 'ETHUSDT'];
  const index: Record<string, number> = { BTCUSDT: 600_000, ETHUSDT: 300_000 };
  for (const symbol of symbols) run({ type: 'SetIndexPrice', symbol, priceTicks: index[symbol]! });
  run({ type: 'FundInsurance', amountE8: 1_000_000n * E8 });
  const maker = account(1_000_000_000n);
  const quote = (): void => {
    for (const symbol of symbols) {
      run({ type: 'CancelAllOrders', accountId: maker, symbol, scope: 'ALL' });
      const mark = engine.market(symbol).markTicks;
      for (let level = 1; level <= 4; level++) {
        run(order(maker, symbol, 'BUY', 'LIMIT', 200 + below(2_000), mark - level * (mark / 1000 | 0)));
        run(order(maker, symbol, 'SELL', 'LIMIT', 200 + below(2_000), mark + level * (mark / 1000 | 0)));
      }
    }
  };
  quote();
  const traders: number[] = [];
  for (let i = 0; i < 6; i++) {
    const trader = account(20_000n);
    traders.push(trader);
    run({ type: 'SetLeverage', accountId: trader, symbol: 'BTCUSDT', leverage: 50 });
    if (i % 2 === 1) {
      run({ type: 'SetMarginType', accountId: trader, symbol: 'ETHUSDT', marginType: 'ISOLATED' });
      run({ type: 'SetLeverage', accountId: trader, symbol: 'ETHUSDT', leverage: 20 });
    }
  }
  const lead = account(5_000n, account(0n));
  run({ type: 'SetLeverage', accountId: lead, symbol: 'BTCUSDT', leverage: 20 });
  run({ type: 'OpenLeadPortfolio', accountId: lead, profitShareBps: 1000, copyCapE8: 0n, minCopyE8: 0n, maxFollowers: 0 });
  const follower = account(10_000n, account(0n));
  run({ type: 'Follow', accountId: follower, leadAccountId: lead, mode: 'FIXED_RATIO', amountE8: 10_000n * E8, leverage: 0,
    slippageBps: 300, stopLossBps: 0, copyExisting: false });
  for (let step = 0; step < steps; step++) {
    // An 8-hour jump now and then: funding settles at every boundary crossed.
    now += step % 400 === 399 ? 8 * HOUR_MS + below(HOUR_MS) : 1 + below(90_000);
    const trader = traders[below(traders.length)]!;
    const symbol = symbols[below(2)]!;
    const mark = engine.market(symbol).markTicks;
    const side = below(2) === 0 ? 'BUY' : 'SELL';
    const roll = below(100);
    if (roll < 30) run(order(trader, symbol, side, 'LIMIT', 1 + below(500), mark + (side === 'BUY' ? -1 : 1) * below(mark / 200 | 0)));
    else if (roll < 45) run(order(trader, symbol, side, 'MARKET', 1 + below(300)));
    else if (roll < 50) run(order(trader, symbol, side, 'STOP_MARKET', 1 + below(200), 0, mark + (side === 'BUY' ? 1 : -1) * (mark / 100 | 0)));
    else if (roll < 60) {
      const open = engine.openOrders(trader, symbol);
      if (open.length > 0) run({ type: 'CancelOrder', accountId: trader, symbol, orderId: open[below(open.length)]!.orderId, clientOrderId: '' });
    } else if (roll < 70) {
      index[symbol] = Math.max(1, index[symbol]! + below(601) - 300);
      run({ type: 'SetIndexPrice', symbol, priceTicks: index[symbol] });
    } else if (roll < 73) run({ type: 'AdjustIsolatedMargin', accountId: trader, symbol: 'ETHUSDT', amountE8: BigInt(below(200) - 60) * E8 });
    else if (roll < 76) run({ type: 'Transfer', fromAccountId: trader, toAccountId: traders[below(traders.length)]!, amountE8: BigInt(1 + below(100)) * E8 });
    else if (roll < 78) run({ type: 'Withdraw', accountId: trader, amountE8: BigInt(1 + below(50)) * E8 });
    else if (roll < 83) run(order(lead, 'BTCUSDT', side, 'MARKET', 1 + below(40)));
    else if (roll < 90) quote();
    else run({ type: 'Tick' });
  }
  // Leveraged longs, then a fall of BTC (index and trades 1 % lower each step): liquidations (cross and the copied lead).
  quote();
  for (const trader of traders) run(order(trader, 'BTCUSDT', 'BUY', 'MARKET', 1_500 + below(1_000)));
  run(order(lead, 'BTCUSDT', 'BUY', 'MARKET', 1_000));
  const seller = account(100_000_000n);
  let price = engine.market('BTCUSDT').markTicks;
  for (let fall = 1; fall <= 15; fall++) {
    now += 10_000;
    price = Math.round(price * 0.99);
    run({ type: 'SetIndexPrice', symbol: 'BTCUSDT', priceTicks: price });
    run({ type: 'CancelAllOrders', accountId: maker, symbol: 'BTCUSDT', scope: 'ALL' });
    run(order(maker, 'BTCUSDT', 'BUY', 'LIMIT', 20_000, price));
    // Sweeps every bid down to the new price (resting trader bids included), so the last price follows the index.
    run(order(seller, 'BTCUSDT', 'SELL', 'LIMIT', 40_000, price, 0, 'IOC'));
  }
  now += HOUR_MS;
  run({ type: 'Tick' });
  sqlite.sync();
  return { engine, entries, sqlite, accounts: [maker, ...traders, lead, follower], symbols, startMs, endMs: now };
}
