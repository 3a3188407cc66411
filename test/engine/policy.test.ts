/**
 * The policy gate (issue 13 §4): account standing, leverage caps, cool-offs and dated
 * jurisdiction rules set by journaled commands and enforced before every state-changing action,
 * timers that fire at their instant and survive a snapshot, and the account hierarchy. Every
 * refusal carries its stable code and leaves the state hash unchanged; the harness's command
 * auditor checks after every command that no refused account's position grew.
 */
import { describe, expect, it } from 'vitest';
import { BTCUSDT } from '../../src/core/instrument/catalog.js';
import { Engine, createOrderBook, type Command, type UnsequencedCommand } from '../../src/core/index.js';
import { Harness, expectRefused, ofType, rejects, usd } from '../support/engine-harness.js';

const HOUR = 3_600_000;

function desk(): { h: Harness; maker: number; trader: number } {
  const h = new Harness([BTCUSDT]);
  const maker = h.createAccount('10000000');
  const trader = h.createAccount('10000');
  h.index('BTCUSDT', '60000');
  h.order(maker, 'BTCUSDT', 'BUY', 'LIMIT', '5', { price: '59990' });
  h.order(maker, 'BTCUSDT', 'SELL', 'LIMIT', '5', { price: '60010' });
  h.advance(60_000);
  return { h, maker, trader };
}

/**
 * Runs a command that must be refused with `code`. Nothing may change: a twin engine that got a
 * Tick in its place (same sequence and time) must end with the same state hash.
 */

const policy = (accountId: number, status: 'ACTIVE' | 'REDUCE_ONLY' | 'CLOSED', leverageCap = 0, jurisdiction = ''):
  UnsequencedCommand => ({ type: 'SetAccountPolicy', accountId, status, leverageCap, jurisdiction, source: 'test rule' });

const buy = (accountId: number, qtyLots: number, reduceOnly = false): UnsequencedCommand => ({
  type: 'PlaceOrder', accountId, symbol: 'BTCUSDT', side: 'BUY', orderType: 'MARKET', timeInForce: 'GTC', qtyLots,
  priceTicks: 0, stopPriceTicks: 0, activationPriceTicks: 0, callbackRateBps: 0, reduceOnly, closePosition: false,
  workingType: 'CONTRACT_PRICE', priceProtect: false, stpMode: 'NONE', clientOrderId: '',
});
const sell = (accountId: number, qtyLots: number, reduceOnly = false): UnsequencedCommand =>
  ({ ...buy(accountId, qtyLots, reduceOnly), side: 'SELL' } as UnsequencedCommand);

