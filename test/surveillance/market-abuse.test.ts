/**
 * M1–M8 on crafted event sequences: each fires on its sequence and stays silent on the near miss.
 */
import { describe, expect, it } from 'vitest';
import type { OrderView } from '../../src/core/engine/events.js';
import type { SurveilledEvent } from '../../src/surveillance/source.js';
import { Script, T0, usdt } from './support/script.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

describe('M1 SPOOF_LAYER', () => {
  /**
   * Account 1 places small orders, then `episodes` times: a large bid that dwarfs the book, cancelled
   * unfilled after `cancelAfterMs`, while its small ask fills 1 s after the large bid appeared.
   */
  function spoof(episodes: number, cancelAfterMs: number, depthLots = 100, askLots = 2): Script {
    const script = new Script();
    script.account(1, 1_000_000);
    script.account(2, 1_000_000);
    script.at(T0 + MINUTE);
    script.batch([script.mark('BTCUSDT', 500_000), script.update(script.orderView(2, 'BTCUSDT', 'BUY', depthLots, 499_000), 'NEW')]);
    for (let i = 0; i < 5; i++) {
      const small = script.orderView(1, 'BTCUSDT', 'SELL', 2, 510_000 + i);
      script.batch([script.update(small, 'NEW')], script.atMs + 1000);
      script.batch([script.update(small, 'CANCELED', { status: 'CANCELED' })], script.atMs + 10_000);
    }
    for (let i = 0; i < episodes; i++) {
      script.at(script.atMs + 20_000);
      const large = script.orderView(1, 'BTCUSDT', 'BUY', 50, 499_500);
      script.batch([script.update(large, 'NEW')]);
      const ask = script.orderView(1, 'BTCUSDT', 'SELL', askLots, 500_100);
      script.batch([script.update(ask, 'NEW'),
        script.update(ask, 'TRADE', { status: 'FILLED', executedQtyLots: askLots }, { lastQtyLots: askLots, lastPriceTicks: 500_100 })],
        script.atMs + 1000);
      script.batch([script.update(large, 'CANCELED', { status: 'CANCELED' })], large.createdAtMs + cancelAfterMs);
    }
    script.batch([], T0 + 11 * MINUTE);
    return script;
  }

  it('warns on 3 episodes in a cycle with the spoof orders as evidence, not when the large orders rest 5 s', () => {
    const alerts = spoof(3, 2_000).of('M1');
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ severity: 'warn', accountIds: [1], inputs: { episodes: 3 } });
    expect(alerts[0]!.orders).toHaveLength(3);
    expect(alerts[0]!.orders![0]).toMatchObject({ side: 'BUY', qty: '0.050', executedQty: '0.000', status: 'CANCELED' });
    expect(spoof(3, 5_000).of('M1')).toEqual([]);
    expect(spoof(2, 2_000).of('M1')).toEqual([]);
  });

  it('is high when the score reaches 75 (a large share of the book, a large opposite fill)', () => {
    const alerts = spoof(3, 2_000, 20, 20).of('M1');
    expect(alerts).toMatchObject([{ severity: 'high', inputs: { score: 100 } }]);
    // Two such episodes score 87 but stay under the count floor: market makers requote like this.
    expect(spoof(2, 2_000, 20, 20).of('M1')).toEqual([]);
  });
});

