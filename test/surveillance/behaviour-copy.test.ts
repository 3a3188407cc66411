/**
 * B1–B2 and C1–C3 on crafted event sequences (copy-trading events stand in for the copy-trading
 * state the engine does not have yet): each fires on its sequence and stays silent on the near miss.
 */
import { describe, expect, it } from 'vitest';
import { Script, T0, usdt } from './support/script.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

describe('B1 REENTRY_AFTER_LIQUIDATION', () => {
  it('informs (with a P10 hint) on a new position at ≥ the liquidated leverage within 10 min; silent after 10 min or at lower leverage', () => {
    for (const [delayMs, leverage, expected] of [[9 * MINUTE, 50, 1], [11 * MINUTE, 50, 0], [5 * MINUTE, 20, 0]] as const) {
      const script = new Script();
      script.account(1, 1_000);
      script.batch([script.mark('BTCUSDT', 500_000), script.position(1, 'BTCUSDT', 100, 500_000, { leverage: 50 })]);
      script.batch([script.liquidation(1, 'BTCUSDT', 'SELL', 100, 491_000), script.position(1, 'BTCUSDT', 0, 0, { leverage: 50 })], T0 + MINUTE);
      script.batch([script.position(1, 'BTCUSDT', 100, 491_000, { leverage })], T0 + MINUTE + delayMs);
      const alerts = script.of('B1');
      expect(alerts).toHaveLength(expected);
      if (expected === 1) {
        expect(alerts[0]).toMatchObject({ severity: 'info', policy: { policy: 'P10', accountId: 1, action: 'OFFER_COOLING_OFF' } });
      }
    }
  });
});

describe('B2 OVERTRADING', () => {
  it('informs at 200 fills in 24 h at 50× on average, not at 199', () => {
    for (const [fills, expected] of [[200, 1], [199, 0]] as const) {
      const script = new Script();
      script.account(1, 1_000);
      script.batch([script.position(1, 'BTCUSDT', 1, 500_000, { leverage: 50 })]);
      for (let i = 0; i < fills; i++) {
        const order = script.orderView(1, 'BTCUSDT', 'BUY', 1, 500_000);
        script.batch([script.update(order, 'TRADE', { status: 'FILLED', executedQtyLots: 1 }, { lastQtyLots: 1, lastPriceTicks: 500_000 })],
          T0 + i * 6 * MINUTE);
      }
      expect(script.of('B2')).toHaveLength(expected);
    }
  });
});

describe('C1 LEAD_COOLING', () => {
  it('is high with a P19 hint for a public 500k-AUM lead with a 20 % 7-day drawdown; silent at 19 %', () => {
    for (const [loss, expected] of [[20_000, 1], [19_000, 0]] as const) {
      const script = new Script();
      script.account(1, 100_000);
      script.account(2, 1_000);
      script.batch([script.copy({ type: 'LeadPortfolio', leadAccountId: 1, public: true, aumE8: usdt(600_000), atMs: T0 })]);
      script.batch([script.copy({ type: 'CopyRelation', leadAccountId: 1, followerAccountId: 2, active: true, atMs: T0 })]);
      script.batch([], T0 + 10 * MINUTE);
      script.batch([script.wallet(1, 100_000 - loss)], T0 + HOUR);
      script.batch([], T0 + 2 * HOUR + MINUTE);
      const alerts = script.of('C1');
      expect(alerts).toHaveLength(expected);
      if (expected === 1) expect(alerts[0]).toMatchObject({ policy: { policy: 'P19', accountId: 1, action: 'SUSPEND_LEAD' } });
    }
  });
});

describe('C2 COPY_CONTAGION', () => {
  it('is high when the lead reaches 80 % while followers mirror ≥ 100,000 USDT, and names followers liquidated first', () => {
    for (const [followerLots, expected] of [[2_300, 1], [2_200, 0]] as const) {
      const script = new Script();
      script.account(1, 1_000);
      script.account(2, 5_000);
      script.account(3, 10_000_000);
      script.batch([script.copy({ type: 'CopyRelation', leadAccountId: 1, followerAccountId: 2, active: true, atMs: T0 })]);
      script.batch([script.mark('BTCUSDT', 500_000), script.position(1, 'BTCUSDT', 200, 500_000, { leverage: 100 }),
        script.position(2, 'BTCUSDT', followerLots, 500_000, { leverage: 25 }), script.position(3, 'BTCUSDT', -200 - followerLots, 500_000)]);
      expect(script.of('C2')).toEqual([]);
      // The lead's 1,000 USDT against a 10,000 USDT long: −9.6 % leaves ~40 USDT of margin balance, MM ~38 USDT.
      script.batch([script.mark('BTCUSDT', 452_000)], script.atMs + 1000);
      const alerts = script.of('C2');
      expect(alerts).toHaveLength(expected);
      if (expected === 1) {
        const followers = alerts[0]!.inputs['followers'] as { accountId: number; liquidatedBeforeLead: boolean }[];
        expect(followers).toMatchObject([{ accountId: 2 }]);
      }
    }
  });
});

describe('C3 FOLLOWER_DIVERGENCE', () => {
  it('warns when a follower is liquidated while the lead holds the same side; silent when the lead is flat', () => {
    for (const [leadLots, expected] of [[100, 1], [0, 0]] as const) {
      const script = new Script();
      script.account(1, 100_000);
      script.account(2, 1_000);
      script.batch([script.copy({ type: 'CopyRelation', leadAccountId: 1, followerAccountId: 2, active: true, atMs: T0 })]);
      script.batch([script.mark('BTCUSDT', 500_000), script.position(1, 'BTCUSDT', leadLots, 500_000), script.position(2, 'BTCUSDT', 100, 500_000)]);
      script.batch([script.liquidation(2, 'BTCUSDT', 'SELL', 100, 450_000)]);
      expect(script.of('C3')).toHaveLength(expected);
    }
  });
});