describe('account standing', () => {
  it('REDUCE_ONLY: openings refused (-9012), resting openings cancelled, reductions and withdrawals pass', () => {
    const { h, trader } = desk();
    h.run(buy(trader, h.lots('BTCUSDT', '0.1')));
    h.order(trader, 'BTCUSDT', 'BUY', 'LIMIT', '0.05', { price: '59000' });
    const events = h.run(policy(trader, 'REDUCE_ONLY'));
    expect(ofType(events, 'AccountPolicyChanged')[0]).toMatchObject({ accountId: trader, status: 'REDUCE_ONLY', source: 'test rule' });
    const cancelled = ofType(events, 'OrderUpdate');
    expect(cancelled.map((e) => [e.execution, e.reason, e.order.status])).toEqual([['CANCELED', 'POLICY', 'CANCELED']]);
    expectRefused(h, buy(trader, h.lots('BTCUSDT', '0.01')), -9012);
    expectRefused(h, { type: 'SetLeverage', accountId: trader, symbol: 'BTCUSDT', leverage: 25 }, -9012);
    expect(rejects(h.run({ type: 'SetLeverage', accountId: trader, symbol: 'BTCUSDT', leverage: 10 }))).toEqual([]);
    expect(rejects(h.run(sell(trader, h.lots('BTCUSDT', '0.04'), true)))).toEqual([]);
    expect(h.position(trader, 'BTCUSDT')!.sizeLots).toBe(h.lots('BTCUSDT', '0.06'));
    expect(rejects(h.run({ type: 'Withdraw', accountId: trader, amountE8: usd('100') }))).toEqual([]);
  });

  it('CLOSED: openings refused (-9013), no money in, reductions and money out pass', () => {
    const { h, maker, trader } = desk();
    h.run(buy(trader, h.lots('BTCUSDT', '0.1')));
    h.run(policy(trader, 'CLOSED'));
    expectRefused(h, buy(trader, h.lots('BTCUSDT', '0.01')), -9013);
    expectRefused(h, { type: 'Transfer', fromAccountId: maker, toAccountId: trader, amountE8: usd('1') }, -9013);
    expectRefused(h, { type: 'SetMarginType', accountId: trader, symbol: 'ETHUSDT', marginType: 'ISOLATED' }, -1121);
    expect(rejects(h.run(sell(trader, h.lots('BTCUSDT', '0.1'), true)))).toEqual([]);
    expectRefused(h, { type: 'SetMarginType', accountId: trader, symbol: 'BTCUSDT', marginType: 'ISOLATED' }, -9013);
    expect(rejects(h.run({ type: 'Transfer', fromAccountId: trader, toAccountId: maker, amountE8: usd('1') }))).toEqual([]);
  });

  it('a leverage cap: new positions start at the cap, leverage above it is refused (-9014)', () => {
    const { h, trader } = desk();
    h.run(policy(trader, 'ACTIVE', 10));
    expect(rejects(h.run(buy(trader, h.lots('BTCUSDT', '0.1'))))).toEqual([]);
    expect(h.position(trader, 'BTCUSDT')!.leverage).toBe(10);
    expectRefused(h, { type: 'SetLeverage', accountId: trader, symbol: 'BTCUSDT', leverage: 11 }, -9014);
    expect(rejects(h.run({ type: 'SetLeverage', accountId: trader, symbol: 'BTCUSDT', leverage: 5 }))).toEqual([]);
  });

  it('a cap lowered below a position: it may shrink, not grow; its resting and stop openings end', () => {
    const { h, trader } = desk();
    h.run({ type: 'SetLeverage', accountId: trader, symbol: 'BTCUSDT', leverage: 50 });
    h.run(buy(trader, h.lots('BTCUSDT', '0.1')));
    expect(rejects(h.order(trader, 'BTCUSDT', 'BUY', 'STOP_MARKET', '0.01', { stopPrice: '60020' }))).toEqual([]);
    expect(rejects(h.order(trader, 'BTCUSDT', 'BUY', 'LIMIT', '0.01', { price: '59000' }))).toEqual([]);
    expect(rejects(h.order(trader, 'BTCUSDT', 'SELL', 'LIMIT', '0.01', { price: '61000', reduceOnly: true }))).toEqual([]);
    const capped = ofType(h.run(policy(trader, 'ACTIVE', 20)), 'OrderUpdate');
    expect(capped.map((e) => [e.order.orderType, e.execution, e.reason])).toEqual([
      ['STOP_MARKET', 'CANCELED', 'POLICY'], ['LIMIT', 'CANCELED', 'POLICY']]);
    expect(h.engine.openOrders(trader, 'BTCUSDT').map((o) => o.reduceOnly)).toEqual([true]);
    expectRefused(h, buy(trader, h.lots('BTCUSDT', '0.01')), -9014);
    expect(rejects(h.run(sell(trader, h.lots('BTCUSDT', '0.05'), true)))).toEqual([]);
    expect(h.position(trader, 'BTCUSDT')!.sizeLots).toBe(h.lots('BTCUSDT', '0.05'));
  });

  it('refuses malformed policies with -1130 (invalid parameter) and changes nothing', () => {
    const { h, trader } = desk();
    expectRefused(h, policy(trader, 'ACTIVE', 126), -1130);
    expectRefused(h, { ...policy(trader, 'ACTIVE'), status: 'FROZEN' } as unknown as UnsequencedCommand, -1130);
    expectRefused(h, policy(trader, 'ACTIVE', 0, 'X'.repeat(17)), -1130);
    expectRefused(h, policy(999, 'ACTIVE'), -9002);
  });
});

