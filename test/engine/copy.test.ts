/**
 * Copy trading in the engine (issue 15): lead portfolios in sub-accounts, followers in copy
 * sub-accounts, mirroring inside the lead's own command as one fair sweep, recorded skips, the
 * lead's close closing the copies, profit share on a high-water mark (Binance's worked example),
 * unfollow / removal / close, snapshots. The harness's command auditor runs after every command.
 */
import { describe, expect, it } from 'vitest';
import { BTCUSDT } from '../../src/core/instrument/catalog.js';
import { Engine, createOrderBook, type EngineEvent, type UnsequencedCommand } from '../../src/core/index.js';
import { profitToSettleE8 } from '../../src/core/engine/copy-math.js';
import { nextSettlementMs } from '../../src/core/engine/copy-state.js';
import { Harness, expectRefused, ofType, rejects, usd } from '../support/engine-harness.js';

type CopyFill = Extract<EngineEvent, { type: 'CopyFill' }>;

interface Desk {
  h: Harness;
  maker: number;
  leadMaster: number;
  lead: number;
  followers: number[];
  followerMasters: number[];
}

/** A deep book with several ask and bid levels, a lead portfolio with 10,000 USDT, and copy accounts. */
const ASKS: readonly (readonly [string, string])[] = [['60010', '0.3'], ['60020', '0.3'], ['60050', '1'], ['60100', '5']];

function desk(followerFunds: readonly string[] = ['1000', '2500', '100'], asks = ASKS): Desk {
  const h = new Harness([BTCUSDT]);
  const maker = h.createAccount('100000000');
  h.index('BTCUSDT', '60000');
  for (const [price, qty] of asks) {
    h.order(maker, 'BTCUSDT', 'SELL', 'LIMIT', qty, { price });
  }
  for (const [price, qty] of [['59990', '0.3'], ['59980', '0.3'], ['59950', '1'], ['59900', '5']] as const) {
    h.order(maker, 'BTCUSDT', 'BUY', 'LIMIT', qty, { price });
  }
  h.advance(60_000);
  const leadMaster = h.createAccount('0');
  const lead = h.createAccount('10000', leadMaster);
  const followerMasters: number[] = [];
  const followers: number[] = [];
  for (const funds of followerFunds) {
    const master = h.createAccount('0');
    followerMasters.push(master);
    followers.push(h.createAccount(funds, master));
  }
  return { h, maker, leadMaster, lead, followers, followerMasters };
}

const open = (accountId: number, profitShareBps = 1000, copyCapE8 = 0n): UnsequencedCommand =>
  ({ type: 'OpenLeadPortfolio', accountId, profitShareBps, copyCapE8, minCopyE8: 0n, maxFollowers: 0 });
const followRatio = (accountId: number, leadAccountId: number, amount: string, extra: Partial<Record<string, unknown>> = {}):
  UnsequencedCommand => ({
  type: 'Follow', accountId, leadAccountId, mode: 'FIXED_RATIO', amountE8: usd(amount), leverage: 0, slippageBps: 0, stopLossBps: 0,
  copyExisting: false, ...extra,
});
const market = (accountId: number, side: 'BUY' | 'SELL', qtyLots: number, reduceOnly = false): UnsequencedCommand => ({
  type: 'PlaceOrder', accountId, symbol: 'BTCUSDT', side, orderType: 'MARKET', timeInForce: 'GTC', qtyLots, priceTicks: 0,
  stopPriceTicks: 0, activationPriceTicks: 0, callbackRateBps: 0, reduceOnly, closePosition: false, workingType: 'CONTRACT_PRICE',
  priceProtect: false, stpMode: 'NONE', clientOrderId: '',
});

function size(h: Harness, accountId: number): number {
  return h.position(accountId, 'BTCUSDT')?.sizeLots ?? 0;
}

