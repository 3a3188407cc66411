/**
 * Sponsored accounts in the engine (issue 15): a sponsor funds its own sub-account for a trader,
 * with prop-firm loss limits (daily, static, trailing) watched at mark; a breach closes the account
 * out (REDUCE_ONLY, orders cancelled, CLOSE_OUT orders, no liquidation fee), pays the trader's share
 * of any profit and returns the rest to the sponsor. After every command the harness's command
 * auditor (who may be paid, the policy gate) and the engine's invariants (conservation among them) run.
 */
import { describe, expect, it } from 'vitest';
import { BTCUSDT } from '../../src/core/instrument/catalog.js';
import { Engine, createOrderBook, type EngineEvent, type UnsequencedCommand } from '../../src/core/index.js';
import { lossThresholdE8, nextDayStartMs } from '../../src/core/engine/sponsor-state.js';
import { Harness, expectRefused, ofType, rejects, usd } from '../support/engine-harness.js';

/** The harness, plus the engine's invariants (conservation, margins, books) after every command. */
class AuditedHarness extends Harness {
  override run(command: UnsequencedCommand, atMs = this.now): EngineEvent[] {
    const events = super.run(command, atMs);
    const violations = this.engine.checkInvariants(true);
    if (violations.length > 0) throw new Error(`invariants after seq ${this.seq}: ${violations.join('; ')}`);
    return events;
  }
}

interface Desk {
  h: Harness;
  maker: number;
  sponsor: number;
  account: number;
  trader: number;
}

interface Limits {
  traderShareBps?: number;
  dailyLossBps?: number;
  staticLossBps?: number;
  trailingLossBps?: number;
}

const sponsorCommand = (d: Pick<Desk, 'sponsor' | 'account' | 'trader'>, amount: string, limits: Limits): UnsequencedCommand => ({
  type: 'SponsorAccount', sponsorAccountId: d.sponsor, accountId: d.account, traderAccountId: d.trader, amountE8: usd(amount),
  traderShareBps: limits.traderShareBps ?? 8000, dailyLossBps: limits.dailyLossBps ?? 0, staticLossBps: limits.staticLossBps ?? 0,
  trailingLossBps: limits.trailingLossBps ?? 0,
});

/**
 * Quotes a fresh book around `price` (the maker's old orders cancelled): `depth` BTC at one tick-free
 * step either side, then moves the index there and lets the mark follow (a minute of samples).
 */
function quote(h: Harness, maker: number, price: number, bidDepth = '5'): EngineEvent[] {
  h.run({ type: 'CancelAllOrders', accountId: maker, symbol: 'BTCUSDT', scope: 'ALL' });
  h.order(maker, 'BTCUSDT', 'SELL', 'LIMIT', '5', { price: String(price + 10) });
  if (bidDepth !== '0') h.order(maker, 'BTCUSDT', 'BUY', 'LIMIT', bidDepth, { price: String(price - 10) });
  h.index('BTCUSDT', String(price));
  return h.advance(60_000);
}

/** A maker quoting 60,000; a sponsor with 50,000 USDT, its empty sub-account, and a trader. */
function desk(amount = '10000', limits: Limits = { staticLossBps: 600 }): Desk {
  const h = new AuditedHarness([BTCUSDT]);
  const maker = h.createAccount('100000000');
  h.index('BTCUSDT', '60000');
  h.order(maker, 'BTCUSDT', 'SELL', 'LIMIT', '5', { price: '60010' });
  h.order(maker, 'BTCUSDT', 'BUY', 'LIMIT', '5', { price: '59990' });
  h.advance(60_000);
  const sponsor = h.createAccount('50000');
  const account = h.createAccount('0', sponsor);
  const trader = h.createAccount('0');
  const d = { h, maker, sponsor, account, trader };
  expect(rejects(h.run(sponsorCommand(d, amount, limits)))).toEqual([]);
  return d;
}