describe('cool-off', () => {
  it('only while flat; locks trading until its timer fires, across a snapshot', () => {
    const { h, trader } = desk();
    h.order(trader, 'BTCUSDT', 'BUY', 'LIMIT', '0.01', { price: '59000' });
    expectRefused(h, { type: 'StartCoolOff', accountId: trader, untilMs: h.now + HOUR }, -9016);
    h.run({ type: 'CancelAllOrders', accountId: trader, symbol: 'BTCUSDT', scope: 'ALL' });
    const until = h.now + 24 * HOUR;
    expect(ofType(h.run({ type: 'StartCoolOff', accountId: trader, untilMs: until }), 'AccountPolicyChanged')[0]!.coolOffUntilMs)
      .toBe(until);
    expectRefused(h, buy(trader, h.lots('BTCUSDT', '0.01')), -9015);
    expectRefused(h, { type: 'StartCoolOff', accountId: trader, untilMs: until - 1 }, -9015);
    // Restore into a fresh engine: the timer is state and still fires.
    const restored = new Engine({ instruments: [BTCUSDT], bookFactory: createOrderBook });
    restored.restore(h.engine.serialize());
    expect(restored.stateHash()).toBe(h.engine.stateHash());
    for (const engine of [h.engine, restored]) {
      const tick = { type: 'Tick', seq: h.seq + 1, atMs: until + 1 } as Command;
      const ended = ofType(engine.apply(tick), 'AccountPolicyChanged');
      expect(ended.map((e) => [e.accountId, e.coolOffUntilMs])).toEqual([[trader, 0]]);
    }
    expect(restored.stateHash()).toBe(h.engine.stateHash());
  });
});

describe('jurisdiction rules', () => {
  it('a dated rule binds from its time on: resting openings cancelled at that instant, later openings refused', () => {
    const { h, trader } = desk();
    h.run(policy(trader, 'ACTIVE', 0, 'XX'));
    const from = h.now + HOUR;
    h.run({ type: 'SetJurisdictionPolicy', jurisdiction: 'XX', status: 'REDUCE_ONLY', leverageCap: 5, effectiveFromMs: from,
      source: 'XX regulator notice 2026-7' });
    h.order(trader, 'BTCUSDT', 'BUY', 'LIMIT', '0.01', { price: '59000' });
    expect(rejects(h.run(buy(trader, h.lots('BTCUSDT', '0.01'))))).toEqual([]);
    const later = h.advance(2 * HOUR);
    const cancelled = ofType(later, 'OrderUpdate').filter((e) => e.reason === 'POLICY');
    expect(cancelled).toHaveLength(1);
    expect(cancelled[0]!.order.updatedAtMs).toBe(from);
    expectRefused(h, buy(trader, h.lots('BTCUSDT', '0.01')), -9012);
    expectRefused(h, { type: 'SetLeverage', accountId: trader, symbol: 'BTCUSDT', leverage: 6 }, -9014);
    // The account's own ACTIVE does not override its jurisdiction: the stricter standing wins.
    expect(h.engine.ctx.account(trader).policy.status).toBe('ACTIVE');
  });
});

describe('account hierarchy', () => {
  it('a master moves money within its family, a sub-account only to its master; one level deep', () => {
    const h = new Harness([BTCUSDT]);
    const master = h.createAccount('1000');
    const sub = h.createAccount('0', master);
    const sibling = h.createAccount('0', master);
    const stranger = h.createAccount('1000');
    expectRefused(h, { type: 'CreateAccount', parentAccountId: sub }, -9017);
    const move = (by: number, from: number, to: number, amount = '10'): UnsequencedCommand =>
      ({ type: 'SubAccountTransfer', byAccountId: by, fromAccountId: from, toAccountId: to, amountE8: usd(amount) });
    expect(rejects(h.run(move(master, master, sub, '100')))).toEqual([]);
    expect(rejects(h.run(move(master, sub, sibling)))).toEqual([]);
    expect(rejects(h.run(move(sub, sub, master)))).toEqual([]);
    expectRefused(h, move(sub, sub, sibling), -9017);
    expectRefused(h, move(sub, master, sub), -9017);
    expectRefused(h, move(stranger, master, sub), -9017);
    expectRefused(h, move(master, master, stranger), -9017);
    expectRefused(h, move(master, sub, master, '1000'), -2018);
    expect([master, sub, sibling].map((id) => h.account(id).crossWalletE8)).toEqual([usd('910'), usd('80'), usd('10')]);
    // Replay enforces it: the same commands on a fresh engine give the same state.
    const replay = new Engine({ instruments: [BTCUSDT], bookFactory: createOrderBook });
    for (const command of h.commands) replay.apply(command);
    expect(replay.stateHash()).toBe(h.engine.stateHash());
  });
});