/** Every follower of one sweep paid its average: Σ matches the sweep, each share within one unit of exact. */
function expectFairSweep(fills: readonly CopyFill[], trades: readonly Extract<EngineEvent, { type: 'Trade' }>[], k: bigint): void {
  const sweepTrades = trades.filter((trade) => trade.takerOrderId === fills[0]!.sweepOrderId);
  const lots = sweepTrades.reduce((sum, trade) => sum + trade.qtyLots, 0);
  const notional = sweepTrades.reduce((sum, trade) => sum + BigInt(trade.priceTicks) * BigInt(trade.qtyLots) * k, 0n);
  expect(fills.reduce((sum, fill) => sum + fill.qtyLots, 0)).toBe(lots);
  expect(fills.reduce((sum, fill) => sum + fill.notionalE8, 0n)).toBe(notional);
  for (const fill of fills) {
    const exact = notional * BigInt(fill.qtyLots);
    const scaled = fill.notionalE8 * BigInt(lots);
    expect(scaled - exact < BigInt(lots) && exact - scaled < BigInt(lots)).toBe(true);
  }
}

describe('copy trading: mirroring', () => {
  it('a lead market buy is copied in the same command, FIXED_RATIO, as one sweep every follower pays the average of', () => {
    const { h, lead, followers } = desk();
    expect(rejects(h.run(open(lead)))).toEqual([]);
    for (const [i, amount] of ['1000', '2500', '100'].entries()) expect(rejects(h.run(followRatio(followers[i]!, lead, amount)))).toEqual([]);
    const events = h.run(market(lead, 'BUY', h.lots('BTCUSDT', '0.5')));
    expect(size(h, lead)).toBe(h.lots('BTCUSDT', '0.5'));
    // Ratios 1,000 / 2,500 / 100 of 10,000 → 0.05, 0.125, 0.005 BTC.
    expect(followers.map((id) => size(h, id))).toEqual(['0.05', '0.125', '0.005'].map((q) => h.lots('BTCUSDT', q)));
    const fills = ofType(events, 'CopyFill');
    expect(new Set(fills.map((fill) => fill.sweepOrderId)).size).toBe(1);
    expect(fills.map((fill) => fill.leadAccountId)).toEqual([lead, lead, lead]);
    expectFairSweep(fills, ofType(events, 'Trade'), h.engine.market('BTCUSDT').instrument.quotePerTickLotE8);
    // The sweep reached two levels (60,020 and 60,050), yet the smallest follower paid the same average as the largest.
    const average = (fill: CopyFill): number => Number(fill.notionalE8) / fill.qtyLots;
    expect(Math.abs(average(fills[0]!) - average(fills[2]!)) / average(fills[0]!)).toBeLessThan(1e-9);
    expect(fills.every((fill) => fill.feeE8 > 0n)).toBe(true);
  });

  it("the lead's partial close reduces each copy in proportion; its full close closes them", () => {
    const { h, lead, followers } = desk();
    h.run(open(lead));
    for (const [i, amount] of ['1000', '2500', '100'].entries()) h.run(followRatio(followers[i]!, lead, amount));
    h.run(market(lead, 'BUY', h.lots('BTCUSDT', '0.5')));
    h.run(market(lead, 'SELL', h.lots('BTCUSDT', '0.2')));
    // Each keeps floor(its size × 0.3 / 0.5): 0.03, 0.075, 0.003.
    expect(followers.map((id) => size(h, id))).toEqual(['0.03', '0.075', '0.003'].map((q) => h.lots('BTCUSDT', q)));
    const closing = h.run(market(lead, 'SELL', h.lots('BTCUSDT', '0.3')));
    expect(size(h, lead)).toBe(0);
    expect(followers.map((id) => size(h, id))).toEqual([0, 0, 0]);
    expect(ofType(closing, 'CopyFill').every((fill) => fill.side === 'SELL')).toBe(true);
  });

  it('a flip closes the copies and opens the other way', () => {
    const { h, lead, followers } = desk(['1000']);
    h.run(open(lead));
    h.run(followRatio(followers[0]!, lead, '1000'));
    h.run(market(lead, 'BUY', h.lots('BTCUSDT', '0.2')));
    h.run(market(lead, 'SELL', h.lots('BTCUSDT', '0.5')));
    expect(size(h, lead)).toBe(-h.lots('BTCUSDT', '0.3'));
    expect(size(h, followers[0]!)).toBe(-h.lots('BTCUSDT', '0.03'));
  });

  it('skips are recorded with a reason: rounded to zero, slippage against the lead, margin', () => {
    // One near level, then a gap: the lead takes 60,010; its copies would pay 60,500 (+0.82 %).
    const { h, lead, followers } = desk(['10', '1000', '1000', '1000'], [['60010', '0.3'], ['60500', '10']]);
    h.run(open(lead));
    h.run(followRatio(followers[0]!, lead, '10'));
    h.run(followRatio(followers[1]!, lead, '1000', { slippageBps: 10 }));
    h.run(followRatio(followers[2]!, lead, '1000', { slippageBps: 100 }));
    h.run(followRatio(followers[3]!, lead, '1000', { slippageBps: 300, leverage: 1 }));
    const events = h.run(market(lead, 'BUY', h.lots('BTCUSDT', '0.3')));
    expect(ofType(events, 'CopySkipped').map((skip) => [skip.accountId, skip.reason, skip.qtyLots])).toEqual([
      [followers[0], 'ROUNDED_TO_ZERO', 0],
      [followers[1], 'SLIPPAGE', h.lots('BTCUSDT', '0.03')],
      [followers[3], 'INSUFFICIENT_MARGIN', h.lots('BTCUSDT', '0.03')],
    ]);
    expect(followers.map((id) => size(h, id))).toEqual([0, 0, h.lots('BTCUSDT', '0.03'), 0]);
  });

  it('FIXED_AMOUNT: each lead opening buys the margin × the fixed leverage at mark; closes stay proportional', () => {
    const { h, lead, followers } = desk(['1000']);
    h.run(open(lead));
    h.run(followRatio(followers[0]!, lead, '100', { mode: 'FIXED_AMOUNT', leverage: 5 }));
    h.run(market(lead, 'BUY', h.lots('BTCUSDT', '0.1')));
    // 100 USDT × 5 / ~60,000 = 0.0083 → 0.008 BTC, at the follower's own leverage.
    expect(size(h, followers[0]!)).toBe(h.lots('BTCUSDT', '0.008'));
    expect(h.position(followers[0]!, 'BTCUSDT')!.leverage).toBe(5);
    h.run(market(lead, 'BUY', h.lots('BTCUSDT', '0.1')));
    expect(size(h, followers[0]!)).toBe(h.lots('BTCUSDT', '0.016'));
    h.run(market(lead, 'SELL', h.lots('BTCUSDT', '0.1')));
    expect(size(h, followers[0]!)).toBe(h.lots('BTCUSDT', '0.008'));
  });

  it('copyExisting copies the lead\'s open positions on joining', () => {
    const { h, lead, followers } = desk(['1000']);
    h.run(open(lead));
    h.run(market(lead, 'BUY', h.lots('BTCUSDT', '0.2')));
    h.run(followRatio(followers[0]!, lead, '1000', { copyExisting: true }));
    expect(size(h, followers[0]!)).toBe(h.lots('BTCUSDT', '0.02'));
  });

  it('a copy account places only closing orders (-9028); the lead trades as it likes', () => {
    const { h, lead, followers } = desk(['1000']);
    h.run(open(lead));
    h.run(followRatio(followers[0]!, lead, '1000'));
    expect(rejects(h.run(market(followers[0]!, 'BUY', h.lots('BTCUSDT', '0.01')))).map((r) => r.code)).toEqual([-9028]);
    h.run(market(lead, 'BUY', h.lots('BTCUSDT', '0.5')));
    expect(rejects(h.run(market(followers[0]!, 'SELL', h.lots('BTCUSDT', '0.01'), true)))).toEqual([]);
    expect(size(h, followers[0]!)).toBe(h.lots('BTCUSDT', '0.04'));
  });
});