const buy = (accountId: number, qtyLots: number): UnsequencedCommand => ({
  type: 'PlaceOrder', accountId, symbol: 'BTCUSDT', side: 'BUY', orderType: 'MARKET', timeInForce: 'GTC', qtyLots, priceTicks: 0,
  stopPriceTicks: 0, activationPriceTicks: 0, callbackRateBps: 0, reduceOnly: false, closePosition: false, workingType: 'CONTRACT_PRICE',
  priceProtect: false, stpMode: 'NONE', clientOrderId: '',
});

function size(h: Harness, accountId: number): number {
  return h.position(accountId, 'BTCUSDT')?.sizeLots ?? 0;
}

/** Everything a close-out must show: no liquidation, no fund move, CLOSE_OUT orders, flat, settled, standing lifted. */
function expectClosedOut(d: Desk, events: readonly EngineEvent[], fundBefore: bigint): Extract<EngineEvent, { type: 'SponsorshipSettled' }> {
  const { h, account, sponsor, trader } = d;
  expect(ofType(events, 'Liquidation')).toEqual([]);
  expect(ofType(events, 'InsuranceFundChanged')).toEqual([]);
  expect(h.engine.ctx.insuranceFundE8).toBe(fundBefore);
  const closes = ofType(events, 'OrderUpdate').filter((update) => update.order.accountId === account && update.execution === 'TRADE');
  expect(closes.length).toBeGreaterThan(0);
  expect(closes.every((update) => update.order.origin === 'CLOSE_OUT' && update.order.reduceOnly)).toBe(true);
  expect(size(h, account)).toBe(0);
  const standings = ofType(events, 'AccountPolicyChanged').filter((change) => change.accountId === account).map((c) => c.status);
  expect(standings).toEqual(['REDUCE_ONLY', 'ACTIVE']);
  const [settled] = ofType(events, 'SponsorshipSettled');
  expect(settled).toMatchObject({ accountId: account, sponsorAccountId: sponsor, traderAccountId: trader });
  expect(settled!.traderE8 + settled!.sponsorE8).toBe(settled!.balanceE8);
  expect(h.account(account).crossWalletE8).toBe(0n);
  expect(h.engine.sponsorship(account)).toBeUndefined();
  return settled!;
}