describe('venue-wide protections', () => {
  const venue = (rules: Partial<{ newAccountLeverageCap: number; newAccountDays: number; requireAppropriateness: boolean;
    highLeverageAckAbove: number }>): UnsequencedCommand => ({
    type: 'SetVenuePolicy', newAccountLeverageCap: 0, newAccountDays: 0, requireAppropriateness: false, highLeverageAckAbove: 0,
    source: 'venue rules 2026-12', ...rules,
  });

  it('P8: openings need a passed appropriateness test; resting openings of those without end', () => {
    const { h, trader } = desk();
    h.run(buy(trader, h.lots('BTCUSDT', '0.1')));
    h.order(trader, 'BTCUSDT', 'BUY', 'LIMIT', '0.01', { price: '59000' });
    const events = h.run(venue({ requireAppropriateness: true }));
    expect(ofType(events, 'VenuePolicyChanged')[0]).toMatchObject({ requireAppropriateness: true, source: 'venue rules 2026-12' });
    // Every account without the test loses its openings, the maker's quotes included.
    expect(ofType(events, 'OrderUpdate').every((e) => e.reason === 'POLICY' && e.execution === 'CANCELED')).toBe(true);
    expect(h.engine.openOrders(trader, 'BTCUSDT')).toEqual([]);
    expectRefused(h, buy(trader, h.lots('BTCUSDT', '0.01')), -9018);
    h.order(h.createAccount('0'), 'BTCUSDT', 'BUY', 'LIMIT', '0.01', { price: '59000' });
    h.run({ type: 'RecordAcknowledgement', accountId: 1, kind: 'APPROPRIATENESS' });
    h.order(1, 'BTCUSDT', 'BUY', 'LIMIT', '1', { price: '59990' });
    expect(rejects(h.run(sell(trader, h.lots('BTCUSDT', '0.05'), true)))).toEqual([]);
    expect(ofType(h.run({ type: 'RecordAcknowledgement', accountId: trader, kind: 'APPROPRIATENESS' }), 'AcknowledgementRecorded'))
      .toHaveLength(1);
    h.order(1, 'BTCUSDT', 'SELL', 'LIMIT', '1', { price: '60010' });
    expect(rejects(h.run(buy(trader, h.lots('BTCUSDT', '0.01'))))).toEqual([]);
  });

  it('P3: accounts younger than the period are capped (-9014) until they are old enough', () => {
    const { h, trader } = desk();
    h.run(venue({ newAccountLeverageCap: 20, newAccountDays: 60 }));
    expectRefused(h, { type: 'SetLeverage', accountId: trader, symbol: 'BTCUSDT', leverage: 21 }, -9014);
    expect(h.engine.accountStanding(trader)!.leverageCap).toBe(20);
    h.advance(60 * 86_400_000);
    expect(h.engine.accountStanding(trader)!.leverageCap).toBe(0);
    expect(rejects(h.run({ type: 'SetLeverage', accountId: trader, symbol: 'BTCUSDT', leverage: 50 }))).toEqual([]);
  });

  it('P12: leverage above the threshold needs an acknowledgement (-9019); lowering never does', () => {
    const { h, trader } = desk();
    h.run(venue({ highLeverageAckAbove: 20 }));
    expectRefused(h, { type: 'SetLeverage', accountId: trader, symbol: 'BTCUSDT', leverage: 21 }, -9019);
    expect(rejects(h.run({ type: 'SetLeverage', accountId: trader, symbol: 'BTCUSDT', leverage: 10 }))).toEqual([]);
    h.run({ type: 'RecordAcknowledgement', accountId: trader, kind: 'HIGH_LEVERAGE' });
    expect(rejects(h.run({ type: 'SetLeverage', accountId: trader, symbol: 'BTCUSDT', leverage: 100 }))).toEqual([]);
    expectRefused(h, venue({ highLeverageAckAbove: 126 }), -1130);
  });
});