describe('M2 QUANT_RULE_BREACH', () => {
  function flood(orders: number, quickCancel: boolean): Script {
    const script = new Script();
    script.account(1, 1_000_000);
    script.at(T0 + MINUTE);
    script.batch([script.mark('BTCUSDT', 500_000)]);
    const events = [];
    for (let i = 0; i < orders; i++) {
      const order = script.orderView(1, 'BTCUSDT', 'BUY', 10, 490_000 + (i % 100));
      events.push(script.update(order, 'NEW'));
      events.push(script.update(order, 'CANCELED', { status: 'CANCELED', updatedAtMs: order.createdAtMs + (quickCancel ? 1_000 : 6_000) }));
    }
    script.batch(events);
    script.batch([], T0 + 10 * MINUTE);
    return script;
  }

  it('bans on ICR ≥ 0.99 over ≥ 5,000 GTC orders, serves apiTradingStatus and a P14 hint; silent under the recording threshold', () => {
    const script = flood(5_000, true);
    const alerts = script.of('M2');
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ severity: 'warn', accountIds: [1], symbol: 'BTCUSDT', policy: { policy: 'P14', action: 'RESTRICT_OPENING', symbol: 'BTCUSDT' } });
    const quant = script.surveillance.detectors.quantRules;
    const nowMs = T0 + 10 * MINUTE;
    expect(quant.isRestricted(1, 'BTCUSDT', nowMs)).toBe(true);
    expect(quant.isRestricted(1, 'ETHUSDT', nowMs)).toBe(false);
    expect(quant.isRestricted(1, 'BTCUSDT', nowMs + 31 * MINUTE)).toBe(false);
    const status = quant.tradingStatus(1, nowMs);
    expect(status.indicators['BTCUSDT']).toEqual([
      { indicator: 'ICR', value: 1, triggerValue: 0.99, isLocked: true, plannedRecoverTime: nowMs + 30 * MINUTE },
    ]);
    expect(flood(4_999, true).of('M2')).toEqual([]);
    expect(flood(5_000, false).of('M2')).toEqual([]);
  });
});

describe('M3 MESSAGE_RATE', () => {
  it('informs at 80 % of the order limit in a minute, not below; warns on a burst of rate-limit refusals', () => {
    for (const [messages, expected] of [[960, 1], [959, 0]] as const) {
      const script = new Script();
      script.account(1, 1_000_000);
      for (let i = 0; i < messages; i++) {
        const order = script.orderView(1, 'BTCUSDT', 'BUY', 1, 400_000);
        script.batch([script.update(order, 'NEW')], T0 + MINUTE + Math.floor((i * 59_000) / messages));
      }
      expect(script.of('M3')).toHaveLength(expected);
    }
    const script = new Script();
    for (let i = 0; i < 10; i++) script.surveillance.rateLimited(7, T0 + i * 1000);
    const alerts = script.surveillance.stats().alerts;
    expect(alerts).toBe(1);
  });

  it('counts the account\'s own orders and refusals, not engine-made orders or work the engine refused', () => {
    const refusal = (origin: 'COMMAND' | 'ENGINE'): SurveilledEvent => ({
      type: 'Rejected', commandType: 'PlaceOrder', code: -2019, msg: 'Margin is insufficient.', accountId: 1, symbol: 'BTCUSDT',
      clientOrderId: '', orderId: 0, origin,
    });
    const burst = (make: (script: Script) => SurveilledEvent): number => {
      const script = new Script();
      script.account(1, 1_000_000);
      for (let i = 0; i < 960; i++) script.batch([make(script)], T0 + MINUTE + Math.floor((i * 59_000) / 960));
      return script.of('M3').length;
    };
    for (const origin of ['LIQUIDATION', 'COPY', 'CLOSE_OUT'] as const) {
      expect(burst((script) => script.update(script.orderView(1, 'BTCUSDT', 'BUY', 1, 400_000, { origin, causeId: 9 }), 'NEW')), origin).toBe(0);
    }
    expect(burst(() => refusal('ENGINE'))).toBe(0);
    expect(burst(() => refusal('COMMAND'))).toBe(1);
  });
});

