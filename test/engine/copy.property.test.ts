/**
 * Copy trading against a naive model (issue 15's property): after every lead trade, each
 * FIXED_RATIO follower's position equals the model's — the lead's size scaled by the follower's
 * ratio through the same rounding (openings: share of the new size less share of the old; closes:
 * keep the share of what the lead keeps) — except by exactly the lots a recorded CopySkipped
 * explains. Every sweep is fair (each follower's notional within one E8 unit of the sweep's
 * average; Σ lots and notional equal the sweep's trades), the command auditor passes after every
 * command, and a replay of the stream gives the same state hash.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BTCUSDT } from '../../src/core/instrument/catalog.js';
import { Engine, createOrderBook, type EngineEvent, type UnsequencedCommand } from '../../src/core/index.js';
import { scaledLots } from '../../src/core/engine/copy-math.js';
import { Harness, ofType, usd } from '../support/engine-harness.js';

const LEAD_FUNDS = '10000';

interface Scenario {
  readonly followerFunds: readonly number[];
  readonly trades: readonly { readonly buy: boolean; readonly milliBtc: number }[];
}

const scenario: fc.Arbitrary<Scenario> = fc.record({
  followerFunds: fc.array(fc.integer({ min: 10, max: 4_000 }), { minLength: 1, maxLength: 6 }),
  trades: fc.array(fc.record({ buy: fc.boolean(), milliBtc: fc.integer({ min: 1, max: 600 }) }), { minLength: 1, maxLength: 12 }),
});

function setUp(funds: readonly number[]): { h: Harness; lead: number; followers: number[] } {
  const h = new Harness([BTCUSDT]);
  const maker = h.createAccount('1000000000');
  h.index('BTCUSDT', '60000');
  // A ladder of 40 levels each side, 10 USDT apart: sweeps cross several levels.
  for (let level = 1; level <= 40; level++) {
    h.order(maker, 'BTCUSDT', 'SELL', 'LIMIT', '0.25', { price: String(60_000 + level * 10) });
    h.order(maker, 'BTCUSDT', 'BUY', 'LIMIT', '0.25', { price: String(60_000 - level * 10) });
  }
  h.advance(60_000);
  const lead = h.createAccount(LEAD_FUNDS, h.createAccount('0'));
  h.run({ type: 'OpenLeadPortfolio', accountId: lead, profitShareBps: 1000, copyCapE8: 0n, minCopyE8: 0n, maxFollowers: 0 });
  const followers = funds.map((amount) => {
    const id = h.createAccount(String(amount), h.createAccount('0'));
    h.run({
      type: 'Follow', accountId: id, leadAccountId: lead, mode: 'FIXED_RATIO', amountE8: usd(String(amount)), leverage: 0,
      slippageBps: 300, stopLossBps: 0, copyExisting: false,
    });
    return id;
  });
  return { h, lead, followers };
}

function sizeOf(h: Harness, accountId: number): number {
  return h.position(accountId, 'BTCUSDT')?.sizeLots ?? 0;
}

function expectFair(events: readonly EngineEvent[], k: bigint): void {
  const fills = ofType(events, 'CopyFill');
  const trades = ofType(events, 'Trade');
  for (const sweepId of new Set(fills.map((fill) => fill.sweepOrderId))) {
    const mine = fills.filter((fill) => fill.sweepOrderId === sweepId);
    const swept = trades.filter((trade) => trade.takerOrderId === sweepId);
    const lots = BigInt(swept.reduce((sum, trade) => sum + trade.qtyLots, 0));
    const notional = swept.reduce((sum, trade) => sum + BigInt(trade.priceTicks) * BigInt(trade.qtyLots) * k, 0n);
    expect(BigInt(mine.reduce((sum, fill) => sum + fill.qtyLots, 0))).toBe(lots);
    expect(mine.reduce((sum, fill) => sum + fill.notionalE8, 0n)).toBe(notional);
    for (const fill of mine) {
      const gap = fill.notionalE8 * lots - notional * BigInt(fill.qtyLots);
      expect(gap < lots && -gap < lots).toBe(true);
    }
  }
}

function check(s: Scenario): void {
  const { h, lead, followers } = setUp(s.followerFunds);
  const k = h.engine.market('BTCUSDT').instrument.quotePerTickLotE8;
  const ratioDen = usd(LEAD_FUNDS);
  const amounts = s.followerFunds.map((amount) => usd(String(amount)));
  const model = followers.map(() => 0);
  for (const trade of s.trades) {
    const before = sizeOf(h, lead);
    const command: UnsequencedCommand = {
      type: 'PlaceOrder', accountId: lead, symbol: 'BTCUSDT', side: trade.buy ? 'BUY' : 'SELL', orderType: 'MARKET',
      timeInForce: 'GTC', qtyLots: trade.milliBtc, priceTicks: 0, stopPriceTicks: 0, activationPriceTicks: 0, callbackRateBps: 0,
      reduceOnly: false, closePosition: false, workingType: 'CONTRACT_PRICE', priceProtect: false, stpMode: 'NONE', clientOrderId: '',
    };
    const events = h.run(command);
    const after = sizeOf(h, lead);
    expectFair(events, k);
    const skipped = ofType(events, 'CopySkipped');
    if (after === before) continue;
    const absBefore = Math.abs(before);
    const absAfter = Math.abs(after);
    const flip = before !== 0 && after !== 0 && (after > 0) !== (before > 0);
    const reduces = before !== 0 && (after === 0 || flip || absAfter < absBefore);
    const opens = after !== 0 && (before === 0 || flip || absAfter > absBefore);
    const direction = reduces ? (before > 0 ? -1 : 1) : (after > 0 ? 1 : -1);
    for (const [i, id] of followers.entries()) {
      const mine = model[i]!;
      let planned = 0;
      if (reduces && mine !== 0 && (mine > 0) === (before > 0)) {
        const keep = after === 0 || flip ? 0 : Math.floor((Math.abs(mine) * absAfter) / absBefore);
        planned += Math.abs(mine) - keep;
      }
      if (opens) planned += scaledLots(absAfter, amounts[i]!, ratioDen) - scaledLots(flip ? 0 : absBefore, amounts[i]!, ratioDen);
      const notCopied = skipped.filter((skip) => skip.accountId === id).reduce((sum, skip) => sum + skip.qtyLots, 0);
      model[i] = mine + direction * (planned - notCopied);
      expect(sizeOf(h, id), `follower ${i} after lead ${before} → ${after}`).toBe(model[i]);
    }
  }
  const replay = new Engine({ instruments: [BTCUSDT], bookFactory: createOrderBook });
  for (const command of h.commands) replay.apply(command);
  expect(replay.stateHash()).toBe(h.engine.stateHash());
}

describe('copy trading against the naive model', () => {
  it('followers equal the scaled lead within lot rounding unless a recorded skip explains it', () => {
    fc.assert(fc.property(scenario, check), { numRuns: 60, seed: 1454 });
  });

  it('a fresh seed each run', () => {
    fc.assert(fc.property(scenario, check), { numRuns: 15 });
  });
});
