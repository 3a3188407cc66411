/**
 * E2–E11 on crafted event sequences: each fires on its sequence and stays silent on the near miss
 * (E1 runs on a real engine in margin-call.test.ts). Prices are BTCUSDT ticks (0.1 USDT), sizes
 * lots (0.001 BTC), k = 10,000 E8 per tick·lot.
 */
import { describe, expect, it } from 'vitest';
import { Script, T0 } from './support/script.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** A long whose exact liquidation level the risk book reports, with a short to balance open interest. */
function withLong(script: Script, walletUsdt: number, lots: number, entryTicks: number, options: { leverage?: number } = {}): number {
  script.account(1, walletUsdt);
  script.account(2, 10_000_000);
  script.batch([script.mark('BTCUSDT', entryTicks)]);
  script.batch([script.position(1, 'BTCUSDT', lots, entryTicks, options), script.position(2, 'BTCUSDT', -lots, entryTicks)]);
  const entry = script.surveillance.risk.entry(script.surveillance.state.position(1, 'BTCUSDT')!)!;
  return entry.liqTicks;
}

describe('E2 TIME_TO_LIQUIDATION', () => {
  /** 35 minutes of marks alternating ±0.1 %: σ(1 min) = ln(1.001). */
  function volatile(script: Script, base: number): number {
    for (let minute = 0; minute < 35; minute++) {
      const atMs = T0 + minute * MINUTE + 30_000;
      script.batch([script.mark('BTCUSDT', minute % 2 === 0 ? base : Math.round(base * 1.001), { atMs })], atMs);
    }
    return Math.log(Math.round(base * 1.001) / base);
  }

  it('warns when the mark is within z·σ·√60 of the liquidation price, not just outside it', () => {
    const z = 0.6744897501960817;
    for (const [distanceFactor, expected] of [[0.98, 1], [1.02, 0]] as const) {
      const script = new Script();
      const liq = withLong(script, 1_000, 1_000, 500_000, { leverage: 50 });
      const base = Math.round(liq * 1.1);
      const sigma = volatile(script, base);
      const mark = Math.round(liq * Math.exp(distanceFactor * z * sigma * Math.sqrt(60)));
      script.batch([script.mark('BTCUSDT', mark)], script.atMs + 20_000);
      script.advance(20_000);
      const alerts = script.of('E2');
      expect(alerts).toHaveLength(expected);
      if (expected === 1) expect(alerts[0]).toMatchObject({ severity: 'warn', accountIds: [1], threshold: { warnHorizonMin: 60 } });
    }
  });

  it('is high within z·σ·√5', () => {
    const script = new Script();
    const liq = withLong(script, 1_000, 1_000, 500_000, { leverage: 50 });
    const sigma = volatile(script, Math.round(liq * 1.1));
    script.batch([script.mark('BTCUSDT', Math.round(liq * Math.exp(0.9 * 0.6745 * sigma * Math.sqrt(5))))], script.atMs + 20_000);
    script.advance(20_000);
    expect(script.of('E2').map((alert) => alert.severity)).toEqual(['high']);
  });

  it('stays silent before σ has 30 minutes behind it', () => {
    const script = new Script();
    const liq = withLong(script, 1_000, 1_000, 500_000, { leverage: 50 });
    script.batch([script.mark('BTCUSDT', liq + 10)], script.atMs + 20_000);
    script.advance(20_000);
    expect(script.of('E2')).toEqual([]);
  });
});

describe('E3 LIQ_CLUSTER_NEAR', () => {
  it('warns when long liquidations within 2 % exceed the bids there, not when the bids cover them', () => {
    for (const [bidLots, expected] of [[900, 1], [1_100, 0]] as const) {
      const script = new Script();
      const liq = withLong(script, 5_000, 1_000, 500_000, { leverage: 20 });
      const mark = Math.floor(liq / 0.99);
      script.account(3, 1_000_000);
      const bid = script.orderView(3, 'BTCUSDT', 'BUY', bidLots, liq);
      script.batch([script.mark('BTCUSDT', mark), script.update(bid, 'NEW')], script.atMs + 20_000);
      script.advance(20_000);
      const alerts = script.of('E3');
      expect(alerts).toHaveLength(expected);
      if (expected === 1) {
        expect(alerts[0]).toMatchObject({ severity: 'warn', inputs: { side: 'LONG' } });
        // The liquidating notional is |size| × level × k, exactly.
        expect((alerts[0]!.inputs['bands'] as { liquidating: string }[])[0]!.liquidating).toBe((1_000 * liq * 10_000 / 1e8).toFixed(8));
      }
    }
  });
});