describe('M4 WASH_SELF_MATCH', () => {
  it('is high on a self-fill or a fill between linked accounts, silent between strangers; informs on 100 STP expiries an hour', () => {
    const script = new Script();
    script.account(1, 1_000);
    script.account(2, 1_000, 1);
    script.account(3, 1_000);
    script.batch([script.trade('BTCUSDT', 500_000, 1, 'BUY', 1, 3)]);
    expect(script.of('M4')).toEqual([]);
    script.batch([script.trade('BTCUSDT', 500_000, 1, 'BUY', 1, 1)]);
    script.batch([script.trade('BTCUSDT', 500_000, 1, 'BUY', 2, 1)]);
    expect(script.of('M4').map((alert) => [alert.severity, alert.accountIds])).toEqual([['high', [1]], ['high', [1, 2]]]);
    const stp = new Script();
    const events = [];
    for (let i = 0; i < 100; i++) events.push(stp.update(stp.orderView(4, 'BTCUSDT', 'BUY', 1, 1), 'EXPIRED', { status: 'EXPIRED' }, { reason: 'STP' }));
    stp.batch(events.slice(0, 99));
    expect(stp.of('M4')).toEqual([]);
    stp.batch(events.slice(99));
    expect(stp.of('M4')).toMatchObject([{ severity: 'info', accountIds: [4] }]);
  });
});

describe('M5 CIRCULAR_GROUP', () => {
  it('is high when two accounts trade mostly with each other in an hour and end flat; silent below 4 trades', () => {
    for (const [roundTrips, expected] of [[2, 1], [1, 0]] as const) {
      const script = new Script();
      script.at(T0 + MINUTE);
      for (let i = 0; i < roundTrips; i++) {
        script.batch([script.trade('BTCUSDT', 500_000, 100, 'BUY', 2, 1)], script.atMs + 1000);
        script.batch([script.trade('BTCUSDT', 500_000, 100, 'SELL', 2, 1)], script.atMs + 1000);
      }
      script.batch([script.trade('BTCUSDT', 500_000, 10, 'BUY', 9, 8)], script.atMs + 1000);
      script.batch([], T0 + HOUR);
      const alerts = script.of('M5');
      expect(alerts).toHaveLength(expected);
      if (expected === 1) expect(alerts[0]).toMatchObject({ accountIds: [1, 2], inputs: { kind: 'RECURRING_PAIR', trades: 4 } });
    }
  });
});

describe('M6 MARK_OR_FUND_MANIPULATION', () => {
  function pushBeforeFunding(moveBps: number): Script {
    const script = new Script();
    script.at(T0 + 7 * HOUR + 54 * MINUTE);
    script.batch([script.mark('BTCUSDT', 500_000)]);
    for (let i = 0; i < 10; i++) {
      const atMs = T0 + 7 * HOUR + 55 * MINUTE + (i + 1) * 20_000;
      const mark = Math.round(500_000 * (1 + (moveBps / 10_000) * ((i + 1) / 10)));
      script.at(atMs);
      script.batch([script.trade('BTCUSDT', mark, 100, 'BUY', 2, 1), script.trade('BTCUSDT', mark, 100, i % 2 === 0 ? 'BUY' : 'SELL', 3, 4),
        script.mark('BTCUSDT', mark)], atMs);
    }
    const settle = T0 + 8 * HOUR;
    script.batch([{ type: 'FundingSettled', symbol: 'BTCUSDT', fundingTimeMs: settle, rateE8: 10_000n, markTicks: 505_000, paidE8: 0n,
      receivedE8: 0n, residueE8: 0n, positions: 0 }], settle);
    return script;
  }

  it('(a) is high when one account takes ≥ 30 % and moves the mark ≥ 1 % before funding; silent at 0.9 %', () => {
    expect(pushBeforeFunding(110).of('M6')).toMatchObject([{ severity: 'high', accountIds: [1], inputs: { kind: 'BEFORE_FUNDING' } }]);
    expect(pushBeforeFunding(90).of('M6')).toEqual([]);
  });

  it('(b) is high when a liquidation leaves a 10,000 USDT deficit and a linked account holds the other side', () => {
    for (const [deficit, expected] of [[10_000, 1], [9_999, 0]] as const) {
      const script = new Script();
      script.account(1, 1_000);
      script.account(2, 1_000, 1);
      script.batch([script.mark('BTCUSDT', 500_000)]);
      script.batch([script.position(1, 'BTCUSDT', -1_000, 500_000), script.position(2, 'BTCUSDT', 1_000, 500_000)]);
      script.batch([script.liquidation(2, 'BTCUSDT', 'SELL', 1_000, 400_000, { insuranceDeltaE8: -usdt(deficit) })]);
      const alerts = script.of('M6');
      expect(alerts).toHaveLength(expected);
      if (expected === 1) expect(alerts[0]).toMatchObject({ accountIds: [2, 1], inputs: { kind: 'LINKED_DEFICIT', oppositeAccounts: [1] } });
    }
  });
});