describe('sponsored accounts: loss limits watched at mark', () => {
  it('static limit: a mark move past 6 % of the initial balance closes out, and the rest goes back to the sponsor', () => {
    const d = desk('10000', { staticLossBps: 600 });
    const { h, maker, sponsor, account, trader } = d;
    expect(h.account(account).crossWalletE8).toBe(usd('10000'));
    expect(h.account(sponsor).crossWalletE8).toBe(usd('40000'));
    h.run(buy(account, h.lots('BTCUSDT', '1')));
    // A resting order of the trader's, cancelled by the close-out.
    h.order(account, 'BTCUSDT', 'BUY', 'LIMIT', '0.1', { price: '57000' });
    // 59,500: about −535 USDT, above the 9,400 threshold.
    const calm = quote(h, maker, 59_500);
    expect(ofType(calm, 'SponsorLimitBreached')).toEqual([]);
    expect(h.engine.sponsorship(account)!.limits).toEqual([{ limit: 'STATIC', baseE8: usd('10000'), thresholdE8: usd('9400') }]);
    const fund = h.engine.ctx.insuranceFundE8;
    const sponsorBefore = h.account(sponsor).crossWalletE8;
    const events = quote(h, maker, 59_300);
    const [breach] = ofType(events, 'SponsorLimitBreached');
    expect(breach).toMatchObject({ accountId: account, limit: 'STATIC', thresholdE8: usd('9400'), baseE8: usd('10000') });
    expect(breach!.equityE8 <= usd('9400')).toBe(true);
    expect(ofType(events, 'SponsorshipChanged').map((c) => [c.status, c.reason])).toEqual([['CLOSING', 'STATIC_LOSS'],
      ['SETTLED', 'STATIC_LOSS']]);
    const cancelled = ofType(events, 'OrderUpdate').filter((u) => u.order.accountId === account && u.execution === 'CANCELED');
    expect(cancelled.map((u) => u.reason)).toEqual(['POLICY']);
    const settled = expectClosedOut(d, events, fund);
    expect(settled.profitE8).toBe(0n);
    expect(settled.traderE8).toBe(0n);
    expect(h.account(trader).crossWalletE8).toBe(0n);
    expect(h.account(sponsor).crossWalletE8).toBe(sponsorBefore + settled.balanceE8);
    // The close paid the taker fee on its fills, not a liquidation fee.
    expect(settled.balanceE8 > usd('9200') && settled.balanceE8 < usd('9400')).toBe(true);
  });

  it('daily limit: measured from the equity at 00:00 UTC; the same price breaches only after the day reset', () => {
    const d = desk('10000', { dailyLossBps: 400 });
    const { h, maker, account } = d;
    h.run(buy(account, h.lots('BTCUSDT', '1')));
    quote(h, maker, 61_000);
    // 60,500 is +~465 on the initial balance: inside the day's 4 % (base 10,000).
    expect(ofType(quote(h, maker, 60_500), 'SponsorLimitBreached')).toEqual([]);
    quote(h, maker, 61_000);
    const midnight = nextDayStartMs(h.now);
    const dayEvents = h.run({ type: 'Tick' }, midnight);
    const [day] = ofType(dayEvents, 'SponsorDayStarted');
    expect(day).toMatchObject({ accountId: account });
    expect(day!.dayStartEquityE8 > usd('10900')).toBe(true);
    expect(h.engine.sponsorship(account)!.dayStartE8).toBe(day!.dayStartEquityE8);
    // The next day starts a day later: one timer, re-armed.
    expect(h.engine.ctx.sponsor.dayStartAtMs).toBe(midnight + 86_400_000);
    const events = quote(h, maker, 60_500);
    const [breach] = ofType(events, 'SponsorLimitBreached');
    expect(breach).toMatchObject({ limit: 'DAILY', baseE8: day!.dayStartEquityE8, thresholdE8: lossThresholdE8(day!.dayStartEquityE8, 400) });
    expect(ofType(events, 'SponsorshipSettled')).toHaveLength(1);
  });

  it('trailing limit: the high-water mark rises with equity at mark; a 5 % fall from the high breaches, and the profit is split', () => {
    const d = desk('10000', { trailingLossBps: 500, traderShareBps: 8000 });
    const { h, maker, account, trader, sponsor } = d;
    h.run(buy(account, h.lots('BTCUSDT', '1')));
    quote(h, maker, 62_000);
    const high = h.engine.sponsorship(account)!.highWaterE8;
    expect(high > usd('11900')).toBe(true);
    // 61,500: ~500 below the high, under the 5 % (~598) of it.
    expect(ofType(quote(h, maker, 61_500), 'SponsorLimitBreached')).toEqual([]);
    expect(h.engine.sponsorship(account)!.highWaterE8).toBe(high);
    const fund = h.engine.ctx.insuranceFundE8;
    const sponsorBefore = h.account(sponsor).crossWalletE8;
    const events = quote(h, maker, 61_300);
    const [breach] = ofType(events, 'SponsorLimitBreached');
    expect(breach).toMatchObject({ limit: 'TRAILING', baseE8: high, thresholdE8: lossThresholdE8(high, 500) });
    const settled = expectClosedOut(d, events, fund);
    expect(settled.profitE8).toBe(settled.balanceE8 - usd('10000'));
    expect(settled.profitE8 > 0n).toBe(true);
    expect(settled.traderE8).toBe(settled.profitE8 * 8000n / 10_000n);
    expect(h.account(trader).crossWalletE8).toBe(settled.traderE8);
    expect(h.account(sponsor).crossWalletE8).toBe(sponsorBefore + settled.sponsorE8);
  });

  it('a thin book: the close-out stays REDUCE_ONLY and retries at each mark sample until flat, then settles', () => {
    const d = desk('10000', { staticLossBps: 600 });
    const { h, maker, account } = d;
    h.run(buy(account, h.lots('BTCUSDT', '1')));
    h.order(account, 'BTCUSDT', 'BUY', 'LIMIT', '0.1', { price: '57000' });
    quote(h, maker, 59_600);
    // The bids thin out to 0.4 BTC as the market falls through the limit; the next bids sit below
    // the market-order protection band (mark − 5 %), out of the close-out's reach.
    h.run({ type: 'CancelAllOrders', accountId: maker, symbol: 'BTCUSDT', scope: 'ALL' });
    h.order(maker, 'BTCUSDT', 'SELL', 'LIMIT', '5', { price: '59310' });
    h.order(maker, 'BTCUSDT', 'BUY', 'LIMIT', '0.4', { price: '59290' });
    h.order(maker, 'BTCUSDT', 'BUY', 'LIMIT', '5', { price: '56000' });
    h.index('BTCUSDT', '59300');
    const events = h.advance(60_000);
    expect(ofType(events, 'SponsorLimitBreached')).toHaveLength(1);
    expect(size(h, account)).toBe(h.lots('BTCUSDT', '0.6'));
    expect(h.engine.sponsorship(account)!.status).toBe('CLOSING');
    expect(h.engine.accountStanding(account)!.status).toBe('REDUCE_ONLY');
    expect(h.engine.openOrders(account)).toEqual([]);
    // The trader may not open; the sponsor may not end it twice.
    expect(rejects(h.run(buy(account, h.lots('BTCUSDT', '0.1')))).map((r) => r.code)).toEqual([-9012]);
    expect(rejects(h.run({ type: 'EndSponsorship', sponsorAccountId: d.sponsor, accountId: account })).map((r) => r.code))
      .toEqual([-9034]);
    h.advance(300_000);
    const mark = h.engine.market('BTCUSDT').markTicks;
    // Bids come back; the mark does not move at the next sample, yet the close-out retries.
    h.order(maker, 'BTCUSDT', 'BUY', 'LIMIT', '1', { price: '59280' });
    const retry = h.advance(1_000);
    expect(h.engine.market('BTCUSDT').markTicks).toBe(mark);
    expect(size(h, account)).toBe(0);
    expect(ofType(retry, 'SponsorshipSettled')).toHaveLength(1);
    expect(h.engine.accountStanding(account)!.status).toBe('ACTIVE');
  });

  it('a gap past bankruptcy: the close-out sends nothing it cannot pay for; the liquidation engine closes, then it settles', () => {
    const d = desk('10000', { staticLossBps: 600 });
    const { h, maker, account, sponsor } = d;
    h.run({ type: 'FundInsurance', amountE8: usd('100000') });
    h.run(buy(account, h.lots('BTCUSDT', '1')));
    const sponsorBefore = h.account(sponsor).crossWalletE8;
    // One mark move from 60,000 to 49,000: the bids sit below the position's bankruptcy price (~50,035).
    const events = quote(h, maker, 49_000);
    expect(ofType(events, 'SponsorLimitBreached').map((b) => b.limit)).toEqual(['STATIC']);
    expect(ofType(events, 'OrderUpdate').filter((u) => u.order.origin === 'CLOSE_OUT')).toEqual([]);
    expect(ofType(events, 'Liquidation').map((l) => l.accountId)).toEqual([account]);
    expect(size(h, account)).toBe(0);
    const [settled] = ofType(events, 'SponsorshipSettled');
    expect(settled).toMatchObject({ balanceE8: 0n, traderE8: 0n, sponsorE8: 0n });
    expect(h.account(sponsor).crossWalletE8).toBe(sponsorBefore);
    expect(h.engine.accountStanding(account)!.status).toBe('ACTIVE');
  });

  it('only sponsored accounts are checked: an unsponsored account with the same loss is left alone', () => {
    const d = desk('10000', { staticLossBps: 600 });
    const { h, maker, sponsor } = d;
    const other = h.createAccount('0', sponsor);
    h.run({ type: 'SubAccountTransfer', byAccountId: sponsor, fromAccountId: sponsor, toAccountId: other, amountE8: usd('10000') });
    h.run(buy(other, h.lots('BTCUSDT', '1')));
    const events = quote(h, maker, 59_300);
    expect(ofType(events, 'SponsorLimitBreached').map((b) => b.accountId)).toEqual([]);
    expect(size(h, other)).toBe(h.lots('BTCUSDT', '1'));
  });
});