describe('E4 CASCADE_IN_PROGRESS', () => {
  function market(script: Script): void {
    script.account(1, 1_000_000);
    script.account(2, 1_000_000);
    script.batch([script.mark('BTCUSDT', 500_000)]);
    script.batch([script.position(1, 'BTCUSDT', 100_000, 500_000), script.position(2, 'BTCUSDT', -100_000, 500_000)]);
  }

  it('fires on ≥ 5 liquidations worth ≥ 0.5 % of open interest in 5 min with the price falling, not at 0.4 % or 4 liquidations', () => {
    for (const [lots, count, expected] of [[600, 5, 1], [400, 5, 0], [600, 4, 0]] as const) {
      const script = new Script();
      market(script);
      script.path('BTCUSDT', T0 + 10 * MINUTE, 300, (second) => 500_000 - second * 10);
      const each = lots / count;
      script.batch(Array.from({ length: count }, () => script.liquidation(1, 'BTCUSDT', 'SELL', each, 497_000)), script.atMs + 1000);
      script.advance(1000);
      const alerts = script.of('E4');
      expect(alerts).toHaveLength(expected);
      if (expected === 1) expect(alerts[0]).toMatchObject({ severity: 'critical', inputs: { trigger: 'liquidations', side: 'LONG' } });
    }
  });

  it('falls back to a 15-minute −5 % of the mark', () => {
    for (const [drop, expected] of [[0.051, 1], [0.049, 0]] as const) {
      const script = new Script();
      market(script);
      script.path('BTCUSDT', T0 + 10 * MINUTE, 16 * 60, (second) => Math.round(500_000 * (1 - (drop * Math.min(second, 900)) / 900)));
      const alerts = script.of('E4');
      expect(alerts).toHaveLength(expected);
      if (expected === 1) expect(alerts[0]!.inputs['trigger']).toBe('price');
    }
  });
});

describe('E5 OI_FLUSH', () => {
  it('warns on −5 % of open interest in an hour, not −4 %; critical on −15 % in a day', () => {
    for (const [remaining, expected] of [[95_000, 'warn'], [96_000, undefined], [89_000, 'high']] as const) {
      const script = new Script();
      script.account(1, 1_000_000);
      script.account(2, 1_000_000);
      script.batch([script.mark('BTCUSDT', 500_000)]);
      script.batch([script.position(1, 'BTCUSDT', 100_000, 500_000), script.position(2, 'BTCUSDT', -100_000, 500_000)]);
      script.batch([script.position(1, 'BTCUSDT', remaining, 500_000), script.position(2, 'BTCUSDT', -remaining, 500_000)], T0 + 61 * MINUTE);
      script.advance(MINUTE);
      expect(script.of('E5').map((alert) => alert.severity)).toEqual(expected === undefined ? [] : [expected]);
    }
    const script = new Script();
    script.account(1, 1_000_000);
    script.account(2, 1_000_000);
    script.batch([script.mark('BTCUSDT', 500_000)]);
    script.batch([script.position(1, 'BTCUSDT', 100_000, 500_000), script.position(2, 'BTCUSDT', -100_000, 500_000)]);
    // −4 % an hour for 4 hours: never 5 % in an hour, but 15 % in the day.
    for (let hour = 1; hour <= 4; hour++) {
      const lots = Math.round(100_000 * 0.96 ** hour);
      script.batch([script.position(1, 'BTCUSDT', lots, 500_000), script.position(2, 'BTCUSDT', -lots, 500_000)], T0 + hour * HOUR + MINUTE);
    }
    script.batch([], T0 + 24 * HOUR + 2 * MINUTE);
    expect(script.of('E5').map((alert) => alert.severity)).toEqual(['critical']);
  });
});

describe('E6 FUNDING_EXTREME', () => {
  it('warns on a predicted 0.05 % per 8 h, not 0.0499 %; high at the cap', () => {
    for (const [rate, expected] of [[50_000n, 'warn'], [49_990n, undefined], [2_000_000n, 'high']] as const) {
      const script = new Script();
      script.batch([script.mark('BTCUSDT', 500_000, { fundingRateE8: rate })]);
      expect(script.of('E6').map((alert) => alert.severity)).toEqual(expected === undefined ? [] : [expected]);
    }
  });

  it('warns on a settled rate above the trailing p99 once 30 settlements are known', () => {
    for (const [last, expected] of [[30_000n, 1], [10_000n, 0]] as const) {
      const script = new Script();
      for (let i = 0; i < 40; i++) {
        const atMs = T0 + i * 8 * HOUR;
        script.batch([{ type: 'FundingSettled', symbol: 'BTCUSDT', fundingTimeMs: atMs, rateE8: BigInt(9_000 + (i % 3) * 500), markTicks: 500_000,
          paidE8: 0n, receivedE8: 0n, residueE8: 0n, positions: 0 }], atMs);
      }
      const atMs = T0 + 40 * 8 * HOUR;
      script.batch([{ type: 'FundingSettled', symbol: 'BTCUSDT', fundingTimeMs: atMs, rateE8: last, markTicks: 500_000,
        paidE8: 0n, receivedE8: 0n, residueE8: 0n, positions: 0 }], atMs);
      expect(script.of('E6').filter((alert) => alert.inputs['kind'] === 'settled')).toHaveLength(expected);
    }
  });
});