describe('M7 PUMP_DUMP', () => {
  it('is high on an hour with high > 1.9× the 12-h open and volume > 5× while below the 30-day max; silent at 1.8×', () => {
    for (const [multiple, expected] of [[2, 1], [1.8, 0]] as const) {
      const script = new Script();
      for (let hour = 0; hour < 20; hour++) {
        const volumeLots = hour === 1 ? 30_000 : 1_000;
        script.at(T0 + hour * HOUR + MINUTE);
        script.batch([script.trade('BTCUSDT', 100_000, volumeLots, 'BUY', 2, 3)]);
      }
      script.at(T0 + 20 * HOUR + MINUTE);
      const high = Math.round(100_000 * multiple);
      script.batch([script.trade('BTCUSDT', 100_000, 1_000, 'BUY', 2, 1)]);
      script.batch([script.trade('BTCUSDT', high, 3_000, 'BUY', 2, 1)], script.atMs + MINUTE);
      script.batch([script.trade('BTCUSDT', high, 1_000, 'SELL', 2, 3)], script.atMs + MINUTE);
      script.batch([], T0 + 21 * HOUR + MINUTE);
      const alerts = script.of('M7');
      expect(alerts).toHaveLength(expected);
      if (expected === 1) expect(alerts[0]!.accountIds[0]).toBe(1);
    }
  });
});

describe('M8 FRONT_RUN_COPY', () => {
  function frontRun(exitTicks: number): Script {
    const script = new Script();
    script.account(1, 10_000);
    script.account(2, 10_000, 1);
    script.account(3, 10_000);
    script.batch([script.copy({ type: 'CopyRelation', leadAccountId: 1, followerAccountId: 3, active: true, atMs: script.atMs })]);
    script.at(T0 + MINUTE);
    const front = script.orderView(2, 'BTCUSDT', 'BUY', 10, 500_000);
    script.batch([script.update(front, 'NEW'), script.update(front, 'TRADE', { status: 'FILLED', executedQtyLots: 10 }, { lastQtyLots: 10, lastPriceTicks: 500_000 })]);
    script.at(T0 + MINUTE + 2_000);
    const lead: OrderView = script.orderView(1, 'BTCUSDT', 'BUY', 10, 0, { orderType: 'MARKET' });
    script.batch([script.update(lead, 'NEW')]);
    script.batch([script.copy({ type: 'CopyMirrored', leadAccountId: 1, leadOrderId: lead.orderId, followerAccountId: 3, followerOrderId: 99,
      symbol: 'BTCUSDT', side: 'BUY', qtyLots: 10, atMs: script.atMs })], script.atMs + 100);
    script.batch([script.trade('BTCUSDT', exitTicks, 10, 'BUY', 2, 3)], script.atMs + 500);
    return script;
  }

  it('warns when a linked account buys ahead of a copied order and sells into the follower at a profit; silent at a loss', () => {
    expect(frontRun(500_500).of('M8')).toMatchObject([{ severity: 'warn', accountIds: [1, 2], inputs: { follower: 3, profit: '0.50000000' } }]);
    expect(frontRun(499_900).of('M8')).toEqual([]);
  });
});