describe('sponsored accounts: the sponsor ends it', () => {
  it('EndSponsorship closes at market and splits the profit: 70 % to the trader, the rest to the sponsor', () => {
    const d = desk('10000', { traderShareBps: 7000, dailyLossBps: 400, staticLossBps: 600 });
    const { h, maker, sponsor, account, trader } = d;
    h.run(buy(account, h.lots('BTCUSDT', '1')));
    quote(h, maker, 61_000);
    const fund = h.engine.ctx.insuranceFundE8;
    const sponsorBefore = h.account(sponsor).crossWalletE8;
    const events = h.run({ type: 'EndSponsorship', sponsorAccountId: sponsor, accountId: account });
    expect(ofType(events, 'SponsorLimitBreached')).toEqual([]);
    expect(ofType(events, 'SponsorshipChanged').map((c) => c.reason)).toEqual(['ENDED_BY_SPONSOR', 'ENDED_BY_SPONSOR']);
    const settled = expectClosedOut(d, events, fund);
    // Bought at 60,010 (fee 30.005), sold at 60,990 (fee 30.495): +919.5 USDT.
    expect(settled.balanceE8).toBe(usd('10919.5'));
    expect(settled.profitE8).toBe(usd('919.5'));
    expect(settled.traderE8).toBe(usd('643.65'));
    expect(settled.sponsorE8).toBe(usd('10275.85'));
    expect(h.account(trader).crossWalletE8).toBe(usd('643.65'));
    expect(h.account(sponsor).crossWalletE8).toBe(sponsorBefore + usd('10275.85'));
    // Empty and active again: the sponsor may fund it anew.
    expect(rejects(h.run(sponsorCommand(d, '5000', { staticLossBps: 600 })))).toEqual([]);
  });
});

