/**
 * The copy detectors on the real engine's copy events (engine-copy-bridge.ts): a lead portfolio
 * whose followers mirror 600,000 USDT of BTC, then a fall that takes the lead to an 80 % margin
 * ratio → C2 COPY_CONTAGION names the follower; without the engine's copy events (the bridge
 * never sees a FollowerChanged) nothing fires.
 */
import { describe, expect, it } from 'vitest';
import { BTCUSDT } from '../../src/core/instrument/catalog.js';
import { compileInstrument, type EngineEvent, type UnsequencedCommand } from '../../src/core/index.js';
import type { Alert } from '../../src/surveillance/alert.js';
import { Surveillance } from '../../src/surveillance/service.js';
import { Harness, usd } from '../support/engine-harness.js';

function run(withFollower: boolean): Alert[] {
  const h = new Harness([BTCUSDT]);
  const surveillance = new Surveillance({ instruments: [compileInstrument(BTCUSDT)] });
  const alerts: Alert[] = [];
  const step = (command: UnsequencedCommand, atMs = h.now): EngineEvent[] => {
    const events = h.run(command, atMs);
    alerts.push(...surveillance.ingest({ fromSeq: h.seq, toSeq: h.seq, atMs, events }));
    return events;
  };
  const account = (funds: bigint, parentAccountId = 0): number => {
    const created = step({ type: 'CreateAccount', parentAccountId }).find((event) => event.type === 'AccountCreated');
    if (created?.type !== 'AccountCreated') throw new Error('no account');
    if (funds > 0n) step({ type: 'Deposit', accountId: created.accountId, amountE8: funds });
    return created.accountId;
  };
  const order = (accountId: number, side: 'BUY' | 'SELL', type: 'LIMIT' | 'MARKET', lots: number, priceTicks = 0): UnsequencedCommand => ({
    type: 'PlaceOrder', accountId, symbol: 'BTCUSDT', side, orderType: type, timeInForce: type === 'LIMIT' ? 'GTC' : 'GTC', qtyLots: lots,
    priceTicks, stopPriceTicks: 0, activationPriceTicks: 0, callbackRateBps: 0, reduceOnly: false, closePosition: false,
    workingType: 'CONTRACT_PRICE', priceProtect: false, stpMode: 'NONE', clientOrderId: '',
  });
  const maker = account(usd('100000000'));
  step({ type: 'SetIndexPrice', symbol: 'BTCUSDT', priceTicks: 600_000 });
  step(order(maker, 'SELL', 'LIMIT', 20_000, 600_100));
  step(order(maker, 'BUY', 'LIMIT', 20_000, 580_000));
  const lead = account(usd('1000'), account(0n));
  step({ type: 'SetLeverage', accountId: lead, symbol: 'BTCUSDT', leverage: 100 });
  step({ type: 'OpenLeadPortfolio', accountId: lead, profitShareBps: 1000, copyCapE8: 0n, minCopyE8: 0n, maxFollowers: 0 });
  const follower = account(usd('10000'), account(0n));
  if (withFollower) {
    step({
      type: 'Follow', accountId: follower, leadAccountId: lead, mode: 'FIXED_RATIO', amountE8: usd('10000'), leverage: 0, slippageBps: 300,
      stopLossBps: 0, copyExisting: false,
    });
  }
  // 1 BTC at 100x for the lead; the follower's ratio of 10 copies 10 BTC (600,000 USDT).
  step(order(lead, 'BUY', 'MARKET', 1_000));
  // The index falls 20 USDT at a time until the lead is liquidated: its 1,000 USDT passes an 80 % margin ratio first.
  for (let priceTicks = 599_800; (h.position(lead, 'BTCUSDT')?.sizeLots ?? 0) > 0; priceTicks -= 200) {
    step({ type: 'SetIndexPrice', symbol: 'BTCUSDT', priceTicks }, h.now + 2_000);
  }
  return alerts;
}

describe('copy detectors on engine events', () => {
  it('C2 fires for a lead near liquidation whose follower mirrors 600,000 USDT; silent without the follower', () => {
    const c2 = run(true).filter((alert) => alert.code === 'C2');
    expect(c2.length).toBeGreaterThanOrEqual(1);
    expect(c2[0]!.severity).toBe('high');
    expect((c2[0]!.inputs['followers'] as { accountId: number }[]).length).toBe(1);
    expect(run(false).filter((alert) => alert.code === 'C2')).toEqual([]);
  });
});