describe('copy trading: commands refuse with stable codes and change nothing', () => {

  it('portfolio and follow rules', () => {
    const { h, maker, lead, leadMaster, followers } = desk(['1000', '5000']);
    expectRefused(h, open(maker), -9020);
    expectRefused(h, open(lead, 3001), -9023);
    const poor = h.createAccount('499', leadMaster);
    expectRefused(h, open(poor), -9022);
    expectRefused(h, followRatio(followers[0]!, lead, '100'), -9024);
    h.run(open(lead, 1000, usd('1000')));
    expectRefused(h, open(lead), -9021);
    expectRefused(h, followRatio(maker, lead, '100'), -9020);
    expectRefused(h, followRatio(followers[0]!, lead, '5'), -9026);
    // The story's cap: a copy account holding 5,000 cannot follow a portfolio capped at 1,000.
    expectRefused(h, followRatio(followers[1]!, lead, '1000'), -9026);
    expectRefused(h, followRatio(followers[0]!, lead, '100', { leverage: 11 }), -9023);
    expectRefused(h, followRatio(followers[0]!, lead, '100', { slippageBps: 5 }), -9023);
    expectRefused(h, { type: 'Unfollow', accountId: followers[0]! }, -9027);
    h.run(followRatio(followers[0]!, lead, '1000'));
    expectRefused(h, followRatio(followers[0]!, lead, '1000'), -9021);
    expectRefused(h, open(followers[0]!), -9021);
    expectRefused(h, { type: 'RemoveFollower', leadAccountId: lead, followerAccountId: followers[1]! }, -9027);
    expectRefused(h, { type: 'CloseLeadPortfolio', accountId: followers[0]! }, -9024);
  });
});