describe('sponsored accounts: commands refuse with stable codes and change nothing', () => {

  it('sponsoring, ending, and money in or out of a sponsored account', () => {
    const d = desk('10000', { staticLossBps: 600 });
    const { h, maker, sponsor, account, trader } = d;
    const spare = h.createAccount('0', sponsor);
    const funded = h.createAccount('0', sponsor);
    h.run({ type: 'SubAccountTransfer', byAccountId: sponsor, fromAccountId: sponsor, toAccountId: funded, amountE8: usd('10') });
    const traderSub = h.createAccount('0', trader);
    const base = { sponsor, account: spare, trader };
    expectRefused(h, sponsorCommand({ ...base, account: traderSub }, '100', {}), -9031);
    expectRefused(h, sponsorCommand({ ...base, trader: sponsor }, '100', {}), -9031);
    expectRefused(h, sponsorCommand({ ...base, trader: traderSub }, '100', {}), -9031);
    expectRefused(h, sponsorCommand({ ...base, sponsor: spare, account: traderSub }, '100', {}), -9031);
    expectRefused(h, sponsorCommand(base, '100', { dailyLossBps: 10_001 }), -9033);
    expectRefused(h, sponsorCommand(base, '100', { traderShareBps: -1 }), -9033);
    expectRefused(h, sponsorCommand(base, '0', {}), -9003);
    expectRefused(h, sponsorCommand(base, '40000', {}), -2018);
    expectRefused(h, sponsorCommand({ ...base, account: funded }, '100', {}), -9032);
    expectRefused(h, sponsorCommand({ sponsor, account, trader }, '100', {}), -9032);
    expectRefused(h, { ...sponsorCommand(base, '100', {}), sponsorAccountId: 999 } as UnsequencedCommand, -9002);
    // Money moves into or out of the sponsored account only through its sponsorship.
    expectRefused(h, { type: 'Withdraw', accountId: account, amountE8: usd('1') }, -9030);
    expectRefused(h, { type: 'Deposit', accountId: account, amountE8: usd('1') }, -9030);
    expectRefused(h, { type: 'Transfer', fromAccountId: account, toAccountId: trader, amountE8: usd('1') }, -9030);
    expectRefused(h, { type: 'Transfer', fromAccountId: maker, toAccountId: account, amountE8: usd('1') }, -9030);
    expectRefused(h, { type: 'SubAccountTransfer', byAccountId: account, fromAccountId: account, toAccountId: sponsor, amountE8: usd('1') }, -9030);
    expectRefused(h, { type: 'SubAccountTransfer', byAccountId: sponsor, fromAccountId: account, toAccountId: sponsor, amountE8: usd('1') }, -9030);
    expectRefused(h, { type: 'SubAccountTransfer', byAccountId: sponsor, fromAccountId: sponsor, toAccountId: account, amountE8: usd('1') }, -9030);
    // Ending: only its sponsor, only while active.
    expectRefused(h, { type: 'EndSponsorship', sponsorAccountId: trader, accountId: account }, -9034);
    expectRefused(h, { type: 'EndSponsorship', sponsorAccountId: sponsor, accountId: spare }, -9034);
    // A sponsored account neither leads nor copies a portfolio.
    expectRefused(h, { type: 'OpenLeadPortfolio', accountId: account, profitShareBps: 1000, copyCapE8: 0n, minCopyE8: 0n, maxFollowers: 0 },
      -9021);
  });
});