describe('E7 MARK_DIVERGENCE', () => {
  it('warns on a trade 1 % from the mark, not 0.99 %; high on a mark 5 % from the index', () => {
    for (const [price, expected] of [[505_000, 1], [504_950, 0]] as const) {
      const script = new Script();
      script.batch([script.mark('BTCUSDT', 500_000)]);
      script.batch([script.trade('BTCUSDT', price, 1, 'BUY', 1, 2)]);
      expect(script.of('E7')).toHaveLength(expected);
    }
    const script = new Script();
    script.batch([script.mark('BTCUSDT', 525_000, { indexTicks: 500_000 })]);
    expect(script.of('E7')).toMatchObject([{ severity: 'high', inputs: { kind: 'MARK_VS_INDEX', divergenceBps: 500 } }]);
  });
});

describe('E8 PRICE_VELOCITY', () => {
  it('fires on −3 % in 5 minutes on a major, not −2.9 %', () => {
    for (const [drop, expected] of [[0.031, 1], [0.029, 0]] as const) {
      const script = new Script();
      script.path('BTCUSDT', T0, 6 * 60, (second) => Math.round(500_000 * (1 - (drop * Math.max(0, second - 60)) / 300)));
      const alerts = script.of('E8').filter((alert) => alert.inputs['windowMinutes'] === 5);
      expect(alerts).toHaveLength(expected);
      if (expected === 1) expect(alerts[0]).toMatchObject({ severity: 'high', threshold: { rule: 'fixed' } });
    }
  });

  it('uses 6σ for symbols that are not majors', () => {
    const script = new Script({ config: { e8: { majors: [] } } });
    // σ from 35 quiet minutes, then a 5-minute move of 6.5σ·√5.
    for (let minute = 0; minute < 35; minute++) {
      const atMs = T0 + minute * MINUTE + 30_000;
      script.batch([script.mark('BTCUSDT', minute % 2 === 0 ? 500_000 : 500_500, { atMs })], atMs);
    }
    const sigma = Math.log(500_500 / 500_000);
    const start = script.atMs + 1000;
    script.path('BTCUSDT', start, 6 * 60, (second) => Math.round(500_000 * (1 - (6.5 * sigma * Math.sqrt(5) * Math.min(second, 300)) / 300)));
    expect(script.of('E8').some((alert) => alert.threshold['rule'] === '6σ' && alert.inputs['windowMinutes'] === 5)).toBe(true);
  });
});

describe('E9 INSURANCE_FUND_DRAWDOWN', () => {
  it('warns at −10 % from the 8-hour peak, not −9.9 %; critical at −30 %', () => {
    for (const [loss, expected] of [[100, ['warn']], [99, []], [300, ['warn', 'critical']]] as const) {
      const script = new Script();
      script.batch([script.insurance(1_000)]);
      script.batch([script.insurance(-Math.min(loss, 100), 'DEFICIT', 7)]);
      if (loss > 100) script.batch([script.insurance(-(loss - 100), 'DEFICIT', 7)]);
      expect(script.of('E9').map((alert) => alert.severity)).toEqual(expected);
    }
  });
});

describe('E10 ADL_EXECUTED', () => {
  it('is critical on any ADL fill, silent on a liquidation the book absorbed', () => {
    const script = new Script();
    script.batch([script.liquidation(1, 'BTCUSDT', 'SELL', 10, 400_000)]);
    expect(script.of('E10')).toEqual([]);
    script.batch([script.liquidation(1, 'BTCUSDT', 'SELL', 10, 400_000, { adl: [{ accountId: 5, qtyLots: 4, priceTicks: 399_000, realizedPnlE8: 0n }] })]);
    expect(script.of('E10')).toMatchObject([{ severity: 'critical', accountIds: [1, 5], inputs: { adlQty: '0.004' } }]);
  });
});

describe('E11 CONCENTRATION', () => {
  it('warns when an account holds 10 % of open interest, not 9.9 %; a linked group counts together', () => {
    for (const [lots, expected] of [[10_000, 1], [9_990, 0]] as const) {
      const script = new Script();
      script.batch([script.mark('BTCUSDT', 500_000)]);
      for (let id = 1; id <= 3; id++) script.account(id, 1_000_000);
      script.batch([script.position(1, 'BTCUSDT', lots, 500_000), script.position(2, 'BTCUSDT', 100_000 - lots, 500_000),
        script.position(3, 'BTCUSDT', -100_000, 500_000)]);
      script.advance(MINUTE);
      expect(script.of('E11').filter((alert) => alert.accountIds.includes(1))).toHaveLength(expected);
    }
    const script = new Script();
    script.batch([script.mark('BTCUSDT', 500_000)]);
    script.account(1, 1_000_000);
    script.account(2, 1_000_000, 1);
    for (let id = 3; id <= 14; id++) script.account(id, 1_000_000);
    const events = [script.position(1, 'BTCUSDT', 6_000, 500_000), script.position(2, 'BTCUSDT', 6_000, 500_000)];
    for (let id = 3; id <= 13; id++) events.push(script.position(id, 'BTCUSDT', 8_000, 500_000));
    events.push(script.position(14, 'BTCUSDT', -100_000, 500_000));
    script.batch(events);
    script.advance(MINUTE);
    const group = script.of('E11').filter((alert) => alert.accountIds.includes(1));
    expect(group).toMatchObject([{ severity: 'warn', accountIds: [1, 2], inputs: { side: 'LONG', share: 0.12 } }]);
  });
});