describe('copy trading: profit share', () => {
  it('settles weekly at Monday 00:00 UTC', () => {
    expect(new Date(nextSettlementMs(Date.parse('2021-05-19T12:00:00Z'))).toISOString()).toBe('2021-05-24T00:00:00.000Z');
    expect(new Date(nextSettlementMs(Date.parse('2021-05-24T00:00:00Z'))).toISOString()).toBe('2021-05-31T00:00:00.000Z');
  });

  it("reproduces Binance's four-week worked example (10 %, total PnL 200, 50, 150, 300 → settle 20, 0, 0, 10)", () => {
    let shared = 0n;
    const settled: bigint[] = [];
    for (const total of [200n, 50n, 150n, 300n]) {
      const due = profitToSettleE8(total * 100_000_000n, 1000, shared);
      settled.push(due / 100_000_000n);
      shared += due;
    }
    expect(settled).toEqual([20n, 0n, 0n, 10n]);
    expect(shared).toBe(30n * 100_000_000n);
  });

  it('the weekly settlement (Monday 00:00 UTC) pays the share of a profit to the lead master, once', () => {
    const { h, lead, leadMaster, followers } = desk(['1000']);
    h.run(open(lead, 1000));
    h.run(followRatio(followers[0]!, lead, '1000'));
    h.run(market(lead, 'BUY', h.lots('BTCUSDT', '0.5')));
    // The market rallies: the follower's 0.05 BTC gains; the lead closes at the new price.
    h.index('BTCUSDT', '63000');
    h.advance(60_000);
    h.run({ type: 'CancelAllOrders', accountId: 1, symbol: 'BTCUSDT', scope: 'ALL' });
    h.order(1, 'BTCUSDT', 'BUY', 'LIMIT', '1', { price: '62990' });
    h.run(market(lead, 'SELL', h.lots('BTCUSDT', '0.5')));
    expect(size(h, followers[0]!)).toBe(0);
    const follower = h.engine.ctx.copy.followers.get(followers[0]!)!;
    const monday = nextSettlementMs(h.now);
    const events = h.run({ type: 'Tick' }, monday);
    const [settled] = ofType(events, 'ProfitShareSettled');
    expect(settled).toMatchObject({ accountId: followers[0], leadAccountId: lead, payeeAccountId: leadMaster, outcome: 'PAID' });
    expect(settled!.totalPnlE8).toBeGreaterThan(0n);
    expect(settled!.amountE8).toBe(settled!.totalPnlE8 * 1000n / 10_000n);
    expect(follower.sharedE8).toBe(settled!.amountE8);
    expect(h.account(leadMaster).crossWalletE8).toBe(settled!.amountE8);
    // Next Monday nothing more is due: the high-water mark holds.
    const next = h.run({ type: 'Tick' }, monday + 7 * 86_400_000);
    expect(ofType(next, 'ProfitShareSettled')).toEqual([]);
  });
});