describe('sponsored accounts: thresholds and bounds', () => {
  it('a limit is reached exactly when the loss reaches base × bps / 10,000 (no rounding in the trader\'s favour)', () => {
    expect(lossThresholdE8(usd('10000'), 600)).toBe(usd('9400'));
    // 1 % of 333 units is 3.33: a loss of 4 reaches it (equity 329), a loss of 3 does not.
    expect(lossThresholdE8(333n, 100)).toBe(329n);
    expect(lossThresholdE8(usd('10000'), 10_000)).toBe(0n);
  });

  it('the venue bounds how many accounts are sponsored at once (-9035)', () => {
    const engine = new Engine({ instruments: [BTCUSDT], bookFactory: createOrderBook, limits: { maxSponsoredAccounts: 1 } });
    let seq = 0;
    const run = (command: UnsequencedCommand): EngineEvent[] => engine.apply({ ...command, seq: ++seq, atMs: 1_000 });
    for (const parentAccountId of [0, 1, 1, 0]) run({ type: 'CreateAccount', parentAccountId });
    run({ type: 'Deposit', accountId: 1, amountE8: usd('1000') });
    expect(rejects(run(sponsorCommand({ sponsor: 1, account: 2, trader: 4 }, '100', {})))).toEqual([]);
    expect(rejects(run(sponsorCommand({ sponsor: 1, account: 3, trader: 4 }, '100', {}))).map((r) => r.code)).toEqual([-9035]);
  });
});

describe('sponsored accounts: snapshots', () => {
  it('a snapshot mid-sponsorship restores to the same hash and gives the same later events', () => {
    const d = desk('10000', { dailyLossBps: 400, staticLossBps: 600, trailingLossBps: 500 });
    const { h, maker, account } = d;
    h.run(buy(account, h.lots('BTCUSDT', '1')));
    quote(h, maker, 61_500);
    h.run({ type: 'Tick' }, nextDayStartMs(h.now) + 5_000);
    const restored = new Engine({ instruments: [BTCUSDT], bookFactory: createOrderBook });
    restored.restore(h.engine.serialize());
    expect(restored.stateHash()).toBe(h.engine.stateHash());
    expect(restored.sponsorship(account)).toEqual(h.engine.sponsorship(account));
    const fromCommand = h.commands.length;
    const fromEvent = h.log.length;
    quote(h, maker, 61_000);
    quote(h, maker, 60_200);
    const replayed: EngineEvent[] = [];
    for (const command of h.commands.slice(fromCommand)) replayed.push(...restored.apply(command));
    expect(replayed).toEqual(h.log.slice(fromEvent));
    expect(ofType(replayed, 'SponsorLimitBreached')).toHaveLength(1);
    expect(restored.stateHash()).toBe(h.engine.stateHash());
  });

  it('an engine that never sponsored writes no sponsor section', () => {
    const h = new Harness([BTCUSDT]);
    h.createAccount('100');
    const bytes = new TextDecoder('latin1').decode(h.engine.serialize());
    expect(bytes.includes('sponsor')).toBe(false);
    const d = desk();
    expect(new TextDecoder('latin1').decode(d.h.engine.serialize()).includes('sponsor')).toBe(true);
  });
});