describe('copy trading: stopping', () => {
  it('unfollow closes the copy at market, settles, and returns the free balance to the master', () => {
    const { h, lead, followers, followerMasters } = desk(['1000']);
    h.run(open(lead));
    h.run(followRatio(followers[0]!, lead, '1000'));
    h.run(market(lead, 'BUY', h.lots('BTCUSDT', '0.5')));
    const events = h.run({ type: 'Unfollow', accountId: followers[0]! });
    expect(size(h, followers[0]!)).toBe(0);
    expect(ofType(events, 'FollowerChanged')[0]).toMatchObject({ accountId: followers[0], status: 'UNFOLLOWED' });
    expect(ofType(events, 'ProfitShareSettled')[0]).toMatchObject({ outcome: 'NOTHING_DUE' });
    expect(h.account(followers[0]!).crossWalletE8).toBe(0n);
    expect(h.account(followerMasters[0]!).crossWalletE8).toBeGreaterThan(usd('990'));
    // The lead's next trade copies to nobody.
    expect(ofType(h.run(market(lead, 'SELL', h.lots('BTCUSDT', '0.5'))), 'CopyFill')).toEqual([]);
  });

  it('closing the portfolio removes every follower first', () => {
    const { h, lead, followers } = desk();
    h.run(open(lead));
    for (const [i, amount] of ['1000', '2500', '100'].entries()) h.run(followRatio(followers[i]!, lead, amount));
    h.run(market(lead, 'SELL', h.lots('BTCUSDT', '0.5')));
    const events = h.run({ type: 'CloseLeadPortfolio', accountId: lead });
    expect(ofType(events, 'FollowerChanged').map((e) => e.status)).toEqual(['PORTFOLIO_CLOSED', 'PORTFOLIO_CLOSED', 'PORTFOLIO_CLOSED']);
    expect(followers.map((id) => size(h, id))).toEqual([0, 0, 0]);
    expect(ofType(events, 'LeadPortfolioChanged')[0]).toMatchObject({ accountId: lead, open: false });
    expect(h.engine.ctx.copy.portfolios.size).toBe(0);
  });
});

describe('copy trading: determinism', () => {
  it('a snapshot taken with followers restores to the same hash and copies the next trade identically', () => {
    const { h, lead, followers } = desk();
    h.run(open(lead));
    for (const [i, amount] of ['1000', '2500', '100'].entries()) h.run(followRatio(followers[i]!, lead, amount));
    h.run(market(lead, 'BUY', h.lots('BTCUSDT', '0.3')));
    const restored = new Engine({ instruments: [BTCUSDT], bookFactory: createOrderBook });
    restored.restore(h.engine.serialize());
    expect(restored.stateHash()).toBe(h.engine.stateHash());
    const next = { ...market(lead, 'BUY', h.lots('BTCUSDT', '0.2')), seq: h.seq + 1, atMs: h.now } as never;
    const theirs = restored.apply(next);
    const ours = h.run(market(lead, 'BUY', h.lots('BTCUSDT', '0.2')));
    expect(theirs).toEqual(ours);
    expect(restored.stateHash()).toBe(h.engine.stateHash());
  });
});
